import { objectIdPattern, pageQueryShape } from '@gittix/common/contracts';
import { parseInput, sendPage } from '@gittix/common/http';
import { Router } from 'express';
import { z } from 'zod';
import { listTickets } from '../domain/list-tickets';
import type { Models } from '../models';
import { ticketToJson } from '../models/ticket';

const listQuerySchema = z.object({
  userId: z
    .string({ error: 'userId must be a 24-character hex id' })
    .regex(objectIdPattern, 'userId must be a 24-character hex id')
    .optional(),
  ...pageQueryShape,
});

/**
 * GET /api/tickets: newest first, `limit` per page (default 50), and a
 * `Link: <…>; rel="next"` header while more pages exist. With `userId`, that
 * seller's tickets of every status; otherwise only available ones.
 */
export function indexTicketsRouter(models: Models): Router {
  return Router().get('/api/tickets', async (req, res) => {
    const query = parseInput(listQuerySchema, req.query);
    const userId = query.userId?.toLowerCase();
    const page = await listTickets(models, { ...query, userId });
    sendPage(res, { path: '/api/tickets', params: { userId, limit: query.limit } }, page, (ticket) =>
      ticketToJson(ticket, req.currentUser?.id),
    );
  });
}
