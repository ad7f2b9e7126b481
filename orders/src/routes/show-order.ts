import { parseObjectId, requireAuth, signedInUser } from '@gittix/common/http';
import { Router } from 'express';
import { findOrder } from '../domain/list-orders';
import type { Models } from '../models';
import { orderToJson } from '../models/order';

/** GET /api/orders/:id: the buyer's own order. */
export function showOrderRouter(models: Models): Router {
  return Router().get('/api/orders/:id', requireAuth, async (req, res) => {
    const buyer = signedInUser(req);
    const order = await findOrder(models, parseObjectId(req.params.id, 'Order not found'), buyer.id);
    res.status(200).json(orderToJson(order));
  });
}
