import { configFields, natsConfigShape, parseConfig, resolveCookieSecure } from '@gittix/common';
import { z } from 'zod';

/** Every variable the orders service reads (DESIGN §5). */
export const configSchema = z.object({
  PORT: configFields.port,
  MONGO_URL: configFields.mongoUrl,
  JWT_KEY: configFields.jwtKey,
  COOKIE_SECURE: configFields.booleanFlag.optional(),
  NODE_ENV: configFields.nodeEnv,
  LOG_LEVEL: configFields.logLevel,
  ...natsConfigShape,
  /** How long a new order holds its ticket before expiration cancels it. */
  EXPIRATION_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  /** How often the outbox looks for events a crash or a bus outage left behind. */
  OUTBOX_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
});

export interface Config {
  port: number;
  mongoUrl: string;
  jwtKey: string;
  cookieSecure: boolean;
  logLevel: string;
  natsUrl: string;
  natsClusterId: string;
  natsClientId: string;
  expirationWindowSeconds: number;
  outboxSweepIntervalMs: number;
}

/** Parses the environment once; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const raw = parseConfig(configSchema, env);
  return Object.freeze({
    port: raw.PORT,
    mongoUrl: raw.MONGO_URL,
    jwtKey: raw.JWT_KEY,
    cookieSecure: resolveCookieSecure(raw.COOKIE_SECURE, raw.NODE_ENV),
    logLevel: raw.LOG_LEVEL,
    natsUrl: raw.NATS_URL,
    natsClusterId: raw.NATS_CLUSTER_ID,
    natsClientId: raw.NATS_CLIENT_ID,
    expirationWindowSeconds: raw.EXPIRATION_WINDOW_SECONDS,
    outboxSweepIntervalMs: raw.OUTBOX_SWEEP_INTERVAL_MS,
  });
}
