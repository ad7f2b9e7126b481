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
import type { Config } from './config';
import type { Models } from './models';
import { deleteOrderRouter } from './routes/delete-order';
import { indexOrdersRouter } from './routes/index-orders';
import { newOrderRouter } from './routes/new-order';
import { showOrderRouter } from './routes/show-order';

export interface AppDeps {
  config: Config;
  logger: Logger;
  connection: Connection;
  models: Models;
  bus: EventBus;
  outbox: Outbox;
  limiter: RateLimiter;
  revokedSessions: RevokedSessions;
}

export function createApp({
  config,
  logger,
  connection,
  models,
  bus,
  outbox,
  limiter,
  revokedSessions,
}: AppDeps): Express {
  const deps = { models, outbox };
  const routes = Router();
  routes.use(
    indexOrdersRouter(models),
    newOrderRouter(deps, config, limiter),
    showOrderRouter(models),
    deleteOrderRouter(deps),
  );
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
