import type { ExpirationCompleteEvent } from '@gittix/common/contracts';
import type { ExpirationQueue } from '../models/expiration-queue';

/** What the expiration rules need: the queue of delayed jobs, and how to announce an expiry. */
export interface ExpirationDeps {
  queue: ExpirationQueue;
  /** Publishes expiration:complete; resolves once the bus stored it. */
  announce: (event: ExpirationCompleteEvent) => Promise<void>;
}
