import { requireAuth, signedInUser } from '@gittix/common';
import { Router } from 'express';
import { revokeAllSessions, revokeSession, type SessionDeps } from '../domain/sessions';

export function signOutRouter(deps: SessionDeps): Router {
  const router = Router();
  // Ends this session everywhere (session:revoked), not just this browser's cookie.
  router.post('/api/users/signout', async (req, res) => {
    if (req.currentUser) await revokeSession(deps, req.currentUser.sessionId);
    req.session = null;
    res.status(200).json({});
  });
  // Ends every session of the user: a lost phone, a shared computer.
  router.post('/api/users/signout-everywhere', requireAuth, async (req, res) => {
    await revokeAllSessions(deps, signedInUser(req).id);
    req.session = null;
    res.status(200).json({});
  });
  return router;
}
