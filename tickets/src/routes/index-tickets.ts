import { decodeCursor, defaultPageSize, nextPageLink, pageQueryShape, parseInput } from '@gittix/common';
import { Router } from 'express';
import { z } from 'zod';
import { listTickets } from '../domain/list-tickets';
import type { Models } from '../models';
import { ticketToJson } from '../models/ticket';

const listQuerySchema = z.object({
  userId: z
    .string({ error: 'userId must be a 24-character hex id' })
    .regex(/^[0-9a-f]{24}$/i, 'userId must be a 24-character hex id')
    .optional(),
  ...pageQueryShape,
});

/**
 * GET /api/tickets: newest first, `limit` per page (default 50), and a
 * `Link: <…>; rel="next"` header while more pages exist. With `userId`, that
 * seller's tickets of every status; otherwise only available ones.
 */
export function indexTicketsRouter(models: Models): Router {
  const router = Router();
  router.get('/api/tickets', async (req, res) => {
    const query = parseInput(listQuerySchema, req.query);
    const limit = query.limit ?? defaultPageSize;
    const userId = query.userId?.toLowerCase();
    const page = await listTickets(models, {
      userId,
      limit,
      after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
    });
    if (page.lastId) res.setHeader('Link', nextPageLink('/api/tickets', { userId, limit: String(limit) }, page.lastId));
    res.status(200).json(page.tickets.map((ticket) => ticketToJson(ticket, req.currentUser?.id)));
  });
  return router;
}
