import { isOrderOpen } from '@gittix/common/contracts';
import { changeDocument, pendingEvent } from '@gittix/common/db';
import type { Types } from 'mongoose';
import { releasedKey, type OrderAttrs, type OrderDoc } from '../models/order';
import type { OrderDeps } from './deps';

export type CancelOutcome =
  | { outcome: 'cancelled'; order: OrderDoc }
  /** Already cancelled: nothing changes and no event is published again. */
  | { outcome: 'already-cancelled'; order: OrderDoc }
  /** Complete (paid): it cannot be cancelled. */
  | { outcome: 'paid'; order: OrderDoc }
  | { outcome: 'not-found' };

/**
 * Cancels an order that still awaits payment: status `cancelled`, version + 1,
 * the reservation and the buyer's open-order slot released (their keys become
 * the order's own, so the ticket can be ordered again and the buyer may open
 * another order) and `order:cancelled` queued — one write. The buyer's
 * DELETE, expiration and the backstop all come here; `byUserId` limits it to
 * the buyer's own orders (someone else's is "not found").
 */
export function cancelOrder(
  deps: OrderDeps,
  orderId: Types.ObjectId,
  options: { byUserId?: string } = {},
): Promise<CancelOutcome> {
  return changeDocument<OrderAttrs, CancelOutcome>(
    { model: deps.models.Order, outbox: deps.outbox },
    orderId,
    (order, change) => {
      if (!order || (options.byUserId !== undefined && !order.userId.equals(options.byUserId)))
        return { outcome: 'not-found' };
      if (order.status === 'cancelled') return { outcome: 'already-cancelled', order };
      if (!isOrderOpen(order)) return { outcome: 'paid', order };
      const cancelled = pendingEvent('order:cancelled', {
        id: order._id.toHexString(),
        version: order.version + 1,
        ticket: { id: order.ticket.id.toHexString() },
      });
      return change.write(
        {
          update: {
            $set: { status: 'cancelled', reservationKey: releasedKey(order._id), buyerSlot: releasedKey(order._id) },
            $inc: { version: 1 },
          },
          unchanged: { status: order.status },
          events: [cancelled],
        },
        (written) => ({ outcome: 'cancelled', order: written }),
      );
    },
  );
}
