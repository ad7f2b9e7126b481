import { eventSchemas, type EventData, type Subject } from '../contracts/events';
import type { EventBus } from './event-bus';

/**
 * Base class of every publisher: validates the payload against its subject's
 * schema (a bad event is a bug, caught at the source) and resolves only once
 * the bus has stored it. A failed publish rejects; it is never dropped silently.
 */
export abstract class Publisher<S extends Subject> {
  abstract readonly subject: S;

  constructor(protected readonly bus: EventBus) {}

  async publish(data: EventData<S>): Promise<void> {
    const valid = eventSchemas[this.subject].parse(data);
    await this.bus.publish(this.subject, valid);
  }
}
