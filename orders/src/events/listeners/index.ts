import {
  SessionRevokedListener,
  type BusSubscription,
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
  deps: OrderDeps & { revokedSessions: RevokedSessions },
): Promise<BusSubscription[]> {
  return Promise.all([
    new TicketCreatedListener(bus, logger, deps).listen(),
    new TicketUpdatedListener(bus, logger, deps).listen(),
    new TicketDeletedListener(bus, logger, deps).listen(),
    new ExpirationCompleteListener(bus, logger, deps).listen(),
    new PaymentCreatedListener(bus, logger, deps).listen(),
    new SessionRevokedListener(bus, logger, queueGroupName, deps.revokedSessions).listen(),
  ]);
}
