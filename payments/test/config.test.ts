import { testJwtKey } from '@gittix/testing';
import { loadConfig } from '../src/config';

describe('payments configuration', () => {
  const base = {
    MONGO_URL: 'mongodb://127.0.0.1:27017/payments',
    JWT_KEY: testJwtKey,
    NATS_URL: 'nats://127.0.0.1:4222',
    NATS_CLIENT_ID: 'payments-1',
    STRIPE_SECRET_KEY: 'sk_test_gittixPaymentsTests0001',
  };

  it('when STRIPE_API_BASE is set, then its host, port and protocol become the SDK options', () => {
    expect(loadConfig({ ...base, STRIPE_API_BASE: 'http://127.0.0.1:12111' }).stripe.apiBase).toEqual({
      host: '127.0.0.1',
      port: 12111,
      protocol: 'http',
    });
    expect(loadConfig({ ...base, STRIPE_API_BASE: 'https://stripe.internal/' }).stripe.apiBase).toEqual({
      host: 'stripe.internal',
      port: 443,
      protocol: 'https',
    });
  });

  it('when STRIPE_API_BASE is not set, then the SDK talks to Stripe itself', () => {
    const config = loadConfig(base);

    expect(config.stripe.apiBase).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when the Stripe key does not look like a secret key, then the config is refused', () => {
    expect(() => loadConfig({ ...base, STRIPE_SECRET_KEY: 'pk_test_publishable' })).toThrow(
      /STRIPE_SECRET_KEY must be a Stripe secret key/,
    );
  });
});
