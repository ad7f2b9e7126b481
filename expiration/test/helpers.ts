import { randomUUID } from 'node:crypto';
import { connectNatsStreaming, type BusSubscription, type EventBus, type NatsStreamingBus } from '@gittix/common';
import { captureLogger, infraUrl } from '@gittix/testing';
import { OrderCreatedListener } from '../src/events/listeners/order-created-listener';
import { ExpirationCompletePublisher } from '../src/events/publishers/expiration-complete-publisher';
import {
  createExpirationQueue,
  logQueueEvents,
  waitForQueue,
  type ExpirationQueue,
} from '../src/queues/expiration-queue';
import { startExpirationWorker } from '../src/queues/expiration-worker';

/** A connection to the real NATS Streaming server of the test run. */
export function connectTestBus(logger = captureLogger('expiration-test').logger): Promise<NatsStreamingBus> {
  return connectNatsStreaming({
    url: infraUrl('nats'),
    clusterId: 'ticketing',
    clientId: `expiration-test-${randomUUID()}`,
    logger,
  });
}

/** Wraps a bus so its next `count` publishes reject, as a broken connection would; everything else passes through. */
export function failingPublishes(bus: EventBus, count: number): EventBus {
  let remaining = count;
  return {
    publish: async (subject, data) => {
      if (remaining > 0) {
        remaining -= 1;
        throw new Error('NATS unavailable (test)');
      }
      await bus.publish(subject, data);
    },
    subscribe: (subject, options, handler) => bus.subscribe(subject, options, handler),
    isConnected: () => bus.isConnected(),
    close: () => bus.close(),
  };
}

export interface ObservedEvent {
  data: { orderId: string };
  /** When the observer received it (ms since epoch). */
  at: number;
}

/** Records every expiration:complete on the real bus, through its own durable group, from the start of the channel. */
export async function observeExpirations(
  bus: EventBus,
): Promise<{ events: ObservedEvent[]; of(orderId: string): ObservedEvent[]; close(): Promise<void> }> {
  const events: ObservedEvent[] = [];
  const subscription: BusSubscription = await bus.subscribe(
    'expiration:complete',
    { queueGroup: `observer-${randomUUID()}`, ackWaitMs: 5000 },
    (message) => {
      events.push({ data: message.data as { orderId: string }, at: Date.now() });
      message.ack();
      return Promise.resolve();
    },
  );
  return {
    events,
    of: (orderId) => events.filter((e) => e.data.orderId === orderId),
    close: () => subscription.close(),
  };
}

/**
 * The expiration service's own pieces (listener, Bull queue, worker) wired as
 * index.ts wires them, on the real Redis and NATS Streaming of the test run. The
 * queue has its own key prefix, so no other test sees its jobs.
 */
export async function startExpiration(options: { publishBus?: (bus: EventBus) => EventBus } = {}) {
  const logs = captureLogger('expiration');
  const bus = await connectTestBus(logs.logger);
  const redisUrl = infraUrl('redis');
  const queue: ExpirationQueue = createExpirationQueue(redisUrl, { prefix: `test-${randomUUID()}` });
  logQueueEvents(queue, logs.logger);
  await waitForQueue(queue, redisUrl);
  startExpirationWorker(queue, new ExpirationCompletePublisher(options.publishBus?.(bus) ?? bus), logs.logger);
  const subscription = await new OrderCreatedListener(bus, logs.logger, queue).listen();
  return {
    bus,
    queue,
    logs,
    /** Debug lines saying the listener scheduled this order (one per delivery it handled). */
    scheduledLines: (orderId: string) =>
      logs.lines().filter((l) => l.msg === 'order expiration scheduled' && l.orderId === orderId),
    stop: async () => {
      await subscription.close();
      await queue.close();
      await bus.close();
    },
  };
}

export type ExpirationHarness = Awaited<ReturnType<typeof startExpiration>>;
