import { Schema, type Connection, type Model } from 'mongoose';
import type { SessionRevokedEvent } from '../contracts/events';
import { createRevocationCache, type RevocationCache } from '../core/revocation-cache';
import { isDuplicateKeyError } from './mongo';

/** A service's copy of session:revoked: the session id until its token would expire anyway. */
export interface RevokedSessionAttrs {
  _id: string;
  userId: string;
  expiresAt: Date;
}

const revokedSessionSchema = new Schema<RevokedSessionAttrs>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, timestamps: false },
);

/**
 * The revoked sessions a service (tickets, orders, payments) has heard of, fed
 * by its session:revoked listener and read by `currentUser` on every request.
 * Looked up by `_id` only. Expired entries are deleted by {@link sweep}.
 */
export class RevokedSessions {
  readonly model: Model<RevokedSessionAttrs>;
  private readonly cache: RevocationCache;
  private timer: NodeJS.Timeout | undefined;

  constructor(connection: Connection, options: { liveForMs?: number } = {}) {
    this.model = connection.model<RevokedSessionAttrs>('RevokedSession', revokedSessionSchema);
    this.cache = createRevocationCache(
      async (sessionId) => (await this.model.exists({ _id: sessionId })) !== null,
      options,
    );
  }

  /** For `createHttpApp({ isSessionRevoked })`. */
  readonly isRevoked = (sessionId: string): Promise<boolean> => this.cache.isRevoked(sessionId);

  /** session:revoked → remembered. Idempotent: a redelivery finds it stored already. */
  async apply(event: SessionRevokedEvent): Promise<void> {
    try {
      await this.model.create({ _id: event.sessionId, userId: event.userId, expiresAt: new Date(event.expiresAt) });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
    this.cache.markRevoked(event.sessionId);
  }

  /** Forgets sessions whose tokens have expired (a token past `exp` is refused on its own). */
  async sweep(now = new Date()): Promise<number> {
    const result = await this.model.deleteMany({ expiresAt: { $lt: now } });
    return result.deletedCount;
  }

  /** Sweeps every `intervalMs` (hourly by default) until {@link stop}. */
  start(intervalMs = 3_600_000, onError: (err: unknown) => void = () => undefined): void {
    this.timer = setInterval(() => void this.sweep().catch(onError), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
