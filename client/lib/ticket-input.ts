/**
 * The sell and edit form's checks, as pure functions: what a seller typed →
 * the body of POST or PUT /api/tickets, or a message per field. The rules are
 * the API's own: the body is checked with the very schemas the tickets
 * service uses (`ticketBodySchema`, `ticketUpdateSchema`, `priceInput` from
 * `@gittix/common/contracts`); only the wording is the form's.
 *
 * zod comes with them (about 31 kB of gzipped JavaScript), so the form imports
 * this module on demand, once it is on screen, not with the page.
 */
import {
  fromCents,
  hasEventStarted,
  maxEventYearsAhead,
  maxPriceCents,
  minPriceCents,
  priceInput,
  ticketBodySchema,
  ticketUpdateSchema,
  type TicketBody,
  type TicketUpdateBody,
} from '@gittix/common/contracts';
import { formatPrice } from './format';
import { datetimeLocalToIso, type OffsetOf } from './local-time';
import { TICKET_FIELDS, type TicketField, type TicketFieldErrors, type TicketFormValues } from './ticket-form-values';

type EventField = 'eventDate' | 'venue' | 'city' | 'category';
const EVENT_FIELDS: readonly EventField[] = ['eventDate', 'venue', 'city', 'category'];

/** A price as typed: digits, at most one decimal point, an optional `$` in front. Which amounts are allowed is `priceInput`'s. */
const PRICE_SHAPE = /^\d+(\.\d+)?$/;

/** A price typed by a seller (`25`, ` $19.99 `), checked by the API's `priceInput`: $0.50 to $999,999.99, at most two decimals. */
export function parsePriceInput(value: string): { price: number } | { error: string } {
  const trimmed = value.trim().replace(/^\$\s*/, '');
  if (trimmed === '') return { error: 'Enter a price' };
  if (!PRICE_SHAPE.test(trimmed)) return { error: 'Enter a price like 25 or 19.99' };
  const price = Number(trimmed);
  if (priceInput.safeParse(price).success) return { price };
  if (/\.\d{3,}$/.test(trimmed)) return { error: 'Use at most two decimals, like 19.99' };
  return price < fromCents(minPriceCents)
    ? { error: `The price must be at least ${formatPrice(fromCents(minPriceCents))}` }
    : { error: `The price can be at most ${formatPrice(fromCents(maxPriceCents))}` };
}

const REQUIRED_MESSAGES: Record<TicketField, string> = {
  title: 'Enter a title',
  eventDate: 'Enter the date and time of the event',
  venue: 'Enter the venue',
  city: 'Enter the city',
  category: 'Choose a category',
  price: 'Enter a price',
  description: 'Enter a description',
  imageUrl: 'Enter a web address',
};

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  maximum?: unknown;
  input?: unknown;
}

/** The form's words for the API's verdict on one field. */
function messageFor(field: TicketField, issue: Issue, values: TicketFormValues, eventIso: string | null): string {
  if (issue.code === 'too_big' && typeof issue.maximum === 'number') return `Use at most ${issue.maximum} characters`;
  switch (field) {
    case 'price': {
      const parsed = parsePriceInput(values.price);
      return 'error' in parsed ? parsed.error : issue.message;
    }
    case 'eventDate':
      if (values.eventDate.trim() === '') return REQUIRED_MESSAGES.eventDate;
      if (eventIso === null || issue.code === 'invalid_format') return 'Enter a valid date and time';
      return hasEventStarted(eventIso)
        ? 'The event must be in the future'
        : `The event must be within ${maxEventYearsAhead} years from now`;
    case 'imageUrl':
      return 'Enter a web address starting with http:// or https://';
    case 'description':
      return issue.message;
    default:
      return REQUIRED_MESSAGES[field];
  }
}

function isTicketField(value: PropertyKey | undefined): value is TicketField {
  return typeof value === 'string' && (TICKET_FIELDS as readonly string[]).includes(value);
}

type Result<T> = { input: T; errors: TicketFieldErrors } | { input?: undefined; errors: TicketFieldErrors };

/**
 * The request body for the form's values, or the errors to show.
 *
 * Selling (no `original`): the POST body, every event field required.
 * Editing (`original`: the form's values for the ticket as it is): the PUT
 * body, where a field that is left out keeps its value. So an event field the
 * seller did not change is not sent (an event date that has passed may stay
 * as it is), nor one that the ticket never had and still has not (a ticket
 * listed before tickets had event details); an image URL the seller cleared
 * is sent as `null` (remove the image).
 *
 * `offsetOf` (tests): the time zone the date is read in; the browser's own by default.
 */
export function validateTicketForm(values: TicketFormValues, options?: { offsetOf?: OffsetOf }): Result<TicketBody>;
export function validateTicketForm(
  values: TicketFormValues,
  options: { original: TicketFormValues; offsetOf?: OffsetOf },
): Result<TicketUpdateBody>;
export function validateTicketForm(
  values: TicketFormValues,
  options: { original?: TicketFormValues; offsetOf?: OffsetOf } = {},
): Result<TicketBody | TicketUpdateBody> {
  const { original, offsetOf } = options;
  const editing = original !== undefined;
  const eventIso = datetimeLocalToIso(values.eventDate, offsetOf);
  const price = parsePriceInput(values.price);
  const imageUrl = values.imageUrl.trim();

  const body: Record<string, unknown> = {
    title: values.title,
    price: 'price' in price ? price.price : undefined,
    description: values.description,
    ...(imageUrl !== '' ? { imageUrl } : editing ? { imageUrl: null } : {}),
  };
  const event: Record<EventField, string | undefined> = {
    // A date the input cannot hold is sent as typed: the schema refuses it.
    eventDate: eventIso === '' ? undefined : (eventIso ?? values.eventDate),
    venue: values.venue === '' ? undefined : values.venue,
    city: values.city === '' ? undefined : values.city,
    category: values.category === '' ? undefined : values.category,
  };
  for (const field of EVENT_FIELDS) {
    if (editing) {
      const unchanged = values[field] === original[field];
      const neverHad = original[field] === '' && values[field].trim() === '';
      if (unchanged || neverHad) continue;
      // Emptied: sent empty, so the API's "required" answers rather than "keep".
      body[field] = event[field] ?? '';
    } else if (event[field] !== undefined) {
      body[field] = event[field];
    }
  }

  const result = editing ? ticketUpdateSchema.safeParse(body) : ticketBodySchema.safeParse(body);
  const errors: TicketFieldErrors = {};
  if ('error' in price) errors.price = price.error;
  if (!result.success) {
    for (const issue of result.error.issues as Issue[]) {
      const field = issue.path[0];
      if (isTicketField(field) && errors[field] === undefined)
        errors[field] = messageFor(field, issue, values, eventIso);
    }
  }
  if (!result.success || Object.keys(errors).length > 0) return { errors };
  // The schema's output, trimmed and collapsed as the API will store it; the date stays the wire's ISO string.
  const { eventDate: _parsedDate, ...checked } = result.data;
  const input = { ...checked, ...(typeof body.eventDate === 'string' ? { eventDate: body.eventDate } : {}) };
  return { errors, input };
}
