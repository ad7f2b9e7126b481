import {
  orderCancelledSubject,
  orderCreatedSubject,
  paymentCreatedSubject,
  type OrderCancelledEvent,
  type OrderCreatedEvent,
  type PaymentCreatedEvent,
} from '@gittix/common/contracts';
import { Listener, SessionRevokedListener, type MessageContext } from '@gittix/common/bus';
import type { RevokedSessions } from '@gittix/common/db';
import type { TicketDeps } from '../domain/deps';
import { releaseTicket } from '../domain/release-ticket';
import { reserveTicket } from '../domain/reserve-ticket';
import { sellTicket } from '../domain/sell-ticket';

/** Durable name and queue group of every tickets subscription: instances share the work and resume where they left. */
const queueGroupName = 'tickets-service';

/** order:created → reserve the ticket for that order. */
export class OrderCreatedListener extends Listener<typeof orderCreatedSubject, TicketDeps> {
  readonly subject = orderCreatedSubject;
  readonly queueGroupName = queueGroupName;
  onMessage = (data: OrderCreatedEvent, { log }: MessageContext) =>
    reserveTicket(this.deps, data.ticket.id, data.id, log);
}

/** order:cancelled → release the ticket if that order still holds it. */
export class OrderCancelledListener extends Listener<typeof orderCancelledSubject, TicketDeps> {
  readonly subject = orderCancelledSubject;
  readonly queueGroupName = queueGroupName;
  onMessage = (data: OrderCancelledEvent, { log }: MessageContext) =>
    releaseTicket(this.deps, data.ticket.id, data.id, log);
}

/** payment:created → the order's ticket is sold. */
export class PaymentCreatedListener extends Listener<typeof paymentCreatedSubject, TicketDeps> {
  readonly subject = paymentCreatedSubject;
  readonly queueGroupName = queueGroupName;
  onMessage = (data: PaymentCreatedEvent, { log }: MessageContext) => sellTicket(this.deps, data.orderId, log);
}

/** Everything the tickets service hears. */
export function listeners(deps: TicketDeps, revokedSessions: RevokedSessions) {
  return [
    new OrderCreatedListener(deps),
    new OrderCancelledListener(deps),
    new PaymentCreatedListener(deps),
    new SessionRevokedListener(queueGroupName, revokedSessions),
  ];
}
