import { z } from 'zod';
import { priceInput } from './money';
import {
  cityKey,
  hasEventStarted,
  isHttpUrl,
  maxEventYearsAhead,
  ticketCategories,
  ticketFieldLimits,
  ticketSearchLimits,
  ticketSorts,
} from './ticket-rules';

const title = z
  .string({ error: (issue) => (issue.input === undefined ? 'Title is required' : 'Title must be a string') })
  .trim()
  .min(1, 'Title is required')
  .max(ticketFieldLimits.title, `Title must be at most ${ticketFieldLimits.title} characters`);

const description = z
  .string({ error: 'Description must be a string' })
  .trim()
  .max(ticketFieldLimits.description, `Description must be at most ${ticketFieldLimits.description} characters`)
  .nullable();

const imageUrl = z
  .string({ error: 'Image URL must be a string' })
  .trim()
  .max(ticketFieldLimits.imageUrl, `Image URL must be at most ${ticketFieldLimits.imageUrl} characters`)
  .refine(isHttpUrl, 'Image URL must be an http(s) URL')
  .nullable();

/** True when `yyyy-mm-dd` is a day of the calendar (2031-02-30 is not, though `Date` would roll it into March). */
function isCalendarDay(day: string): boolean {
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}

const isoDateTime = z.iso
  .datetime({ offset: true, error: 'Event date must be an ISO date-time, like 2027-06-05T20:00:00Z' })
  .refine((value) => isCalendarDay(value.slice(0, 10)), 'Event date must be a real date');

const eventDate = isoDateTime
  .refine((value) => !hasEventStarted(value), 'Event date must be in the future')
  .refine(
    (value) => Date.parse(value) <= Date.now() + maxEventYearsAhead * 366 * 24 * 3600_000,
    `Event date must be within ${maxEventYearsAhead} years`,
  )
  .transform((value) => new Date(value));

function placeName(label: 'Venue' | 'City', max: number) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `${label} is required` : `${label} must be a string`) })
    .trim()
    .transform((value) => value.replace(/\s+/g, ' '))
    .pipe(z.string().min(1, `${label} is required`).max(max, `${label} must be at most ${max} characters`));
}

const category = z.enum(ticketCategories, {
  error: `Category must be one of ${ticketCategories.join(', ')}`,
});

/** The event fields of a ticket: when, where and what kind of event. */
const eventShape = {
  eventDate,
  venue: placeName('Venue', ticketFieldLimits.venue),
  city: placeName('City', ticketFieldLimits.city),
  category,
};

/**
 * The body of POST /api/tickets: `title`, `price` and the event (`eventDate`
 * in the future, `venue`, `city`, `category`) required (the price rules are
 * money.ts's); `description` and `imageUrl` optional. Unknown fields are ignored.
 */
export const ticketBodySchema = z.object({
  title,
  price: priceInput,
  description: description.optional(),
  imageUrl: imageUrl.optional(),
  ...eventShape,
});
export type TicketBody = z.input<typeof ticketBodySchema>;
export type TicketInput = z.output<typeof ticketBodySchema>;

/**
 * The body of PUT /api/tickets/:id: `title` and `price` as on create; every
 * other field optional. An omitted field keeps its value; `null` clears
 * `description` or `imageUrl`. A given event field is checked as on create,
 * so a new `eventDate` must be in the future.
 */
export const ticketUpdateSchema = ticketBodySchema.partial({
  eventDate: true,
  venue: true,
  city: true,
  category: true,
});
export type TicketUpdateBody = z.input<typeof ticketUpdateSchema>;
export type TicketUpdateInput = z.output<typeof ticketUpdateSchema>;

// ---------------------------------------------------------------------------
// The public listing's query: GET /api/tickets?q=&city=&category=&from=&to=&minPrice=&maxPrice=&sort=

