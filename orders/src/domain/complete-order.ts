import { isOrderOpen } from '@gittix/common/contracts';
import type { Logger } from '@gittix/common/core';
import { changeDocument } from '@gittix/common/db';
import { Types } from 'mongoose';
import { releasedKey, type OrderAttrs } from '../models/order';
import type { OrderDeps } from './deps';

/**
 * payment:created → the order is `complete`, keeps holding its ticket for good
 * and no longer counts as one of the buyer's open orders. Idempotent. A payment
 * for a cancelled order cannot complete it (the ticket may be someone else's by
 * now): payments refunds such a charge when it hears of the cancellation, so
 * here it is only noted. Completing publishes no event, so it does not take a
 * version: versions number the events other services apply in order.
 */
export async function completeOrder(deps: OrderDeps, orderIdText: string, log: Logger): Promise<void> {
  await changeDocument<OrderAttrs, void>(
    { model: deps.models.Order },
    new Types.ObjectId(orderIdText),
    (order, change) => {
      if (!order) {
        log.warn({ orderId: orderIdText }, 'payment:created for an unknown order; ignored');
      } else if (order.status === 'cancelled') {
        log.warn(
          { orderId: orderIdText },
          'payment:created for a cancelled order; it stays cancelled and payments refunds the charge',
        );
      } else if (isOrderOpen(order)) {
        return change.write(
          {
            update: { $set: { status: 'complete', buyerSlot: releasedKey(order._id) } },
            unchanged: { status: order.status },
          },
          () => undefined,
        );
      }
    },
  );
}
