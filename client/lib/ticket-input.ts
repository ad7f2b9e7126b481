/**
 * The sell and edit form's checks, as pure functions: what a seller typed →
 * the body of POST or PUT /api/tickets, or a message per field. The rules are
 * the API's own (`@gittix/common/contracts`: field limits, the http(s) image
 * link, the price range in cents); only the wording is the form's.
 */
import {
  fromCents,
  isChargeableCents,
  isHttpUrl,
  maxPriceCents,
  minPriceCents,
  ticketFieldLimits,
  toCents,
  type TicketBody,
} from '@gittix/common/contracts';
import { formatPrice } from './format';

export type TicketField = 'title' | 'price' | 'description' | 'imageUrl';
export const TICKET_FIELDS: readonly TicketField[] = ['title', 'price', 'description', 'imageUrl'];

export type TicketFormValues = Record<TicketField, string>;
export type TicketFieldErrors = Partial<Record<TicketField, string>>;

/** Digits with at most two decimals, an optional `$` in front; the range is checked in cents after. */
const PRICE_PATTERN = /^\d{1,9}(\.\d{1,2})?$/;

/** A price typed by a seller (`25`, ` $19.99 `): the API's rules, $0.50 to $999,999.99 with at most two decimals. */
export function parsePriceInput(value: string): { price: number } | { error: string } {
  const trimmed = value.trim().replace(/^\$/, '');
  if (trimmed === '') return { error: 'Enter a price' };
  if (!PRICE_PATTERN.test(trimmed)) return { error: 'Enter a price like 25 or 19.99' };
  const price = Number(trimmed);
  const cents = toCents(price); // exact: the pattern admits at most two decimals
  if (isChargeableCents(cents)) return { price };
  return cents < minPriceCents
    ? { error: `The price must be at least ${formatPrice(fromCents(minPriceCents))}` }
    : { error: `The price can be at most ${formatPrice(fromCents(maxPriceCents))}` };
}

/**
 * The request body for the form's values, or the errors to show. `editing`:
 * the form edits an existing ticket, whose API keeps a field that is left out,
 * so an image URL the seller cleared is sent as `null` (remove the image);
 * a new ticket simply has none.
 */
export function validateTicketForm(
  values: TicketFormValues,
  { editing }: { editing: boolean },
): { input: TicketBody; errors: TicketFieldErrors } | { input?: undefined; errors: TicketFieldErrors } {
  const errors: TicketFieldErrors = {};
  const title = values.title.trim();
  if (title === '') errors.title = 'Enter a title';
  else if (title.length > ticketFieldLimits.title) errors.title = `Use at most ${ticketFieldLimits.title} characters`;
  const price = parsePriceInput(values.price);
  if ('error' in price) errors.price = price.error;
  const description = values.description.trim();
  if (description.length > ticketFieldLimits.description)
    errors.description = `Use at most ${ticketFieldLimits.description} characters`;
  const imageUrl = values.imageUrl.trim();
  if (imageUrl.length > ticketFieldLimits.imageUrl)
    errors.imageUrl = `Use at most ${ticketFieldLimits.imageUrl} characters`;
  else if (imageUrl !== '' && !isHttpUrl(imageUrl))
    errors.imageUrl = 'Enter a web address starting with http:// or https://';
  if ('error' in price || Object.keys(errors).length > 0) return { errors };
  const image = imageUrl !== '' ? { imageUrl } : editing ? { imageUrl: null } : {};
  return { errors, input: { title, price: price.price, description, ...image } };
}
