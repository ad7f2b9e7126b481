import { NotYetApplicableError, type Logger } from '@gittix/common/core';
import { Types } from 'mongoose';
import type { TicketDoc } from '../models/ticket';
import { changeTicket } from './change-ticket';
import type { TicketDeps } from './deps';

/** True when the ticket remembers this order as cancelled or refused. */
export function isClosedOrder(ticket: TicketDoc, orderId: Types.ObjectId): boolean {
  return ticket.closedOrderIds.some((closed) => closed.equals(orderId));
}

/**
 * order:created → the ticket is `reserved` for that order (version + 1,
 * `ticket:updated`). Idempotent: a duplicate, or an order already cancelled
 * (its `order:cancelled` overtook it), changes nothing. Held by another order:
 * that order's cancellation has not arrived yet, so wait for redelivery.
 */
export async function reserveTicket(
  deps: TicketDeps,
  ticketId: string,
  orderIdText: string,
  log: Logger,
): Promise<void> {
  const orderId = new Types.ObjectId(orderIdText);
  await changeTicket(deps, new Types.ObjectId(ticketId), (ticket) => {
    if (!ticket) {
      log.warn({ ticketId, orderId: orderIdText }, 'order:created for a ticket this service never had; ignored');
      return undefined;
    }
    if (ticket.orderId?.equals(orderId) || isClosedOrder(ticket, orderId)) return undefined;
    if (ticket.deleted || ticket.status === 'sold') {
      // The orders service reserved it before it learned of the deletion or sale; it cancels such orders itself.
      log.warn(
        { ticketId, orderId: orderIdText, status: ticket.status, deleted: ticket.deleted },
        'order:created for a ticket that is gone; not reserved',
      );
      return { closeOrderId: orderId };
    }
    if (ticket.status === 'reserved') {
      throw new NotYetApplicableError(
        `ticket ${ticketId} is still held by order ${String(ticket.orderId)}; waiting for its cancellation`,
      );
    }
    return { set: { status: 'reserved', orderId }, event: 'ticket:updated' };
  });
}
