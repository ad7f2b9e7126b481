import {
  closeServer,
  connectMongo,
  connectNatsStreaming,
  connectRedis,
  createLogger,
  listen,
  Outbox,
  RateLimiter,
  DeadLetters,
  RevokedSessions,
  runService,
} from '@gittix/common';
import { createApp } from './app';
import { loadConfig } from './config';
import { defaultPaymentOptions } from './domain/pay-for-order';
import { startReconciler } from './domain/reconcile';
import { startListeners } from './events/listeners';
import { createModels } from './models';
import { createStripeClient } from './stripe/stripe-client';

runService(
  'payments',
  async () => {
    const config = loadConfig();
    const logger = createLogger({ service: 'payments', level: config.logLevel });
    const connection = await connectMongo(config.mongoUrl, logger, { credentials: config.mongoCredentials });
    const models = await createModels(connection);
    const bus = await connectNatsStreaming({
      url: config.natsUrl,
      clusterId: config.natsClusterId,
      clientId: config.natsClientId,
      token: config.natsToken,
      logger,
    });
    // Publishes payment events a crash or a bus outage left behind, then keeps sweeping.
    const outbox = new Outbox({ bus, logger, models: [models.Payment], sweepIntervalMs: config.outboxSweepIntervalMs });
    await outbox.start();
    const stripe = createStripeClient(config);
    const revokedSessions = new RevokedSessions(connection);
    revokedSessions.start(undefined, (err) => logger.warn({ err }, 'sweeping revoked sessions failed'));
    const subscriptions = await startListeners(bus, logger, {
      models,
      stripe,
      outbox,
      revokedSessions,
      deadLetters: new DeadLetters(connection),
    });
    const reconciler = startReconciler(
      {
        models,
        stripe,
        outbox,
        options: { ...defaultPaymentOptions, maxAttemptsPerOrder: config.limits.attemptsPerOrder },
      },
      logger,
      config.reconcileIntervalMs,
    );
    const redis = config.redisUrl ? connectRedis(config.redisUrl, logger) : undefined;
    const limiter = new RateLimiter({ redis, prefix: 'payments', logger });
    const server = await listen(
      createApp({ config, logger, connection, bus, models, stripe, outbox, limiter, revokedSessions }),
      config.port,
    );
    logger.info({ port: config.port, stripeApiBase: config.stripeApiBase ?? 'api.stripe.com' }, 'payments listening');
    return {
      logger,
      stop: async () => {
        await reconciler.stop();
        revokedSessions.stop();
        await closeServer(server);
        await Promise.all(subscriptions.map((s) => s.close()));
        await outbox.stop();
        await bus.close();
        redis?.disconnect();
        await connection.close();
      },
    };
  },
  // Longer than the slowest Stripe call (stripe/stripe-client.ts), shorter than the pod's grace period.
  { stopTimeoutMs: 25_000 },
);
