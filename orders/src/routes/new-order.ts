import { objectIdPattern } from '@gittix/common/contracts';
import { AppError } from '@gittix/common/core';
import { parseInput, requireAuth, signedInUser, type RateLimiter } from '@gittix/common/http';
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../config';
import { createOrder } from '../domain/create-order';
import type { OrderDeps } from '../domain/deps';
import { orderToJson } from '../models/order';

const ticketIdMessage = 'ticketId must be a valid ticket id';

const newOrderSchema = z.object({
  ticketId: z
    .string({ error: (issue) => (issue.input === undefined ? 'ticketId is required' : ticketIdMessage) })
    .regex(objectIdPattern, ticketIdMessage),
});

/** POST /api/orders: a buyer reserves a ticket for the expiration window (201). */
export function newOrderRouter(deps: OrderDeps, config: Config, limiter: RateLimiter): Router {
  const perBuyer = {
    name: 'orders-per-buyer',
    limit: config.limits.ordersPerBuyerPer10Min,
    windowMs: 10 * 60 * 1000,
    message: 'Too many orders in a short time; try again later',
  };
  return Router().post('/api/orders', requireAuth, async (req, res) => {
    const buyer = signedInUser(req);
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
      if (err instanceof AppError && err.statusCode < 500) await limiter.undo(perBuyer, buyer.id);
      throw err;
    }
  });
}
