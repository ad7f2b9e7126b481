import { ticketBodySchema } from '@gittix/common/contracts';
import { parseInput, requireAuth, signedInUser } from '@gittix/common/http';
import { Router } from 'express';
import { createTicket } from '../domain/create-ticket';
import type { TicketDeps } from '../domain/deps';
import { ticketToJson } from '../models/ticket';

/** POST /api/tickets: a signed-in seller lists a ticket (201). */
export function newTicketRouter(deps: TicketDeps): Router {
  return Router().post('/api/tickets', requireAuth, async (req, res) => {
    const seller = signedInUser(req);
    const input = parseInput(ticketBodySchema, req.body);
    const ticket = await createTicket(deps, { id: seller.id, username: seller.username }, input);
    res.status(201).json(ticketToJson(ticket, seller.id));
  });
}
