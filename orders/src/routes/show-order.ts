import { NotFoundError, parseObjectId, requireAuth } from '@gittix/common';
import { Router } from 'express';
import type { Models } from '../models';
import { orderToJson, type OrderAttrs } from '../models/order';
import { signedInBuyer } from './signed-in-buyer';

/** GET /api/orders/:id: the buyer's own order; anyone else's is "not found" (not 403: its existence is nobody else's business). */
export function showOrderRouter(models: Models): Router {
  const router = Router();
  router.get('/api/orders/:id', requireAuth, async (req, res) => {
    const buyer = signedInBuyer(req);
    const id = parseObjectId(req.params.id, 'Order not found');
    const order = await models.Order.findById(id).lean<OrderAttrs>();
    if (!order || !order.userId.equals(buyer.id)) throw new NotFoundError('Order not found');
    res.status(200).json(orderToJson(order));
  });
  return router;
}
