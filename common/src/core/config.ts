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

const units = { '': 1, s: 1, m: 60, h: 3600, d: 86400 } as const;

/** Converts a duration (`7d`, `3600`) to seconds. */
export function durationToSeconds(duration: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(duration);
  if (!match) throw new ConfigError([`${duration} is not seconds or a duration like 7d`]);
  return Number(match[1]) * units[match[2] as keyof typeof units];
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
  /** A period in milliseconds, at least 100 (sweeps, reconcilers). */
  intervalMs: z.coerce.number().int().min(100),
  /** A duration in seconds, or with a unit (`7d`, `12h`, `30m`, `45s`), read as seconds. */
  durationSeconds: z
    .string()
    .regex(/^\d+[smhd]?$/, 'must be seconds or a duration like 7d, 12h, 30m')
    .transform(durationToSeconds),
  booleanFlag: z.enum(['true', 'false']).transform((v) => v === 'true'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  nodeEnv: z.enum(['development', 'production', 'test']).default('development'),
};

/** The database of a service, when it has one. */
export interface MongoConfig {
  url: string;
  /** The database user (MONGO_USERNAME/MONGO_PASSWORD), when the database asks for one. */
  credentials: { username: string; password: string } | undefined;
  /** How often the outbox looks for events a crash or a bus outage left behind. */
  outboxSweepIntervalMs: number;
}

/** The connection to NATS Streaming; every service has one. */
export interface NatsConfig {
  url: string;
  clusterId: string;
  clientId: string;
  /** The server's client token (`--auth`), kept out of the URL so it is never logged. */
  token: string | undefined;
}

/** The session cookie, for a service that reads it. */
export interface SessionConfig {
  jwtKey: string;
  cookieSecure: boolean;
}

/** What every service's config holds. */
export interface ServiceConfig {
  port: number;
  logLevel: string;
  nodeEnv: 'development' | 'production' | 'test';
  nats: NatsConfig;
  mongo?: MongoConfig;
  session?: SessionConfig;
  /** Where the rate-limit counters live, shared by every replica; undefined: each process counts alone. */
  rateLimitRedisUrl?: string | undefined;
}

/** Which shared parts a service reads, besides the port, log level, NODE_ENV and NATS every one has. */
interface Parts {
  /** MONGO_URL, MONGO_USERNAME, MONGO_PASSWORD, OUTBOX_SWEEP_INTERVAL_MS. */
  mongo?: boolean;
  /** JWT_KEY, COOKIE_SECURE. */
  session?: boolean;
  /** REDIS_URL, optional: the rate-limit counters. */
  rateLimits?: boolean;
}

type ConfigOf<P extends Parts> = Omit<ServiceConfig, 'mongo' | 'session' | 'rateLimitRedisUrl'> &
  (P['mongo'] extends true ? { mongo: MongoConfig } : unknown) &
  (P['session'] extends true ? { session: SessionConfig } : unknown) &
  (P['rateLimits'] extends true ? { rateLimitRedisUrl: string | undefined } : unknown);

const shapes = {
  base: {
    PORT: configFields.port,
    LOG_LEVEL: configFields.logLevel,
    NODE_ENV: configFields.nodeEnv,
    NATS_URL: configFields.url,
    NATS_CLUSTER_ID: z.string().min(1).default('ticketing'),
    NATS_CLIENT_ID: z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, - or _'),
    NATS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  },
  mongo: {
    MONGO_URL: configFields.mongoUrl,
    // Kept out of MONGO_URL so they are never logged and need no URL escaping.
    MONGO_USERNAME: z.string().min(1).optional(),
    MONGO_PASSWORD: z.string().min(1).optional(),
    OUTBOX_SWEEP_INTERVAL_MS: configFields.intervalMs.default(5000),
  },
  session: {
    JWT_KEY: configFields.jwtKey,
    COOKIE_SECURE: configFields.booleanFlag.optional(),
  },
  rateLimits: {
    REDIS_URL: configFields.redisUrl.optional(),
  },
};

type Raw = Record<string, unknown>;

function mongoCredentials(raw: Raw): { username: string; password: string } | undefined {
  const username = raw.MONGO_USERNAME as string | undefined;
  const password = raw.MONGO_PASSWORD as string | undefined;
  if (username === undefined && password === undefined) return undefined;
  if (username === undefined || password === undefined)
    throw new ConfigError(['MONGO_USERNAME and MONGO_PASSWORD must be set together']);
  return { username, password };
}

/**
 * A service's configuration: the shared parts it names plus its own variables
 * and what they become (`settings`). Returns the zod schema of every variable
 * (the manifests and the docs are checked against it) and `load`, which parses
 * the environment once and throws a {@link ConfigError} naming every bad variable.
 */
export function defineConfig<const P extends Parts, S extends z.ZodRawShape, X extends object>(
  parts: P,
  variables: S,
  settings: (raw: z.infer<z.ZodObject<S>>) => X,
): {
  schema: z.ZodObject<z.ZodRawShape>;
  load: (env?: Env) => Readonly<ConfigOf<P> & X>;
} {
  const schema = z.object({
    ...shapes.base,
    ...(parts.mongo ? shapes.mongo : {}),
    ...(parts.session ? shapes.session : {}),
    ...(parts.rateLimits ? shapes.rateLimits : {}),
    ...variables,
  });
  const load = (env: Env = process.env) => {
    const raw = parseConfig(schema, env) as Raw;
    const nodeEnv = raw.NODE_ENV as ServiceConfig['nodeEnv'];
    const config: ServiceConfig = {
      port: raw.PORT as number,
      logLevel: raw.LOG_LEVEL as string,
      nodeEnv,
      nats: Object.freeze({
        url: raw.NATS_URL as string,
        clusterId: raw.NATS_CLUSTER_ID as string,
        clientId: raw.NATS_CLIENT_ID as string,
        token: raw.NATS_TOKEN as string | undefined,
      }),
    };
    if (parts.mongo)
      config.mongo = Object.freeze({
        url: raw.MONGO_URL as string,
        credentials: mongoCredentials(raw),
        outboxSweepIntervalMs: raw.OUTBOX_SWEEP_INTERVAL_MS as number,
      });
    if (parts.session)
      config.session = Object.freeze({
        jwtKey: raw.JWT_KEY as string,
        // Explicit wins; otherwise secure in production only.
        cookieSecure: (raw.COOKIE_SECURE as boolean | undefined) ?? nodeEnv === 'production',
      });
    if (parts.rateLimits) config.rateLimitRedisUrl = raw.REDIS_URL as string | undefined;
    return Object.freeze({ ...config, ...settings(raw as z.infer<z.ZodObject<S>>) }) as Readonly<ConfigOf<P> & X>;
  };
  return { schema, load };
}
