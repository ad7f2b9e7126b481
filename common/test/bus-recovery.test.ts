import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  captureLogger,
  connectTestDatabase,
  freePort,
  MemoryBus,
  newId,
  startNatsStreaming,
  waitFor,
  type RunningServer,
} from '@gittix/testing';
import { connectNatsStreaming, Listener, type EventBus, type NatsStreamingBus } from '../src/bus';
import type { EventData } from '../src/contracts';
import { NotYetApplicableError } from '../src/core';
import { DeadLetters } from '../src/db';

// Outages of a real NATS Streaming server of this file's own (file store, fixed
// port), so it can be killed, paused and restarted under the bus.

type OnData = (data: EventData<'expiration:complete'>) => Promise<void>;

class OrderIdsListener extends Listener<'expiration:complete', OnData> {
  readonly subject = 'expiration:complete' as const;
  constructor(
    private readonly bus: EventBus,
    private readonly log: ReturnType<typeof captureLogger>['logger'],
    readonly queueGroupName: string,
    onData: OnData,
  ) {
    super(onData);
  }
  onMessage(data: EventData<'expiration:complete'>): Promise<void> {
    return this.deps(data);
  }
  start(options: Parameters<Listener<'expiration:complete'>['listen']>[2] = {}): Promise<unknown> {
    return this.listen(this.bus, this.log, options);
  }
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gittix-bus-recovery-'));
let port: number;
let server: RunningServer | undefined;
const start = async () => {
  server = await startNatsStreaming({ dataDir, port });
};

beforeAll(async () => {
  port = await freePort();
  await start();
}, 30_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function connect(logs = captureLogger('bus')): Promise<NatsStreamingBus> {
  return connectNatsStreaming({
    url: `nats://127.0.0.1:${port}`,
    clusterId: 'ticketing',
    clientId: `recovery-${randomUUID()}`,
    logger: logs.logger,
    retryDelayMs: 100,
  });
}

describe('the NATS Streaming bus through an outage', () => {
  it('when the server is killed and started again, then the bus reconnects, resumes its durable subscription, and nothing published is lost', async () => {
    const logs = captureLogger('bus');
    const consumer = await connect(logs);
    const producer = await connect();
    const seen = new Set<string>();
    await new OrderIdsListener(consumer, logs.logger, `q-${randomUUID()}`, (data) => {
      seen.add(data.orderId);
      return Promise.resolve();
    }).start();
    let reconnects = 0;
    consumer.onReconnect(() => (reconnects += 1));
    const before = Array.from({ length: 5 }, () => newId());
    for (const orderId of before) await producer.publish('expiration:complete', { orderId });

    await server?.stop(); // SIGTERM, then SIGKILL: the file store keeps what it acknowledged
    await waitFor(() => !consumer.isConnected(), 'the bus to notice the outage', 30_000);
    await expect(consumer.publish('expiration:complete', { orderId: newId() })).rejects.toThrow(/not connected/);
    expect(consumer.disconnectedForMs()).toBeGreaterThan(0);
    await start();

    await waitFor(() => consumer.isConnected() && producer.isConnected(), 'both to reconnect', 30_000);
    const after = Array.from({ length: 5 }, () => newId());
    for (const orderId of after) await producer.publish('expiration:complete', { orderId });
    await waitFor(() => [...before, ...after].every((id) => seen.has(id)), 'every event to arrive', 30_000);

    // Told once that the bus is back, whichever way it came back (the same session, or a new one).
    expect(reconnects).toBe(1);
    expect(consumer.disconnectedForMs()).toBe(0);
    await Promise.all([consumer.close(), producer.close()]);
  }, 90_000);

  it('when the server is paused longer than the heartbeats allow, then the bus reconnects once it resumes', async () => {
    const consumer = await connect();
    const seen = new Set<string>();
    await new OrderIdsListener(consumer, captureLogger().logger, `q-${randomUUID()}`, (data) => {
      seen.add(data.orderId);
      return Promise.resolve();
    }).start();
    const pid = server?.pid;
    if (!pid) throw new Error('the test server has no pid');

    process.kill(pid, 'SIGSTOP');
    await waitFor(() => !consumer.isConnected(), 'the bus to give the session up', 40_000);
    process.kill(pid, 'SIGCONT');

    await waitFor(() => consumer.isConnected(), 'the bus to reconnect', 40_000);
    const producer = await connect();
    const orderId = newId();
    await producer.publish('expiration:complete', { orderId });
    await waitFor(() => seen.has(orderId), 'the event after the pause', 20_000);
    await Promise.all([consumer.close(), producer.close()]);
  }, 120_000);
});

describe('dead letters', () => {
  it('when a message fails every delivery, then it is parked with its subject, sequence and error, and acked', async () => {
    const db = await connectTestDatabase('deadletters');
    const deadLetters = new DeadLetters(db.connection);
    const bus = new MemoryBus();
    const logs = captureLogger('listener');
    await new OrderIdsListener(bus, logs.logger, 'q-dead', () =>
      Promise.reject(new NotYetApplicableError('its order never arrives')),
    ).start({ deadLetters });
    const orderId = newId();

    const early = await bus.deliver('expiration:complete', { orderId }, { deliveries: 3 });
    const last = await bus.deliver('expiration:complete', { orderId }, { deliveries: 20 });

    expect(early.acked).toBe(false);
    expect(last.acked).toBe(true);
    // Read from the store: the dead letters are for a person to look at, not on any API.
    expect(await deadLetters.model.find({}, { _id: 0, parkedAt: 0 }).lean()).toEqual([
      {
        subject: 'expiration:complete',
        sequence: 2,
        queueGroup: 'q-dead',
        deliveries: 20,
        data: { orderId },
        error: 'its order never arrives',
      },
    ]);
    expect(logs.lines().some((l) => l.level === 50 && /parked as a dead letter/.test(l.msg ?? ''))).toBe(true);
    await db.drop();
  });
});
