import {
  configFields,
  mongoAuthShape,
  mongoCredentials,
  natsConfigShape,
  parseConfig,
  resolveCookieSecure,
} from '@gittix/common';
import { z } from 'zod';

/** Every variable the payments service reads (documented in the README's environment table). */
export const configSchema = z.object({
  PORT: configFields.port,
  MONGO_URL: configFields.mongoUrl,
  ...mongoAuthShape,
  JWT_KEY: configFields.jwtKey,
  COOKIE_SECURE: configFields.booleanFlag.optional(),
  NODE_ENV: configFields.nodeEnv,
  LOG_LEVEL: configFields.logLevel,
  ...natsConfigShape,
  /** Selects the Stripe account. Required, never defaulted: a charge must never go to an account by accident. */
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_\S+$/, 'must be a Stripe secret key (sk_… or rk_…)'),
  /** Where the SDK sends requests instead of api.stripe.com: stripe-mock or stripe-stateful-mock locally and in tests. */
  STRIPE_API_BASE: z
    .string()
    .regex(/^https?:\/\/[^/\s]+\/?$/, 'must be an http(s) URL with no path, like http://127.0.0.1:12111')
    .optional(),
  /** Where the rate-limit counters live, shared by every replica; unset: each process counts alone. */
  REDIS_URL: configFields.redisUrl.optional(),
  /** Charge attempts (declines included) one order may have. */
  PAYMENT_ATTEMPTS_PER_ORDER: configFields.limit.default(10),
  /** Payment requests one buyer may make in 10 minutes. */
  PAYMENT_ATTEMPTS_PER_BUYER_PER_10_MIN: configFields.limit.default(30),
  /** How often the outbox looks for events a crash or a bus outage left behind. */
  OUTBOX_SWEEP_INTERVAL_MS: configFields.sweepIntervalMs,
  /** How often charges left pending (after a crash or a timeout) and unfinished refunds are settled. */
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
});

/** How the SDK reaches Stripe; the `stripe` constructor's host/port/protocol options. */
export interface StripeApiBase {
  host: string;
  port: number;
  protocol: 'http' | 'https';
}

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
  stripeSecretKey: string;
  /** Undefined: the SDK's default, Stripe itself. */
  stripeApiBase: Readonly<StripeApiBase> | undefined;
  redisUrl: string | undefined;
  limits: { attemptsPerOrder: number; attemptsPerBuyerPer10Min: number };
  outboxSweepIntervalMs: number;
  reconcileIntervalMs: number;
}

/** Splits `http://127.0.0.1:12111` into the SDK's host, port and protocol. */
export function parseStripeApiBase(url: string): StripeApiBase {
  const parsed = new URL(url);
  const protocol = parsed.protocol === 'http:' ? 'http' : 'https';
  const port = parsed.port ? Number(parsed.port) : protocol === 'http' ? 80 : 443;
  return { host: parsed.hostname, port, protocol };
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
    stripeSecretKey: raw.STRIPE_SECRET_KEY,
    stripeApiBase:
      raw.STRIPE_API_BASE === undefined ? undefined : Object.freeze(parseStripeApiBase(raw.STRIPE_API_BASE)),
    redisUrl: raw.REDIS_URL,
    limits: Object.freeze({
      attemptsPerOrder: raw.PAYMENT_ATTEMPTS_PER_ORDER,
      attemptsPerBuyerPer10Min: raw.PAYMENT_ATTEMPTS_PER_BUYER_PER_10_MIN,
    }),
    outboxSweepIntervalMs: raw.OUTBOX_SWEEP_INTERVAL_MS,
    reconcileIntervalMs: raw.RECONCILE_INTERVAL_MS,
  });
}
