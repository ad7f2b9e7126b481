import { randomUUID } from 'node:crypto';
import type { NatsStreamingBus } from '@gittix/common/bus';
import { buildOrderCreatedEvent, infraUrl, startServiceProcess, waitFor, type RunningServer } from '@gittix/testing';
import { loadConfig } from '../src/config';
import { createExpirationQueue, type ExpirationQueue } from '../src/models/expiration-queue';
import { connectTestBus, observeExpirations } from './helpers';

// The built service (expiration/dist/index.js) as its own process on the real
// Redis and NATS Streaming; its jobs use Bull's default key prefix.

function serviceEnv(): Record<string, string> {
  return {
    NATS_URL: infraUrl('nats'),
    NATS_CLUSTER_ID: 'ticketing',
    NATS_CLIENT_ID: `expiration-${randomUUID()}`,
    REDIS_URL: infraUrl('redis'),
  };
}

let client: NatsStreamingBus;
let observer: Awaited<ReturnType<typeof observeExpirations>>;
/** The same queue the process uses, to look into Redis (no worker: it never processes a job). */
let queue: ExpirationQueue;
const processes: RunningServer[] = [];

beforeAll(async () => {
  client = await connectTestBus();
  observer = await observeExpirations(client);
  queue = createExpirationQueue(infraUrl('redis'));
});

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await queue.close();
  await observer.close();
  await client.close();
});

async function startProcess(): Promise<RunningServer> {
  const running = await startServiceProcess({ service: 'expiration', env: serviceEnv() });
  processes.push(running);
  return running;
}

describe('the expiration process', () => {
  it('when it is stopped before a job is due and started again, then the job (kept in Redis) still fires on time', async () => {
    const first = await startProcess();
    const event = buildOrderCreatedEvent({ expiresAt: new Date(Date.now() + 4000).toISOString() });
    const expiresAt = Date.parse(event.expiresAt);
    await client.publish('order:created', event);
    await waitFor(async () => (await queue.getJob(event.id)) !== null, 'the job to be scheduled in Redis');

    await first.stop();
    expect(await (await queue.getJob(event.id))?.isDelayed()).toBe(true);
    expect(observer.of(event.id)).toHaveLength(0);
    await startProcess();

    const [fired] = await waitFor(
      () => observer.of(event.id).length > 0 && observer.of(event.id),
      'expiration:complete after the restart',
      10_000,
    );
    expect(fired?.at).toBeGreaterThanOrEqual(expiresAt);
    expect((fired?.at ?? Infinity) - expiresAt).toBeLessThan(2000);
  });
});

describe('configuration', () => {
  it('when the environment is complete, then it gives a frozen camelCase config with defaults', () => {
    const config = loadConfig({
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_CLIENT_ID: 'expiration-1',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });

    expect(config).toEqual({
      port: 3000,
      logLevel: 'info',
      nodeEnv: 'development',
      nats: { url: 'nats://127.0.0.1:4222', clusterId: 'ticketing', clientId: 'expiration-1', token: undefined },
      redisUrl: 'redis://127.0.0.1:6379',
      queuePrefix: 'bull',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });
});
