import {
  closeServer,
  connectMongo,
  connectNatsStreaming,
  connectRedis,
  createLogger,
  listen,
  Outbox,
  RateLimiter,
  runService,
} from '@gittix/common';
import { createApp } from './app';
import { loadConfig } from './config';
import { sessionRevocations, sweepExpiredSessions } from './domain/sessions';
import { createModels } from './models';

runService('auth', async () => {
  const config = loadConfig();
  const logger = createLogger({ service: 'auth', level: config.logLevel });
  const connection = await connectMongo(config.mongoUrl, logger, { credentials: config.mongoCredentials });
  const models = await createModels(connection);
  const bus = await connectNatsStreaming({
    url: config.natsUrl,
    clusterId: config.natsClusterId,
    clientId: config.natsClientId,
    token: config.natsToken,
    logger,
  });
  const outbox = new Outbox({ bus, logger, models: [models.Session], sweepIntervalMs: config.outboxSweepIntervalMs });
  await outbox.start();
  const redis = config.redisUrl ? connectRedis(config.redisUrl, logger) : undefined;
  const limiter = new RateLimiter({ redis, prefix: 'auth', logger });
  const sweeper = setInterval(() => {
    sweepExpiredSessions(models).catch((err: unknown) => logger.warn({ err }, 'sweeping expired sessions failed'));
  }, 3_600_000);
  sweeper.unref();
  const app = createApp({
    config,
    logger,
    connection,
    models,
    bus,
    outbox,
    limiter,
    sessions: sessionRevocations(models),
  });
  const server = await listen(app, config.port);
  logger.info({ port: config.port }, 'auth listening');
  return {
    logger,
    stop: async () => {
      clearInterval(sweeper);
      await closeServer(server);
      await outbox.stop();
      await bus.close();
      redis?.disconnect();
      await connection.close();
    },
  };
});
