import { orderCreatedSubject, type OrderCreatedEvent } from '@gittix/common/contracts';
import { Listener } from '@gittix/common/bus';
import type { ExpirationDeps } from '../domain/deps';
import { scheduleExpiration } from '../domain/expirations';

/** order:created → one delayed job per order, due at its `expiresAt`. */
export class OrderCreatedListener extends Listener<typeof orderCreatedSubject, ExpirationDeps> {
  readonly subject = orderCreatedSubject;
  readonly queueGroupName = 'expiration-service';
  // A failure to reach Redis rejects: the message stays unacked and is redelivered.
  onMessage = (data: OrderCreatedEvent) => scheduleExpiration(this.deps, data);
}

/** Everything the expiration service hears. */
export function listeners(deps: ExpirationDeps) {
  return [new OrderCreatedListener(deps)];
}
