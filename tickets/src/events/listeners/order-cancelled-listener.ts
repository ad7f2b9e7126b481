import {
  Listener,
  orderCancelledSubject,
  type EventBus,
  type EventData,
  type Logger,
  type MessageContext,
} from '@gittix/common';
import type { TicketDeps } from '../../domain/change-ticket';
import { releaseTicket } from '../../domain/release-ticket';
import { queueGroupName } from './queue-group-name';

/** order:cancelled → release the ticket if that order still holds it. */
export class OrderCancelledListener extends Listener<typeof orderCancelledSubject> {
  readonly subject = orderCancelledSubject;
  readonly queueGroupName = queueGroupName;

  constructor(
    bus: EventBus,
    logger: Logger,
    private readonly deps: TicketDeps,
  ) {
    super(bus, logger);
  }

  async onMessage(data: EventData<typeof orderCancelledSubject>, { log }: MessageContext): Promise<void> {
    await releaseTicket(this.deps, data.ticket.id, data.id, log);
  }
}
