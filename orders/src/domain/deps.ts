import type { Outbox } from '@gittix/common/db';
import type { Models } from '../models';

/** What the order rules need: the models and the outbox that publishes their events. */
export interface OrderDeps {
  models: Models;
  outbox: Outbox;
}
