import { parseObjectId, requireAuth, signedInUser } from '@gittix/common/http';
import { Router } from 'express';
import { Types } from 'mongoose';
import { deleteTicket } from '../domain/delete-ticket';
import type { TicketDeps } from '../domain/deps';

/** DELETE /api/tickets/:id: its seller deletes an unreserved ticket (204). */
export function deleteTicketRouter(deps: TicketDeps): Router {
  return Router().delete('/api/tickets/:id', requireAuth, async (req, res) => {
    const seller = signedInUser(req);
    const id = new Types.ObjectId(parseObjectId(req.params.id, 'Ticket not found'));
    await deleteTicket(deps, id, seller.id);
    res.status(204).end();
  });
}
