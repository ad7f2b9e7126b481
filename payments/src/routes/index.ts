import type { RateLimiter } from '@gittix/common/http';
import { Router } from 'express';
import type { Config } from '../config';
import type { PaymentDeps } from '../domain/deps';
import { indexPaymentsRouter } from './index-payments';
import { newPaymentRouter } from './new-payment';

/** Every route of the payments API. */
export function routes(deps: PaymentDeps, config: Config, limiter: RateLimiter): Router {
  return Router().use(indexPaymentsRouter(deps.models), newPaymentRouter(deps, config, limiter));
}
