import {
  Listener,
  ticketDeletedSubject,
  type EventBus,
  type EventData,
  type Logger,
  type MessageContext,
} from '@gittix/common';
import { applyTicketDeleted } from '../../domain/ticket-replica';
import type { OrderDeps } from '../../domain/order-deps';
import { queueGroupName } from './queue-group-name';

/** ticket:deleted → the replica is deleted; an unpaid order holding it is cancelled. */
export class TicketDeletedListener extends Listener<typeof ticketDeletedSubject> {
  readonly subject = ticketDeletedSubject;
  readonly queueGroupName = queueGroupName;

  constructor(
    bus: EventBus,
    logger: Logger,
    private readonly deps: OrderDeps,
  ) {
    super(bus, logger);
  }

  async onMessage(data: EventData<typeof ticketDeletedSubject>, { log }: MessageContext): Promise<void> {
    const outcome = await applyTicketDeleted(this.deps, data, log);
    log.debug({ ticketId: data.id, version: data.version, outcome }, 'ticket replica deleted');
  }
}
