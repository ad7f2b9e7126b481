import { z } from 'zod';
import { objectId, version } from './fields';

/** Published by tickets when a seller deletes an unreserved ticket. */
export const ticketDeletedSubject = 'ticket:deleted' as const;
export const ticketDeletedSchema = z.object({ id: objectId, version });
export type TicketDeletedEvent = z.infer<typeof ticketDeletedSchema>;
