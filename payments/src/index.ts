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
import { OrderCancelledListener } from './events/listeners/order-cancelled-listener';
import { OrderCreatedListener } from './events/listeners/order-created-listener';
import { createModels } from './models';
import { createStripeClient } from './stripe/stripe-client';

runService('payments', async () => {
  const config = loadConfig();
  const logger = createLogger({ service: 'payments', level: config.logLevel });
  const connection = await connectMongo(config.mongoUrl, logger);
  const models = await createModels(connection);
  const bus = await connectNatsStreaming({
    url: config.natsUrl,
    clusterId: config.natsClusterId,
    clientId: config.natsClientId,
    logger,
  });
  // Publishes payment:created events a crash or a bus outage left behind, then keeps sweeping.
  const outbox = new Outbox({ bus, logger, models: [models.Payment] });
  await outbox.start();
  const subscriptions = [
    await new OrderCreatedListener(bus, logger, models).listen(),
    await new OrderCancelledListener(bus, logger, models).listen(),
  ];
  const stripe = createStripeClient(config);
  const server = await listen(createApp({ config, logger, connection, bus, models, stripe, outbox }), config.port);
  logger.info({ port: config.port, stripeApiBase: config.stripeApiBase ?? 'api.stripe.com' }, 'payments listening');
  return {
    logger,
    stop: async () => {
      await closeServer(server);
      await Promise.all(subscriptions.map((s) => s.close()));
      await outbox.stop();
      await bus.close();
      await connection.close();
    },
  };
});
