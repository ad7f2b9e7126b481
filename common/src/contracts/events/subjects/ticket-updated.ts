import { z } from 'zod';
import { ticketStatuses } from '../../statuses';
import { eventDate, objectId, price, priceCents, version } from './fields';

/** Published by tickets on every change, reservation changes included. */
export const ticketUpdatedSubject = 'ticket:updated' as const;
export const ticketUpdatedSchema = z.object({
  id: objectId,
  version,
  title: z.string().min(1),
  price,
  priceCents,
  userId: objectId,
  eventDate,
  orderId: objectId.optional(),
  status: z.enum(ticketStatuses),
});
export type TicketUpdatedEvent = z.infer<typeof ticketUpdatedSchema>;
