import {
  closeServer,
  connectMongo,
  connectNatsStreaming,
  createLogger,
  listen,
  Outbox,
  DeadLetters,
  RevokedSessions,
  runService,
} from '@gittix/common';
import { createApp } from './app';
import { loadConfig } from './config';
import { startListeners } from './events/listeners';
import { createModels } from './models';

runService('tickets', async () => {
  const config = loadConfig();
  const logger = createLogger({ service: 'tickets', level: config.logLevel });
  const connection = await connectMongo(config.mongoUrl, logger, { credentials: config.mongoCredentials });
  const models = await createModels(connection);
  const bus = await connectNatsStreaming({
    url: config.natsUrl,
    clusterId: config.natsClusterId,
    clientId: config.natsClientId,
    token: config.natsToken,
    logger,
  });
  const outbox = new Outbox({ bus, logger, models: [models.Ticket], sweepIntervalMs: config.outboxSweepIntervalMs });
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
  const server = await listen(
    createApp({ config, logger, connection, models, bus, outbox, revokedSessions }),
    config.port,
  );
  logger.info({ port: config.port }, 'tickets listening');
  return {
    logger,
    stop: async () => {
      revokedSessions.stop();
      await closeServer(server);
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
      await outbox.stop();
      await bus.close();
      await connection.close();
    },
  };
});
