import type { Logger } from 'pino';
import { sessionRevokedSubject, type EventData } from '../events';
import type { RevokedSessions } from '../session-revocations';
import type { EventBus } from './event-bus';
import { Listener } from './listener';

/**
 * session:revoked → the service refuses that session from now on. The same for
 * every service that reads the session cookie (tickets, orders, payments), so
 * it lives here once; each service lists it with its own queue group.
 */
export class SessionRevokedListener extends Listener<typeof sessionRevokedSubject> {
  readonly subject = sessionRevokedSubject;

  constructor(
    bus: EventBus,
    logger: Logger,
    readonly queueGroupName: string,
    private readonly revokedSessions: RevokedSessions,
  ) {
    super(bus, logger);
  }

  async onMessage(data: EventData<typeof sessionRevokedSubject>): Promise<void> {
    await this.revokedSessions.apply(data);
  }
}
