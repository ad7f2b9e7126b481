import {
  expirationCompleteSubject,
  paymentCreatedSubject,
  ticketCreatedSubject,
  ticketDeletedSubject,
  ticketUpdatedSubject,
  type ExpirationCompleteEvent,
  type PaymentCreatedEvent,
  type TicketCreatedEvent,
  type TicketDeletedEvent,
  type TicketUpdatedEvent,
} from '@gittix/common/contracts';
import { Listener, SessionRevokedListener, type MessageContext } from '@gittix/common/bus';
import type { RevokedSessions } from '@gittix/common/db';
import { cancelExpiredOrder } from '../domain/cancel-expired-order';
import { completeOrder } from '../domain/complete-order';
import type { OrderDeps } from '../domain/deps';
import { applyTicketDeleted, applyTicketUpdated, createTicketReplica } from '../domain/ticket-replica';

/** Durable name and queue group of every orders subscription: instances share the work and resume where they left. */
const queueGroupName = 'orders-service';

/** ticket:created → the ticket can be ordered. */
export class TicketCreatedListener extends Listener<typeof ticketCreatedSubject, OrderDeps> {
  readonly subject = ticketCreatedSubject;
  readonly queueGroupName = queueGroupName;
  onMessage = (data: TicketCreatedEvent) => createTicketReplica(this.deps, data);
}

/** ticket:updated → the replica follows, in version order. */
export class TicketUpdatedListener extends Listener<typeof ticketUpdatedSubject, OrderDeps> {
  readonly subject = ticketUpdatedSubject;
  readonly queueGroupName = queueGroupName;
  onMessage = (data: TicketUpdatedEvent) => applyTicketUpdated(this.deps, data);
}

/** ticket:deleted → no new orders; an open order holding it is cancelled. */
export class TicketDeletedListener extends Listener<typeof ticketDeletedSubject, OrderDeps> {
  readonly subject = ticketDeletedSubject;
  readonly queueGroupName = queueGroupName;
  onMessage = (data: TicketDeletedEvent, { log }: MessageContext) => applyTicketDeleted(this.deps, data, log);
}

/** expiration:complete → the order is cancelled unless it was paid. */
export class ExpirationCompleteListener extends Listener<typeof expirationCompleteSubject, OrderDeps> {
  readonly subject = expirationCompleteSubject;
  readonly queueGroupName = queueGroupName;
  onMessage = (data: ExpirationCompleteEvent, { log }: MessageContext) =>
    cancelExpiredOrder(this.deps, data.orderId, log);
}

/** payment:created → the order is complete. */
export class PaymentCreatedListener extends Listener<typeof paymentCreatedSubject, OrderDeps> {
  readonly subject = paymentCreatedSubject;
  readonly queueGroupName = queueGroupName;
  onMessage = (data: PaymentCreatedEvent, { log }: MessageContext) => completeOrder(this.deps, data.orderId, log);
}

/** Everything the orders service hears. */
export function listeners(deps: OrderDeps, revokedSessions: RevokedSessions) {
  return [
    new TicketCreatedListener(deps),
    new TicketUpdatedListener(deps),
    new TicketDeletedListener(deps),
    new ExpirationCompleteListener(deps),
    new PaymentCreatedListener(deps),
    new SessionRevokedListener(queueGroupName, revokedSessions),
  ];
}
