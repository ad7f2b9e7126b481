import { randomUUID } from 'node:crypto';
import { connectNatsStreaming, type BusSubscription, type EventBus, type NatsStreamingBus } from '@gittix/common/bus';
import { startService } from '@gittix/common/service';
import { captureLogger, infraUrl } from '@gittix/testing';
import { expirationService } from '../src/service';

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
    disconnectedForMs: () => bus.disconnectedForMs(),
    onReconnect: (listener) => bus.onReconnect(listener),
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
 * The expiration service started in-process exactly as index.ts starts it, on
 * the real Redis and NATS Streaming of the test run. Its queue has its own key
 * prefix, so no other test sees its jobs.
 */
export async function startExpiration(options: { publishBus?: (bus: EventBus) => EventBus } = {}) {
  const logs = captureLogger('expiration');
  const real = await connectTestBus(logs.logger);
  const service = await startService(expirationService, {
    env: {
      NATS_URL: infraUrl('nats'),
      NATS_CLIENT_ID: `expiration-test-${randomUUID()}`,
      REDIS_URL: infraUrl('redis'),
      EXPIRATION_QUEUE_PREFIX: `test-${randomUUID()}`,
    },
    logger: logs.logger,
    bus: options.publishBus?.(real) ?? real,
    listen: false,
  });
  return {
    /** The service's queue in Redis: expiration's only store, where a job is visible (tests look there, nothing else can). */
    queue: service.deps.queue,
    logs,
    /** Lines saying the listener scheduled this order (one per delivery it handled). */
    scheduledLines: (orderId: string) =>
      logs
        .lines()
        .filter(
          (l) => l.msg === 'event handled' && (l.outcome as { orderId?: string } | undefined)?.orderId === orderId,
        ),
    stop: async () => {
      await service.stop();
      await real.close();
    },
  };
}

export type ExpirationHarness = Awaited<ReturnType<typeof startExpiration>>;
