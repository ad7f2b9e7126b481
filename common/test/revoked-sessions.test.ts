import { RevokedSessions } from '../src/db';
import { connectTestDatabase, newId } from '@gittix/testing';

describe('RevokedSessions', () => {
  it('remembers a revoked session once however often it hears of it, and forgets it once its token has expired', async () => {
    const db = await connectTestDatabase('revoked-sessions');
    try {
      const sessions = new RevokedSessions(db.connection, { liveForMs: 0 });
      const soon = {
        sessionId: `s-${newId()}`,
        userId: newId(),
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      };
      const later = {
        sessionId: `s-${newId()}`,
        userId: newId(),
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      };

      await sessions.apply(soon);
      await sessions.apply(soon); // redelivered
      await sessions.apply(later);
      expect(await sessions.isRevoked(soon.sessionId)).toBe(true);
      expect(await sessions.isRevoked(`s-${newId()}`)).toBe(false);

      // Two minutes on: the first token has expired on its own, so remembering it is no longer needed.
      expect(await sessions.sweep(new Date(Date.now() + 120_000))).toBe(1);
      // Read from the store: the cache of this process still (rightly) says revoked.
      expect(await sessions.model.find({}, { _id: 1 }).lean()).toEqual([{ _id: later.sessionId }]);
    } finally {
      await db.drop();
    }
  });
});
