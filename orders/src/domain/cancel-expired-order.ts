import type { Logger } from '@gittix/common/core';
import { Types } from 'mongoose';
import { cancelOrder } from './cancel-order';
import type { OrderDeps } from './deps';

/** expiration:complete → cancel the order if it still awaits payment; a paid or cancelled one is left as it is. */
export async function cancelExpiredOrder(deps: OrderDeps, orderId: string, log: Logger): Promise<void> {
  const result = await cancelOrder(deps, new Types.ObjectId(orderId));
  if (result.outcome === 'not-found') log.warn({ orderId }, 'expiration:complete for an unknown order; ignored');
  else log.info({ orderId, outcome: result.outcome }, 'order expiration handled');
}
