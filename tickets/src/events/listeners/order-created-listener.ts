import {
  Listener,
  orderCreatedSubject,
  type EventBus,
  type EventData,
  type Logger,
  type MessageContext,
} from '@gittix/common';
import type { TicketDeps } from '../../domain/change-ticket';
import { reserveTicket } from '../../domain/reserve-ticket';
import { queueGroupName } from './queue-group-name';

/** order:created → reserve the ticket for that order. */
export class OrderCreatedListener extends Listener<typeof orderCreatedSubject> {
  readonly subject = orderCreatedSubject;
  readonly queueGroupName = queueGroupName;

  constructor(
    bus: EventBus,
    logger: Logger,
    private readonly deps: TicketDeps,
  ) {
    super(bus, logger);
  }

  async onMessage(data: EventData<typeof orderCreatedSubject>, { log }: MessageContext): Promise<void> {
    await reserveTicket(this.deps, data.ticket.id, data.id, log);
  }
}
