import { openDatabase, openRevokedSessions } from '@gittix/common/db';
import { openRateLimiter } from '@gittix/common/http';
import type { ServiceSpec } from '@gittix/common/service';
import { loadConfig, type Config } from './config';
import { startOverdueSweep } from './domain/cancel-overdue-orders';
import type { OrderDeps } from './domain/deps';
import { listeners } from './events/listeners';
import { createModels } from './models';
import { routes } from './routes';

/** The orders service: buyers reserve tickets for the expiration window, then pay or cancel. */
export const ordersService: ServiceSpec<Config, OrderDeps> = {
  name: 'orders',
  loadConfig,
  async wire(ctx) {
    const { config, logger } = ctx;
    const { connection, models, outbox, deadLetters } = await openDatabase(ctx, {
      models: createModels,
      outbox: (m) => [m.Order],
    });
    const revokedSessions = openRevokedSessions(ctx, connection);
    const deps = { models, outbox };
    // Orders expiration never told about (a lost job) are cancelled anyway, a minute late.
    const overdue = startOverdueSweep(deps, logger, {
      graceMs: config.expiryBackstopGraceSeconds * 1000,
      intervalMs: Math.min(30_000, config.expiryBackstopGraceSeconds * 1000),
    });
    ctx.onStop(() => overdue.stop());
    return {
      deps,
      listeners: listeners(deps, revokedSessions),
      deadLetters,
      routes: routes(deps, config, await openRateLimiter(ctx)),
      isSessionRevoked: revokedSessions.isRevoked,
    };
  },
};
