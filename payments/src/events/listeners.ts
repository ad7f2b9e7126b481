import {
  orderCancelledSubject,
  orderCreatedSubject,
  type OrderCancelledEvent,
  type OrderCreatedEvent,
} from '@gittix/common/contracts';
import { Listener, SessionRevokedListener, type MessageContext } from '@gittix/common/bus';
import type { RevokedSessions } from '@gittix/common/db';
import type { PaymentDeps } from '../domain/deps';
import { applyOrderCreated } from '../domain/order-replica';
import { cancelOrderReplica } from '../domain/refund-payment';

/** Durable name and queue group of every payments subscription: instances share the work and resume where they left. */
const queueGroupName = 'payments-service';

/** order:created → the order can be paid. */
export class OrderCreatedListener extends Listener<typeof orderCreatedSubject, PaymentDeps> {
  readonly subject = orderCreatedSubject;
  readonly queueGroupName = queueGroupName;
  onMessage = (data: OrderCreatedEvent) => applyOrderCreated(this.deps.models, data);
}

/** order:cancelled → no more payments, and a charge that crossed the cancellation is refunded. */
export class OrderCancelledListener extends Listener<typeof orderCancelledSubject, PaymentDeps> {
  readonly subject = orderCancelledSubject;
  readonly queueGroupName = queueGroupName;
  // A refund asks Stripe (up to ~17 s with its retry): the ack may wait that long.
  override readonly ackWaitMs = 30_000;
  onMessage = (data: OrderCancelledEvent, { log }: MessageContext) => cancelOrderReplica(this.deps, data, log);
}

/** Everything the payments service hears. */
export function listeners(deps: PaymentDeps, revokedSessions: RevokedSessions) {
  return [
    new OrderCreatedListener(deps),
    new OrderCancelledListener(deps),
    new SessionRevokedListener(queueGroupName, revokedSessions),
  ];
}
