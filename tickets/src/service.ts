import { openDatabase, openRevokedSessions } from '@gittix/common/db';
import type { ServiceSpec } from '@gittix/common/service';
import { loadConfig, type Config } from './config';
import type { TicketDeps } from './domain/deps';
import { listeners } from './events/listeners';
import { createModels } from './models';
import { routes } from './routes';

/** The tickets service: sellers list, edit and delete tickets; orders and payments reserve and sell them. */
export const ticketsService: ServiceSpec<Config, TicketDeps> = {
  name: 'tickets',
  loadConfig,
  async wire(ctx) {
    const { connection, models, outbox, deadLetters } = await openDatabase(ctx, {
      models: createModels,
      outbox: (m) => [m.Ticket],
    });
    const revokedSessions = openRevokedSessions(ctx, connection);
    const deps = { models, outbox };
    return {
      deps,
      listeners: listeners(deps, revokedSessions),
      deadLetters,
      routes: routes(deps),
      isSessionRevoked: revokedSessions.isRevoked,
    };
  },
};
