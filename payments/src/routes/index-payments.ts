import {
  decodeCursor,
  defaultPageSize,
  nextPageLink,
  objectId,
  pageQueryShape,
  parseInput,
  requireAuth,
  signedInUser,
  toPage,
} from '@gittix/common';
import { Router } from 'express';
import type { QueryFilter } from 'mongoose';
import { z } from 'zod';
import type { Models } from '../models';
import { paymentToListJson, type PaymentAttrs } from '../models/payment';

const listQuerySchema = z.object({
  orderId: z
    .string({ error: 'orderId must be a valid id' })
    .pipe(objectId.transform((id) => id.toLowerCase()))
    .optional(),
  ...pageQueryShape,
});

/**
 * GET /api/payments: the caller's payments, newest first, optionally of one
 * order, with `limit`, `cursor` and the `Link` header as every listing. A
 * payment is `succeeded` or, once its charge was given back, `refunded`.
 */
export function indexPaymentsRouter(models: Models): Router {
  const router = Router();
  router.get('/api/payments', requireAuth, async (req, res) => {
    const user = signedInUser(req);
    const query = parseInput(listQuerySchema, req.query);
    const limit = query.limit ?? defaultPageSize;
    const filter: QueryFilter<PaymentAttrs> = { userId: user.id };
    if (query.orderId) filter.orderId = query.orderId;
    if (query.cursor !== undefined) filter._id = { $lt: decodeCursor(query.cursor) };
    const found = await models.Payment.find(filter)
      .sort({ _id: -1 })
      .limit(limit + 1)
      .lean<PaymentAttrs[]>();
    const page = toPage(found, limit);
    if (page.lastId)
      res.setHeader(
        'Link',
        nextPageLink('/api/payments', { orderId: query.orderId, limit: String(limit) }, page.lastId),
      );
    res.status(200).json(page.items.map(paymentToListJson));
  });
  return router;
}
