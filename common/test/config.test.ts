import { z } from 'zod';
import { ConfigError, configFields, natsConfigShape, parseConfig, resolveCookieSecure, ttlToSeconds } from '../src';

const schema = z.object({
  PORT: configFields.port,
  MONGO_URL: configFields.mongoUrl,
  JWT_KEY: configFields.jwtKey,
  ...natsConfigShape,
});

describe('parseConfig', () => {
  it('when variables are missing or invalid, then one error lists every one of them', () => {
    let error: unknown;
    try {
      parseConfig(schema, { MONGO_URL: 'http://nope', JWT_KEY: 'short', NATS_URL: '' });
    } catch (err) {
      error = err;
    }

    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/^Invalid configuration: /);
    expect(message).toContain('MONGO_URL must be a mongodb:// URL');
    expect(message).toContain('JWT_KEY must be at least 32 bytes');
    expect(message).toContain('NATS_URL is required');
    expect(message).toContain('NATS_CLIENT_ID is required');
    expect(message.split('\n')).toHaveLength(1);
  });

  it('when everything is valid, then it returns a frozen, typed config with defaults', () => {
    const config = parseConfig(schema, {
      MONGO_URL: 'mongodb://127.0.0.1:27017/x',
      JWT_KEY: 'k'.repeat(32),
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_CLIENT_ID: 'tickets-abc',
    });

    expect(config).toEqual({
      PORT: 3000,
      MONGO_URL: 'mongodb://127.0.0.1:27017/x',
      JWT_KEY: 'k'.repeat(32),
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_CLUSTER_ID: 'ticketing',
      NATS_CLIENT_ID: 'tickets-abc',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });
});

describe('config helpers', () => {
  it('converts JWT_TTL values to seconds', () => {
    expect(ttlToSeconds('7d')).toBe(604_800);
    expect(ttlToSeconds('12h')).toBe(43_200);
    expect(ttlToSeconds('90')).toBe(90);
    expect(() => ttlToSeconds('soon')).toThrow(ConfigError);
  });

  it('makes cookies secure in production unless told otherwise', () => {
    expect(resolveCookieSecure(undefined, 'production')).toBe(true);
    expect(resolveCookieSecure(undefined, 'development')).toBe(false);
    expect(resolveCookieSecure(false, 'production')).toBe(false);
    expect(resolveCookieSecure(true, 'test')).toBe(true);
  });
});
