import {
  Listener,
  ticketUpdatedSubject,
  type EventBus,
  type EventData,
  type Logger,
  type MessageContext,
} from '@gittix/common';
import { applyTicketUpdated } from '../../domain/ticket-replica';
import type { OrderDeps } from '../../domain/order-deps';
import { queueGroupName } from './queue-group-name';

/** ticket:updated → the replica's next version (older: duplicate; newer: wait). */
export class TicketUpdatedListener extends Listener<typeof ticketUpdatedSubject> {
  readonly subject = ticketUpdatedSubject;
  readonly queueGroupName = queueGroupName;

  constructor(
    bus: EventBus,
    logger: Logger,
    private readonly deps: OrderDeps,
  ) {
    super(bus, logger);
  }

  async onMessage(data: EventData<typeof ticketUpdatedSubject>, { log }: MessageContext): Promise<void> {
    const outcome = await applyTicketUpdated(this.deps, data);
    log.debug({ ticketId: data.id, version: data.version, outcome }, 'ticket replica updated');
  }
}
