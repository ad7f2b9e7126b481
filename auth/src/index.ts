import { closeServer, connectMongo, createLogger, listen, runService } from '@gittix/common';
import { createApp } from './app';
import { loadConfig } from './config';
import { createModels } from './models';

runService('auth', async () => {
  const config = loadConfig();
  const logger = createLogger({ service: 'auth', level: config.logLevel });
  const connection = await connectMongo(config.mongoUrl, logger);
  const models = await createModels(connection);
  const server = await listen(createApp({ config, logger, connection, models }), config.port);
  logger.info({ port: config.port }, 'auth listening');
  return {
    logger,
    stop: async () => {
      await closeServer(server);
      await connection.close();
    },
  };
});
