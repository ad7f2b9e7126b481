import {
  closeServer,
  connectMongo,
  connectNatsStreaming,
  connectRedis,
  createLogger,
  listen,
  Outbox,
  RateLimiter,
  RevokedSessions,
  runService,
} from '@gittix/common';
import { createApp } from './app';
import { loadConfig } from './config';
import { refundDuePayments } from './domain/refund-payment';
import { startListeners } from './events/listeners';
import { createModels } from './models';
import { createStripeClient } from './stripe/stripe-client';

/** How often unfinished refunds are retried. */
const reconcileIntervalMs = 30_000;

runService('payments', async () => {
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
  const subscriptions = await startListeners(bus, logger, { models, stripe, outbox, revokedSessions });
  const reconcile = () =>
    refundDuePayments({ models, stripe, outbox }, logger).catch((err: unknown) =>
      logger.error({ err }, 'refund reconciliation failed'),
    );
  await reconcile();
  const reconciler = setInterval(() => void reconcile(), reconcileIntervalMs);
  reconciler.unref();
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
      clearInterval(reconciler);
      revokedSessions.stop();
      await closeServer(server);
      await Promise.all(subscriptions.map((s) => s.close()));
      await outbox.stop();
      await bus.close();
      redis?.disconnect();
      await connection.close();
    },
  };
});
