import {
  busIsAlive,
  createHttpApp,
  isMongoConnected,
  type EventBus,
  type Logger,
  type Outbox,
  type RateLimiter,
  type RevocationCache,
} from '@gittix/common';
import { Router, type Express } from 'express';
import type { Connection } from 'mongoose';
import type { Config } from './config';
import type { Models } from './models';
import { currentUserRouter } from './routes/current-user';
import { signInRouter } from './routes/signin';
import { signOutRouter } from './routes/signout';
import { signUpRouter } from './routes/signup';

export interface AppDeps {
  config: Config;
  logger: Logger;
  connection: Connection;
  models: Models;
  bus: EventBus;
  outbox: Outbox;
  limiter: RateLimiter;
  sessions: RevocationCache;
}

export function createApp({ config, logger, connection, models, bus, outbox, limiter, sessions }: AppDeps): Express {
  const routes = Router();
  routes.use(
    currentUserRouter(),
    signUpRouter(models, config, limiter),
    signInRouter(models, config, limiter),
    signOutRouter({ models, outbox, revocations: sessions }),
  );
  return createHttpApp({
    logger,
    jwtKey: config.jwtKey,
    cookieSecure: config.cookieSecure,
    isSessionRevoked: sessions.isRevoked,
    isReady: () => isMongoConnected(connection) && bus.isConnected(),
    isAlive: busIsAlive(bus),
    routes,
  });
}
