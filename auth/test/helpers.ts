import { startTestService, useTestService, type TestService, type TestServiceOptions } from '@gittix/testing/harness';
import type request from 'supertest';
import type { Config } from '../src/config';
import type { AuthDeps } from '../src/domain/deps';
import { authService } from '../src/service';

export type AuthHarness = TestService<Config, AuthDeps>;

/**
 * The auth service for this test file: started as index.ts starts it, on a
 * fresh database, its rate-limit counters in the real test Redis (under a
 * fresh namespace, so files never share counters), a recording bus for
 * session:revoked, and its log lines captured.
 */
export function useAuth(options?: TestServiceOptions): AuthHarness {
  return useTestService(authService, options);
}

/** The same, started and stopped by the test itself (a test that needs its own limits). */
export function startAuth(options?: TestServiceOptions): Promise<AuthHarness> {
  return startTestService(authService, options);
}

let counter = 0;
/** A unique sign-up body. */
export function buildSignUp(overrides: Partial<{ email: string; password: string; username: string }> = {}) {
  counter += 1;
  return { email: `buyer${counter}-${Date.now()}@example.test`, password: 'correct horse battery', ...overrides };
}

/** The `session=…` cookie of a response, ready for `.set('Cookie', …)`. */
export function sessionCookie(res: request.Response): string[] {
  const raw = res.headers['set-cookie'] as unknown as string[] | undefined;
  const cookie = raw?.find((c) => c.startsWith('session='));
  if (!cookie) throw new Error('no session cookie in the response');
  return [cookie.split(';')[0] ?? ''];
}
