import {
  SessionRevokedListener,
  type BusSubscription,
  type DeadLetters,
  type EventBus,
  type Logger,
  type RevokedSessions,
} from '@gittix/common';
import type { RefundDeps } from '../../domain/refund-payment';
import { OrderCancelledListener } from './order-cancelled-listener';
import { OrderCreatedListener } from './order-created-listener';
import { queueGroupName } from './queue-group-name';

/** Subscribes every payments listener; resolves once the bus registered them all. */
export function startListeners(
  bus: EventBus,
  logger: Logger,
  deps: RefundDeps & { revokedSessions: RevokedSessions; deadLetters: DeadLetters },
): Promise<BusSubscription[]> {
  return Promise.all([
    new OrderCreatedListener(bus, logger, deps.models).listen({ deadLetters: deps.deadLetters }),
    new OrderCancelledListener(bus, logger, deps).listen({ deadLetters: deps.deadLetters }),
    new SessionRevokedListener(bus, logger, queueGroupName, deps.revokedSessions).listen({
      deadLetters: deps.deadLetters,
    }),
  ]);
}
