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

/** A message that failed every delivery, kept for a person to look at instead of being redelivered for ever. */
export interface DeadLetter {
  subject: string;
  sequence: number;
  queueGroup: string;
  deliveries: number;
  data: unknown;
  error: string;
}

/** Where a service parks its dead letters (its own database: see DeadLetters in common). */
export interface DeadLetterSink {
  park(letter: DeadLetter): Promise<void>;
}

/**
 * Base class of every listener. It subscribes a durable queue group, validates
 * each payload against its subject's schema, awaits `onMessage` and acks only
 * after it succeeded. An invalid payload is logged and acked (it can never
 * succeed); any other failure is logged with subject and sequence and left
 * unacked, so NATS Streaming redelivers it after `ackWaitMs`. A message that
 * has failed `maxDeliveries` times is parked as a dead letter (its subject,
 * sequence, payload and error), logged as an error and acked: never
 * redelivered for ever.
 */
export abstract class Listener<S extends Subject> {
  abstract readonly subject: S;
  abstract readonly queueGroupName: string;
  /**
   * How long the server waits for an ack before redelivering: longer than the
   * slowest handler (a database write, or a Stripe refund of payments, whose
   * listener waits longer), short enough that a crash's messages come back soon.
   */
  protected ackWaitMs = 10_000;
  /**
   * Unacked messages handed to this process at once. Bounded so a backlog after
   * an outage arrives at the pace the handlers keep, and small, so versioned
   * replicas see few messages out of order.
   */
  protected maxInFlight: number | undefined = 16;
  /** Deliveries after which a failing message is parked (with ackWait 10 s, over three minutes of retries). */
  protected maxDeliveries = 20;
  private deadLetters: DeadLetterSink | undefined;

  constructor(
    protected readonly bus: EventBus,
    protected readonly logger: Logger,
  ) {}

  abstract onMessage(data: EventData<S>, context: MessageContext): Promise<void>;

  /** Starts delivery. Resolves once the server registered the subscription. */
  listen(options: { deadLetters?: DeadLetterSink } = {}): Promise<BusSubscription> {
    this.deadLetters = options.deadLetters;
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
      if (message.deliveries >= this.maxDeliveries) {
        await this.park(message, err, log);
      } else if (err instanceof NotYetApplicableError) {
        log.debug(
          { reason: err.message, deliveries: message.deliveries },
          'event not applicable yet; waiting for redelivery',
        );
      } else {
        log.error({ err, deliveries: message.deliveries }, 'event handler failed; will be redelivered');
      }
    }
  }

  /** Keeps a message that never succeeded, then acks it; if it cannot be kept, it stays unacked. */
  private async park(message: BusMessage, err: unknown, log: Logger): Promise<void> {
    const error = err instanceof Error ? err.message : String(err);
    const letter: DeadLetter = {
      subject: message.subject,
      sequence: message.sequence,
      queueGroup: this.queueGroupName,
      deliveries: message.deliveries,
      data: message.data,
      error,
    };
    try {
      await this.deadLetters?.park(letter);
    } catch (parkErr) {
      log.error({ err: parkErr, error }, 'could not park a failing event; it will be redelivered');
      return;
    }
    log.error(
      {
        error,
        deliveries: message.deliveries,
        parkedIn: this.deadLetters ? 'deadletters' : 'this log only',
        data: message.data,
      },
      'event failed every delivery; parked as a dead letter and acked',
    );
    message.ack();
  }
}
