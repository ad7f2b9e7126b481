import { NotYetApplicableError, type Logger } from '@gittix/common/core';
import { Types } from 'mongoose';
import { changeTicket } from './change-ticket';
import type { TicketDeps } from './deps';

/**
 * payment:created → the ticket reserved for that order is `sold` (version + 1,
 * `ticket:updated`). The event names the order only, so the ticket is found by
 * its `orderId`. If no ticket holds the order yet, its `order:created` has not
 * been applied: wait for redelivery. If the order was cancelled, the ticket is
 * not sold to it (payments refunds such charges, on order:cancelled).
 */
export async function sellTicket(deps: TicketDeps, orderIdText: string, log: Logger): Promise<void> {
  const { Ticket } = deps.models;
  const orderId = new Types.ObjectId(orderIdText);
  const held = await Ticket.findOne({ orderId }, { _id: 1 }).lean();
  if (!held) {
    if (await Ticket.exists({ closedOrderIds: orderId })) {
      log.warn(
        { orderId: orderIdText },
        'payment:created for a cancelled order; no ticket is sold to it, and payments refunds the charge',
      );
      return;
    }
    throw new NotYetApplicableError(`no ticket is reserved for order ${orderIdText} yet`);
  }
  await changeTicket(deps, held._id, (ticket) => {
    if (!ticket?.orderId?.equals(orderId)) {
      throw new NotYetApplicableError(`the ticket of order ${orderIdText} changed meanwhile; retrying`);
    }
    if (ticket.status === 'sold') return undefined;
    return { set: { status: 'sold' }, event: 'ticket:updated' };
  });
}
