import { BadRequestError, NotFoundError } from '@gittix/common/core';
import { parseObjectId, requireAuth, signedInUser } from '@gittix/common/http';
import { Router } from 'express';
import { Types } from 'mongoose';
import { cancelOrder } from '../domain/cancel-order';
import type { OrderDeps } from '../domain/deps';
import { orderToJson } from '../models/order';

/** DELETE /api/orders/:id: the buyer cancels; cancelling a cancelled order is a no-op 200, a paid one a 400. */
export function deleteOrderRouter(deps: OrderDeps): Router {
  return Router().delete('/api/orders/:id', requireAuth, async (req, res) => {
    const buyer = signedInUser(req);
    const id = new Types.ObjectId(parseObjectId(req.params.id, 'Order not found'));
    const result = await cancelOrder(deps, id, { byUserId: buyer.id });
    if (result.outcome === 'not-found') throw new NotFoundError('Order not found');
    if (result.outcome === 'paid') throw new BadRequestError('Cannot cancel a paid order');
    res.status(200).json(orderToJson(result.order));
  });
}
