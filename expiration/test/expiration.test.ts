import { buildOrderCreatedEvent, waitFor } from '@gittix/testing';
import type { NatsStreamingBus } from '@gittix/common/bus';
import {
  connectTestBus,
  failingPublishes,
  observeExpirations,
  startExpiration,
  type ExpirationHarness,
} from './helpers';

// Real Redis and real NATS Streaming (started by the global setup): the
// listener, the Bull queue and the worker are the service's own, wired as in index.ts.

let client: NatsStreamingBus;
let observer: Awaited<ReturnType<typeof observeExpirations>>;
const harnesses: ExpirationHarness[] = [];

async function start(options?: Parameters<typeof startExpiration>[0]): Promise<ExpirationHarness> {
  const harness = await startExpiration(options);
  harnesses.push(harness);
  return harness;
}

/** A fresh order:created due `inMs` from now, published on the real bus as the orders service would. */
async function publishOrder(inMs: number) {
  const event = buildOrderCreatedEvent({ expiresAt: new Date(Date.now() + inMs).toISOString() });
  await client.publish('order:created', event);
  return { event, expiresAt: Date.parse(event.expiresAt) };
}

beforeAll(async () => {
  client = await connectTestBus();
  observer = await observeExpirations(client);
});

afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.stop()));
});

afterAll(async () => {
  await observer.close();
  await client.close();
});

describe('order:created → expiration:complete', () => {
  it('when an order expires in 1 s, then expiration:complete for it is published within 2 s of expiresAt, never before', async () => {
    await start();

    const { event, expiresAt } = await publishOrder(1000);

    const [fired] = await waitFor(
      () => observer.of(event.id).length > 0 && observer.of(event.id),
      'expiration:complete',
      5000,
    );
    expect(fired?.data).toEqual({ orderId: event.id });
    expect(fired?.at).toBeGreaterThanOrEqual(expiresAt);
    expect((fired?.at ?? Infinity) - expiresAt).toBeLessThan(2000);
  });

  it('when the job has fired, then it is removed from Redis', async () => {
    const h = await start();

    const { event } = await publishOrder(200);
    await waitFor(() => observer.of(event.id).length > 0, 'expiration:complete');

    await waitFor(async () => (await h.queue.getJob(event.id)) === null, 'the completed job to be removed');
    expect(await h.queue.getJobCounts()).toMatchObject({ delayed: 0, waiting: 0, active: 0, failed: 0 });
  });

  it('when an order is already past its expiresAt, then it fires at once', async () => {
    await start();

    const { event } = await publishOrder(-60_000);

    const [fired] = await waitFor(
      () => observer.of(event.id).length > 0 && observer.of(event.id),
      'expiration:complete',
      3000,
    );
    expect(fired?.data).toEqual({ orderId: event.id });
  });

  it('when order:created is delivered twice, then one job is scheduled and one event is published', async () => {
    const h = await start();
    const { event } = await publishOrder(1500);

    await client.publish('order:created', event);
    await waitFor(() => h.scheduledLines(event.id).length === 2, 'both deliveries to be handled');

    const delayed = await h.queue.getDelayed();
    expect(delayed.filter((job) => job.id === event.id)).toHaveLength(1);
    await waitFor(() => observer.of(event.id).length > 0, 'expiration:complete', 5000);
    await waitFor(async () => (await h.queue.getJob(event.id)) === null, 'the job to complete');
    expect(observer.of(event.id)).toHaveLength(1);
  });

  it('when publishing expiration:complete fails, then the job fails, Bull retries it and the event is published once', async () => {
    const h = await start({ publishBus: (bus) => failingPublishes(bus, 1) });

    const { event } = await publishOrder(300);

    await waitFor(() => observer.of(event.id).length > 0, 'the retried expiration:complete', 5000);
    const failures = h.logs
      .lines()
      .filter((l) => l.msg === 'expiration job failed; Bull will retry it' && l.orderId === event.id);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      level: 40,
      attemptsMade: 1,
      err: expect.objectContaining({ message: 'NATS unavailable (test)' }),
    });
    await waitFor(async () => (await h.queue.getJob(event.id)) === null, 'the retried job to complete');
    expect(observer.of(event.id)).toHaveLength(1);
  });

  it('when the event payload is invalid, then it is acked and nothing is scheduled', async () => {
    const h = await start();
    const bad = { ...buildOrderCreatedEvent(), expiresAt: 'tomorrow' };

    await client.publish('order:created', bad);

    await waitFor(
      () => h.logs.lines().some((l) => l.msg === 'invalid event payload; acked and dropped'),
      'the invalid payload to be logged',
    );
    expect(await h.queue.getJob(bad.id)).toBeNull();
  });
});
