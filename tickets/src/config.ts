import {
  configFields,
  mongoAuthShape,
  mongoCredentials,
  natsConfigShape,
  parseConfig,
  resolveCookieSecure,
} from '@gittix/common';
import { z } from 'zod';

/** Every variable the tickets service reads (DESIGN §5). */
export const configSchema = z.object({
  PORT: configFields.port,
  MONGO_URL: configFields.mongoUrl,
  ...mongoAuthShape,
  JWT_KEY: configFields.jwtKey,
  COOKIE_SECURE: configFields.booleanFlag.optional(),
  NODE_ENV: configFields.nodeEnv,
  LOG_LEVEL: configFields.logLevel,
  ...natsConfigShape,
  /** How often the outbox looks for events a crash or a bus outage left behind. */
  OUTBOX_SWEEP_INTERVAL_MS: configFields.sweepIntervalMs,
});

export interface Config {
  port: number;
  mongoUrl: string;
  /** The database user, when the database asks for one. */
  mongoCredentials: { username: string; password: string } | undefined;
  jwtKey: string;
  cookieSecure: boolean;
  logLevel: string;
  natsUrl: string;
  natsClusterId: string;
  natsClientId: string;
  natsToken: string | undefined;
  outboxSweepIntervalMs: number;
}

/** Parses the environment once; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const raw = parseConfig(configSchema, env);
  return Object.freeze({
    port: raw.PORT,
    mongoUrl: raw.MONGO_URL,
    mongoCredentials: mongoCredentials(raw),
    jwtKey: raw.JWT_KEY,
    cookieSecure: resolveCookieSecure(raw.COOKIE_SECURE, raw.NODE_ENV),
    logLevel: raw.LOG_LEVEL,
    natsUrl: raw.NATS_URL,
    natsClusterId: raw.NATS_CLUSTER_ID,
    natsClientId: raw.NATS_CLIENT_ID,
    natsToken: raw.NATS_TOKEN,
    outboxSweepIntervalMs: raw.OUTBOX_SWEEP_INTERVAL_MS,
  });
}
