import type { RateLimiter } from '@gittix/common/http';
import { Router } from 'express';
import type { Config } from '../config';
import type { OrderDeps } from '../domain/deps';
import { deleteOrderRouter } from './delete-order';
import { indexOrdersRouter } from './index-orders';
import { newOrderRouter } from './new-order';
import { showOrderRouter } from './show-order';

/** Every route of the orders API. */
export function routes(deps: OrderDeps, config: Config, limiter: RateLimiter): Router {
  return Router().use(
    indexOrdersRouter(deps.models),
    newOrderRouter(deps, config, limiter),
    showOrderRouter(deps.models),
    deleteOrderRouter(deps),
  );
}
