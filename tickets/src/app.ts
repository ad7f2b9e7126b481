import {
  busIsAlive,
  createHttpApp,
  isMongoConnected,
  type EventBus,
  type Logger,
  type Outbox,
  type RevokedSessions,
} from '@gittix/common';
import { Router, type Express } from 'express';
import type { Connection } from 'mongoose';
import type { Config } from './config';
import type { Models } from './models';
import { deleteTicketRouter } from './routes/delete-ticket';
import { indexTicketsRouter } from './routes/index-tickets';
import { newTicketRouter } from './routes/new-ticket';
import { showTicketRouter } from './routes/show-ticket';
import { updateTicketRouter } from './routes/update-ticket';

export interface AppDeps {
  config: Config;
  logger: Logger;
  connection: Connection;
  models: Models;
  bus: EventBus;
  outbox: Outbox;
  revokedSessions: RevokedSessions;
}

export function createApp({ config, logger, connection, models, bus, outbox, revokedSessions }: AppDeps): Express {
  const deps = { models, outbox };
  const routes = Router();
  routes.use(
    indexTicketsRouter(models),
    newTicketRouter(deps),
    showTicketRouter(models),
    updateTicketRouter(deps),
    deleteTicketRouter(deps),
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
