import { withInitialEvents } from '@gittix/common';
import { Types } from 'mongoose';
import type { TicketDoc } from '../models/ticket';
import { ticketEvent, type TicketDeps } from './change-ticket';

export interface TicketInput {
  title: string;
  price: number;
  /** Omitted on an update: keep the current value; null: clear it. */
  description?: string | null;
  imageUrl?: string | null;
}

export interface Seller {
  id: string;
  username: string;
}

/** Lists a ticket at version 0; `ticket:created` is stored with it and published right after. */
export async function createTicket(deps: TicketDeps, seller: Seller, input: TicketInput): Promise<TicketDoc> {
  const { Ticket } = deps.models;
  const fields = {
    _id: new Types.ObjectId(),
    title: input.title,
    price: input.price,
    userId: new Types.ObjectId(seller.id),
    username: seller.username,
    description: input.description ?? '',
    imageUrl: input.imageUrl ?? null,
    status: 'available' as const,
    version: 0,
  };
  const ticket = await Ticket.create(withInitialEvents(fields, ticketEvent('ticket:created', fields, 0)));
  await deps.outbox.flush(Ticket, ticket._id);
  return ticket;
}
