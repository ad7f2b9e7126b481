import { pageQueryShape } from '@gittix/common/contracts';
import { parseInput, requireAuth, sendPage, signedInUser } from '@gittix/common/http';
import { Router } from 'express';
import { z } from 'zod';
import { listOrders } from '../domain/list-orders';
import type { Models } from '../models';
import { orderToJson } from '../models/order';

const listQuerySchema = z.object(pageQueryShape);

/** GET /api/orders: the caller's orders, paged as every listing is (newest first, `Link` to the next page). */
export function indexOrdersRouter(models: Models): Router {
  return Router().get('/api/orders', requireAuth, async (req, res) => {
    const buyer = signedInUser(req);
    const query = parseInput(listQuerySchema, req.query);
    const page = await listOrders(models, buyer.id, query);
    sendPage(res, { path: '/api/orders', params: { limit: query.limit } }, page, orderToJson);
  });
}
