import { configFields, parseConfig, resolveCookieSecure, ttlToSeconds } from '@gittix/common';
import { z } from 'zod';

/** Every variable the auth service reads (DESIGN §5). */
export const configSchema = z.object({
  PORT: configFields.port,
  MONGO_URL: configFields.mongoUrl,
  JWT_KEY: configFields.jwtKey,
  JWT_TTL: configFields.jwtTtl,
  COOKIE_SECURE: configFields.booleanFlag.optional(),
  NODE_ENV: configFields.nodeEnv,
  LOG_LEVEL: configFields.logLevel,
  /** Failed sign-ins allowed per e-mail and client address in 15 minutes before 429. */
  SIGNIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
});

export interface Config {
  port: number;
  mongoUrl: string;
  jwtKey: string;
  jwtTtlSeconds: number;
  cookieSecure: boolean;
  logLevel: string;
  signinMaxFailures: number;
}

/** Parses the environment once; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const raw = parseConfig(configSchema, env);
  return Object.freeze({
    port: raw.PORT,
    mongoUrl: raw.MONGO_URL,
    jwtKey: raw.JWT_KEY,
    jwtTtlSeconds: ttlToSeconds(raw.JWT_TTL),
    cookieSecure: resolveCookieSecure(raw.COOKIE_SECURE, raw.NODE_ENV),
    logLevel: raw.LOG_LEVEL,
    signinMaxFailures: raw.SIGNIN_MAX_FAILURES,
  });
}
