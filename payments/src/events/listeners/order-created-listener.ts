import {
  Listener,
  orderCreatedSubject,
  type EventBus,
  type EventData,
  type Logger,
  type MessageContext,
} from '@gittix/common';
import { applyOrderCreated } from '../../domain/order-replica';
import type { Models } from '../../models';
import { queueGroupName } from './queue-group-name';

/** order:created → the order replica the payment route checks. */
export class OrderCreatedListener extends Listener<typeof orderCreatedSubject> {
  readonly subject = orderCreatedSubject;
  readonly queueGroupName = queueGroupName;

  constructor(
    bus: EventBus,
    logger: Logger,
    private readonly models: Models,
  ) {
    super(bus, logger);
  }

  async onMessage(data: EventData<typeof orderCreatedSubject>, { log }: MessageContext): Promise<void> {
    const outcome = await applyOrderCreated(this.models, data);
    log.debug({ orderId: data.id, version: data.version, outcome }, 'order replica created');
  }
}
