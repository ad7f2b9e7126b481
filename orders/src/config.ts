import { configFields, defineConfig } from '@gittix/common/core';
import { z } from 'zod';

/** Every variable the orders service reads (documented in docs/configuration.md). */
/** @public The schema of every variable: the manifests and docs/configuration.md are checked against it. */
export const { schema: configSchema, load: loadConfig } = defineConfig(
  { mongo: true, session: true, rateLimits: true },
  {
    /** How long a new order holds its ticket before expiration cancels it. */
    EXPIRATION_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
    /** How long past expiresAt an unpaid order waits for expiration before the backstop cancels it. */
    EXPIRY_BACKSTOP_GRACE_SECONDS: z.coerce.number().int().min(1).default(60),
    /** Unpaid orders one buyer may hold at once. */
    MAX_OPEN_ORDERS: configFields.limit.default(5),
    /** Orders one buyer may create in 10 minutes (refused attempts do not count). */
    ORDERS_PER_BUYER_PER_10_MIN: configFields.limit.default(20),
  },
  (raw) => ({
    expirationWindowSeconds: raw.EXPIRATION_WINDOW_SECONDS,
    expiryBackstopGraceSeconds: raw.EXPIRY_BACKSTOP_GRACE_SECONDS,
    limits: Object.freeze({
      maxOpenOrders: raw.MAX_OPEN_ORDERS,
      ordersPerBuyerPer10Min: raw.ORDERS_PER_BUYER_PER_10_MIN,
    }),
  }),
);

export type Config = ReturnType<typeof loadConfig>;
