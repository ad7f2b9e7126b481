import { captureLogger, connectTestDatabase, testJwtKey } from '@gittix/testing';
import request from 'supertest';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createModels } from '../src/models';

/** The auth app on a fresh database of the real test server, with its log lines captured. */
export async function setupAuth(env: Record<string, string> = {}) {
  const db = await connectTestDatabase('auth');
  const logs = captureLogger('auth');
  const config = loadConfig({ MONGO_URL: db.url, JWT_KEY: testJwtKey, NODE_ENV: 'test', ...env });
  const models = await createModels(db.connection);
  const app = createApp({ config, logger: logs.logger, connection: db.connection, models });
  return { app, models, logs, db, config, api: request(app) };
}

export type AuthHarness = Awaited<ReturnType<typeof setupAuth>>;

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
