/**
 * The ticket rules that need no zod: field limits, categories, sorts, when an
 * event has started, how cities compare. The web app imports this module on
 * every page without bringing zod along (tickets.ts builds the schemas from it).
 */

/** How long each field of a ticket may be; the API refuses longer values and the web form stops at them. */
export const ticketFieldLimits = {
  title: 120,
  description: 2000,
  imageUrl: 2048,
  venue: 120,
  city: 120,
} as const;

/** True for an absolute http(s) URL (the only kind of image link a ticket may carry). */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** What kind of event a ticket is for. */
export const ticketCategories = ['concert', 'sports', 'theatre', 'comedy', 'festival', 'other'] as const;
export type TicketCategory = (typeof ticketCategories)[number];

/** How far ahead an event may be listed: a date typed with the wrong year (20226) is a mistake, not a plan. */
export const maxEventYearsAhead = 5;

/** True when an event at `eventDate` has started at `now` (a ticket without a date never has). */
export function hasEventStarted(eventDate: Date | string | null | undefined, now = Date.now()): boolean {
  if (eventDate === null || eventDate === undefined) return false;
  return new Date(eventDate).getTime() <= now;
}

/** The normalised form a city is filtered and counted by: "  new  YORK " and "New York" are one city. */
export function cityKey(city: string): string {
  return city.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The public listing's orders; the first is the default. */
export const ticketSorts = ['newest', 'soonest', 'price_asc', 'price_desc'] as const;
export type TicketSort = (typeof ticketSorts)[number];

/** The longest search (`q`), in characters and in words. */
export const ticketSearchLimits = { q: 200, words: 10 } as const;
