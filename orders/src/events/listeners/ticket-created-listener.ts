import {
  Listener,
  ticketCreatedSubject,
  type EventBus,
  type EventData,
  type Logger,
  type MessageContext,
} from '@gittix/common';
import { createTicketReplica } from '../../domain/ticket-replica';
import type { OrderDeps } from '../../domain/order-deps';
import { queueGroupName } from './queue-group-name';

/** ticket:created → the ticket replica, at the event's version. */
export class TicketCreatedListener extends Listener<typeof ticketCreatedSubject> {
  readonly subject = ticketCreatedSubject;
  readonly queueGroupName = queueGroupName;

  constructor(
    bus: EventBus,
    logger: Logger,
    private readonly deps: OrderDeps,
  ) {
    super(bus, logger);
  }

  async onMessage(data: EventData<typeof ticketCreatedSubject>, { log }: MessageContext): Promise<void> {
    const outcome = await createTicketReplica(this.deps, data);
    log.debug({ ticketId: data.id, version: data.version, outcome }, 'ticket replica created');
  }
}
