import { Router } from 'express';

/** Never 401: anonymous is a normal answer, `{ currentUser: null }`. */
export function currentUserRouter(): Router {
  const router = Router();
  router.get('/api/users/currentuser', (req, res) => {
    res.status(200).json({ currentUser: req.currentUser ?? null });
  });
  return router;
}
