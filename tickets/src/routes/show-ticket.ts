import { NotFoundError, parseObjectId } from '@gittix/common';
import { Router } from 'express';
import type { Models } from '../models';
import { ticketToJson, type TicketAttrs } from '../models/ticket';

export function showTicketRouter(models: Models): Router {
  const router = Router();
  router.get('/api/tickets/:id', async (req, res) => {
    const id = parseObjectId(req.params.id, 'Ticket not found');
    // By `_id` alone: the one lookup every MongoDB-compatible server answers from its primary key.
    const ticket = await models.Ticket.findById(id).lean<TicketAttrs>();
    if (!ticket || ticket.deleted) throw new NotFoundError('Ticket not found');
    res.status(200).json(ticketToJson(ticket, req.currentUser?.id));
  });
  return router;
}
