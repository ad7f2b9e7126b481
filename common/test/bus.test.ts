import { randomUUID } from 'node:crypto';
import {
  connectNatsStreaming,
  Listener,
  Publisher,
  type EventBus,
  type MessageContext,
  type NatsStreamingBus,
} from '../src/bus';
import type { EventData } from '../src/contracts';
import { captureLogger, freePort, infraUrl, newId, waitFor } from '@gittix/testing';

// These tests run against the real NATS Streaming server started by the global setup.

class ExpirationPublisher extends Publisher<'expiration:complete'> {
  readonly subject = 'expiration:complete' as const;
}

type Handler = (data: EventData<'expiration:complete'>, context: MessageContext) => Promise<void>;

/** A listener whose behaviour each test supplies; it only sees the order ids its test made. */
class TestListener extends Listener<'expiration:complete', { mine: Set<string>; handler: Handler }> {
  readonly subject = 'expiration:complete' as const;
  override readonly ackWaitMs: number;
  override readonly maxInFlight: number;
  constructor(
    private readonly bus: EventBus,
    private readonly log: ReturnType<typeof captureLogger>['logger'],
    readonly queueGroupName: string,
    mine: Set<string>,
    handler: Handler,
    options: { ackWaitMs?: number; maxInFlight?: number } = {},
  ) {
    super({ mine, handler });
    this.ackWaitMs = options.ackWaitMs ?? 10_000;
    this.maxInFlight = options.maxInFlight ?? 16;
  }
  async onMessage(data: EventData<'expiration:complete'>, context: MessageContext): Promise<void> {
    if (!this.deps.mine.has(data.orderId)) return; // another test's message on the shared channel
    await this.deps.handler(data, context);
  }
  start(): Promise<unknown> {
    return this.listen(this.bus, this.log);
  }
}

const buses: NatsStreamingBus[] = [];
async function connect(logger = captureLogger('bus-test').logger): Promise<NatsStreamingBus> {
  const bus = await connectNatsStreaming({
    url: infraUrl('nats'),
    clusterId: 'ticketing',
    clientId: `test-${randomUUID()}`,
    logger,
  });
  buses.push(bus);
  return bus;
}

