import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort, infraUrl, testJwtKey, waitFor, withDatabase } from '@gittix/testing';
import request from 'supertest';
import { setupAuth, type AuthHarness } from './helpers';

let h: AuthHarness;
beforeAll(async () => {
  h = await setupAuth();
});
afterAll(async () => {
  await h.close().catch(() => undefined);
});

describe('health and errors', () => {
  it('when the process is up, then /healthz answers 200', async () => {
    await h.api.get('/healthz').expect(200, { status: 'ok' });
  });

  it('when the database is connected, then /readyz answers 200', async () => {
    await h.api.get('/readyz').expect(200, { status: 'ready' });
  });

  it('when a route does not exist, then it answers 404 in the error format', async () => {
    const res = await h.api.get('/api/users/nope');

    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [{ message: 'Route not found' }] });
  });

  it('when a request carries an x-request-id, then the response echoes it and the log lines carry it', async () => {
    const res = await h.api.get('/api/users/currentuser').set('x-request-id', 'trace-me-123');

    expect(res.headers['x-request-id']).toBe('trace-me-123');
    expect(h.logs.lines().some((l) => l.requestId === 'trace-me-123')).toBe(true);
  });
});

describe('process lifecycle', () => {
  const entry = path.join(__dirname, '..', 'dist', 'index.js');

  it('when required variables are missing, then it exits 1 with one line naming every one', async () => {
    const child = spawn(process.execPath, [entry], {
      env: { PATH: process.env.PATH, JWT_KEY: 'short', NATS_URL: 'not a url' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('MONGO_URL is required');
    expect(stderr).toContain('JWT_KEY must be at least 32 bytes');
    expect(stderr).toContain('NATS_CLIENT_ID is required');
  });

  it('when it receives SIGTERM, then it stops serving and exits 0', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [entry], {
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        MONGO_URL: withDatabase(infraUrl('mongo'), `auth_proc_${port}`),
        JWT_KEY: testJwtKey,
        NATS_URL: infraUrl('nats'),
        NATS_CLIENT_ID: `auth-proc-${port}`,
        REDIS_URL: infraUrl('redis'),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

    await waitFor(() => out.includes('auth listening'), 'auth to listen', 15_000);
    await request(`http://127.0.0.1:${port}`).get('/readyz').expect(200);
    child.kill('SIGTERM');

    expect(await exited).toBe(0);
    expect(out).toContain('auth stopped');
  });
});

describe('readiness', () => {
  it('when the database connection is closed, then /readyz answers 503', async () => {
    const local = await setupAuth();
    await local.db.connection.close();

    const res = await local.api.get('/readyz');

    expect(res.status).toBe(503);
    expect(res.body.errors[0].message).toMatch(/Not ready/);
    local.redis.disconnect();
  });

  it('when the bus is disconnected, then /readyz answers 503 (session:revoked could not go out)', async () => {
    const local = await setupAuth();
    local.bus.setConnected(false);

    const res = await local.api.get('/readyz');

    expect(res.status).toBe(503);
    await local.close();
  });
});
