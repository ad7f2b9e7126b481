import {
  createRevocationCache,
  newSessionId,
  pendingEvent,
  withDocumentLock,
  withEvents,
  type Outbox,
  type RevocationCache,
} from '@gittix/common';
import type { Models } from '../models';

export interface SessionDeps {
  models: Models;
  outbox: Outbox;
  /** This process's view of revocations, told at once (other instances see it within its cache time). */
  revocations: RevocationCache;
}

/**
 * A new session for a user who just signed up or in. Kept a minute past the
 * token's expiry, so a token is never valid after its session is swept.
 */
export async function startSession(models: Models, userId: string, ttlSeconds: number): Promise<string> {
  const sessionId = newSessionId();
  await models.Session.create({
    _id: sessionId,
    userId,
    expiresAt: new Date(Date.now() + (ttlSeconds + 60) * 1000),
    revokedAt: null,
  });
  return sessionId;
}

/**
 * Signs a session out: `revokedAt` and its session:revoked event in one write
 * (the outbox), then published. Idempotent: a revoked or unknown session
 * changes nothing and publishes nothing again.
 */
export async function revokeSession(deps: SessionDeps, sessionId: string): Promise<boolean> {
  const { Session } = deps.models;
  const revoked = await withDocumentLock(Session, sessionId, async () => {
    const session = await Session.findById(sessionId).lean();
    if (!session || session.revokedAt !== null) return false;
    const event = pendingEvent('session:revoked', {
      sessionId,
      userId: session.userId,
      expiresAt: session.expiresAt.toISOString(),
    });
    const result = await Session.updateOne(
      { _id: sessionId, revokedAt: null },
      withEvents({ $set: { revokedAt: new Date() } }, event),
    );
    return result.modifiedCount === 1;
  });
  deps.revocations.markRevoked(sessionId);
  if (revoked) await deps.outbox.flush(Session, sessionId);
  return revoked;
}

/** Signs out every live session of a user (one session:revoked each); returns how many. */
export async function revokeAllSessions(deps: SessionDeps, userId: string): Promise<number> {
  const live = await deps.models.Session.find({ userId, revokedAt: null }, { _id: 1 }).lean();
  let count = 0;
  for (const { _id } of live) if (await revokeSession(deps, _id)) count += 1;
  return count;
}

/**
 * What `currentUser` asks on every request: a token is valid only while its
 * session is stored and not revoked (an unknown session was never issued here,
 * or has been swept). Cached briefly, see createRevocationCache.
 */
export function sessionRevocations(models: Models): RevocationCache {
  return createRevocationCache(async (sessionId) => {
    const session = await models.Session.findById(sessionId, { revokedAt: 1 }).lean();
    return !session || session.revokedAt !== null;
  });
}

/** Deletes sessions whose tokens have expired (once their events are out). */
export async function sweepExpiredSessions(models: Models, now = new Date()): Promise<number> {
  const result = await models.Session.deleteMany({ expiresAt: { $lt: now }, outboxPending: false });
  return result.deletedCount;
}
