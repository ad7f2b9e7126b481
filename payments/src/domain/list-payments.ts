import type { PageQuery } from '@gittix/common/contracts';
import { findPage, type Page } from '@gittix/common/db';
import type { QueryFilter } from 'mongoose';
import type { Models } from '../models';
import type { PaymentAttrs } from '../models/payment';

/** One page of a buyer's payments, newest first, optionally of one order. */
export function listPayments(
  models: Models,
  buyerId: string,
  query: PageQuery & { orderId?: string },
): Promise<Page<PaymentAttrs>> {
  const filter: QueryFilter<PaymentAttrs> = { userId: buyerId };
  if (query.orderId) filter.orderId = query.orderId;
  return findPage(models.Payment, filter, query);
}
