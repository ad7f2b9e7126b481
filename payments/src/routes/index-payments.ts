import { objectId, pageQueryShape } from '@gittix/common/contracts';
import { parseInput, requireAuth, sendPage, signedInUser } from '@gittix/common/http';
import { Router } from 'express';
import { z } from 'zod';
import { listPayments } from '../domain/list-payments';
import type { Models } from '../models';
import { paymentToListJson } from '../models/payment';

const listQuerySchema = z.object({
  orderId: z
    .string({ error: 'orderId must be a valid id' })
    .pipe(objectId.transform((id) => id.toLowerCase()))
    .optional(),
  ...pageQueryShape,
});

/**
 * GET /api/payments: the caller's payments, optionally of one order, paged as
 * every listing is. A payment is `succeeded` or, once its charge was given
 * back, `refunded`.
 */
export function indexPaymentsRouter(models: Models): Router {
  return Router().get('/api/payments', requireAuth, async (req, res) => {
    const buyer = signedInUser(req);
    const query = parseInput(listQuerySchema, req.query);
    const page = await listPayments(models, buyer.id, query);
    sendPage(
      res,
      { path: '/api/payments', params: { orderId: query.orderId, limit: query.limit } },
      page,
      paymentToListJson,
    );
  });
}
