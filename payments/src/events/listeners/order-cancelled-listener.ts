import {
  Listener,
  orderCancelledSubject,
  type EventBus,
  type EventData,
  type Logger,
  type MessageContext,
} from '@gittix/common';
import { applyOrderCancelled } from '../../domain/order-replica';
import type { Models } from '../../models';
import { queueGroupName } from './queue-group-name';

/** order:cancelled → the replica refuses payment from then on. */
export class OrderCancelledListener extends Listener<typeof orderCancelledSubject> {
  readonly subject = orderCancelledSubject;
  readonly queueGroupName = queueGroupName;

  constructor(
    bus: EventBus,
    logger: Logger,
    private readonly models: Models,
  ) {
    super(bus, logger);
  }

  async onMessage(data: EventData<typeof orderCancelledSubject>, { log }: MessageContext): Promise<void> {
    const outcome = await applyOrderCancelled(this.models, data);
    log.debug({ orderId: data.id, version: data.version, outcome }, 'order replica cancelled');
  }
}
