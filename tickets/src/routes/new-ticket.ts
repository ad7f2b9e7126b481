import { parseInput, requireAuth } from '@gittix/common';
import { Router } from 'express';
import { createTicket } from '../domain/create-ticket';
import type { TicketDeps } from '../domain/change-ticket';
import { ticketToJson } from '../models/ticket';
import { signedInSeller } from './signed-in-user';
import { ticketBodySchema } from './ticket-body';

export function newTicketRouter(deps: TicketDeps): Router {
  const router = Router();
  router.post('/api/tickets', requireAuth, async (req, res) => {
    const seller = signedInSeller(req);
    const input = parseInput(ticketBodySchema, req.body);
    const ticket = await createTicket(deps, { id: seller.id, username: seller.username }, input);
    res.status(201).json(ticketToJson(ticket, req.currentUser?.id));
  });
  return router;
}
