import {
  SessionRevokedListener,
  type BusSubscription,
  type DeadLetters,
  type EventBus,
  type Logger,
  type RevokedSessions,
} from '@gittix/common';
import type { OrderDeps } from '../../domain/order-deps';
import { ExpirationCompleteListener } from './expiration-complete-listener';
import { PaymentCreatedListener } from './payment-created-listener';
import { queueGroupName } from './queue-group-name';
import { TicketCreatedListener } from './ticket-created-listener';
import { TicketDeletedListener } from './ticket-deleted-listener';
import { TicketUpdatedListener } from './ticket-updated-listener';

/** Subscribes every orders listener; resolves once the bus registered them all. */
export function startListeners(
  bus: EventBus,
  logger: Logger,
  deps: OrderDeps & { revokedSessions: RevokedSessions; deadLetters: DeadLetters },
): Promise<BusSubscription[]> {
  return Promise.all([
    new TicketCreatedListener(bus, logger, deps).listen({ deadLetters: deps.deadLetters }),
    new TicketUpdatedListener(bus, logger, deps).listen({ deadLetters: deps.deadLetters }),
    new TicketDeletedListener(bus, logger, deps).listen({ deadLetters: deps.deadLetters }),
    new ExpirationCompleteListener(bus, logger, deps).listen({ deadLetters: deps.deadLetters }),
    new PaymentCreatedListener(bus, logger, deps).listen({ deadLetters: deps.deadLetters }),
    new SessionRevokedListener(bus, logger, queueGroupName, deps.revokedSessions).listen({
      deadLetters: deps.deadLetters,
    }),
  ]);
}
