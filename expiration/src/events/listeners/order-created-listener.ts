import {
  Listener,
  orderCreatedSubject,
  type EventBus,
  type EventData,
  type Logger,
  type MessageContext,
} from '@gittix/common';
import { scheduleExpiration } from '../../domain/schedule-expiration';
import type { ExpirationQueue } from '../../queues/expiration-queue';

export const queueGroupName = 'expiration-service';

/** order:created → one delayed job per order, due at its `expiresAt`. */
export class OrderCreatedListener extends Listener<typeof orderCreatedSubject> {
  readonly subject = orderCreatedSubject;
  readonly queueGroupName = queueGroupName;

  constructor(
    bus: EventBus,
    logger: Logger,
    private readonly queue: ExpirationQueue,
  ) {
    super(bus, logger);
  }

  async onMessage(data: EventData<typeof orderCreatedSubject>, { log }: MessageContext): Promise<void> {
    // A failure to reach Redis rejects here: the message stays unacked and is redelivered.
    const scheduled = await scheduleExpiration(this.queue, data);
    log.debug({ orderId: scheduled.orderId, delayMs: scheduled.delayMs }, 'order expiration scheduled');
  }
}
