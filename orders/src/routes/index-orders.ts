import {
  decodeCursor,
  defaultPageSize,
  nextPageLink,
  pageQueryShape,
  parseInput,
  requireAuth,
  toPage,
} from '@gittix/common';
import { Router } from 'express';
import type { QueryFilter } from 'mongoose';
import { z } from 'zod';
import type { Models } from '../models';
import { orderToJson, type OrderAttrs } from '../models/order';
import { signedInBuyer } from './signed-in-buyer';

const listQuerySchema = z.object(pageQueryShape);

/**
 * GET /api/orders: the caller's orders, newest first (the `by_buyer` index),
 * `limit` per page (default 50) and a `Link: <…>; rel="next"` header while
 * more pages exist, as the tickets listing.
 */
export function indexOrdersRouter(models: Models): Router {
  const router = Router();
  router.get('/api/orders', requireAuth, async (req, res) => {
    const buyer = signedInBuyer(req);
    const query = parseInput(listQuerySchema, req.query);
    const limit = query.limit ?? defaultPageSize;
    const filter: QueryFilter<OrderAttrs> = { userId: buyer.id };
    if (query.cursor !== undefined) filter._id = { $lt: decodeCursor(query.cursor) };
    const found = await models.Order.find(filter)
      .sort({ _id: -1 })
      .limit(limit + 1)
      .lean<OrderAttrs[]>();
    const page = toPage(found, limit);
    if (page.lastId) res.setHeader('Link', nextPageLink('/api/orders', { limit: String(limit) }, page.lastId));
    res.status(200).json(page.items.map(orderToJson));
  });
  return router;
}
