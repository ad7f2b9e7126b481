import { objectId } from '@gittix/common/contracts';
import { parseInput, requireAuth, signedInUser, type RateLimiter } from '@gittix/common/http';
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../config';
import type { PaymentDeps } from '../domain/deps';
import { payForOrder } from '../domain/pay-for-order';
import { paymentToJson } from '../models/payment';

const newPaymentSchema = z.object({
  orderId: z.string({ error: 'orderId must be a valid id' }).pipe(objectId.transform((id) => id.toLowerCase())),
  token: z
    .string({ error: 'token must be a card token string' })
    .trim()
    .min(1, 'token must not be empty')
    .max(255, 'token is too long'),
});

/** POST /api/payments: the buyer pays for an open order with a card token, charged at most once (201). */
export function newPaymentRouter(deps: PaymentDeps, config: Config, limiter: RateLimiter): Router {
  // Card testing across many orders: every payment request of a buyer counts.
  const perBuyer = {
    name: 'payment-attempts-per-buyer',
    limit: config.limits.attemptsPerBuyerPer10Min,
    windowMs: 10 * 60 * 1000,
    message: 'Too many payment attempts; try again later',
  };
  return Router().post('/api/payments', requireAuth, async (req, res) => {
    const buyer = signedInUser(req);
    const input = parseInput(newPaymentSchema, req.body);
    await limiter.enforce(perBuyer, buyer.id);
    const payment = await payForOrder(deps, { userId: buyer.id, orderId: input.orderId, token: input.token }, req.log);
    res.status(201).json(paymentToJson(payment));
  });
}
