import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from '@jest/globals';
import type { ServiceConfig } from '@gittix/common/core';
import { startService, type RunningService, type ServiceSpec } from '@gittix/common/service';
import request from 'supertest';
import { connectTestDatabase, type TestDatabase } from './database';
import { infraEnv, infraUrl } from './infra';
import { captureLogger } from './logs';
import { MemoryBus } from './memory-bus';
import { testJwtKey } from './session';

type Env = Record<string, string>;

/** A service started in-process for its component tests, exactly as `index.ts` starts it, on real servers. */
export interface TestService<C, D> {
  /** The running service: its config, app and the dependencies its domain uses (`deps.models`…). */
  service: RunningService<C, D>;
  /** supertest on its app. */
  api: ReturnType<typeof request>;
  /** The recording bus it publishes to and listens on (`bus.deliver(subject, data)` hands it an event). */
  bus: MemoryBus;
  /** Its log lines. */
  logs: ReturnType<typeof captureLogger>;
  /** Its own fresh database on the test server (reached as the service reaches it, through MONGO_URL). */
  db: TestDatabase;
  /** Stops the service, then drops its database (unless it was handed one to share). */
  stop(): Promise<void>;
}

export interface TestServiceOptions {
  /** Variables on top of the test defaults (every one the service's schema requires). */
  env?: Env;
  /** Another service's database: a second process on the same data (after a crash). */
  db?: TestDatabase;
}

/** A server's URL when this workspace's jest config started it (globals.gittixInfra). */
function optionalInfra(part: 'redis' | 'stripe' | 'stripeStateful'): string | undefined {
  return process.env[infraEnv[part]] ? infraUrl(part) : undefined;
}

/**
 * Starts a service the way `runService` does (its own `wire`: models, outbox,
 * listeners, routes, background work), with three differences: it talks to a
 * recording bus, it gets a fresh database and a fresh rate-limit namespace, and
 * it binds no port (supertest drives its app).
 */
export async function startTestService<C extends ServiceConfig, D>(
  spec: ServiceSpec<C, D>,
  options: TestServiceOptions = {},
): Promise<TestService<C, D>> {
  const db = options.db ?? (await connectTestDatabase(spec.name));
  const logs = captureLogger(spec.name);
  const bus = new MemoryBus();
  const redis = optionalInfra('redis');
  const stripe = optionalInfra('stripeStateful');
  const env: Env = {
    MONGO_URL: db.url,
    JWT_KEY: testJwtKey,
    NODE_ENV: 'test',
    NATS_URL: 'nats://127.0.0.1:4222', // never dialled: the recording bus stands in
    NATS_CLIENT_ID: `${spec.name}-test`,
    ...(redis ? { REDIS_URL: redis } : {}),
    ...(stripe ? { STRIPE_SECRET_KEY: 'sk_test_gittixTests0001', STRIPE_API_BASE: stripe } : {}),
    ...options.env,
  };
  const service = await startService(spec, {
    env,
    logger: logs.logger,
    bus,
    listen: false,
    // Every file counts its own rate limits, though they share the test Redis.
    name: `${spec.name}-test-${randomBytes(4).toString('hex')}`,
  });
  return {
    service,
    api: request(service.app),
    bus,
    logs,
    db,
    stop: async () => {
      await service.stop();
      if (!options.db) await db.drop();
    },
  };
}

/**
 * {@link startTestService} for a whole test file: started before its first
 * test and stopped after its last. The returned object is filled in by then.
 */
export function useTestService<C extends ServiceConfig, D>(
  spec: ServiceSpec<C, D>,
  options: TestServiceOptions = {},
): TestService<C, D> {
  const harness = {} as TestService<C, D>;
  beforeAll(async () => {
    Object.assign(harness, await startTestService(spec, options));
  });
  afterAll(async () => {
    await harness.stop?.();
  });
  return harness;
}
