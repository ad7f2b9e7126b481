import {
  Listener,
  paymentCreatedSubject,
  type EventBus,
  type EventData,
  type Logger,
  type MessageContext,
} from '@gittix/common';
import type { TicketDeps } from '../../domain/change-ticket';
import { sellTicket } from '../../domain/sell-ticket';
import { queueGroupName } from './queue-group-name';

/** payment:created → the order's ticket is sold. */
export class PaymentCreatedListener extends Listener<typeof paymentCreatedSubject> {
  readonly subject = paymentCreatedSubject;
  readonly queueGroupName = queueGroupName;

  constructor(
    bus: EventBus,
    logger: Logger,
    private readonly deps: TicketDeps,
  ) {
    super(bus, logger);
  }

  async onMessage(data: EventData<typeof paymentCreatedSubject>, { log }: MessageContext): Promise<void> {
    await sellTicket(this.deps, data.orderId, log);
  }
}
