/**
 * The part of `@gittix/common/contracts` that the code on every page needs,
 * without zod.
 *
 * Any value imported through `lib/contracts.ts` makes the bundler keep every
 * module of the contracts (their schemas are built when the module loads):
 * about 105 kB of zod, 28 kB gzipped, on each page that imports so much as a
 * status list. So the header, the listings, the ticket and order pages and
 * the sign-in and sign-up forms import from here, and only the sell/edit form's
 * checks (lib/ticket-input.ts, loaded on demand) bring zod. Everything below comes from common's
 * zod-free modules (`statuses.ts`, `ticket-rules.ts`, `user-rules.ts`): the
 * rules live there, once; only the app's wording of them is here.
 */
import {
  cityKey,
  hasEventStarted,
  ticketCategories,
  ticketFieldLimits,
  ticketSorts,
  type TicketCategory,
  type TicketSort,
} from '../../common/src/contracts/ticket-rules';

export {
  ticketStatuses,
  orderStatuses,
  paymentStatuses,
  isOrderOpen,
  isOrderPayable,
  type TicketStatus,
  type OrderStatus,
  type PaymentStatus,
} from '../../common/src/contracts/statuses';
export { cityKey, ticketFieldLimits, type TicketCategory, type TicketSort };
export { userFieldLimits } from '../../common/src/contracts/user-rules';

/** What the app calls each category, in the contracts' order (`ticketCategories`). */
export const CATEGORY_LABELS: Readonly<Record<TicketCategory, string>> = {
  concert: 'Concert',
  sports: 'Sports',
  theatre: 'Theatre',
  comedy: 'Comedy',
  festival: 'Festival',
  other: 'Other',
};
export const TICKET_CATEGORIES: readonly TicketCategory[] = ticketCategories;

/** What the app calls each sort, in the contracts' order (`ticketSorts`); the first is the API's default. */
export const SORT_LABELS: Readonly<Record<TicketSort, string>> = {
  newest: 'Newest listed',
  soonest: 'Soonest event',
  price_asc: 'Price: low to high',
  price_desc: 'Price: high to low',
};
export const TICKET_SORTS: readonly TicketSort[] = ticketSorts;
export const DEFAULT_SORT: TicketSort = ticketSorts[0];

export function isTicketCategory(value: unknown): value is TicketCategory {
  return typeof value === 'string' && Object.hasOwn(CATEGORY_LABELS, value);
}

/** `hasEventStarted`: an event at `eventDate` has started at `now`; a ticket without a date never has. */
export function eventHasStarted(eventDate: string | null, now: number): boolean {
  return hasEventStarted(eventDate, now);
}
