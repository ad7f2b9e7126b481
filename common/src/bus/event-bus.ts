/**
 * The event bus as services see it: publish a JSON payload on a subject, and
 * subscribe a durable queue group with manual acks. NATS Streaming implements
 * it today (nats-streaming-bus.ts); a JetStream transport can implement the
 * same interface later without touching a service (docs/decisions/0002).
 */
export interface BusMessage {
  readonly subject: string;
  /** Position of the message in its channel; logged with every failure. */
  readonly sequence: number;
  readonly redelivered: boolean;
  /** How many times the server has delivered this message, this time included. */
  readonly deliveries: number;
  /** The payload as published (already JSON-decoded), not yet validated. */
  readonly data: unknown;
  /** Tells the server the message is handled; until then it is redelivered after `ackWaitMs`. */
  ack(): void;
}

export interface SubscribeOptions {
  /** Queue group and durable name: instances of one service share the work and resume where they left. */
  queueGroup: string;
  /** How long the server waits for an ack before redelivering. */
  ackWaitMs: number;
  /** Upper bound on unacknowledged messages handed to this subscriber at once. */
  maxInFlight?: number;
}

export type MessageHandler = (message: BusMessage) => Promise<void>;

export interface BusSubscription {
  /** Stops delivery to this process; the durable queue group keeps its position on the server. */
  close(): Promise<void>;
}

export interface EventBus {
  /** Resolves once the server has stored the message; rejects if it could not. */
  publish(subject: string, data: unknown): Promise<void>;
  /** Resolves once the server has registered the subscription. */
  subscribe(subject: string, options: SubscribeOptions, handler: MessageHandler): Promise<BusSubscription>;
  /** True while the transport is connected (used by `/readyz`). */
  isConnected(): boolean;
  /** How long it has been disconnected, 0 while connected (used by `/healthz`). */
  disconnectedForMs(): number;
  /** Calls `listener` whenever the transport is connected again after an outage. */
  onReconnect(listener: () => void): void;
  /** Closes every subscription and the connection. Safe to call twice. */
  close(): Promise<void>;
}
