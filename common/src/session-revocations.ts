import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKeyError } from './mongo';
import type { SessionRevokedEvent } from './events';

/**
 * How a service knows that a session was signed out, within a second, without
 * a database read on every request: a revoked session is remembered for good
 * (until its token expires anyway); a live one is re-checked after
 * `liveForMs`, so a revocation written by another replica (or, in auth, by
 * another instance) is seen within that time.
 */
export interface RevocationCache {
  isRevoked: (sessionId: string) => Promise<boolean>;
  /** Records a revocation this process made or applied, at once. */
  markRevoked: (sessionId: string) => void;
}

export function createRevocationCache(
  lookup: (sessionId: string) => Promise<boolean>,
  options: { liveForMs?: number; maxEntries?: number } = {},
): RevocationCache {
  const liveForMs = options.liveForMs ?? 500;
  const maxEntries = options.maxEntries ?? 50_000;
  const known = new Map<string, { revoked: boolean; checkedAt: number }>();
  const remember = (sessionId: string, revoked: boolean) => {
    // A bound on memory: forgetting only costs a lookup.
    if (known.size >= maxEntries) known.clear();
    known.set(sessionId, { revoked, checkedAt: Date.now() });
  };
  return {
    async isRevoked(sessionId) {
      const entry = known.get(sessionId);
      if (entry && (entry.revoked || Date.now() - entry.checkedAt < liveForMs)) return entry.revoked;
      const revoked = await lookup(sessionId);
      remember(sessionId, revoked);
      return revoked;
    },
    markRevoked(sessionId) {
      remember(sessionId, true);
    },
  };
}

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
