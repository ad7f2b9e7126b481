import jwt from 'jsonwebtoken';

/** What the session JWT carries about the signed-in user. */
export interface UserPayload {
  id: string;
  email: string;
  username: string;
  iat: number;
  exp: number;
}

/** Signs the session token (HS256) that lives in the `session` cookie. */
export function signSessionToken(
  user: { id: string; email: string; username: string },
  jwtKey: string,
  ttlSeconds: number,
): string {
  return jwt.sign({ id: user.id, email: user.email, username: user.username }, jwtKey, {
    algorithm: 'HS256',
    expiresIn: ttlSeconds,
  });
}

/** Returns the user of a valid token, or null for any bad, expired or tampered one. */
export function verifySessionToken(token: unknown, jwtKey: string): UserPayload | null {
  if (typeof token !== 'string' || token.length === 0) return null;
  try {
    const payload = jwt.verify(token, jwtKey, { algorithms: ['HS256'] });
    if (typeof payload !== 'object' || payload === null) return null;
    const { id, email, username, iat, exp } = payload as Partial<UserPayload>;
    if (typeof id !== 'string' || typeof email !== 'string' || typeof username !== 'string') return null;
    if (typeof iat !== 'number' || typeof exp !== 'number') return null;
    return { id, email, username, iat, exp };
  } catch {
    return null;
  }
}
