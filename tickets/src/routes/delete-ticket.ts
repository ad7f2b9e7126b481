import { parseObjectId, requireAuth } from '@gittix/common';
import { Router } from 'express';
import { Types } from 'mongoose';
import type { TicketDeps } from '../domain/change-ticket';
import { deleteTicket } from '../domain/delete-ticket';
import { signedInSeller } from './signed-in-user';

export function deleteTicketRouter(deps: TicketDeps): Router {
  const router = Router();
  router.delete('/api/tickets/:id', requireAuth, async (req, res) => {
    const seller = signedInSeller(req);
    const id = new Types.ObjectId(parseObjectId(req.params.id, 'Ticket not found'));
    await deleteTicket(deps, id, seller.id);
    res.status(204).end();
  });
  return router;
}
