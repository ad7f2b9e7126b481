import { openDatabase, openRevokedSessions } from '@gittix/common/db';
import { openRateLimiter } from '@gittix/common/http';
import type { ServiceSpec } from '@gittix/common/service';
import { loadConfig, type Config } from './config';
import { defaultPaymentOptions, type PaymentDeps } from './domain/deps';
import { startReconciler } from './domain/reconcile';
import { createStripeClient } from './domain/stripe-client';
import { listeners } from './events/listeners';
import { createModels } from './models';
import { routes } from './routes';

/** The payments service: buyers pay for open orders, charged at most once; cancelled ones are refunded. */
export const paymentsService: ServiceSpec<Config, PaymentDeps> = {
  name: 'payments',
  loadConfig,
  // Longer than the slowest Stripe call (domain/stripe-client.ts), shorter than the pod's grace period.
  stopTimeoutMs: 25_000,
  async wire(ctx) {
    const { config, logger } = ctx;
    const { connection, models, outbox, deadLetters } = await openDatabase(ctx, {
      models: createModels,
      outbox: (m) => [m.Payment],
    });
    const revokedSessions = openRevokedSessions(ctx, connection);
    const deps = {
      models,
      outbox,
      stripe: createStripeClient(config.stripe),
      options: { ...defaultPaymentOptions, maxAttemptsPerOrder: config.limits.attemptsPerOrder },
    };
    logger.info({ stripeApiBase: config.stripe.apiBase ?? 'api.stripe.com' }, 'charging through Stripe');
    const reconciler = startReconciler(deps, logger, config.reconcileIntervalMs);
    ctx.onStop(() => reconciler.stop());
    return {
      deps,
      listeners: listeners(deps, revokedSessions),
      deadLetters,
      routes: routes(deps, config, await openRateLimiter(ctx)),
      isSessionRevoked: revokedSessions.isRevoked,
    };
  },
};
