import {
  configFields,
  mongoAuthShape,
  mongoCredentials,
  natsConfigShape,
  parseConfig,
  resolveCookieSecure,
} from '@gittix/common';
import { z } from 'zod';

/** Every variable the orders service reads (documented in the README's environment table). */
export const configSchema = z.object({
  PORT: configFields.port,
  MONGO_URL: configFields.mongoUrl,
  ...mongoAuthShape,
  JWT_KEY: configFields.jwtKey,
  COOKIE_SECURE: configFields.booleanFlag.optional(),
  NODE_ENV: configFields.nodeEnv,
  LOG_LEVEL: configFields.logLevel,
  ...natsConfigShape,
  /** How long a new order holds its ticket before expiration cancels it. */
  EXPIRATION_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  /** How often the outbox looks for events a crash or a bus outage left behind. */
  OUTBOX_SWEEP_INTERVAL_MS: configFields.sweepIntervalMs,
  /** Where the rate-limit counters live, shared by every replica; unset: each process counts alone. */
  REDIS_URL: configFields.redisUrl.optional(),
  /** How long past expiresAt an unpaid order waits for expiration before the backstop cancels it. */
  EXPIRY_BACKSTOP_GRACE_SECONDS: z.coerce.number().int().min(1).default(60),
  /** Unpaid orders one buyer may hold at once. */
  MAX_OPEN_ORDERS: configFields.limit.default(5),
  /** Orders one buyer may create in 10 minutes (refused attempts do not count). */
  ORDERS_PER_BUYER_PER_10_MIN: configFields.limit.default(20),
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
  expirationWindowSeconds: number;
  outboxSweepIntervalMs: number;
  redisUrl: string | undefined;
  limits: { maxOpenOrders: number; ordersPerBuyerPer10Min: number };
  expiryBackstopGraceSeconds: number;
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
    expirationWindowSeconds: raw.EXPIRATION_WINDOW_SECONDS,
    outboxSweepIntervalMs: raw.OUTBOX_SWEEP_INTERVAL_MS,
    redisUrl: raw.REDIS_URL,
    expiryBackstopGraceSeconds: raw.EXPIRY_BACKSTOP_GRACE_SECONDS,
    limits: Object.freeze({
      maxOpenOrders: raw.MAX_OPEN_ORDERS,
      ordersPerBuyerPer10Min: raw.ORDERS_PER_BUYER_PER_10_MIN,
    }),
  });
}
