import { Router } from 'express';

/** Never 401: anonymous is a normal answer, `{ currentUser: null }`. The session id stays in the cookie. */
export function currentUserRouter(): Router {
  const router = Router();
  router.get('/api/users/currentuser', (req, res) => {
    const user = req.currentUser;
    res.status(200).json({
      currentUser: user
        ? { id: user.id, email: user.email, username: user.username, iat: user.iat, exp: user.exp }
        : null,
    });
  });
  return router;
}
