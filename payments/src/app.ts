import {
  busIsAlive,
  createHttpApp,
  isMongoConnected,
  type EventBus,
  type Logger,
  type Outbox,
  type RateLimiter,
  type RevokedSessions,
} from '@gittix/common';
import { Router, type Express } from 'express';
import type { Connection } from 'mongoose';
import type Stripe from 'stripe';
import type { Config } from './config';
import { defaultPaymentOptions, type PaymentOptions } from './domain/pay-for-order';
import type { Models } from './models';
import { indexPaymentsRouter } from './routes/index-payments';
import { newPaymentRouter } from './routes/new-payment';

export interface AppDeps {
  config: Config;
  logger: Logger;
  connection: Connection;
  bus: EventBus;
  models: Models;
  stripe: Stripe;
  outbox: Outbox;
  limiter: RateLimiter;
  revokedSessions: RevokedSessions;
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
  limiter,
  revokedSessions,
  paymentOptions,
}: AppDeps): Express {
  const options = { ...defaultPaymentOptions, maxAttemptsPerOrder: config.limits.attemptsPerOrder, ...paymentOptions };
  const routes = Router();
  routes.use(indexPaymentsRouter(models), newPaymentRouter({ models, stripe, outbox, options }, config, limiter));
  return createHttpApp({
    logger,
    jwtKey: config.jwtKey,
    cookieSecure: config.cookieSecure,
    isSessionRevoked: revokedSessions.isRevoked,
    isReady: () => isMongoConnected(connection) && bus.isConnected(),
    isAlive: busIsAlive(bus),
    routes,
  });
}
