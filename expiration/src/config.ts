import { configFields, defineConfig } from '@gittix/common/core';
import { z } from 'zod';

/** Every variable the expiration service reads (documented in docs/configuration.md). Its PORT serves only the probes. */
/** @public The schema of every variable: the manifests and docs/configuration.md are checked against it. */
export const { schema: configSchema, load: loadConfig } = defineConfig(
  {},
  {
    /** The Redis holding the delayed jobs, one per open order. */
    REDIS_URL: configFields.redisUrl,
    /** The queue's key prefix in that Redis: environments (or test runs) sharing one Redis each use their own. */
    EXPIRATION_QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_-]{1,64}$/, 'must be 1-64 letters, digits, :, _ or -')
      .default('bull'),
  },
  (raw) => ({ redisUrl: raw.REDIS_URL, queuePrefix: raw.EXPIRATION_QUEUE_PREFIX }),
);

export type Config = ReturnType<typeof loadConfig>;
