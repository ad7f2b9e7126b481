import { Outbox, RateLimiter, connectRedis } from '@gittix/common';
import { captureLogger, connectTestDatabase, infraUrl, MemoryBus, testJwtKey } from '@gittix/testing';
import request from 'supertest';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { sessionRevocations } from '../src/domain/sessions';
import { createModels } from '../src/models';

/**
 * The auth app on a fresh database of the real test server, the rate-limit
 * counters in the real test Redis (under a fresh prefix, so files never share
 * counters), a recording bus for session:revoked, and its log lines captured.
 */
export async function setupAuth(env: Record<string, string> = {}) {
  const db = await connectTestDatabase('auth');
  const logs = captureLogger('auth');
  const config = loadConfig({
    MONGO_URL: db.url,
    JWT_KEY: testJwtKey,
    NODE_ENV: 'test',
    NATS_URL: 'nats://127.0.0.1:4222', // not dialled: component tests use the MemoryBus
    NATS_CLIENT_ID: 'auth-test',
    ...env,
  });
  const models = await createModels(db.connection);
  const bus = new MemoryBus();
  const outbox = new Outbox({ bus, logger: logs.logger, models: [models.Session] });
  const redis = connectRedis(infraUrl('redis'), logs.logger);
  await new Promise<void>((resolve) => (redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve())));
  const limiter = new RateLimiter({
    redis,
    prefix: `auth-test-${db.url.split('/').pop()?.split('?')[0]}`,
    logger: logs.logger,
  });
  const sessions = sessionRevocations(models);
  const app = createApp({
    config,
    logger: logs.logger,
    connection: db.connection,
    models,
    bus,
    outbox,
    limiter,
    sessions,
  });
  return {
    app,
    models,
    logs,
    db,
    config,
    bus,
    redis,
    api: request(app),
    close: async () => {
      redis.disconnect();
      await db.drop();
    },
  };
}

export type AuthHarness = Awaited<ReturnType<typeof setupAuth>>;

let counter = 0;
/** A unique sign-up body. */
export function buildSignUp(overrides: Partial<{ email: string; password: string; username: string }> = {}) {
  counter += 1;
  return { email: `buyer${counter}-${Date.now()}@example.test`, password: 'correct horse battery', ...overrides };
}

/** The `session=…` cookie of a response, ready for `.set('Cookie', …)`. */
export function sessionCookie(res: request.Response): string[] {
  const raw = res.headers['set-cookie'] as unknown as string[] | undefined;
  const cookie = raw?.find((c) => c.startsWith('session='));
  if (!cookie) throw new Error('no session cookie in the response');
  return [cookie.split(';')[0] ?? ''];
}
