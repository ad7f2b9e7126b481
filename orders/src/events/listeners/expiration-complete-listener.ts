import {
  Listener,
  expirationCompleteSubject,
  type EventBus,
  type EventData,
  type Logger,
  type MessageContext,
} from '@gittix/common';
import { expireOrder } from '../../domain/expire-order';
import type { OrderDeps } from '../../domain/order-deps';
import { queueGroupName } from './queue-group-name';

/** expiration:complete → cancel the order if it still awaits payment. */
export class ExpirationCompleteListener extends Listener<typeof expirationCompleteSubject> {
  readonly subject = expirationCompleteSubject;
  readonly queueGroupName = queueGroupName;

  constructor(
    bus: EventBus,
    logger: Logger,
    private readonly deps: OrderDeps,
  ) {
    super(bus, logger);
  }

  async onMessage(data: EventData<typeof expirationCompleteSubject>, { log }: MessageContext): Promise<void> {
    await expireOrder(this.deps, data.orderId, log);
  }
}
