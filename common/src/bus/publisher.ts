import { eventSchemas, type EventData, type Subject } from '../events';
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

/** Publishes any subject with validation; used by the outbox, which stores events of several subjects. */
export async function publishEvent<S extends Subject>(bus: EventBus, subject: S, data: EventData<S>): Promise<void> {
  const valid = eventSchemas[subject].parse(data);
  await bus.publish(subject, valid);
}
