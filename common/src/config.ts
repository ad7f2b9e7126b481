import { z } from 'zod';

/** Thrown by {@link parseConfig} with every problem in one message. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Parses the environment against a schema once and returns a frozen, typed
 * config. Throws a {@link ConfigError} listing every missing or invalid
 * variable at once, so one start tells the operator everything to fix.
 */
export function parseConfig<T extends z.ZodObject>(schema: T, env: Env = process.env): Readonly<z.infer<T>> {
  // Empty strings count as unset: `FOO=` in a manifest should not pass a `min(1)`.
  const cleaned: Env = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') cleaned[key] = value;
  }
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = issue.path.join('.');
        return cleaned[name] === undefined ? `${name} is required` : `${name} ${issue.message}`;
      }),
    );
  }
  return Object.freeze(result.data);
}

/** Reusable field schemas so every service spells its variables the same way. */
export const configFields = {
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  url: z.string().url({ message: 'must be a URL' }),
  mongoUrl: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URL'),
  /** HS256 wants a key at least as long as its 32-byte hash. */
  jwtKey: z.string().refine((key) => Buffer.byteLength(key, 'utf8') >= 32, 'must be at least 32 bytes'),
  redisUrl: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'),
  /** A count in a limit (failed sign-ins, orders…): a whole number, at least 1. */
  limit: z.coerce.number().int().min(1),
  /** How often the outbox sweeps for events a crash or a bus outage left behind (OUTBOX_SWEEP_INTERVAL_MS). */
  sweepIntervalMs: z.coerce.number().int().min(100).default(5000),
  /** A duration in seconds, or with a unit: `7d`, `12h`, `30m`, `45s`. */
  jwtTtl: z
    .string()
    .regex(/^\d+[smhd]?$/, 'must be seconds or a duration like 7d, 12h, 30m')
    .default('7d'),
  booleanFlag: z.enum(['true', 'false']).transform((v) => v === 'true'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  nodeEnv: z.enum(['development', 'production', 'test']).default('development'),
};

/** The variables every service that talks to the bus shares. */
export const natsConfigShape = {
  NATS_URL: configFields.url,
  NATS_CLUSTER_ID: z.string().min(1).default('ticketing'),
  NATS_CLIENT_ID: z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, - or _'),
  /** The server's client token (`--auth`), when it asks for one; kept out of NATS_URL so it is never logged. */
  NATS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
};

/**
 * The database user of a service, when its MongoDB asks for one (the cluster:
 * each database has its own user, from a Secret). Kept out of MONGO_URL so
 * they are never logged and need no URL escaping.
 */
export const mongoAuthShape = {
  MONGO_USERNAME: z.string().min(1).optional(),
  MONGO_PASSWORD: z.string().min(1).optional(),
};

/** The credentials of {@link mongoAuthShape}, both or neither. */
export function mongoCredentials(raw: {
  MONGO_USERNAME?: string;
  MONGO_PASSWORD?: string;
}): { username: string; password: string } | undefined {
  if (raw.MONGO_USERNAME === undefined && raw.MONGO_PASSWORD === undefined) return undefined;
  if (raw.MONGO_USERNAME === undefined || raw.MONGO_PASSWORD === undefined)
    throw new ConfigError(['MONGO_USERNAME and MONGO_PASSWORD must be set together']);
  return { username: raw.MONGO_USERNAME, password: raw.MONGO_PASSWORD };
}

/** Resolves COOKIE_SECURE: explicit wins; otherwise secure in production only. */
export function resolveCookieSecure(explicit: boolean | undefined, nodeEnv: string): boolean {
  return explicit ?? nodeEnv === 'production';
}

/** Converts a JWT_TTL value (`7d`, `3600`) to seconds. */
export function ttlToSeconds(ttl: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(ttl);
  if (!match) throw new ConfigError([`JWT_TTL must be seconds or a duration like 7d`]);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
