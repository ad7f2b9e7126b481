import type { Connection } from 'mongoose';
import type { MongoConfig } from '../core/config';
import type { ServiceContext } from '../service/start-service';
import { DeadLetters } from './dead-letters';
import { connectMongo, isMongoConnected } from './mongo';
import { Outbox, type OutboxOptions } from './outbox';
import { RevokedSessions } from './revoked-sessions';

/** A service's database, opened by {@link openDatabase}. */
export interface Database<M> {
  connection: Connection;
  models: M;
  /** Publishes the events its documents hold (the outbox). */
  outbox: Outbox;
  /** Where its listeners park messages that failed every delivery. */
  deadLetters: DeadLetters;
}

/**
 * Opens a service's database as part of its start (see startService): the
 * connection (retried while the server comes up; `/readyz` follows it), the
 * models and their indexes, and the outbox, which first publishes whatever a
 * crash or an outage left in documents and then sweeps on an interval. Each is
 * closed again when the service stops.
 */
export async function openDatabase<M>(
  ctx: ServiceContext<{ mongo: MongoConfig }>,
  build: {
    models: (connection: Connection) => Promise<M>;
    /** The models whose documents hold pending events. */
    outbox: (models: M) => OutboxOptions['models'];
  },
): Promise<Database<M>> {
  const { config, logger, bus } = ctx;
  const connection = await connectMongo(config.mongo.url, logger, { credentials: config.mongo.credentials });
  ctx.onStop(() => connection.close());
  ctx.readyWhen(() => isMongoConnected(connection));
  const models = await build.models(connection);
  const outbox = new Outbox({
    bus,
    logger,
    models: build.outbox(models),
    sweepIntervalMs: config.mongo.outboxSweepIntervalMs,
  });
  await outbox.start();
  ctx.onStop(() => outbox.stop());
  return { connection, models, outbox, deadLetters: new DeadLetters(connection) };
}

/**
 * The sessions signed out, as a service that reads the session cookie keeps
 * them (fed by its SessionRevokedListener), swept hourly while it runs.
 */
export function openRevokedSessions(ctx: ServiceContext<unknown>, connection: Connection): RevokedSessions {
  const revokedSessions = new RevokedSessions(connection);
  revokedSessions.start(undefined, (err) => ctx.logger.warn({ err }, 'sweeping revoked sessions failed'));
  ctx.onStop(() => revokedSessions.stop());
  return revokedSessions;
}
