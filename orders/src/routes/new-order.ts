import { parseInput, requireAuth } from '@gittix/common';
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../config';
import { createOrder } from '../domain/create-order';
import type { OrderDeps } from '../domain/order-deps';
import { orderToJson } from '../models/order';
import { signedInBuyer } from './signed-in-buyer';

const ticketIdMessage = 'ticketId must be a valid ticket id';

export const newOrderSchema = z.object({
  ticketId: z
    .string({ error: (issue) => (issue.input === undefined ? 'ticketId is required' : ticketIdMessage) })
    .regex(/^[0-9a-f]{24}$/i, ticketIdMessage),
});

export function newOrderRouter(deps: OrderDeps, config: Config): Router {
  const router = Router();
  router.post('/api/orders', requireAuth, async (req, res) => {
    const buyer = signedInBuyer(req);
    const { ticketId } = parseInput(newOrderSchema, req.body);
    const order = await createOrder(deps, {
      buyerId: buyer.id,
      ticketId,
      windowSeconds: config.expirationWindowSeconds,
    });
    res.status(201).json(orderToJson(order));
  });
  return router;
}
