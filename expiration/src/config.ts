import { configFields, natsConfigShape, parseConfig } from '@gittix/common';
import { z } from 'zod';

/** Every variable the expiration service reads (documented in the README's environment table). */
export const configSchema = z.object({
  /** Only /healthz and /readyz listen here: the service has no API. */
  PORT: configFields.port,
  ...natsConfigShape,
  REDIS_URL: z.string().regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL'),
  LOG_LEVEL: configFields.logLevel,
});

export interface Config {
  port: number;
  natsUrl: string;
  natsClusterId: string;
  natsClientId: string;
  natsToken: string | undefined;
  redisUrl: string;
  logLevel: string;
}

/** Parses the environment once; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const raw = parseConfig(configSchema, env);
  return Object.freeze({
    port: raw.PORT,
    natsUrl: raw.NATS_URL,
    natsClusterId: raw.NATS_CLUSTER_ID,
    natsClientId: raw.NATS_CLIENT_ID,
    natsToken: raw.NATS_TOKEN,
    redisUrl: raw.REDIS_URL,
    logLevel: raw.LOG_LEVEL,
  });
}
