import type { Request, RequestHandler } from 'express';
import { isObjectId } from '../../contracts/ids';
import { NotAuthorizedError } from '../../core/errors';
import type { UserPayload } from '../../core/session-token';

/** 401 unless `currentUser` found a signed-in user. */
export const requireAuth: RequestHandler = (req, _res, next) => {
  if (!req.currentUser) throw new NotAuthorizedError();
  next();
};

/**
 * The signed-in user of a request behind `requireAuth`, whose id is in the id
 * format (auth issues nothing else; any other token is treated as not signed
 * in). Throws 401 otherwise, so no route needs a `!`.
 */
export function signedInUser(req: Request): UserPayload {
  const user = req.currentUser;
  if (!user || !isObjectId(user.id)) throw new NotAuthorizedError();
  return user;
}
