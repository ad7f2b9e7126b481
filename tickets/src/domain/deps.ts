import type { Outbox } from '@gittix/common/db';
import type { Models } from '../models';

/** What the ticket rules need: the models and the outbox that publishes their events. */
export interface TicketDeps {
  models: Models;
  outbox: Outbox;
}
