import { expirationJobOptions, type ExpirationQueue } from '../queues/expiration-queue';

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
  queue: ExpirationQueue,
  order: OrderToExpire,
  now = Date.now(),
): Promise<ScheduledExpiration> {
  const options = expirationJobOptions(order.id, Date.parse(order.expiresAt), now);
  await queue.add({ orderId: order.id }, options);
  return { orderId: order.id, delayMs: options.delay };
}
