import { parseInput } from '@gittix/common';
import { Router } from 'express';
import { z } from 'zod';
import { listTickets } from '../domain/list-tickets';
import { decodeCursor, encodeCursor } from '../domain/ticket-cursor';
import type { Models } from '../models';
import { ticketToJson } from '../models/ticket';

const limitMessage = 'Limit must be a whole number from 1 to 100';

const listQuerySchema = z.object({
  userId: z
    .string({ error: 'userId must be a 24-character hex id' })
    .regex(/^[0-9a-f]{24}$/i, 'userId must be a 24-character hex id')
    .optional(),
  limit: z
    .string({ error: limitMessage })
    .regex(/^\d{1,3}$/, limitMessage)
    .transform(Number)
    .refine((n) => n >= 1 && n <= 100, limitMessage)
    .optional(),
  cursor: z.string({ error: 'Cursor is not valid; use the one from the previous page' }).optional(),
});

export const defaultPageSize = 50;

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
    const page = await listTickets(models, {
      userId: query.userId?.toLowerCase(),
      limit,
      after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
    });
    if (page.lastId) {
      const next = new URLSearchParams();
      if (query.userId) next.set('userId', query.userId.toLowerCase());
      next.set('limit', String(limit));
      next.set('cursor', encodeCursor(page.lastId));
      // Relative, so it stays right behind any ingress or gateway host.
      res.setHeader('Link', `</api/tickets?${next.toString()}>; rel="next"`);
    }
    res.status(200).json(page.tickets.map(ticketToJson));
  });
  return router;
}
