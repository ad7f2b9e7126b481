import { requireAuth, signedInUser } from '@gittix/common/http';
import { Router } from 'express';
import type { AuthDeps } from '../domain/deps';
import { revokeAllSessions, revokeSession } from '../domain/sessions';

/** POST /api/users/signout and /signout-everywhere. */
export function signOutRouter(deps: AuthDeps): Router {
  return (
    Router()
      // Ends this session everywhere (session:revoked), not just this browser's cookie.
      .post('/api/users/signout', async (req, res) => {
        if (req.currentUser) await revokeSession(deps, req.currentUser.sessionId);
        req.session = null;
        res.status(200).json({});
      })
      // Ends every session of the user: a lost phone, a shared computer.
      .post('/api/users/signout-everywhere', requireAuth, async (req, res) => {
        await revokeAllSessions(deps, signedInUser(req).id);
        req.session = null;
        res.status(200).json({});
      })
  );
}
