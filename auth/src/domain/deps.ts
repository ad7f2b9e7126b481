import type { RevocationCache } from '@gittix/common/core';
import type { Outbox } from '@gittix/common/db';
import type { Models } from '../models';

/** What the account and session rules need. */
export interface AuthDeps {
  models: Models;
  /** Publishes session:revoked (the outbox of the sessions collection). */
  outbox: Outbox;
  /** This process's view of revocations, told at once (other instances see it within its cache time). */
  revocations: RevocationCache;
  /** Signs session tokens (JWT_KEY) that last `jwtTtlSeconds` (JWT_TTL). */
  jwtKey: string;
  jwtTtlSeconds: number;
}
