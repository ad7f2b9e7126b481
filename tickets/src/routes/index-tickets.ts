import { objectIdPattern, pageQueryShape, ticketSearchParams, ticketSearchQuery } from '@gittix/common/contracts';
import { coalesceReads } from '@gittix/common/core';
import { parseInput, sendPage } from '@gittix/common/http';
import { Router } from 'express';
import { z } from 'zod';
import { countTickets, listSellerTickets, searchTickets } from '../domain/list-tickets';
import type { Models } from '../models';
import { ticketToJson } from '../models/ticket';

const listQuerySchema = ticketSearchQuery({
  userId: z
    .string({ error: 'userId must be a 24-character hex id' })
    .regex(objectIdPattern, 'userId must be a 24-character hex id')
    .optional(),
  ...pageQueryShape,
});

type ListQuery = z.infer<typeof listQuerySchema>;

/** A result count past this is sent as `1000+`: counting every match costs a scan of every match. */
const maxCounted = 1000;

/**
 * GET /api/tickets: `limit` per page (default 50), and a `Link: <…>;
 * rel="next"` header while more pages exist, keeping the search.
 * - With `userId`: that seller's tickets of every status, newest first
 *   (events that have started included; the search parameters do not apply).
 * - Otherwise the public listing: available tickets whose event has not
 *   started, filtered by `q`, `city`, `category`, `from`/`to` and
 *   `minPrice`/`maxPrice`, in `sort` order (list-tickets.ts). The first page
 *   (no cursor) also tells how many match, in `X-Total-Count` (`1000+` past
 *   {@link maxCounted}).
 */
export function indexTicketsRouter(models: Models): Router {
  // Many buyers open the same listing at once (home most of all). Those who
  // ask while its query runs share the next one, which starts after they asked
  // (coalesce.ts): each still sees every ticket listed before its request.
  const searchPage = coalesceReads(
    (query: ListQuery) => {
      const now = new Date();
      return Promise.all([
        searchTickets(models, query, now),
        query.cursor === undefined ? countTickets(models, query, maxCounted + 1, now) : undefined,
      ]);
    },
    (query) => JSON.stringify(query),
  );
  return Router().get('/api/tickets', async (req, res) => {
    const query = parseInput(listQuerySchema, req.query);
    const userId = query.userId?.toLowerCase();
    if (userId) {
      const page = await listSellerTickets(models, userId, query);
      sendPage(res, { path: '/api/tickets', params: { userId, limit: query.limit } }, page, (ticket) =>
        ticketToJson(ticket, req.currentUser?.id),
      );
      return;
    }
    const [page, count] = await searchPage(query);
    if (count !== undefined) res.setHeader('X-Total-Count', count > maxCounted ? `${maxCounted}+` : String(count));
    // The next page keeps the search as the client sent it (it was valid).
    const raw = req.query as Record<string, unknown>;
    const params: Record<string, string | number | undefined> = { limit: query.limit };
    for (const name of ticketSearchParams)
      if (typeof raw[name] === 'string' && raw[name] !== '') params[name] = raw[name];
    sendPage(res, { path: '/api/tickets', params }, page, (ticket) => ticketToJson(ticket, req.currentUser?.id));
  });
}
