import { Router } from 'express';

/** GET /api/users/currentuser: never 401; anonymous is a normal answer, `{ currentUser: null }`. */
export function currentUserRouter(): Router {
  return Router().get('/api/users/currentuser', (req, res) => {
    const user = req.currentUser;
    res.status(200).json({
      currentUser: user
        ? { id: user.id, email: user.email, username: user.username, iat: user.iat, exp: user.exp }
        : null,
    });
  });
}
