import { cityKey, type TicketUpdateInput } from '@gittix/common/contracts';
import { BadRequestError, ForbiddenError, NotFoundError } from '@gittix/common/core';
import type { Types } from 'mongoose';
import type { TicketAttrs, TicketDoc } from '../models/ticket';
import { changeTicket } from './change-ticket';
import type { TicketDeps } from './deps';

/**
 * Who may edit a ticket, in one place: the checks every seller action shares.
 * The ticket exists (and is not deleted), and the caller is its seller.
 */
export function ownedTicket(ticket: TicketDoc | null, userId: string): TicketDoc {
  if (!ticket || ticket.deleted) throw new NotFoundError('Ticket not found');
  if (!ticket.userId.equals(userId)) throw new ForbiddenError('You can only change your own tickets');
  return ticket;
}

/**
 * A seller edits an unreserved ticket: version + 1 and `ticket:updated`, in one
 * write. Omitted optional fields keep their values (a ticket listed before
 * event details existed gets them the first time they are given).
 */
export async function updateTicket(
  deps: TicketDeps,
  id: Types.ObjectId,
  userId: string,
  input: TicketUpdateInput,
): Promise<TicketDoc> {
  const { ticket } = await changeTicket(deps, id, (current) => {
    const own = ownedTicket(current, userId);
    if (own.status === 'reserved') throw new BadRequestError('Cannot edit a reserved ticket');
    if (own.status === 'sold') throw new BadRequestError('Cannot edit a sold ticket');
    const set: Partial<TicketAttrs> = { title: input.title, price: input.price };
    if (input.description !== undefined) set.description = input.description ?? '';
    if (input.imageUrl !== undefined) set.imageUrl = input.imageUrl;
    if (input.eventDate !== undefined) set.eventDate = input.eventDate;
    if (input.venue !== undefined) set.venue = input.venue;
    if (input.city !== undefined) Object.assign(set, { city: input.city, cityKey: cityKey(input.city) });
    if (input.category !== undefined) set.category = input.category;
    return { set, event: 'ticket:updated' };
  });
  if (!ticket) throw new NotFoundError('Ticket not found');
  return ticket;
}
