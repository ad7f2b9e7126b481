import {
  SessionRevokedListener,
  type BusSubscription,
  type DeadLetters,
  type EventBus,
  type Logger,
  type RevokedSessions,
} from '@gittix/common';
import type { TicketDeps } from '../../domain/change-ticket';
import { OrderCancelledListener } from './order-cancelled-listener';
import { OrderCreatedListener } from './order-created-listener';
import { PaymentCreatedListener } from './payment-created-listener';
import { queueGroupName } from './queue-group-name';

/** Subscribes every tickets listener; resolves once the bus registered them all. */
export function startListeners(
  bus: EventBus,
  logger: Logger,
  deps: TicketDeps & { revokedSessions: RevokedSessions; deadLetters: DeadLetters },
): Promise<BusSubscription[]> {
  return Promise.all([
    new OrderCreatedListener(bus, logger, deps).listen({ deadLetters: deps.deadLetters }),
    new OrderCancelledListener(bus, logger, deps).listen({ deadLetters: deps.deadLetters }),
    new PaymentCreatedListener(bus, logger, deps).listen({ deadLetters: deps.deadLetters }),
    new SessionRevokedListener(bus, logger, queueGroupName, deps.revokedSessions).listen({
      deadLetters: deps.deadLetters,
    }),
  ]);
}
