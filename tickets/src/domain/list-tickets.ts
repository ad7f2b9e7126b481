import {
  cityKey,
  ticketCategories,
  ticketSorts,
  type PageQuery,
  type TicketCategory,
  type TicketSearch,
  type TicketSort,
} from '@gittix/common/contracts';
import { NotFoundError } from '@gittix/common/core';
import { findLeanById, findListingPage, findPage, type KeysetOrder, type Page, type Segment } from '@gittix/common/db';
import type { QueryFilter } from 'mongoose';
import type { Models } from '../models';
import type { TicketAttrs } from '../models/ticket';

/**
 * Each public sort: its keyset order over dated events, and over the tickets
 * listed before tickets had dates (which come after them). Ties are broken by
 * `_id` in the same direction. Each is served by one index of models/ticket.ts.
 */
const sorts: Record<TicketSort, { dated: KeysetOrder; undated: KeysetOrder }> = {
  newest: { dated: { direction: -1 }, undated: { direction: -1 } },
  soonest: { dated: { key: 'eventDate', direction: 1 }, undated: { direction: -1 } },
  price_asc: { dated: { key: 'price', direction: 1 }, undated: { key: 'price', direction: 1 } },
  price_desc: { dated: { key: 'price', direction: -1 }, undated: { key: 'price', direction: -1 } },
};

/** The words of `q` as literal, case-insensitive patterns (a search for "a.b" finds "a.b", not "axb"). */
function wordPattern(word: string): { $regex: string; $options: 'i' } {
  return { $regex: word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' };
}

const searchedFields = ['title', 'venue', 'city', 'description'] as const;

/**
 * The public listing's segments for a search at `now`: the available tickets
 * whose event has not started (so a started event drops out on its own) that
 * match every filter, then, unless a filter needs event details they lack,
 * the undated tickets listed before tickets had dates.
 *
 * Every word of `q` must appear in one of the searched fields, by `$regex`:
 * MongoDB's `$text` does not exist on FerretDB, and a substring match also
 * finds "metall" in "Metallica" while the buyer is still typing.
 */
export function searchSegments(search: TicketSearch, now: Date): Segment<TicketAttrs>[] {
  const base: QueryFilter<TicketAttrs> = { status: 'available', deleted: false };
  const and: QueryFilter<TicketAttrs>[] = (search.q ?? []).map((word) => ({
    $or: searchedFields.map((field) => ({ [field]: wordPattern(word) })),
  }));
  if (search.minPrice !== undefined || search.maxPrice !== undefined) {
    base.price = {
      ...(search.minPrice !== undefined ? { $gte: search.minPrice } : {}),
      ...(search.maxPrice !== undefined ? { $lte: search.maxPrice } : {}),
    };
  }
  const withWords = (filter: QueryFilter<TicketAttrs>): QueryFilter<TicketAttrs> =>
    and.length > 0 ? { ...filter, $and: and } : filter;

  const from = search.from && search.from > now ? { $gte: search.from } : { $gt: now };
  const dated: QueryFilter<TicketAttrs> = {
    ...base,
    ...(search.city !== undefined ? { cityKey: search.city } : {}),
    ...(search.category !== undefined ? { category: search.category } : {}),
    eventDate: { ...from, ...(search.to ? { $lte: search.to } : {}) },
  };
  const order = sorts[search.sort];
  const segments: Segment<TicketAttrs>[] = [{ filter: withWords(dated), order: order.dated }];
  const needsEventDetails = search.city ?? search.category ?? search.from ?? search.to;
  // `eventDate: null` matches a missing field, on MongoDB and FerretDB alike.
  if (needsEventDetails === undefined)
    segments.push({ filter: withWords({ ...base, eventDate: null }), order: order.undated });
  return segments;
}

/**
 * One page of the public listing: available tickets whose event has not
 * started, matching the search, in its sort. Walking every page is exact
 * (no duplicates, no gaps) for every sort; see common's pagination.ts.
 */
export function searchTickets(
  models: Models,
  search: TicketSearch & PageQuery,
  now = new Date(),
): Promise<Page<TicketAttrs>> {
  return findListingPage(
    models.Ticket,
    { tag: ticketSorts.indexOf(search.sort), segments: searchSegments(search, now) },
    search,
  );
}

/**
 * How many tickets match a search, counted up to `cap` (a count of every row
 * costs a pass over every row): every segment in one query, one pass.
 */
export function countTickets(models: Models, search: TicketSearch, cap: number, now = new Date()): Promise<number> {
  const filters = searchSegments(search, now).map((segment) => segment.filter);
  const filter = filters.length === 1 ? filters[0] : { $or: filters };
  return models.Ticket.countDocuments(filter, { limit: cap });
}

/**
 * One page of a seller's own tickets, newest first, of every status, events
 * that have started included (the app marks them past). Served by `by_seller`.
 * Deleted tickets never appear.
 */
export function listSellerTickets(models: Models, userId: string, page: PageQuery): Promise<Page<TicketAttrs>> {
  return findPage(models.Ticket, { userId, deleted: false }, page);
}

export interface FilterCounts {
  cities: { city: string; count: number }[];
  categories: { category: TicketCategory; count: number }[];
}

/**
 * The cities and categories that have listed tickets now (available, event
 * not started), with how many, most first; at most `maxCities` cities.
 */
export async function filterCounts(models: Models, maxCities: number, now = new Date()): Promise<FilterCounts> {
  const listed = { status: 'available', deleted: false, eventDate: { $gt: now } };
  // Grouped by the city as written, then merged by cityKey here: FerretDB's
  // $group has $sum but not $max or $first to pick one spelling.
  const [spellings, categories] = await Promise.all([
    models.Ticket.aggregate<{ _id: unknown; count: number }>([
      { $match: listed },
      { $group: { _id: '$city', count: { $sum: 1 } } },
    ]),
    models.Ticket.aggregate<{ _id: unknown; count: number }>([
      { $match: listed },
      { $group: { _id: '$category', count: { $sum: 1 } } },
    ]),
  ]);
  const cities = new Map<string, { city: string; count: number; top: number }>();
  for (const { _id: city, count } of spellings) {
    if (typeof city !== 'string') continue;
    const key = cityKey(city);
    const known = cities.get(key);
    // The most used spelling names the city (ties: the first in code-point order, so the answer is stable).
    if (!known) cities.set(key, { city, count, top: count });
    else {
      known.count += count;
      if (count > known.top || (count === known.top && city < known.city)) Object.assign(known, { city, top: count });
    }
  }
  return {
    cities: [...cities.values()]
      .sort((a, b) => b.count - a.count || a.city.localeCompare(b.city))
      .slice(0, maxCities)
      .map(({ city, count }) => ({ city, count })),
    categories: categories
      .filter((c): c is { _id: TicketCategory; count: number } => ticketCategories.includes(c._id as TicketCategory))
      .sort((a, b) => b.count - a.count || ticketCategories.indexOf(a._id) - ticketCategories.indexOf(b._id))
      .map((c) => ({ category: c._id, count: c.count })),
  };
}

/** One ticket, unless it does not exist or was deleted (404). */
export async function findTicket(models: Models, id: string): Promise<TicketAttrs> {
  // By `_id` alone: the one lookup every MongoDB-compatible server answers from its primary key.
  const ticket = await findLeanById(models.Ticket, id);
  if (!ticket || ticket.deleted) throw new NotFoundError('Ticket not found');
  return ticket;
}
