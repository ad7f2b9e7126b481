import { toCents } from '@gittix/common/contracts';
import { changeDocument, pendingEvent, type PendingEvent } from '@gittix/common/db';
import type { Types, UpdateQuery } from 'mongoose';
import type { TicketAttrs, TicketDoc } from '../models/ticket';
import type { TicketDeps } from './deps';

type SettableFields = Partial<
  Pick<
    TicketAttrs,
    | 'title'
    | 'price'
    | 'description'
    | 'imageUrl'
    | 'eventDate'
    | 'venue'
    | 'city'
    | 'cityKey'
    | 'category'
    | 'status'
    | 'orderId'
    | 'deleted'
    | 'deletedAt'
  >
>;

/** One change to a ticket, decided by a rule from the ticket as it is now. */
export interface TicketChange {
  set?: SettableFields;
  unsetOrderId?: boolean;
  /** Remembers an order that must never hold this ticket (bookkeeping: on its own it bumps no version and publishes nothing). */
  closeOrderId?: Types.ObjectId;
  /** Present for a visible change: the version goes up by one and this event is queued in the same write. */
  event?: 'ticket:updated' | 'ticket:deleted';
}

/**
 * How many closed orders a ticket remembers. They are kept only so that an
 * order:created delivered late (after its own order:cancelled) reserves
 * nothing; such a delay lasts a few redeliveries, seconds, while twenty
 * order-and-cancel cycles of one ticket take far longer (each buyer may hold
 * five orders and create twenty in ten minutes). The bound keeps the hot row
 * from growing with every cancellation.
 */
export const closedOrdersKept = 20;

/**
 * Applies one change to a ticket. `plan` sees the ticket as stored (null when
 * there is none) and returns the change, nothing (no-op) or throws to refuse.
 * Written through the one write path (changeDocument): conditional on what
 * `plan` saw, the closed orders included, with its event in the same write,
 * so every visible change is exactly version + 1 and its event lands with it.
 */
export function changeTicket(
  deps: TicketDeps,
  id: Types.ObjectId,
  plan: (ticket: TicketDoc | null) => TicketChange | undefined,
): Promise<{ ticket: TicketDoc | null; changed: boolean }> {
  return changeDocument<TicketAttrs, { ticket: TicketDoc | null; changed: boolean }>(
    { model: deps.models.Ticket, outbox: deps.outbox },
    id,
    (ticket, change) => {
      const decision = plan(ticket);
      if (!ticket || !decision) return { ticket, changed: false };
      const update: UpdateQuery<TicketAttrs> = {};
      const set: Record<string, unknown> = { ...decision.set };
      const closeOrderId = decision.closeOrderId;
      if (closeOrderId && !ticket.closedOrderIds.some((closed) => closed.equals(closeOrderId)))
        set.closedOrderIds = [...ticket.closedOrderIds, closeOrderId].slice(-closedOrdersKept);
      if (Object.keys(set).length > 0) update.$set = set;
      if (decision.unsetOrderId) update.$unset = { orderId: 1 };
      if (Object.keys(update).length === 0) return { ticket, changed: false };
      // The closed orders are part of what `plan` saw: a concurrent cancellation
      // (bookkeeping, no new version) makes a reservation re-plan.
      const unchanged = { closedOrderIds: ticket.closedOrderIds };
      const changed = (after: TicketDoc) => ({ ticket: after, changed: decision.event !== undefined });
      if (!decision.event) return change.write({ update, unchanged, touch: false }, changed);
      update.$inc = { version: 1 };
      const event = ticketEvent(decision.event, afterChange(ticket, decision), ticket.version + 1);
      return change.write({ update, unchanged, events: [event] }, changed);
    },
    { conflictMessage: 'The ticket was changed at the same time; try again' },
  );
}

interface EventFields {
  _id: Types.ObjectId;
  title: string;
  price: number;
  userId: Types.ObjectId;
  eventDate?: Date;
  status: TicketAttrs['status'];
  orderId?: Types.ObjectId;
}

function afterChange(ticket: TicketDoc, change: TicketChange): EventFields {
  const orderId = change.unsetOrderId ? undefined : (change.set?.orderId ?? ticket.orderId);
  return {
    _id: ticket._id,
    title: change.set?.title ?? ticket.title,
    price: change.set?.price ?? ticket.price,
    userId: ticket.userId,
    eventDate: change.set?.eventDate ?? ticket.eventDate,
    status: change.set?.status ?? ticket.status,
    ...(orderId ? { orderId } : {}),
  };
}

/** The event describing a ticket at a version; `ticket:updated` carries the reservation state too. */
export function ticketEvent(
  subject: 'ticket:created' | 'ticket:updated' | 'ticket:deleted',
  ticket: EventFields,
  version: number,
): PendingEvent {
  const id = ticket._id.toHexString();
  if (subject === 'ticket:deleted') return pendingEvent(subject, { id, version });
  const base = {
    id,
    version,
    title: ticket.title,
    price: ticket.price,
    priceCents: toCents(ticket.price),
    userId: ticket.userId.toHexString(),
    eventDate: ticket.eventDate ? ticket.eventDate.toISOString() : null,
  };
  if (subject === 'ticket:created') return pendingEvent(subject, base);
  return pendingEvent(subject, {
    ...base,
    status: ticket.status,
    ...(ticket.orderId ? { orderId: ticket.orderId.toHexString() } : {}),
  });
}
