import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { eventSchemas, type EventData, type Subject } from '../contracts/events';
import { NotYetApplicableError } from '../core/errors';
import type { BusMessage, BusSubscription, EventBus } from './event-bus';

/** Facts about the delivery a handler may want (logging, metrics). */
export interface MessageContext {
  sequence: number;
  redelivered: boolean;
  /** A logger bound to the subject and sequence of this message. */
  log: Logger;
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
 * Base class of every listener. A subclass is a declaration: its subject, its
 * queue group, and `onMessage`, one call into the service's domain with the
 * dependencies it was built with. Everything else happens here, once: the
 * durable queue-group subscription, validation of each payload against its
 * subject's schema, the ack only after `onMessage` succeeded, redelivery of a
 * failure after `ackWaitMs` (logged with subject and sequence), and parking as
 * a dead letter after `maxDeliveries` (logged as an error and acked: never
 * redelivered for ever). An invalid payload is logged and acked: it can never
 * succeed.
 */
export abstract class Listener<S extends Subject, D = unknown> {
  abstract readonly subject: S;
  abstract readonly queueGroupName: string;
  /**
   * How long the server waits for an ack before redelivering: longer than the
   * slowest handler (a database write, or a Stripe refund of payments, whose
   * listener waits longer), short enough that a crash's messages come back soon.
   */
  readonly ackWaitMs: number = 10_000;
  /**
   * Unacked messages handed to this process at once. Bounded so a backlog after
   * an outage arrives at the pace the handlers keep, and small, so versioned
   * replicas see few messages out of order.
   */
  readonly maxInFlight: number = 16;
  /** Deliveries after which a failing message is parked (with ackWait 10 s, over three minutes of retries). */
  readonly maxDeliveries: number = 20;
  private logger!: Logger;
  private deadLetters: DeadLetterSink | undefined;

  constructor(protected readonly deps: D) {}

  abstract onMessage(data: EventData<S>, context: MessageContext): Promise<unknown>;

  /** Starts delivery from `bus`. Resolves once the server registered the subscription. */
  listen(bus: EventBus, logger: Logger, options: { deadLetters?: DeadLetterSink } = {}): Promise<BusSubscription> {
    this.logger = logger;
    this.deadLetters = options.deadLetters;
    return bus.subscribe(
      this.subject,
      { queueGroup: this.queueGroupName, ackWaitMs: this.ackWaitMs, maxInFlight: this.maxInFlight },
      (message) => this.handle(message),
    );
  }

  /** Runs one delivery through validation and the handler. Never rejects. */
  private async handle(message: BusMessage): Promise<void> {
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
      const outcome = await this.onMessage(data, { sequence: message.sequence, redelivered: message.redelivered, log });
      message.ack();
      // What the domain said (`applied`, `duplicate`…) about which record, for whoever follows one event through the logs.
      const id = (data as { id?: unknown }).id;
      log.debug(
        { outcome: outcome ?? 'handled', deliveries: message.deliveries, ...(typeof id === 'string' ? { id } : {}) },
        'event handled',
      );
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
