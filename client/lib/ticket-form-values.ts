/**
 * What the sell and edit form holds: its fields, in order, and their values
 * for a ticket. No zod here: this module renders with the form, on the page's
 * first load; the checks (./ticket-input, the API's schemas) load after it.
 */
import type { Ticket } from './api';
import { isoToDatetimeLocal, type OffsetOf } from './local-time';

export type TicketField = 'title' | 'eventDate' | 'venue' | 'city' | 'category' | 'price' | 'description' | 'imageUrl';
/** In the order the form shows them (the first wrong one gets the focus). */
export const TICKET_FIELDS: readonly TicketField[] = [
  'title',
  'eventDate',
  'venue',
  'city',
  'category',
  'price',
  'description',
  'imageUrl',
];

/** What the inputs hold; `eventDate` as a `datetime-local` input does (`2027-06-05T20:00`, the seller's own clock). */
export type TicketFormValues = Record<TicketField, string>;
export type TicketFieldErrors = Partial<Record<TicketField, string>>;

/** The form's values for a ticket being edited, or an empty sell form; the date in the seller's own zone. */
export function ticketFormValues(ticket?: Ticket, offsetOf?: OffsetOf): TicketFormValues {
  return {
    title: ticket?.title ?? '',
    eventDate: ticket ? isoToDatetimeLocal(ticket.eventDate, offsetOf) : '',
    venue: ticket?.venue ?? '',
    city: ticket?.city ?? '',
    category: ticket?.category ?? '',
    price: ticket ? ticket.price.toFixed(2) : '',
    description: ticket?.description ?? '',
    imageUrl: ticket?.imageUrl ?? '',
  };
}
