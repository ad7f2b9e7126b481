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
  // One lookup per session at a time: the requests that miss together share it.
  const pending = new Map<string, Promise<boolean>>();
  const remember = (sessionId: string, revoked: boolean) => {
    // A bound on memory: forgetting only costs a lookup.
    if (known.size >= maxEntries) known.clear();
    known.set(sessionId, { revoked, checkedAt: Date.now() });
  };
  const check = async (sessionId: string) => {
    const revoked = await lookup(sessionId);
    // A revocation marked while the lookup ran is newer than what it read.
    if (known.get(sessionId)?.revoked) return true;
    remember(sessionId, revoked);
    return revoked;
  };
  return {
    isRevoked(sessionId) {
      const entry = known.get(sessionId);
      if (entry && (entry.revoked || Date.now() - entry.checkedAt < liveForMs)) return Promise.resolve(entry.revoked);
      let lookingUp = pending.get(sessionId);
      if (!lookingUp) {
        // Forgotten once settled, never before it is stored (even if the lookup throws at once).
        lookingUp = check(sessionId).finally(() => pending.delete(sessionId));
        pending.set(sessionId, lookingUp);
      }
      return lookingUp;
    },
    markRevoked(sessionId) {
      remember(sessionId, true);
    },
  };
}
