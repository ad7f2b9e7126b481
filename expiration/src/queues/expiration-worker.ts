import type { Logger } from '@gittix/common';
import { expireOrder } from '../domain/expire-order';
import type { ExpirationCompletePublisher } from '../events/publishers/expiration-complete-publisher';
import type { ExpirationQueue } from './expiration-queue';

/**
 * Jobs processed at once. Many orders fall due in the same second (a sale
 * opening); one at a time, each waiting for NATS to store its event, would
 * queue them behind each other and break the 2 s promise.
 */
export const defaultConcurrency = 50;

/**
 * Starts processing due jobs: each publishes `expiration:complete`, awaited.
 * Returns at once; Bull keeps processing until the queue is closed.
 */
export function startExpirationWorker(
  queue: ExpirationQueue,
  publisher: ExpirationCompletePublisher,
  logger: Logger,
  concurrency = defaultConcurrency,
): void {
  queue
    .process(concurrency, async (job) => {
      await expireOrder(publisher, job.data.orderId);
      logger.debug(
        { orderId: job.data.orderId, lateByMs: Date.now() - (job.timestamp + (job.opts.delay ?? 0)) },
        'order expired',
      );
    })
    .catch((err: unknown) => logger.error({ err }, 'expiration worker stopped'));
}
