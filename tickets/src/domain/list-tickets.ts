import { toPage } from '@gittix/common';
import type { QueryFilter, Types } from 'mongoose';
import type { Models } from '../models';
import type { TicketAttrs } from '../models/ticket';

export interface ListTicketsQuery {
  /** A seller's own tickets, of every status; without it, only `available` ones. */
  userId?: string;
  limit: number;
  /** Start after this ticket (from the previous page's cursor). */
  after?: Types.ObjectId;
}

export interface TicketPage {
  tickets: TicketAttrs[];
  /** The last ticket of this page when more follow. */
  lastId?: Types.ObjectId;
}

/**
 * One page of tickets, newest first (`_id` descending: ObjectIds grow with
 * creation time, and being unique they are their own tiebreak). Keyset
 * pagination: the next page is `_id < last`, served by the `listing` or
 * `by_seller` index as one bounded range, so page 1000 costs what page 1 does.
 * Deleted tickets never appear.
 */
export async function listTickets(models: Models, query: ListTicketsQuery): Promise<TicketPage> {
  const filter: QueryFilter<TicketAttrs> = query.userId
    ? { userId: query.userId, deleted: false }
    : { status: 'available', deleted: false };
  if (query.after) filter._id = { $lt: query.after };
  // One more than asked tells whether another page exists, without counting.
  const found = await models.Ticket.find(filter)
    .sort({ _id: -1 })
    .limit(query.limit + 1)
    .lean<TicketAttrs[]>();
  const { items, lastId } = toPage(found, query.limit);
  return lastId ? { tickets: items, lastId } : { tickets: items };
}
