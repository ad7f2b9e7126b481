/// <reference types="cookie-session" preserve="true" />
import type { RequestHandler } from 'express';
import { verifySessionToken, type UserPayload } from '../../core/session-token';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by `currentUser` when the session cookie holds a valid token of a live session. */
      currentUser?: UserPayload;
    }
  }
}

/** Tells whether a session was signed out (auth's own store, or a service's copy of session:revoked). */
export type RevocationCheck = (sessionId: string) => Promise<boolean>;

/**
 * Decodes the session cookie's JWT into `req.currentUser`. A bad token, or the
 * token of a revoked session, simply means anonymous. If the revocation check
 * itself fails (its database is down), the request fails too: a session that
 * may have been signed out is never taken on trust.
 */
export function currentUser(jwtKey: string, isRevoked?: RevocationCheck): RequestHandler {
  return (req, _res, next) => {
    const session = req.session as { jwt?: unknown } | null | undefined;
    const user = verifySessionToken(session?.jwt, jwtKey);
    if (!user) {
      next();
      return;
    }
    if (!isRevoked) {
      req.currentUser = user;
      next();
      return;
    }
    isRevoked(user.sessionId).then((revoked) => {
      if (!revoked) req.currentUser = user;
      next();
    }, next);
  };
}
