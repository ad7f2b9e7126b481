import type { Outbox } from '@gittix/common/db';
import type Stripe from 'stripe';
import type { Models } from '../models';

export interface PaymentOptions {
  /**
   * A claim older than this is presumed dead (its process crashed mid-charge)
   * and taken over. Longer than the slowest charge request (~17 s, see
   * stripe-client.ts); taking over a live claim would still be safe, only
   * wasteful.
   */
  claimLeaseMs: number;
  /** How long a request waits for another request's charge of the same order before answering 409. */
  waitTimeoutMs: number;
  pollIntervalMs: number;
  /** PAYMENT_ATTEMPTS_PER_ORDER: charge attempts (declines included) one order may have. */
  maxAttemptsPerOrder: number;
}

export const defaultPaymentOptions: PaymentOptions = {
  claimLeaseMs: 30_000,
  waitTimeoutMs: 20_000,
  pollIntervalMs: 100,
  maxAttemptsPerOrder: 10,
};

/** What the payment rules need: the models, the provider, the outbox of payment events, and the timings. */
export interface PaymentDeps {
  models: Models;
  stripe: Stripe;
  outbox: Outbox;
  options: PaymentOptions;
}
