import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningServer } from './processes';
import {
  externalServer,
  startMongo,
  startNatsStreaming,
  startRedis,
  startStripeMock,
  startStripeStatefulMock,
} from './servers';

export type InfraPart = 'mongo' | 'nats' | 'redis' | 'stripe' | 'stripeStateful';

/** The URLs of the running test infrastructure, as environment variables for test workers. */
export const infraEnv = {
  mongo: 'GITTIX_TEST_MONGO_URL',
  nats: 'GITTIX_TEST_NATS_URL',
  redis: 'GITTIX_TEST_REDIS_URL',
  stripe: 'GITTIX_TEST_STRIPE_API_BASE',
  stripeStateful: 'GITTIX_TEST_STRIPE_STATEFUL_API_BASE',
} as const satisfies Record<InfraPart, string>;

export interface Infra {
  servers: Partial<Record<InfraPart, RunningServer>>;
  /** `GITTIX_TEST_*` variables naming each server's URL. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts real servers on free loopback ports: FerretDB (or `MONGO_URL`), NATS
 * Streaming (or `NATS_URL`), Redis (or `REDIS_URL`), stripe-mock and
 * stripe-stateful-mock. They start in parallel; if one fails, the others are
 * stopped and the error names what is missing.
 */
export async function startInfra(parts: InfraPart[]): Promise<Infra> {
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'gittix-test-'));
  const external: Partial<Record<InfraPart, string | undefined>> = {
    mongo: process.env.MONGO_URL,
    nats: process.env.NATS_URL,
    redis: process.env.REDIS_URL,
    stripe: process.env.STRIPE_API_BASE,
  };
  const starters: Record<InfraPart, () => Promise<RunningServer>> = {
    mongo: () => startMongo({ tmpDir }),
    nats: () => startNatsStreaming({}),
    redis: () => startRedis({}),
    stripe: () => startStripeMock({}),
    stripeStateful: () => startStripeStatefulMock({}),
  };
  const results = await Promise.allSettled(
    parts.map((part) => {
      const url = external[part];
      return url ? Promise.resolve(externalServer(part, url)) : starters[part]();
    }),
  );
  const servers: Partial<Record<InfraPart, RunningServer>> = {};
  const failures: string[] = [];
  results.forEach((result, i) => {
    const part = parts[i] as InfraPart;
    if (result.status === 'fulfilled') servers[part] = result.value;
    else failures.push((result.reason as Error).message);
  });
  const stop = async () => {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
    rmSync(tmpDir, { recursive: true, force: true });
  };
  if (failures.length > 0) {
    await stop();
    throw new Error(failures.join('\n'));
  }
  const env: Record<string, string> = {};
  for (const [part, server] of Object.entries(servers) as [InfraPart, RunningServer][])
    env[infraEnv[part]] = server.url;
  return { servers, env, stop };
}

/** The URL of a part started by the global setup; throws a clear error when the suite did not ask for it. */
export function infraUrl(part: InfraPart): string {
  const url = process.env[infraEnv[part]];
  if (!url) {
    throw new Error(
      `${infraEnv[part]} is not set: add '${part}' to globals.gittixInfra in this workspace's jest.config.js`,
    );
  }
  return url;
}
