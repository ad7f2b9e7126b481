import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

/** What the session JWT carries about the signed-in user. */
export interface UserPayload {
  id: string;
  email: string;
  username: string;
  /** The session this token belongs to: signing out revokes it (session:revoked). */
  sessionId: string;
  iat: number;
  exp: number;
}

const sessionIdPattern = /^[A-Za-z0-9_-]{16,64}$/;

/** A new session id: 144 random bits, URL-safe. */
export function newSessionId(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * The key as a KeyObject, made once per key. Given a string, jsonwebtoken first
 * tries to parse it as a PEM public or private key and only then, on the thrown
 * error, takes it as a secret: about 0.7 ms of CPU on every sign and verify,
 * which was half the cost of a signed-in request. The bytes are the same
 * (UTF-8), so tokens are unchanged.
 */
const secretKeys = new Map<string, KeyObject>();
function secretKey(jwtKey: string): KeyObject {
  let key = secretKeys.get(jwtKey);
  if (!key) {
    key = createSecretKey(Buffer.from(jwtKey, 'utf8'));
    secretKeys.set(jwtKey, key);
  }
  return key;
}

/** Signs the session token (HS256) that lives in the `session` cookie. */
export function signSessionToken(
  user: { id: string; email: string; username: string },
  sessionId: string,
  jwtKey: string,
  ttlSeconds: number,
): string {
  return jwt.sign({ id: user.id, email: user.email, username: user.username, sid: sessionId }, secretKey(jwtKey), {
    algorithm: 'HS256',
    expiresIn: ttlSeconds,
  });
}

/**
 * Tokens this process has verified, per key: a signed-in browser sends the
 * same token with every request, and HS256 verification through jsonwebtoken
 * (decode, HMAC, claim checks) was the largest single cost of a signed-in
 * lookup after the database. Only valid tokens are kept, each until its `exp`
 * (checked on every hit, as jsonwebtoken checks it), and at most
 * {@link maxVerifiedTokens} of them per key: past that the cache starts over,
 * which costs only verifications. A token is a string signed with the key, so
 * the same string always verifies the same way.
 */
const maxVerifiedTokens = 10_000;
const verifiedTokens = new Map<string, Map<string, UserPayload>>();

/**
 * Returns the user of a valid token, or null for any bad, expired or tampered
 * one. A token without a session id (issued before sessions could be revoked)
 * is not valid either: it could never be signed out.
 */
export function verifySessionToken(token: unknown, jwtKey: string): UserPayload | null {
  if (typeof token !== 'string' || token.length === 0) return null;
  let verified = verifiedTokens.get(jwtKey);
  if (!verified) {
    verified = new Map();
    verifiedTokens.set(jwtKey, verified);
  }
  const known = verified.get(token);
  if (known) {
    if (Math.floor(Date.now() / 1000) < known.exp) return { ...known };
    verified.delete(token);
    return null;
  }
  const user = verifyUncached(token, jwtKey);
  if (user) {
    if (verified.size >= maxVerifiedTokens) verified.clear();
    verified.set(token, user);
    return { ...user };
  }
  return null;
}

function verifyUncached(token: string, jwtKey: string): UserPayload | null {
  try {
    const payload = jwt.verify(token, secretKey(jwtKey), { algorithms: ['HS256'] });
    if (typeof payload !== 'object' || payload === null) return null;
    const { id, email, username, sid, iat, exp } = payload as Partial<{
      id: unknown;
      email: unknown;
      username: unknown;
      sid: unknown;
      iat: unknown;
      exp: unknown;
    }>;
    if (typeof id !== 'string' || typeof email !== 'string' || typeof username !== 'string') return null;
    if (typeof sid !== 'string' || !sessionIdPattern.test(sid)) return null;
    if (typeof iat !== 'number' || typeof exp !== 'number') return null;
    return { id, email, username, sessionId: sid, iat, exp };
  } catch {
    return null;
  }
}
