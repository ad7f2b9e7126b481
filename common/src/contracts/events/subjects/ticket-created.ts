import { z } from 'zod';
import { eventDate, objectId, price, priceCents, version } from './fields';

/** Published by tickets when a seller lists a ticket. Orders creates its replica at this version. */
export const ticketCreatedSubject = 'ticket:created' as const;
export const ticketCreatedSchema = z.object({
  id: objectId,
  version,
  title: z.string().min(1),
  price,
  priceCents,
  userId: objectId,
  eventDate,
});
export type TicketCreatedEvent = z.infer<typeof ticketCreatedSchema>;
