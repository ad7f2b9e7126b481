import mongoose, { type Connection } from 'mongoose';
import type { Logger } from 'pino';

/**
 * Opens a dedicated mongoose connection, retrying while the server is not up
 * yet. Each service (and each test file) gets its own connection, so nothing
 * depends on mongoose's global default connection.
 */
export async function connectMongo(
  url: string,
  logger: Logger,
  options: {
    attempts?: number;
    retryDelayMs?: number;
    /** A database user (MONGO_USERNAME/MONGO_PASSWORD); authenticated against `admin` unless the URL says otherwise. */
    credentials?: { username: string; password: string };
  } = {},
): Promise<Connection> {
  const attempts = options.attempts ?? 10;
  let delay = options.retryDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    const connection = mongoose.createConnection(url, {
      serverSelectionTimeoutMS: 5000,
      ...(options.credentials
        ? {
            auth: options.credentials,
            authSource: new URL(url.replace(/^mongodb(\+srv)?:/, 'http:')).searchParams.get('authSource') ?? 'admin',
          }
        : {}),
      // FerretDB speaks the wire protocol but not every server feature; let the
      // services decide on indexes explicitly at start (syncIndexes).
      autoIndex: false,
    });
    try {
      await connection.asPromise();
      logger.info({ db: connection.name }, 'connected to MongoDB');
      return connection;
    } catch (err) {
      await connection.close().catch(() => undefined);
      if (attempt >= attempts) {
        throw new Error(
          `could not connect to MongoDB at ${redactUrl(url)} after ${attempts} attempts: ${(err as Error).message}`,
          {
            cause: err,
          },
        );
      }
      logger.warn({ err, attempt }, 'MongoDB not reachable yet; retrying');
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 5000);
    }
  }
}

/** True while the connection can serve queries (for `/readyz`). */
export function isMongoConnected(connection: Connection): boolean {
  return connection.readyState === mongoose.ConnectionStates.connected;
}

/** Hides credentials in a connection URL before it is logged. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/**
 * The `toJSON` transform every model uses: `id` instead of `_id`, no `__v`,
 * and no internal fields (the outbox's pending events).
 */
export function toJsonTransform(_doc: unknown, ret: Record<string, unknown>): Record<string, unknown> {
  const { _id, __v, pendingEvents, outboxPending, ...rest } = ret;
  void __v;
  void pendingEvents;
  void outboxPending;
  return { id: String(_id), ...rest };
}

/** Schema options every model shares. */
export const baseSchemaOptions = {
  timestamps: true,
  versionKey: false as const,
  toJSON: { transform: toJsonTransform },
};

/** True for a duplicate-key error (unique index), from MongoDB or FerretDB. */
export function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}
