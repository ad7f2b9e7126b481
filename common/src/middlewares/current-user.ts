/// <reference types="cookie-session" preserve="true" />
import type { RequestHandler } from 'express';
import { verifySessionToken, type UserPayload } from '../session';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by `currentUser` when the session cookie holds a valid token. */
      currentUser?: UserPayload;
    }
  }
}

/** Decodes the session cookie's JWT into `req.currentUser`; a bad token simply means anonymous. */
export function currentUser(jwtKey: string): RequestHandler {
  return (req, _res, next) => {
    const session = req.session as { jwt?: unknown } | null | undefined;
    const user = verifySessionToken(session?.jwt, jwtKey);
    if (user) req.currentUser = user;
    next();
  };
}