afterAll(async () => {
  await Promise.all(buses.map((bus) => bus.close()));
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('NATS Streaming bus', () => {
  it('when an event is published, then a listener receives the validated payload', async () => {
    const bus = await connect();
    const orderId = newId();
    const received: string[] = [];
    const listener = new TestListener(bus, captureLogger().logger, `q-${randomUUID()}`, new Set([orderId]), (data) => {
      received.push(data.orderId);
      return Promise.resolve();
    });
    await listener.start();

    await new ExpirationPublisher(bus).publish({ orderId });

    await waitFor(() => received.length === 1, 'the event to arrive');
    expect(received).toEqual([orderId]);
  });

  it('when the handler is still running, then the message is not acked yet', async () => {
    const bus = await connect();
    const first = newId();
    const second = newId();
    const gate = deferred();
    const seen: string[] = [];
    // maxInFlight 1: the server hands over the next message only after the previous one was acked.
    const listener = new TestListener(
      bus,
      captureLogger().logger,
      `q-${randomUUID()}`,
      new Set([first, second]),
      async (data) => {
        seen.push(data.orderId);
        if (data.orderId === first) await gate.promise;
      },
      { maxInFlight: 1 },
    );
    const publisher = new ExpirationPublisher(bus);
    await publisher.publish({ orderId: first });
    await publisher.publish({ orderId: second });
    await listener.start();

    await waitFor(() => seen.includes(first), 'the first message');
    // While the first handler runs, nothing was acked, so the second is held back by the server.
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual([first]);

    gate.resolve();
    await waitFor(() => seen.includes(second), 'the second message after the first was acked');
    expect(seen).toEqual([first, second]);
  });

  it('when the handler throws, then the failure is logged with subject and sequence and the message is redelivered', async () => {
    const bus = await connect();
    const capture = captureLogger();
    const orderId = newId();
    const deliveries: boolean[] = [];
    const listener = new TestListener(
      bus,
      capture.logger,
      `q-${randomUUID()}`,
      new Set([orderId]),
      (_data, context) => {
        deliveries.push(context.redelivered);
        return deliveries.length === 1 ? Promise.reject(new Error('database down')) : Promise.resolve();
      },
      { ackWaitMs: 1000 },
    );
    await listener.start();

    await new ExpirationPublisher(bus).publish({ orderId });

    await waitFor(() => deliveries.length >= 2, 'the redelivery', 10_000);
    expect(deliveries.slice(0, 2)).toEqual([false, true]);
    const failure = capture.lines().find((l) => l.msg === 'event handler failed; will be redelivered');
    expect(failure).toMatchObject({ subject: 'expiration:complete', level: 50 });
    expect(typeof failure?.sequence).toBe('number');
  });

  it('when a payload is invalid, then it is logged and acked, never retried', async () => {
    const bus = await connect();
    const capture = captureLogger();
    const after = newId();
    const seen: string[] = [];
    const listener = new TestListener(
      bus,
      capture.logger,
      `q-${randomUUID()}`,
      new Set([after]),
      (data) => {
        seen.push(data.orderId);
        return Promise.resolve();
      },
      { maxInFlight: 1, ackWaitMs: 1000 },
    );
    const marker = `not-an-id-${randomUUID()}`;
    await bus.publish('expiration:complete', { orderId: marker });
    await new ExpirationPublisher(bus).publish({ orderId: after });
    await listener.start();

    // With one message in flight, the valid one arrives only once the invalid one was acked.
    await waitFor(() => seen.includes(after), 'the valid message after the invalid one');
    const invalid = capture.lines().filter((l) => l.msg === 'invalid event payload; acked and dropped');
    expect(invalid.length).toBeGreaterThanOrEqual(1);
    expect(invalid[0]).toMatchObject({ subject: 'expiration:complete' });
    expect(JSON.stringify(invalid[0]?.issues)).toContain('orderId');
  });

  it('when two instances share a queue group, then each message goes to exactly one of them', async () => {
    const [busA, busB] = [await connect(), await connect()];
    const queue = `q-${randomUUID()}`;
    const ids = Array.from({ length: 40 }, () => newId());
    const mine = new Set(ids);
    const byA: string[] = [];
    const byB: string[] = [];
    await new TestListener(busA, captureLogger().logger, queue, mine, (d) => {
      byA.push(d.orderId);
      return new Promise((r) => setTimeout(r, 5));
    }).start();
    await new TestListener(busB, captureLogger().logger, queue, mine, (d) => {
      byB.push(d.orderId);
      return new Promise((r) => setTimeout(r, 5));
    }).start();

    const publisher = new ExpirationPublisher(busA);
    for (const orderId of ids) await publisher.publish({ orderId });

    await waitFor(() => byA.length + byB.length >= ids.length, 'all messages', 10_000);
    expect(new Set([...byA, ...byB])).toEqual(mine);
    expect(byA.length + byB.length).toBe(ids.length);
    expect(byA.length).toBeGreaterThan(0);
    expect(byB.length).toBeGreaterThan(0);
  });

  it('when a durable subscriber reconnects, then it receives what was published while it was away, and nothing twice', async () => {
    const queue = `q-${randomUUID()}`;
    const [before, during1, during2] = [newId(), newId(), newId()];
    const mine = new Set([before, during1, during2]);
    const firstRun: string[] = [];
    const first = await connect();
    await new TestListener(first, captureLogger().logger, queue, mine, (d) => {
      firstRun.push(d.orderId);
      return Promise.resolve();
    }).start();
    const publisher = await connect();
    await new ExpirationPublisher(publisher).publish({ orderId: before });
    await waitFor(() => firstRun.includes(before), 'the first message');
    await first.close();

    await new ExpirationPublisher(publisher).publish({ orderId: during1 });
    await new ExpirationPublisher(publisher).publish({ orderId: during2 });

    const secondRun: string[] = [];
    const second = await connect();
    await new TestListener(second, captureLogger().logger, queue, mine, (d) => {
      secondRun.push(d.orderId);
      return Promise.resolve();
    }).start();

    await waitFor(() => secondRun.length >= 2, 'the messages published while away');
    expect(secondRun).toEqual([during1, during2]);
  });

  it('when a payload does not match its subject, then publishing rejects and nothing is sent', async () => {
    const bus = await connect();
    await expect(new ExpirationPublisher(bus).publish({ orderId: 'nope' })).rejects.toThrow(/orderId/);
  });

  it('when the server cannot be reached, then connecting gives up with a clear message', async () => {
    const port = await freePort();
    await expect(
      connectNatsStreaming({
        url: `nats://127.0.0.1:${port}`,
        clusterId: 'ticketing',
        clientId: `test-${randomUUID()}`,
        logger: captureLogger().logger,
        connectAttempts: 2,
        retryDelayMs: 10,
      }),
    ).rejects.toThrow(/could not connect to NATS Streaming .* after 2 attempts/);
  });

  it('when the bus is closed, then publishing rejects instead of dropping the event', async () => {
    const bus = await connect();
    await bus.close();
    await expect(bus.publish('expiration:complete', { orderId: newId() })).rejects.toThrow();
    expect(bus.isConnected()).toBe(false);
  });
});
