import { sessionRevokedSubject, type SessionRevokedEvent } from '../contracts/events';
import { Listener } from './listener';

/** What a service that reads the session cookie keeps of session:revoked (db/revoked-sessions.ts). */
interface RevokedSessionStore {
  apply(event: SessionRevokedEvent): Promise<void>;
}

/**
 * session:revoked → the service refuses that session from now on. The same for
 * every service that reads the session cookie (tickets, orders, payments), so
 * it is declared here once; each lists it with its own queue group.
 */
export class SessionRevokedListener extends Listener<typeof sessionRevokedSubject, RevokedSessionStore> {
  readonly subject = sessionRevokedSubject;

  constructor(
    readonly queueGroupName: string,
    revokedSessions: RevokedSessionStore,
  ) {
    super(revokedSessions);
  }

  onMessage = (data: SessionRevokedEvent) => this.deps.apply(data);
}
