import { Types } from 'mongoose';
import { newSessionId, signSessionToken } from '@gittix/common/core';

/** The JWT key every test uses. */
export const testJwtKey = 'test-jwt-key-that-is-long-enough';

export interface TestUser {
  id: string;
  email: string;
  username: string;
}

/** A user with a unique id and email. */
export function buildUser(overrides: Partial<TestUser> = {}): TestUser {
  const id = overrides.id ?? new Types.ObjectId().toHexString();
  return {
    id,
    email: overrides.email ?? `user-${id}@example.test`,
    username: overrides.username ?? `user${id.slice(-6)}`,
    ...overrides,
  };
}

/**
 * A `Cookie` header value for a signed-in user, exactly as cookie-session
 * writes it (base64 JSON `{ jwt }`), for supertest's `.set('Cookie', …)`.
 */
export function signin(
  user: Partial<TestUser> = {},
  options: { jwtKey?: string; ttlSeconds?: number; sessionId?: string } = {},
): string[] {
  const full = buildUser(user);
  const token = signSessionToken(
    full,
    options.sessionId ?? newSessionId(),
    options.jwtKey ?? testJwtKey,
    options.ttlSeconds ?? 3600,
  );
  const session = Buffer.from(JSON.stringify({ jwt: token })).toString('base64');
  return [`session=${session}`];
}
