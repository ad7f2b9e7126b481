import { createRevocationCache, newSessionId, signSessionToken, type RevocationCache } from '@gittix/common/core';
import { changeDocument, insertDocument, pendingEvent } from '@gittix/common/db';
import type { Models } from '../models';
import type { SessionAttrs } from '../models/session';
import type { UserDoc } from '../models/user';
import type { AuthDeps } from './deps';

/**
 * A new session for a user who just signed up or in, and its token (the
 * session cookie's JWT). Kept a minute past the token's expiry, so a token is
 * never valid after its session is swept.
 */
export async function startSession(deps: AuthDeps, user: UserDoc): Promise<string> {
  const sessionId = newSessionId();
  await insertDocument(
    { model: deps.models.Session },
    {
      _id: sessionId,
      userId: user.id,
      expiresAt: new Date(Date.now() + (deps.jwtTtlSeconds + 60) * 1000),
      revokedAt: null,
    },
  );
  return signSessionToken(
    { id: user.id, email: user.email, username: user.username },
    sessionId,
    deps.jwtKey,
    deps.jwtTtlSeconds,
  );
}

/**
 * Signs a session out: `revokedAt` and its session:revoked event in one write
 * (the outbox), then published. Idempotent: a revoked or unknown session
 * changes nothing and publishes nothing again.
 */
export async function revokeSession(deps: AuthDeps, sessionId: string): Promise<boolean> {
  const store = { model: deps.models.Session, outbox: deps.outbox };
  const revoked = await changeDocument<SessionAttrs, boolean>(store, sessionId, (session, change) => {
    if (!session || session.revokedAt !== null) return false;
    const event = pendingEvent('session:revoked', {
      sessionId,
      userId: session.userId,
      expiresAt: session.expiresAt.toISOString(),
    });
    return change.write(
      { update: { $set: { revokedAt: new Date() } }, unchanged: { revokedAt: null }, events: [event] },
      () => true,
    );
  });
  deps.revocations.markRevoked(sessionId);
  return revoked;
}

/** Signs out every live session of a user (one session:revoked each); returns how many. */
export async function revokeAllSessions(deps: AuthDeps, userId: string): Promise<number> {
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
