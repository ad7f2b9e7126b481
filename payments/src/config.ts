import { configFields, defineConfig } from '@gittix/common/core';
import { z } from 'zod';

/** How the SDK reaches Stripe; the `stripe` constructor's host/port/protocol options. */
export interface StripeApiBase {
  host: string;
  port: number;
  protocol: 'http' | 'https';
}

/** Splits `http://127.0.0.1:12111` into the SDK's host, port and protocol. */
export function parseStripeApiBase(url: string): StripeApiBase {
  const parsed = new URL(url);
  const protocol = parsed.protocol === 'http:' ? 'http' : 'https';
  const port = parsed.port ? Number(parsed.port) : protocol === 'http' ? 80 : 443;
  return { host: parsed.hostname, port, protocol };
}

/** Every variable the payments service reads (documented in docs/configuration.md). */
/** @public The schema of every variable: the manifests and docs/configuration.md are checked against it. */
export const { schema: configSchema, load: loadConfig } = defineConfig(
  { mongo: true, session: true, rateLimits: true },
  {
    /** Selects the Stripe account. Required, never defaulted: a charge must never go to an account by accident. */
    STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_\S+$/, 'must be a Stripe secret key (sk_… or rk_…)'),
    /** Where the SDK sends requests instead of api.stripe.com: stripe-mock or stripe-stateful-mock locally and in tests. */
    STRIPE_API_BASE: z
      .string()
      .regex(/^https?:\/\/[^/\s]+\/?$/, 'must be an http(s) URL with no path, like http://127.0.0.1:12111')
      .optional(),
    /** Charge attempts (declines included) one order may have. */
    PAYMENT_ATTEMPTS_PER_ORDER: configFields.limit.default(10),
    /** Payment requests one buyer may make in 10 minutes. */
    PAYMENT_ATTEMPTS_PER_BUYER_PER_10_MIN: configFields.limit.default(30),
    /** How often charges left pending (after a crash or a timeout) and unfinished refunds are settled. */
    RECONCILE_INTERVAL_MS: configFields.intervalMs.default(30_000),
  },
  (raw) => ({
    stripe: Object.freeze({
      secretKey: raw.STRIPE_SECRET_KEY,
      /** Undefined: the SDK's default, Stripe itself. */
      apiBase: raw.STRIPE_API_BASE === undefined ? undefined : Object.freeze(parseStripeApiBase(raw.STRIPE_API_BASE)),
    }),
    limits: Object.freeze({
      attemptsPerOrder: raw.PAYMENT_ATTEMPTS_PER_ORDER,
      attemptsPerBuyerPer10Min: raw.PAYMENT_ATTEMPTS_PER_BUYER_PER_10_MIN,
    }),
    reconcileIntervalMs: raw.RECONCILE_INTERVAL_MS,
  }),
);

export type Config = ReturnType<typeof loadConfig>;
