import { createHttpApp, isMongoConnected, type Logger } from '@gittix/common';
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
}

export function createApp({ config, logger, connection, models }: AppDeps): Express {
  const routes = Router();
  routes.use(currentUserRouter(), signUpRouter(models, config), signInRouter(models, config), signOutRouter());
  return createHttpApp({
    logger,
    jwtKey: config.jwtKey,
    cookieSecure: config.cookieSecure,
    isReady: () => isMongoConnected(connection),
    routes,
  });
}
