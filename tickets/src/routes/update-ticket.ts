import { ticketUpdateSchema } from '@gittix/common/contracts';
import { parseInput, parseObjectId, requireAuth, signedInUser } from '@gittix/common/http';
import { Router } from 'express';
import { Types } from 'mongoose';
import type { TicketDeps } from '../domain/deps';
import { updateTicket } from '../domain/update-ticket';
import { ticketToJson } from '../models/ticket';

/** PUT /api/tickets/:id: its seller edits an unreserved ticket (omitted fields keep their value, null clears). */
export function updateTicketRouter(deps: TicketDeps): Router {
  return Router().put('/api/tickets/:id', requireAuth, async (req, res) => {
    const seller = signedInUser(req);
    const id = new Types.ObjectId(parseObjectId(req.params.id, 'Ticket not found'));
    const input = parseInput(ticketUpdateSchema, req.body);
    const ticket = await updateTicket(deps, id, seller.id, input);
    res.status(200).json(ticketToJson(ticket, seller.id));
  });
}
