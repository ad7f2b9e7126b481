import { objectId, parseInput, requireAuth, signedInUser } from '@gittix/common';
import { Router } from 'express';
import { z } from 'zod';
import { payForOrder, type PaymentDeps } from '../domain/pay-for-order';

export const newPaymentSchema = z.object({
  orderId: z.string({ error: 'orderId must be a valid id' }).pipe(objectId.transform((id) => id.toLowerCase())),
  token: z
    .string({ error: 'token must be a card token string' })
    .trim()
    .min(1, 'token must not be empty')
    .max(255, 'token is too long'),
});

export function newPaymentRouter(deps: PaymentDeps): Router {
  const router = Router();
  router.post('/api/payments', requireAuth, async (req, res) => {
    const user = signedInUser(req);
    const input = parseInput(newPaymentSchema, req.body);
    const payment = await payForOrder(deps, { userId: user.id, orderId: input.orderId, token: input.token }, req.log);
    res.status(201).json(payment);
  });
  return router;
}
