import {
  HttpError,
  pendingEvent,
  toCents,
  withDocumentLock,
  withEvents,
  type Outbox,
  type PendingEvent,
} from '@gittix/common';
import type { Types, UpdateQuery } from 'mongoose';
import type { Models } from '../models';
import type { TicketAttrs, TicketDoc } from '../models/ticket';

/** What the ticket rules need: the models and the outbox that publishes their events. */
export interface TicketDeps {
  models: Models;
  outbox: Outbox;
}

type SettableFields = Partial<
  Pick<TicketAttrs, 'title' | 'price' | 'description' | 'imageUrl' | 'status' | 'orderId' | 'deleted' | 'deletedAt'>
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

/** 409: another writer (another instance of this service) changed the ticket at the same moment, every time we tried. */
export class TicketConflictError extends HttpError {
  constructor() {
    super(409, 'The ticket was changed at the same time; try again');
  }
}

const maxAttempts = 5;

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
 *
 * The write is conditional on the version `plan` saw and carries its event in
 * the same update (outbox), so a change and its event land together, and
 * every visible change is exactly version + 1. Inside this process the
 * document lock serializes writers of one ticket (FerretDB does not isolate
 * concurrent updates); across instances on MongoDB the version condition does,
 * and a lost race re-reads and re-plans. Events are published after the lock is
 * released.
 */
export async function changeTicket(
  deps: TicketDeps,
  id: Types.ObjectId,
  plan: (ticket: TicketDoc | null) => TicketChange | undefined,
): Promise<{ ticket: TicketDoc | null; changed: boolean }> {
  const { Ticket } = deps.models;
  const result = await withDocumentLock(Ticket, id, async () => {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const ticket = await Ticket.findById(id);
      const change = plan(ticket);
      if (!ticket || !change) return { ticket, changed: false };

      const update: UpdateQuery<TicketAttrs> = {};
      const set: Record<string, unknown> = { ...change.set };
      const closeOrderId = change.closeOrderId;
      if (closeOrderId && !ticket.closedOrderIds.some((closed) => closed.equals(closeOrderId)))
        set.closedOrderIds = [...ticket.closedOrderIds, closeOrderId].slice(-closedOrdersKept);
      if (Object.keys(set).length > 0) update.$set = set;
      if (change.unsetOrderId) update.$unset = { orderId: 1 };
      if (Object.keys(update).length === 0) return { ticket, changed: false };
      // Conditional on what `plan` saw, the closed orders included: a concurrent
      // cancellation (bookkeeping, no new version) makes a reservation re-plan.
      const filter = { _id: ticket._id, version: ticket.version, closedOrderIds: ticket.closedOrderIds };

      let updated: TicketDoc | null;
      if (change.event) {
        update.$inc = { version: 1 };
        const event = ticketEvent(change.event, afterChange(ticket, change), ticket.version + 1);
        updated = await Ticket.findOneAndUpdate(filter, withEvents(update, event), {
          returnDocument: 'after',
        });
      } else {
        // Bookkeeping only: nothing a reader sees changes, so neither does `updatedAt`.
        updated = await Ticket.findOneAndUpdate(filter, update, { returnDocument: 'after', timestamps: false });
      }
      if (updated) return { ticket: updated, changed: change.event !== undefined };
    }
    throw new TicketConflictError();
  });
  if (result.changed) await deps.outbox.flush(Ticket, id);
  return result;
}

interface EventFields {
  _id: Types.ObjectId;
  title: string;
  price: number;
  userId: Types.ObjectId;
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
    status: change.set?.status ?? ticket.status,
    ...(orderId ? { orderId } : {}),
  };
}

/** The event describing a ticket at a version; `ticket:updated` carries the reservation state too (DESIGN §3). */
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
  };
  if (subject === 'ticket:created') return pendingEvent(subject, base);
  return pendingEvent(subject, {
    ...base,
    status: ticket.status,
    ...(ticket.orderId ? { orderId: ticket.orderId.toHexString() } : {}),
  });
}
