import type { Logger } from '@gittix/common/core';
import { Types } from 'mongoose';
import { changeTicket } from './change-ticket';
import type { TicketDeps } from './deps';
import { isClosedOrder } from './reserve-ticket';

/**
 * order:cancelled → the ticket is `available` again, but only if THIS order
 * holds it: a stale cancellation (order A cancelled after order B reserved the
 * ticket) must not release B's reservation. Either way the order is remembered
 * as closed, so its `order:created`, if it arrives late, reserves nothing.
 */
export async function releaseTicket(
  deps: TicketDeps,
  ticketId: string,
  orderIdText: string,
  log: Logger,
): Promise<void> {
  const orderId = new Types.ObjectId(orderIdText);
  await changeTicket(deps, new Types.ObjectId(ticketId), (ticket) => {
    if (!ticket) {
      log.warn({ ticketId, orderId: orderIdText }, 'order:cancelled for a ticket this service never had; ignored');
      return undefined;
    }
    if (ticket.orderId?.equals(orderId)) {
      if (ticket.status === 'sold') {
        log.error({ ticketId, orderId: orderIdText }, 'order:cancelled for an order that paid; the ticket stays sold');
        return undefined;
      }
      return { set: { status: 'available' }, unsetOrderId: true, closeOrderId: orderId, event: 'ticket:updated' };
    }
    return isClosedOrder(ticket, orderId) ? undefined : { closeOrderId: orderId };
  });
}
