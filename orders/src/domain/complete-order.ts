import { withDocumentLock, type Logger } from '@gittix/common';
import { Types } from 'mongoose';
import { releasedKey } from '../models/order';
import type { OrderDeps } from './order-deps';

const maxAttempts = 5;

/**
 * payment:created → the order is `complete`, keeps holding its ticket for good
 * and no longer counts as one of the buyer's open orders. Idempotent. A payment
 * for a cancelled order cannot complete it (the ticket may be someone else's by
 * now): payments refunds such a charge when it hears of the cancellation, so
 * here it is only noted. Completing publishes no event, so it does not take a
 * version: versions number the events other services apply in order.
 */
export async function completeOrder(deps: OrderDeps, orderIdText: string, log: Logger): Promise<void> {
  const { Order } = deps.models;
  const orderId = new Types.ObjectId(orderIdText);
  await withDocumentLock(Order, orderId, async () => {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const order = await Order.findById(orderId);
      if (!order) {
        log.warn({ orderId: orderIdText }, 'payment:created for an unknown order; ignored');
        return;
      }
      if (order.status === 'complete') return;
      if (order.status === 'cancelled') {
        log.warn(
          { orderId: orderIdText },
          'payment:created for a cancelled order; it stays cancelled and payments refunds the charge',
        );
        return;
      }
      const updated = await Order.findOneAndUpdate(
        { _id: order._id, version: order.version, status: order.status },
        { $set: { status: 'complete', buyerSlot: releasedKey(order._id) } },
        { returnDocument: 'after' },
      );
      if (updated) return;
    }
    throw new Error(`order ${orderIdText} kept changing while it was being completed`);
  });
}
