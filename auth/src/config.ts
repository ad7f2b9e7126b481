import { configFields, defineConfig } from '@gittix/common/core';

/** Every variable the auth service reads (documented in docs/configuration.md). */
/** @public The schema of every variable: the manifests and docs/configuration.md are checked against it. */
export const { schema: configSchema, load: loadConfig } = defineConfig(
  // auth publishes session:revoked, so every service learns of a sign-out; Redis holds the sign-in counters.
  { mongo: true, session: true, rateLimits: true },
  {
    /** How long a session token lasts: seconds, or with a unit (`7d`, `12h`, `30m`). */
    JWT_TTL: configFields.durationSeconds.prefault('7d'),
    /** Failed sign-ins allowed per account in 15 minutes before 429. */
    SIGNIN_MAX_FAILURES_PER_ACCOUNT: configFields.limit.default(5),
    /** Failed sign-ins allowed per client address in 15 minutes before 429. */
    SIGNIN_MAX_FAILURES_PER_IP: configFields.limit.default(30),
    /** Sign-ups allowed per client address in an hour before 429. */
    SIGNUPS_PER_IP_PER_HOUR: configFields.limit.default(50),
  },
  (raw) => ({
    jwtTtlSeconds: raw.JWT_TTL,
    limits: Object.freeze({
      signinFailuresPerAccount: raw.SIGNIN_MAX_FAILURES_PER_ACCOUNT,
      signinFailuresPerIp: raw.SIGNIN_MAX_FAILURES_PER_IP,
      signupsPerIpPerHour: raw.SIGNUPS_PER_IP_PER_HOUR,
    }),
  }),
);

export type Config = ReturnType<typeof loadConfig>;
