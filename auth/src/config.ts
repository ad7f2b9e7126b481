import {
  configFields,
  mongoAuthShape,
  mongoCredentials,
  natsConfigShape,
  parseConfig,
  resolveCookieSecure,
  ttlToSeconds,
} from '@gittix/common';
import { z } from 'zod';

/** Every variable the auth service reads (documented in the README's environment table). */
export const configSchema = z.object({
  PORT: configFields.port,
  MONGO_URL: configFields.mongoUrl,
  ...mongoAuthShape,
  JWT_KEY: configFields.jwtKey,
  JWT_TTL: configFields.jwtTtl,
  COOKIE_SECURE: configFields.booleanFlag.optional(),
  NODE_ENV: configFields.nodeEnv,
  LOG_LEVEL: configFields.logLevel,
  // auth publishes session:revoked, so every service learns of a sign-out.
  ...natsConfigShape,
  /** Where the rate-limit counters live, shared by every replica; unset: each process counts alone. */
  REDIS_URL: configFields.redisUrl.optional(),
  /** Failed sign-ins allowed per account in 15 minutes before 429. */
  SIGNIN_MAX_FAILURES_PER_ACCOUNT: configFields.limit.default(5),
  /** Failed sign-ins allowed per client address in 15 minutes before 429. */
  SIGNIN_MAX_FAILURES_PER_IP: configFields.limit.default(30),
  /** Sign-ups allowed per client address in an hour before 429. */
  SIGNUPS_PER_IP_PER_HOUR: configFields.limit.default(50),
  /** How often the outbox looks for session:revoked events a crash or a bus outage left behind. */
  OUTBOX_SWEEP_INTERVAL_MS: configFields.sweepIntervalMs,
});

export interface Config {
  port: number;
  mongoUrl: string;
  /** The database user, when the database asks for one. */
  mongoCredentials: { username: string; password: string } | undefined;
  jwtKey: string;
  jwtTtlSeconds: number;
  cookieSecure: boolean;
  logLevel: string;
  natsUrl: string;
  natsClusterId: string;
  natsClientId: string;
  natsToken: string | undefined;
  redisUrl: string | undefined;
  limits: {
    signinFailuresPerAccount: number;
    signinFailuresPerIp: number;
    signupsPerIpPerHour: number;
  };
  outboxSweepIntervalMs: number;
}

/** Parses the environment once; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const raw = parseConfig(configSchema, env);
  return Object.freeze({
    port: raw.PORT,
    mongoUrl: raw.MONGO_URL,
    mongoCredentials: mongoCredentials(raw),
    jwtKey: raw.JWT_KEY,
    jwtTtlSeconds: ttlToSeconds(raw.JWT_TTL),
    cookieSecure: resolveCookieSecure(raw.COOKIE_SECURE, raw.NODE_ENV),
    logLevel: raw.LOG_LEVEL,
    natsUrl: raw.NATS_URL,
    natsClusterId: raw.NATS_CLUSTER_ID,
    natsClientId: raw.NATS_CLIENT_ID,
    natsToken: raw.NATS_TOKEN,
    redisUrl: raw.REDIS_URL,
    limits: Object.freeze({
      signinFailuresPerAccount: raw.SIGNIN_MAX_FAILURES_PER_ACCOUNT,
      signinFailuresPerIp: raw.SIGNIN_MAX_FAILURES_PER_IP,
      signupsPerIpPerHour: raw.SIGNUPS_PER_IP_PER_HOUR,
    }),
    outboxSweepIntervalMs: raw.OUTBOX_SWEEP_INTERVAL_MS,
  });
}
