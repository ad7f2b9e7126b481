import { HttpError, parseInput, requireAuth, type RateLimiter } from '@gittix/common';
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

export function newOrderRouter(deps: OrderDeps, config: Config, limiter: RateLimiter): Router {
  const router = Router();
  const perBuyer = {
    name: 'orders-per-buyer',
    limit: config.limits.ordersPerBuyerPer10Min,
    windowMs: 10 * 60 * 1000,
    message: 'Too many orders in a short time; try again later',
  };
  router.post('/api/orders', requireAuth, async (req, res) => {
    const buyer = signedInBuyer(req);
    const { ticketId } = parseInput(newOrderSchema, req.body);
    // Counted first, so concurrent requests cannot slip past it; taken back if the order is refused.
    await limiter.enforce(perBuyer, buyer.id);
    try {
      const order = await createOrder(deps, {
        buyerId: buyer.id,
        ticketId,
        windowSeconds: config.expirationWindowSeconds,
        maxOpenOrders: config.limits.maxOpenOrders,
      });
      res.status(201).json(orderToJson(order));
    } catch (err) {
      if (err instanceof HttpError && err.statusCode < 500) await limiter.undo(perBuyer, buyer.id);
      throw err;
    }
  });
  return router;
}
