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
import { startOverdueSweep } from './domain/cancel-overdue-orders';
import { startListeners } from './events/listeners';
import { createModels } from './models';

runService('orders', async () => {
  const config = loadConfig();
  const logger = createLogger({ service: 'orders', level: config.logLevel });
  const connection = await connectMongo(config.mongoUrl, logger, { credentials: config.mongoCredentials });
  const models = await createModels(connection);
  const bus = await connectNatsStreaming({
    url: config.natsUrl,
    clusterId: config.natsClusterId,
    clientId: config.natsClientId,
    token: config.natsToken,
    logger,
  });
  const outbox = new Outbox({ bus, logger, models: [models.Order], sweepIntervalMs: config.outboxSweepIntervalMs });
  // Events a crash or an outage left in documents go out first, then on an interval.
  await outbox.start();
  const revokedSessions = new RevokedSessions(connection);
  revokedSessions.start(undefined, (err) => logger.warn({ err }, 'sweeping revoked sessions failed'));
  const subscriptions = await startListeners(bus, logger, {
    models,
    outbox,
    revokedSessions,
    deadLetters: new DeadLetters(connection),
  });
  const redis = config.redisUrl ? connectRedis(config.redisUrl, logger) : undefined;
  const limiter = new RateLimiter({ redis, prefix: 'orders', logger });
  const server = await listen(
    createApp({ config, logger, connection, models, bus, outbox, limiter, revokedSessions }),
    config.port,
  );
  // Orders expiration never told about (a lost job) are cancelled anyway, a minute late.
  const overdue = startOverdueSweep({ models, outbox }, logger, {
    graceMs: config.expiryBackstopGraceSeconds * 1000,
    intervalMs: Math.min(30_000, config.expiryBackstopGraceSeconds * 1000),
  });
  logger.info({ port: config.port }, 'orders listening');
  return {
    logger,
    stop: async () => {
      await overdue.stop();
      revokedSessions.stop();
      await closeServer(server);
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
      await outbox.stop();
      await bus.close();
      redis?.disconnect();
      await connection.close();
    },
  };
});
