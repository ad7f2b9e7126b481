/**
 * @gittix/common/bus: the event bus and the base classes every service's
 * listeners and publishers extend.
 */
export type { BusMessage, BusSubscription, EventBus, MessageHandler, SubscribeOptions } from './event-bus';
export { Listener, type DeadLetter, type DeadLetterSink, type MessageContext } from './listener';
export { Publisher } from './publisher';
export { connectNatsStreaming, NatsStreamingBus, type NatsStreamingOptions } from './nats-streaming-bus';
export { SessionRevokedListener } from './session-revoked-listener';
