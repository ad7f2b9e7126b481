import mongoose, { Schema, Types } from 'mongoose';
import type { Logger } from 'pino';
import type { EventBus } from '../bus/event-bus';
import { eventSchemas, type EventData, type Subject } from '../contracts/events';
import { documentKey, documentLock } from './document-lock';

/**
 * The outbox: a state change and its event are written in ONE atomic update of
 * one document (FerretDB has no multi-document transactions), then published,
 * then removed. If the process dies in between, the sweep publishes what was
 * left at the next start or interval. Delivery is therefore at-least-once and
 * every listener is idempotent. See docs/decisions/0003-outbox-in-the-document.md.
 *
 * Writers go through changeDocument (change-document.ts), which holds the
 * document's lock while it writes (FerretDB does not isolate concurrent
 * updates; see document-lock.ts): the outbox takes the same lock when it
 * removes published events, so no push is ever lost.
 */
export interface PendingEvent {
  _id: Types.ObjectId;
  subject: Subject;
  data: unknown;
}

const pendingEventSchema = new Schema<PendingEvent>(
  {
    subject: { type: String, required: true },
    data: { type: Schema.Types.Mixed, required: true },
  },
  { _id: true },
);

/** Fields to add to every schema whose changes publish events. */
export const outboxFields = {
  pendingEvents: { type: [pendingEventSchema], default: [] },
  /** Indexed flag so the sweep finds leftovers without scanning every document. */
  outboxPending: { type: Boolean, default: false, index: true },
};

/** Builds a validated pending event (a bad payload is a bug and throws here, before anything is written). */
export function pendingEvent<S extends Subject>(subject: S, data: EventData<S>): PendingEvent {
  return { _id: new Types.ObjectId(), subject, data: eventSchemas[subject].parse(data) };
}

type Update = Record<string, unknown> & { $set?: Record<string, unknown>; $push?: Record<string, unknown> };

/** Adds pending events to an update document, so the change and its events land in one atomic write. */
export function withEvents(update: Update, ...events: PendingEvent[]): Update {
  return {
    ...update,
    $set: { ...update.$set, outboxPending: true },
    $push: { ...update.$push, pendingEvents: { $each: events } },
  };
}

/** Fields for a new document created together with its events. */
export function withInitialEvents<T extends object>(
  doc: T,
  ...events: PendingEvent[]
): T & { pendingEvents: PendingEvent[]; outboxPending: boolean } {
  return { ...doc, pendingEvents: events, outboxPending: true };
}

type Collection = mongoose.mongo.Collection<{ _id: DocumentId }>;
/** A document's `_id` exactly as stored: an ObjectId, or a string for collections keyed by one (sessions). */
export type DocumentId = Types.ObjectId | string;
interface HasCollection {
  collection: mongoose.mongo.Collection;
}

export interface OutboxOptions {
  bus: EventBus;
  logger: Logger;
  /** Every model whose documents may hold pending events. */
  models: HasCollection[];
  /**
   * How often the documents this process failed to flush are flushed again
   * (default 5 s): lookups by id, nothing scanned.
   */
  sweepIntervalMs?: number;
  /**
   * How often a full sweep looks for leftovers in every document (default 60 s):
   * events another instance wrote and never published because it died. On
   * FerretDB this reads the whole collection, so it is not done every interval;
   * a restarted instance also sweeps everything at its start.
   */
  fullSweepIntervalMs?: number;
  /**
   * How long an event waits before a sweep publishes it (default 2 s): the
   * flush of the process that wrote it is normally done by then. Without it,
   * another instance's sweep would publish an event that its writer is
   * publishing at that moment: a second copy on the channel.
   */
  sweepGraceMs?: number;
  batchSize?: number;
}

export class Outbox {
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Map<string, Promise<void>>();
  private sweeping: Promise<void> | undefined;
  /** Documents whose last flush here did not publish everything (a publish or a write failed): retried every interval. */
  private readonly unsettled = new Map<string, { model: HasCollection; id: DocumentId }>();
  private ticks = 0;

  constructor(private readonly options: OutboxOptions) {
    // Events raised during a bus outage are in their documents: publish them as soon as it is back.
    options.bus.onReconnect(() => {
      options.logger.info('bus connected again; sweeping the outbox');
      void this.sweep();
    });
  }

