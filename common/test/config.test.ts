import { ConfigError, configFields, defineConfig, durationToSeconds } from '../src/core';

const config = defineConfig({ mongo: true, session: true }, { ORDER_LIMIT: configFields.limit.default(5) }, (raw) => ({
  orderLimit: raw.ORDER_LIMIT,
}));

const valid = {
  MONGO_URL: 'mongodb://127.0.0.1:27017/x',
  JWT_KEY: 'k'.repeat(32),
  NATS_URL: 'nats://127.0.0.1:4222',
  NATS_CLIENT_ID: 'tickets-abc',
};

function problemsOf(env: Record<string, string>): string {
  try {
    config.load(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('expected the config to be refused');
}

describe('defineConfig', () => {
  it('when variables are missing or invalid, then one error lists every one of them', () => {
    const message = problemsOf({ MONGO_URL: 'http://nope', JWT_KEY: 'short', NATS_URL: '', ORDER_LIMIT: '0' });

    expect(message).toMatch(/^Invalid configuration: /);
    expect(message).toContain('MONGO_URL must be a mongodb:// URL');
    expect(message).toContain('JWT_KEY must be at least 32 bytes');
    expect(message).toContain('NATS_URL is required');
    expect(message).toContain('NATS_CLIENT_ID is required');
    expect(message).toContain('ORDER_LIMIT');
    expect(message.split('\n')).toHaveLength(1);
  });

  it('when everything is valid, then it returns a frozen config in the shared shape, with defaults', () => {
    const loaded = config.load(valid);

    expect(loaded).toEqual({
      port: 3000,
      logLevel: 'info',
      nodeEnv: 'development',
      nats: { url: 'nats://127.0.0.1:4222', clusterId: 'ticketing', clientId: 'tickets-abc', token: undefined },
      mongo: { url: valid.MONGO_URL, credentials: undefined, outboxSweepIntervalMs: 5000 },
      session: { jwtKey: valid.JWT_KEY, cookieSecure: false },
      orderLimit: 5,
    });
    expect(Object.isFrozen(loaded)).toBe(true);
    expect(Object.isFrozen(loaded.mongo)).toBe(true);
  });

  it('when only one of the database user and password is set, then it is refused', () => {
    expect(problemsOf({ ...valid, MONGO_USERNAME: 'orders' })).toContain(
      'MONGO_USERNAME and MONGO_PASSWORD must be set together',
    );
    expect(config.load({ ...valid, MONGO_USERNAME: 'orders', MONGO_PASSWORD: 'pw' }).mongo.credentials).toEqual({
      username: 'orders',
      password: 'pw',
    });
  });

  it('makes cookies secure in production unless told otherwise', () => {
    expect(config.load({ ...valid, NODE_ENV: 'production' }).session.cookieSecure).toBe(true);
    expect(config.load({ ...valid, NODE_ENV: 'development' }).session.cookieSecure).toBe(false);
    expect(config.load({ ...valid, NODE_ENV: 'production', COOKIE_SECURE: 'false' }).session.cookieSecure).toBe(false);
    expect(config.load({ ...valid, NODE_ENV: 'test', COOKIE_SECURE: 'true' }).session.cookieSecure).toBe(true);
  });

  it('lists every variable it reads in its schema, shared parts included', () => {
    expect(Object.keys(config.schema.shape).sort()).toEqual(
      [
        'PORT',
        'LOG_LEVEL',
        'NODE_ENV',
        'NATS_URL',
        'NATS_CLUSTER_ID',
        'NATS_CLIENT_ID',
        'NATS_TOKEN',
        'MONGO_URL',
        'MONGO_USERNAME',
        'MONGO_PASSWORD',
        'OUTBOX_SWEEP_INTERVAL_MS',
        'JWT_KEY',
        'COOKIE_SECURE',
        'ORDER_LIMIT',
      ].sort(),
    );
  });
});

describe('durations', () => {
  it('converts durations to seconds', () => {
    expect(durationToSeconds('7d')).toBe(604_800);
    expect(durationToSeconds('12h')).toBe(43_200);
    expect(durationToSeconds('90')).toBe(90);
    expect(() => durationToSeconds('soon')).toThrow(ConfigError);
  });
});
