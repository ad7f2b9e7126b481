import Stripe from 'stripe';
import type { Config } from '../config';

/**
 * The real Stripe SDK. Requests time out after 10 s and are retried once by the
 * SDK on network errors with the same idempotency key, so one charge attempt
 * can take about 21 s at worst; the claim lease of a charge attempt is longer
 * than that (see domain/charge-attempts.ts).
 */
export function createStripeClient(config: Pick<Config, 'stripeSecretKey' | 'stripeApiBase'>): Stripe {
  return new Stripe(config.stripeSecretKey, {
    ...(config.stripeApiBase ?? {}),
    timeout: 10_000,
    maxNetworkRetries: 1,
    telemetry: false,
    appInfo: { name: 'gittix-payments' },
  });
}

export type { Stripe };
