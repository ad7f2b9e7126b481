import Stripe from 'stripe';
import type { Config } from '../config';

/**
 * The payment provider: the real Stripe SDK. Requests time out after 8 s and
 * are retried once by the SDK on network errors with the same idempotency
 * key, so one charge attempt can take about 17 s at worst: less than the
 * process's stop timeout (25 s, service.ts) and the pod's termination grace
 * period (30 s), so a stop never cuts a charge short; and the claim lease of a
 * charge attempt (30 s) is longer still (see charge-attempts.ts).
 */
export function createStripeClient(config: Config['stripe']): Stripe {
  return new Stripe(config.secretKey, {
    ...(config.apiBase ?? {}),
    timeout: 8_000,
    maxNetworkRetries: 1,
    telemetry: false,
    appInfo: { name: 'gittix-payments' },
  });
}
