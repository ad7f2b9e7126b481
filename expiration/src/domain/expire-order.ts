import type { ExpirationCompletePublisher } from '../events/publishers/expiration-complete-publisher';

/**
 * Announces that an order's reservation window has passed. Awaited: if the
 * bus refuses the event this rejects, the Bull job fails and is retried, so
 * the event is never dropped. The orders service decides whether the order
 * is still open to cancel (a paid order ignores it).
 */
export async function expireOrder(publisher: ExpirationCompletePublisher, orderId: string): Promise<void> {
  await publisher.publish({ orderId });
}