/** A query-string date: an ISO date-time with its offset, or a plain date (that day in UTC). */
function dateBound(field: 'from' | 'to') {
  const message = `${field} must be a date (2027-06-05) or an ISO date-time`;
  return z
    .string({ error: message })
    .refine(
      (value) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? isCalendarDay(value) : isoDateTime.safeParse(value).success),
      message,
    )
    .transform((value) => {
      if (value.length > 10) return new Date(value);
      // A whole day, inclusive: `from` its first millisecond, `to` its last.
      return new Date(`${value}T${field === 'from' ? '00:00:00.000' : '23:59:59.999'}Z`);
    })
    .refine((date) => !Number.isNaN(date.getTime()), message);
}

function priceBound(field: 'minPrice' | 'maxPrice') {
  const message = `${field} must be an amount like 25 or 19.99`;
  return z
    .string({ error: message })
    .regex(/^\d{1,9}(\.\d{1,2})?$/, message)
    .transform(Number);
}

/**
 * The filters and sort of the public listing (pagination is pageQueryShape's).
 * `q`: every word must appear, case-insensitively, in the title, venue, city
 * or description. `city`: exact, case-insensitive. `from`/`to` and
 * `minPrice`/`maxPrice`: inclusive. An empty parameter (`?city=`) is no filter,
 * as a cleared form field sends it.
 */
export const ticketSearchShape = {
  q: z
    .string({ error: 'q must be text' })
    .max(ticketSearchLimits.q, `q must be at most ${ticketSearchLimits.q} characters`)
    .transform((value) => value.toLowerCase().split(/\s+/).filter(Boolean))
    .refine((words) => words.length <= ticketSearchLimits.words, `q may have at most ${ticketSearchLimits.words} words`)
    .optional(),
  city: z
    .string({ error: 'city must be text' })
    .max(ticketFieldLimits.city, `city must be at most ${ticketFieldLimits.city} characters`)
    .transform(cityKey)
    .optional(),
  category: z.enum(ticketCategories, { error: `category must be one of ${ticketCategories.join(', ')}` }).optional(),
  from: dateBound('from').optional(),
  to: dateBound('to').optional(),
  minPrice: priceBound('minPrice').optional(),
  maxPrice: priceBound('maxPrice').optional(),
  sort: z.enum(ticketSorts, { error: `sort must be one of ${ticketSorts.join(', ')}` }).default('newest'),
};

/** Drops empty search parameters, so `?city=&sort=` means no city and the default sort (`limit=` stays an error). */
function withoutEmpty(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  return Object.fromEntries(
    Object.entries(input).filter(([name, value]) => !(value === '' && Object.hasOwn(ticketSearchShape, name))),
  );
}

/**
 * The listing's query schema: the search and sort parameters plus `extra`
 * (the API adds `limit`, `cursor` and `userId`), with the range checks: `to`
 * not before `from`, `maxPrice` not below `minPrice`.
 */
export function ticketSearchQuery<E extends z.ZodRawShape>(extra: E) {
  return z.preprocess(
    withoutEmpty,
    z.object({ ...ticketSearchShape, ...extra }).superRefine((s, ctx) => checkRanges(s as Ranges, ctx)),
  );
}

interface Ranges {
  from?: Date | undefined;
  to?: Date | undefined;
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
}

function checkRanges(s: Ranges, ctx: z.RefinementCtx): void {
  if (s.from && s.to && s.from > s.to)
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must not be before from' });
  if (s.minPrice !== undefined && s.maxPrice !== undefined && s.minPrice > s.maxPrice)
    ctx.addIssue({ code: 'custom', path: ['maxPrice'], message: 'maxPrice must not be below minPrice' });
}

/** The search as the web app reads it from its own URL. */
export const ticketSearchSchema = ticketSearchQuery({});
export type TicketSearch = z.output<typeof ticketSearchSchema>;
/** The query-string names of the search, in the order the app writes them. */
export const ticketSearchParams = Object.keys(ticketSearchShape) as (keyof typeof ticketSearchShape)[];
