import { busIsAlive, closeServer, connectNatsStreaming, createLogger, listen, runService } from '@gittix/common';
import { createApp } from './app';
import { loadConfig } from './config';
import { OrderCreatedListener } from './events/listeners/order-created-listener';
import { ExpirationCompletePublisher } from './events/publishers/expiration-complete-publisher';
import { createExpirationQueue, isQueueConnected, logQueueEvents, waitForQueue } from './queues/expiration-queue';
import { startExpirationWorker } from './queues/expiration-worker';

runService('expiration', async () => {
  const config = loadConfig();
  const logger = createLogger({ service: 'expiration', level: config.logLevel });
  const queue = createExpirationQueue(config.redisUrl);
  logQueueEvents(queue, logger);
  await waitForQueue(queue, config.redisUrl);
  const bus = await connectNatsStreaming({
    url: config.natsUrl,
    clusterId: config.natsClusterId,
    clientId: config.natsClientId,
    token: config.natsToken,
    logger,
  });
  // Jobs already in Redis (scheduled before a restart) fire as soon as this runs.
  startExpirationWorker(queue, new ExpirationCompletePublisher(bus), logger);
  const subscription = await new OrderCreatedListener(bus, logger, queue).listen();
  const server = await listen(
    createApp({ logger, isReady: () => bus.isConnected() && isQueueConnected(queue), isAlive: busIsAlive(bus) }),
    config.port,
  );
  logger.info({ port: config.port }, 'expiration listening');
  return {
    logger,
    stop: async () => {
      await closeServer(server);
      // No new jobs, then let running jobs finish their publish, then drop the bus.
      await subscription.close();
      await queue.close();
      await bus.close();
    },
  };
});