  /**
   * Publishes the pending events of one document in order and removes those
   * published. Never throws: a failure is logged and the sweep retries later.
   */
  flush(model: HasCollection, id: DocumentId): Promise<void> {
    const key = `${model.collection.collectionName}:${String(id)}`;
    const running = this.inFlight.get(key);
    // One flush per document at a time in this process; a second caller waits for the first and then runs again.
    const next = (running ?? Promise.resolve())
      .then(() => this.flushNow(model.collection as unknown as Collection, id))
      .then((settled) => {
        if (settled) this.unsettled.delete(key);
        else this.unsettled.set(key, { model, id });
      });
    const tracked = next.finally(() => {
      if (this.inFlight.get(key) === tracked) this.inFlight.delete(key);
    });
    this.inFlight.set(key, tracked);
    return tracked;
  }

  /** True when the document holds no pending event any more (all published, or none). */
  private async flushNow(collection: Collection, _id: DocumentId): Promise<boolean> {
    const log = this.options.logger;
    try {
      const doc = await collection.findOne<{ pendingEvents?: PendingEvent[] }>(
        { _id },
        { projection: { pendingEvents: 1 } },
      );
      const events = doc?.pendingEvents ?? [];
      const published: PendingEvent[] = [];
      for (const event of events) {
        try {
          await this.options.bus.publish(event.subject, event.data);
          published.push(event);
        } catch (err) {
          log.warn(
            { err, subject: event.subject, collection: collection.collectionName, docId: String(_id) },
            'publish failed; the outbox sweep will retry',
          );
          break;
        }
      }
      if (published.length > 0 || events.length === 0) {
        await documentLock.run(documentKey(collection.collectionName, _id), async () => {
          if (published.length > 0) {
            // $pullAll removes exactly these elements (FerretDB v1 has no query form of $pull).
            await collection.updateOne({ _id }, { $pullAll: { pendingEvents: published } });
          }
          // Only clear the flag if nothing new was pushed meanwhile.
          await collection.updateOne({ _id, pendingEvents: { $size: 0 } }, { $set: { outboxPending: false } });
        });
      }
      return published.length === events.length;
    } catch (err) {
      log.error(
        { err, collection: collection.collectionName, docId: String(_id) },
        'outbox flush failed; the sweep will retry',
      );
      return false;
    }
  }

  /**
   * One interval: the documents this process could not flush, by id; and,
   * every `fullSweepIntervalMs`, a full sweep for what other instances left.
   */
  private async tick(): Promise<void> {
    const interval = this.options.sweepIntervalMs ?? 5000;
    const fullEvery = Math.max(1, Math.round((this.options.fullSweepIntervalMs ?? 60_000) / interval));
    this.ticks += 1;
    if (this.ticks % fullEvery === 0) {
      await this.sweep();
      return;
    }
    for (const { model, id } of [...this.unsettled.values()]) await this.flush(model, id);
  }

  /**
   * Publishes whatever any document still holds (after a crash, a failed
   * publish or a bus outage), once it is older than the grace, so a flush in
   * progress in another instance is left to finish. `all`: everything, grace or
   * not (at start: what is left was left by a process that is gone).
   */
  sweep(options: { all?: boolean } = {}): Promise<void> {
    this.sweeping ??= this.sweepNow(options.all ? 0 : (this.options.sweepGraceMs ?? 2000)).finally(() => {
      this.sweeping = undefined;
    });
    return this.sweeping;
  }

  private async sweepNow(graceMs: number): Promise<void> {
    const batchSize = this.options.batchSize ?? 100;
    // A pending event's _id is an ObjectId: its time (whole seconds) says when it was queued.
    const cutoff = Date.now() - graceMs;
    const due = (doc: Record<string, unknown>) =>
      graceMs === 0 ||
      ((doc.pendingEvents as { _id?: { getTimestamp?: () => Date } }[] | undefined) ?? []).some(
        (e) => (e._id?.getTimestamp?.().getTime() ?? 0) < cutoff,
      );
    for (const model of this.options.models) {
      try {
        const docs = (
          await model.collection
            .find({ outboxPending: true }, { projection: { _id: 1, pendingEvents: 1 } })
            .limit(batchSize)
            .toArray()
        ).filter(due);
        if (docs.length > 0)
          this.options.logger.info(
            { collection: model.collection.collectionName, count: docs.length },
            'outbox sweep publishing leftovers',
          );
        for (const doc of docs) await this.flush(model, doc._id);
      } catch (err) {
        this.options.logger.error({ err, collection: model.collection.collectionName }, 'outbox sweep failed');
      }
    }
  }

  /** Sweeps everything once now, then retries on an interval (see {@link OutboxOptions}). */
  async start(): Promise<void> {
    await this.sweep({ all: true });
    this.timer = setInterval(() => void this.tick(), this.options.sweepIntervalMs ?? 5000);
    this.timer.unref();
  }

  /** Stops the interval and waits for running flushes. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.sweeping;
    await Promise.all(this.inFlight.values());
  }
}
