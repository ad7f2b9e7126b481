import {
  closeServer,
  connectMongo,
  connectNatsStreaming,
  createLogger,
  listen,
  Outbox,
  runService,
} from '@gittix/common';
import { createApp } from './app';
import { loadConfig } from './config';
import { startListeners } from './events/listeners';
import { createModels } from './models';

runService('orders', async () => {
  const config = loadConfig();
  const logger = createLogger({ service: 'orders', level: config.logLevel });
  const connection = await connectMongo(config.mongoUrl, logger);
  const models = await createModels(connection);
  const bus = await connectNatsStreaming({
    url: config.natsUrl,
    clusterId: config.natsClusterId,
    clientId: config.natsClientId,
    logger,
  });
  const outbox = new Outbox({ bus, logger, models: [models.Order], sweepIntervalMs: config.outboxSweepIntervalMs });
  // Events a crash or an outage left in documents go out first, then on an interval.
  await outbox.start();
  const subscriptions = await startListeners(bus, logger, { models, outbox });
  const server = await listen(createApp({ config, logger, connection, models, bus, outbox }), config.port);
  logger.info({ port: config.port }, 'orders listening');
  return {
    logger,
    stop: async () => {
      await closeServer(server);
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
      await outbox.stop();
      await bus.close();
      await connection.close();
    },
  };
});
