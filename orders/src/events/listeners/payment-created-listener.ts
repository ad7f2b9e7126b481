import {
  Listener,
  paymentCreatedSubject,
  type EventBus,
  type EventData,
  type Logger,
  type MessageContext,
} from '@gittix/common';
import { completeOrder } from '../../domain/complete-order';
import type { OrderDeps } from '../../domain/order-deps';
import { queueGroupName } from './queue-group-name';

/** payment:created → the order is complete. */
export class PaymentCreatedListener extends Listener<typeof paymentCreatedSubject> {
  readonly subject = paymentCreatedSubject;
  readonly queueGroupName = queueGroupName;

  constructor(
    bus: EventBus,
    logger: Logger,
    private readonly deps: OrderDeps,
  ) {
    super(bus, logger);
  }

  async onMessage(data: EventData<typeof paymentCreatedSubject>, { log }: MessageContext): Promise<void> {
    await completeOrder(this.deps, data.orderId, log);
  }
}
