import type { PageQuery } from '@gittix/common/contracts';
import { NotFoundError } from '@gittix/common/core';
import { findPage, type Page } from '@gittix/common/db';
import type { QueryFilter } from 'mongoose';
import type { Models } from '../models';
import type { TicketAttrs } from '../models/ticket';

/**
 * One page of tickets, newest first: a seller's own (`userId`), of every
 * status, or else only the available ones. Each is served by its index
 * (`by_seller`, `listing`) as one bounded range. Deleted tickets never appear.
 */
export function listTickets(models: Models, query: PageQuery & { userId?: string }): Promise<Page<TicketAttrs>> {
  const filter: QueryFilter<TicketAttrs> = query.userId
    ? { userId: query.userId, deleted: false }
    : { status: 'available', deleted: false };
  return findPage(models.Ticket, filter, query);
}

/** One ticket, unless it does not exist or was deleted (404). */
export async function findTicket(models: Models, id: string): Promise<TicketAttrs> {
  // By `_id` alone: the one lookup every MongoDB-compatible server answers from its primary key.
  const ticket = await models.Ticket.findById(id).lean<TicketAttrs>();
  if (!ticket || ticket.deleted) throw new NotFoundError('Ticket not found');
  return ticket;
}
