import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { infraUrl, startServiceProcess, testJwtKey, withDatabase } from '@gittix/testing';
import request from 'supertest';
import { loadConfig } from '../src/config';
import { setupPayments, type PaymentsHarness } from './helpers';

const entry = path.join(__dirname, '..', 'dist', 'index.js');

describe('health', () => {
  let h: PaymentsHarness;
  beforeAll(async () => {
    h = await setupPayments();
  });
  afterAll(async () => {
    await h.db.drop().catch(() => undefined);
  });

  it('when the process is up, then /healthz answers 200', async () => {
    await h.api.get('/healthz').expect(200, { status: 'ok' });
  });

  it('when the database and the bus are connected, then /readyz answers 200', async () => {
    await h.api.get('/readyz').expect(200, { status: 'ready' });
  });

  it('when the bus is disconnected, then /readyz answers 503', async () => {
    h.bus.setConnected(false);
    try {
      await h.api.get('/readyz').expect(503);
    } finally {
      h.bus.setConnected(true);
    }
  });

  it('when a route does not exist, then it answers 404 in the error format', async () => {
    const res = await h.api.get('/api/payments/nope');

    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [{ message: 'Route not found' }] });
  });
});

describe('the payments process', () => {
  it('when required variables are missing, then it exits 1 with one line naming every one (the Stripe key has no default)', async () => {
    const child = spawn(process.execPath, [entry], {
      env: { PATH: process.env.PATH, JWT_KEY: testJwtKey, STRIPE_API_BASE: 'ftp://stripe' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('MONGO_URL is required');
    expect(stderr).toContain('NATS_URL is required');
    expect(stderr).toContain('STRIPE_SECRET_KEY is required');
    expect(stderr).toContain('STRIPE_API_BASE must be an http(s) URL');
  });

  it('when it runs on real Mongo and NATS, then it becomes ready, and SIGTERM stops it', async () => {
    const running = await startServiceProcess({
      service: 'payments',
      env: {
        MONGO_URL: withDatabase(infraUrl('mongo'), `payments_proc_${randomUUID().slice(0, 8)}`),
        JWT_KEY: testJwtKey,
        NATS_URL: infraUrl('nats'),
        NATS_CLIENT_ID: `payments-${randomUUID()}`,
        STRIPE_SECRET_KEY: 'sk_test_gittixPaymentsTests0001',
        STRIPE_API_BASE: infraUrl('stripe'),
      },
    });

    await request(running.url).get('/readyz').expect(200);
    await running.stop();

    await expect(request(running.url).get('/healthz')).rejects.toThrow();
  });
});

describe('configuration', () => {
  const base = {
    MONGO_URL: 'mongodb://127.0.0.1:27017/payments',
    JWT_KEY: testJwtKey,
    NATS_URL: 'nats://127.0.0.1:4222',
    NATS_CLIENT_ID: 'payments-1',
    STRIPE_SECRET_KEY: 'sk_test_gittixPaymentsTests0001',
  };

  it('when STRIPE_API_BASE is set, then its host, port and protocol become the SDK options', () => {
    expect(loadConfig({ ...base, STRIPE_API_BASE: 'http://127.0.0.1:12111' }).stripeApiBase).toEqual({
      host: '127.0.0.1',
      port: 12111,
      protocol: 'http',
    });
    expect(loadConfig({ ...base, STRIPE_API_BASE: 'https://stripe.internal/' }).stripeApiBase).toEqual({
      host: 'stripe.internal',
      port: 443,
      protocol: 'https',
    });
  });

  it('when STRIPE_API_BASE is not set, then the SDK talks to Stripe itself', () => {
    const config = loadConfig(base);

    expect(config.stripeApiBase).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when the Stripe key does not look like a secret key, then the config is refused', () => {
    expect(() => loadConfig({ ...base, STRIPE_SECRET_KEY: 'pk_test_publishable' })).toThrow(
      /STRIPE_SECRET_KEY must be a Stripe secret key/,
    );
  });
});
