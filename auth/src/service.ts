import { openDatabase } from '@gittix/common/db';
import { openRateLimiter } from '@gittix/common/http';
import type { ServiceSpec } from '@gittix/common/service';
import { loadConfig, type Config } from './config';
import type { AuthDeps } from './domain/deps';
import { sessionRevocations, sweepExpiredSessions } from './domain/sessions';
import { createModels } from './models';
import { routes } from './routes';

/** The auth service: accounts, sign-in, and the sessions every other service trusts. It listens to nothing. */
export const authService: ServiceSpec<Config, AuthDeps> = {
  name: 'auth',
  loadConfig,
  async wire(ctx) {
    const { config, logger } = ctx;
    const { models, outbox } = await openDatabase(ctx, { models: createModels, outbox: (m) => [m.Session] });
    const revocations = sessionRevocations(models);
    const deps = { models, outbox, revocations, jwtKey: config.session.jwtKey, jwtTtlSeconds: config.jwtTtlSeconds };
    const sweeper = setInterval(() => {
      sweepExpiredSessions(models).catch((err: unknown) => logger.warn({ err }, 'sweeping expired sessions failed'));
    }, 3_600_000);
    sweeper.unref();
    ctx.onStop(() => clearInterval(sweeper));
    return {
      deps,
      routes: routes(deps, config, await openRateLimiter(ctx)),
      isSessionRevoked: revocations.isRevoked,
    };
  },
};
