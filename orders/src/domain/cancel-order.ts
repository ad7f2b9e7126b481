import { pendingEvent, withDocumentLock, withEvents } from '@gittix/common';
import type { Types } from 'mongoose';
import { releasedKey, type OrderDoc } from '../models/order';
import type { OrderDeps } from './order-deps';

export type CancelOutcome =
  | { outcome: 'cancelled'; order: OrderDoc }
  /** Already cancelled: nothing changes and no event is published again. */
  | { outcome: 'already-cancelled'; order: OrderDoc }
  /** Complete (paid): it cannot be cancelled. */
  | { outcome: 'paid'; order: OrderDoc }
  | { outcome: 'not-found' };

const maxAttempts = 5;

/**
 * Cancels an order that still awaits payment: status `cancelled`, version + 1,
 * the reservation and the buyer's open-order slot released (their keys become
 * the order's own, so the ticket can be ordered again and the buyer may open
 * another order) and `order:cancelled` queued — one write. The buyer's
 * DELETE and expiration both come here; `byUserId` limits it to the buyer's
 * own orders (someone else's is "not found").
 */
export async function cancelOrder(
  deps: OrderDeps,
  orderId: Types.ObjectId,
  options: { byUserId?: string } = {},
): Promise<CancelOutcome> {
  const { Order } = deps.models;
  const result = await withDocumentLock(Order, orderId, async (): Promise<CancelOutcome> => {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const order = await Order.findById(orderId);
      if (!order || (options.byUserId !== undefined && !order.userId.equals(options.byUserId))) {
        return { outcome: 'not-found' };
      }
      if (order.status === 'cancelled') return { outcome: 'already-cancelled', order };
      if (order.status === 'complete') return { outcome: 'paid', order };

      const version = order.version + 1;
      const cancelled = pendingEvent('order:cancelled', {
        id: order._id.toHexString(),
        version,
        ticket: { id: order.ticket.id.toHexString() },
      });
      // Conditional on what was read: another instance completing or cancelling it meanwhile makes this miss, and we re-read.
      const updated = await Order.findOneAndUpdate(
        { _id: order._id, version: order.version, status: order.status },
        withEvents(
          {
            $set: { status: 'cancelled', reservationKey: releasedKey(order._id), buyerSlot: releasedKey(order._id) },
            $inc: { version: 1 },
          },
          cancelled,
        ),
        { returnDocument: 'after' },
      );
      if (updated) return { outcome: 'cancelled', order: updated };
    }
    throw new Error(`order ${orderId.toHexString()} kept changing while it was being cancelled`);
  });
  if (result.outcome === 'cancelled') await deps.outbox.flush(Order, orderId);
  return result;
}
