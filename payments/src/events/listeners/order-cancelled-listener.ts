import {
  Listener,
  orderCancelledSubject,
  type EventBus,
  type EventData,
  type Logger,
  type MessageContext,
} from '@gittix/common';
import { applyOrderCancelled } from '../../domain/order-replica';
import { refundIfPaid, type RefundDeps } from '../../domain/refund-payment';
import { queueGroupName } from './queue-group-name';

/**
 * order:cancelled → the replica refuses payment from then on, and a payment
 * that crossed the cancellation is refunded. The refund is looked for on
 * duplicates too, so a crash between the two steps is repaired by the
 * redelivery; a failing refund is not acked, so it is retried.
 */
export class OrderCancelledListener extends Listener<typeof orderCancelledSubject> {
  readonly subject = orderCancelledSubject;
  readonly queueGroupName = queueGroupName;
  // A refund asks Stripe (up to ~17 s with its retry): the ack may wait that long.
  protected override ackWaitMs = 30_000;

  constructor(
    bus: EventBus,
    logger: Logger,
    private readonly deps: RefundDeps,
  ) {
    super(bus, logger);
  }

  async onMessage(data: EventData<typeof orderCancelledSubject>, { log }: MessageContext): Promise<void> {
    const outcome = await applyOrderCancelled(this.deps.models, data);
    log.debug({ orderId: data.id, version: data.version, outcome }, 'order replica cancelled');
    await refundIfPaid(this.deps, data.id, log);
  }
}
