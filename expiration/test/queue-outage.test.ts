import { captureLogger, freePort, startRedis, waitFor, type RunningServer } from '@gittix/testing';
import { createExpirationQueue, logQueueEvents, type ExpirationQueue } from '../src/models/expiration-queue';

// A Redis of this file's own, stopped and started again on the same port, under the
// service's own queue and its log wiring: what an operator reads during an outage.

let redis: RunningServer | undefined;
let queue: ExpirationQueue | undefined;

afterEach(async () => {
  await queue?.close().catch(() => undefined);
  await redis?.stop();
});

describe('the expiration queue while its Redis is down', () => {
  it('when Redis is gone for 3 s and back, then one error says so, one line says it is back with the outage counted, and the queue works again', async () => {
    const port = await freePort();
    redis = await startRedis({ port });
    const { logger, lines } = captureLogger('expiration');
    queue = createExpirationQueue(redis.url, { prefix: `outage-${port}` });
    logQueueEvents(queue, logger);
    await queue.isReady();
    // The blocking connection too, as a processing service has it.
    void queue.process((job) => Promise.resolve(job.data.orderId));

    await redis.stop();
    const stoppedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    redis = await startRedis({ port });

    const back = await waitFor(
      () => lines().find((line) => line.msg === 'expiration queue reconnected to Redis'),
      'the reconnected line',
      15_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500)); // any late error of another connection
    const errors = lines().filter((line) => line.level >= 50);
    expect(errors.map((line) => line.msg)).toEqual(['expiration queue lost Redis; retrying']);
    // ioredis reported every reconnect attempt of each connection; they are counted, not printed.
    expect(back.errors).toBeGreaterThan(1);
    expect(back.downForMs).toBeGreaterThanOrEqual(2500);
    expect(back.downForMs).toBeLessThan(Date.now() - stoppedAt + 1000);

    const job = await queue.add({ orderId: 'after-the-outage' });
    expect(await job.finished()).toBe('after-the-outage');
  }, 40_000);
});
