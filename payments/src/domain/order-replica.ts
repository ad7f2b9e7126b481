import { isDuplicateKeyError, NotYetApplicableError, toCents, withDocumentLock, type EventData } from '@gittix/common';
import type { Models } from '../models';

export type ReplicaOutcome = 'applied' | 'duplicate';

/**
 * order:created → the replica, at the event's version. A redelivery finds the
 * replica there already and changes nothing.
 */
export function applyOrderCreated(models: Models, data: EventData<'order:created'>): Promise<ReplicaOutcome> {
  const { Order } = models;
  return withDocumentLock(Order, data.id, async () => {
    try {
      await Order.create({
        _id: data.id,
        userId: data.userId,
        price: data.ticket.price,
        priceCents: data.ticket.priceCents ?? toCents(data.ticket.price),
        status: data.status,
        expiresAt: new Date(data.expiresAt),
        version: data.version,
      });
      return 'applied';
    } catch (err) {
      if (isDuplicateKeyError(err)) return 'duplicate';
      throw err;
    }
  });
}

/**
 * order:cancelled → status `cancelled`, applied only as the next version
 * (DESIGN §3): an older or equal version is a duplicate; a newer one, or one
 * for an order not known yet, waits for redelivery.
 */
export function applyOrderCancelled(models: Models, data: EventData<'order:cancelled'>): Promise<ReplicaOutcome> {
  const { Order } = models;
  // The lock makes the read and the conditional write one step (FerretDB does not isolate concurrent updates).
  return withDocumentLock(Order, data.id, async () => {
    const order = await Order.findById(data.id);
    if (!order) throw new NotYetApplicableError(`order ${data.id} is not known yet (order:created not applied)`);
    if (data.version <= order.version) return 'duplicate';
    if (data.version > order.version + 1) {
      throw new NotYetApplicableError(
        `order ${data.id} is at version ${order.version}; event is version ${data.version}`,
      );
    }
    await Order.updateOne(
      { _id: order._id, version: order.version },
      { $set: { status: 'cancelled', version: data.version } },
    );
    return 'applied';
  });
}
