import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { NatsStreamingBus } from '@gittix/common';
import { buildOrderCreatedEvent, infraUrl, startServiceProcess, waitFor, type RunningServer } from '@gittix/testing';
import request from 'supertest';
import { loadConfig } from '../src/config';
import { createExpirationQueue, type ExpirationQueue } from '../src/queues/expiration-queue';
import { connectTestBus, observeExpirations } from './helpers';

// The built service (expiration/dist/index.js) as its own process on the real
// Redis and NATS Streaming; its jobs use Bull's default key prefix.

const entry = path.join(__dirname, '..', 'dist', 'index.js');

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
  it('when it is up, then /healthz and /readyz answer 200 (Redis and NATS connected)', async () => {
    const running = await startProcess();

    await request(running.url).get('/healthz').expect(200, { status: 'ok' });
    await request(running.url).get('/readyz').expect(200, { status: 'ready' });
    await request(running.url).get('/api/anything').expect(404);
    await running.stop();
  });

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

  it('when required variables are missing or invalid, then it exits 1 with one line naming every one', async () => {
    const child = spawn(process.execPath, [entry], {
      env: { PATH: process.env.PATH, REDIS_URL: 'localhost:6379' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('NATS_URL is required');
    expect(stderr).toContain('NATS_CLIENT_ID is required');
    expect(stderr).toContain('REDIS_URL must be a redis:// or rediss:// URL');
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
      natsUrl: 'nats://127.0.0.1:4222',
      natsClusterId: 'ticketing',
      natsClientId: 'expiration-1',
      redisUrl: 'redis://127.0.0.1:6379',
      logLevel: 'info',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });
});
