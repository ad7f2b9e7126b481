import { parseInput, parseObjectId, requireAuth } from '@gittix/common';
import { Router } from 'express';
import { Types } from 'mongoose';
import type { TicketDeps } from '../domain/change-ticket';
import { updateTicket } from '../domain/update-ticket';
import { ticketToJson } from '../models/ticket';
import { signedInSeller } from './signed-in-user';
import { ticketBodySchema } from './ticket-body';

export function updateTicketRouter(deps: TicketDeps): Router {
  const router = Router();
  router.put('/api/tickets/:id', requireAuth, async (req, res) => {
    const seller = signedInSeller(req);
    const id = new Types.ObjectId(parseObjectId(req.params.id, 'Ticket not found'));
    const input = parseInput(ticketBodySchema, req.body);
    const ticket = await updateTicket(deps, id, seller.id, input);
    res.status(200).json(ticketToJson(ticket, req.currentUser?.id));
  });
  return router;
}
