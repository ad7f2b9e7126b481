import { cityKey, type TicketInput } from '@gittix/common/contracts';
import { insertDocument } from '@gittix/common/db';
import { Types } from 'mongoose';
import type { TicketDoc } from '../models/ticket';
import { ticketEvent } from './change-ticket';
import type { TicketDeps } from './deps';

export interface Seller {
  id: string;
  username: string;
}

/** Lists a ticket at version 0; `ticket:created` is stored with it and published right after. */
export function createTicket(deps: TicketDeps, seller: Seller, input: TicketInput): Promise<TicketDoc> {
  const fields = {
    _id: new Types.ObjectId(),
    title: input.title,
    price: input.price,
    userId: new Types.ObjectId(seller.id),
    username: seller.username,
    description: input.description ?? '',
    imageUrl: input.imageUrl ?? null,
    eventDate: input.eventDate,
    venue: input.venue,
    city: input.city,
    cityKey: cityKey(input.city),
    category: input.category,
    status: 'available' as const,
    version: 0,
  };
  return insertDocument({ model: deps.models.Ticket, outbox: deps.outbox }, fields, [
    ticketEvent('ticket:created', fields, 0),
  ]);
}
