import { requireAuth } from '@gittix/common';
import { Router } from 'express';
import type { Models } from '../models';
import { orderToJson, type OrderAttrs } from '../models/order';
import { signedInBuyer } from './signed-in-buyer';

/** GET /api/orders: the caller's orders, newest first (the `by_buyer` index). */
export function indexOrdersRouter(models: Models): Router {
  const router = Router();
  router.get('/api/orders', requireAuth, async (req, res) => {
    const buyer = signedInBuyer(req);
    const orders = await models.Order.find({ userId: buyer.id }).sort({ _id: -1 }).lean<OrderAttrs[]>();
    res.status(200).json(orders.map(orderToJson));
  });
  return router;
}
