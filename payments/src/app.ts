import { createHttpApp, isMongoConnected, type EventBus, type Logger, type Outbox } from '@gittix/common';
import { Router, type Express } from 'express';
import type { Connection } from 'mongoose';
import type Stripe from 'stripe';
import type { Config } from './config';
import { defaultPaymentOptions, type PaymentOptions } from './domain/pay-for-order';
import type { Models } from './models';
import { newPaymentRouter } from './routes/new-payment';

export interface AppDeps {
  config: Config;
  logger: Logger;
  connection: Connection;
  bus: EventBus;
  models: Models;
  stripe: Stripe;
  outbox: Outbox;
  /** Claim lease and waiting of concurrent payments; tests shorten them. */
  paymentOptions?: Partial<PaymentOptions>;
}

export function createApp({
  config,
  logger,
  connection,
  bus,
  models,
  stripe,
  outbox,
  paymentOptions,
}: AppDeps): Express {
  const routes = Router();
  routes.use(newPaymentRouter({ models, stripe, outbox, options: { ...defaultPaymentOptions, ...paymentOptions } }));
  return createHttpApp({
    logger,
    jwtKey: config.jwtKey,
    cookieSecure: config.cookieSecure,
    isReady: () => isMongoConnected(connection) && bus.isConnected(),
    routes,
  });
}
