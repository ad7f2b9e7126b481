import { Router } from 'express';

export function signOutRouter(): Router {
  const router = Router();
  router.post('/api/users/signout', (req, res) => {
    req.session = null;
    res.status(200).json({});
  });
  return router;
}
