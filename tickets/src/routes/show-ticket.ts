import { parseObjectId } from '@gittix/common/http';
import { Router } from 'express';
import { findTicket } from '../domain/list-tickets';
import type { Models } from '../models';
import { ticketToJson } from '../models/ticket';

/** GET /api/tickets/:id: any ticket that is not deleted; its seller also sees which order holds it. */
export function showTicketRouter(models: Models): Router {
  return Router().get('/api/tickets/:id', async (req, res) => {
    const ticket = await findTicket(models, parseObjectId(req.params.id, 'Ticket not found'));
    res.status(200).json(ticketToJson(ticket, req.currentUser?.id));
  });
}
