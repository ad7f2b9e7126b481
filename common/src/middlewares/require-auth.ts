import type { Request, RequestHandler } from 'express';
import { NotAuthorizedError } from '../errors';
import type { UserPayload } from '../session';

/** 401 unless `currentUser` found a signed-in user. */
export const requireAuth: RequestHandler = (req, _res, next) => {
  if (!req.currentUser) throw new NotAuthorizedError();
  next();
};

/** The signed-in user of a request behind `requireAuth`; throws 401 otherwise (no `!` needed). */
export function signedInUser(req: Request): UserPayload {
  if (!req.currentUser) throw new NotAuthorizedError();
  return req.currentUser;
}
