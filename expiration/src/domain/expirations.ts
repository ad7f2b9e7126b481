import { expirationJobOptions } from '../models/expiration-queue';
import type { ExpirationDeps } from './deps';

export interface OrderToExpire {
  id: string;
  /** ISO timestamp after which the reservation lapses. */
  expiresAt: string;
}

export interface ScheduledExpiration {
  orderId: string;
  /** How long from now the job waits (0 when the order is already past due). */
  delayMs: number;
}

/**
 * Schedules an order's expiration at its `expiresAt`. The job id is the order
 * id, so scheduling the same order again (a redelivered event) adds nothing.
 * An order already past due fires at once.
 */
export async function scheduleExpiration(
  deps: ExpirationDeps,
  order: OrderToExpire,
  now = Date.now(),
): Promise<ScheduledExpiration> {
  const options = expirationJobOptions(order.id, Date.parse(order.expiresAt), now);
  await deps.queue.add({ orderId: order.id }, options);
  return { orderId: order.id, delayMs: options.delay };
}

/**
 * A job fell due: announce that the order's reservation window has passed.
 * Awaited: if the bus refuses the event this rejects, the job fails and is
 * retried, so the event is never dropped. The orders service decides whether
 * the order is still open to cancel (a paid order ignores it).
 */
export async function announceExpiry(deps: ExpirationDeps, orderId: string): Promise<void> {
  await deps.announce({ orderId });
}
