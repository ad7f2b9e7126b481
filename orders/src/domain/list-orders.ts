import type { PageQuery } from '@gittix/common/contracts';
import { NotFoundError } from '@gittix/common/core';
import { findLeanById, findPage, type Page } from '@gittix/common/db';
import type { Models } from '../models';
import type { OrderAttrs } from '../models/order';

/** One page of a buyer's orders, newest first (the `by_buyer` index). */
export function listOrders(models: Models, buyerId: string, page: PageQuery): Promise<Page<OrderAttrs>> {
  return findPage(models.Order, { userId: buyerId }, page);
}

/** A buyer's own order; anyone else's is "not found" (not 403: its existence is nobody else's business). */
export async function findOrder(models: Models, id: string, buyerId: string): Promise<OrderAttrs> {
  const order = await findLeanById(models.Order, id);
  if (!order || !order.userId.equals(buyerId)) throw new NotFoundError('Order not found');
  return order;
}
