import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { eventSchemas, type EventData, type Subject } from '../events';
import type { BusMessage, BusSubscription, EventBus } from './event-bus';

/** Facts about the delivery a handler may want (logging, metrics). */
export interface MessageContext {
  sequence: number;
  redelivered: boolean;
  /** A logger bound to the subject and sequence of this message. */
  log: Logger;
}

/**
 * Thrown by a handler when the message is valid but cannot be applied yet (a
 * replica is behind the event's version). The message is not acked, so the
 * server redelivers it; the base Listener logs it at debug level, not as an error.
 */
export class NotYetApplicableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotYetApplicableError';
  }
}

/**
 * Base class of every listener. It subscribes a durable queue group, validates
 * each payload against its subject's schema, awaits `onMessage` and acks only
 * after it succeeded. An invalid payload is logged and acked (it can never
 * succeed); any other failure is logged with subject and sequence and left
 * unacked, so NATS Streaming redelivers it after `ackWaitMs`.
 */
export abstract class Listener<S extends Subject> {
  abstract readonly subject: S;
  abstract readonly queueGroupName: string;
  /** How long the server waits for an ack before redelivering. */
  protected ackWaitMs = 5000;
  /** Unacked messages in flight at once; undefined keeps the server default. */
  protected maxInFlight: number | undefined = undefined;

  constructor(
    protected readonly bus: EventBus,
    protected readonly logger: Logger,
  ) {}

  abstract onMessage(data: EventData<S>, context: MessageContext): Promise<void>;

  /** Starts delivery. Resolves once the server registered the subscription. */
  listen(): Promise<BusSubscription> {
    return this.bus.subscribe(
      this.subject,
      { queueGroup: this.queueGroupName, ackWaitMs: this.ackWaitMs, maxInFlight: this.maxInFlight },
      (message) => this.handle(message),
    );
  }

  /** Runs one delivery through validation and the handler. Never rejects. */
  async handle(message: BusMessage): Promise<void> {
    const log = this.logger.child({ subject: message.subject, sequence: message.sequence });
    let data: EventData<S>;
    try {
      data = eventSchemas[this.subject].parse(message.data) as EventData<S>;
    } catch (err) {
      const issues =
        err instanceof ZodError
          ? err.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`)
          : [String(err)];
      log.error({ issues, redelivered: message.redelivered }, 'invalid event payload; acked and dropped');
      message.ack();
      return;
    }
    try {
      await this.onMessage(data, { sequence: message.sequence, redelivered: message.redelivered, log });
      message.ack();
    } catch (err) {
      if (err instanceof NotYetApplicableError) {
        log.debug({ reason: err.message }, 'event not applicable yet; waiting for redelivery');
      } else {
        log.error({ err, redelivered: message.redelivered }, 'event handler failed; will be redelivered');
      }
    }
  }
}
