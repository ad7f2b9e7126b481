import type { HydratedDocument, Model, QueryFilter, UpdateQuery } from 'mongoose';
import { ConflictError } from '../core/errors';
import { withDocumentLock } from './document-lock';
import { withEvents, withInitialEvents, type DocumentId, type Outbox, type PendingEvent } from './outbox';

/**
 * The one write path of every service: how a stored document changes.
 *
 *  1. Take the document's lock (FerretDB does not isolate concurrent updates
 *     of one document; see document-lock.ts).
 *  2. Read the document and let the caller's `plan` decide, from what is
 *     stored, either a result without writing or one {@link Write}.
 *  3. Apply the write only if the document is as `plan` saw it: the same
 *     `version` (when it has one) and the same values of `unchanged`. Its
 *     events go into the same update (the outbox), so a change and its events
 *     land together or not at all.
 *  4. If another writer got there first (another instance, on MongoDB), read
 *     again and re-plan, a few times, then give up with a 409.
 *  5. Release the lock, then publish the queued events.
 *
 * Every domain writer goes through here, so none of them repeats the lock,
 * the condition, the retry or the flush.
 */
export interface Write<T> {
  /** The change, as update operators (`$set`, `$unset`, `$inc`…). */
  update: UpdateQuery<T>;
  /** Fields `plan` relied on besides the version: the write applies only while they still hold these values. */
  unchanged?: QueryFilter<T>;
  /** The events that announce the change, queued in the same write. */
  events?: PendingEvent[];
  /** False for bookkeeping no reader sees: `updatedAt` stays as it was. */
  touch?: boolean;
}

/** A write `plan` asked for, and how to turn the document as written into the result. */
export class PlannedWrite<T, R> {
  constructor(
    readonly write: Write<T>,
    readonly then: (written: HydratedDocument<T>) => R,
  ) {}
}

/** Handed to `plan`: `change.write(…)` is how it asks for a write. */
export interface Planner<T> {
  write<R>(write: Write<T>, then: (written: HydratedDocument<T>) => R): PlannedWrite<T, R>;
}

/** The model a document lives in, and the outbox that publishes its events (needed only when a write has events). */
export interface DocumentStore<T> {
  model: Model<T>;
  outbox?: Outbox;
}

/** How often a write re-reads and re-plans after losing a race, before answering 409. */
const attempts = 5;

function planner<T>(): Planner<T> {
  return { write: (write, then) => new PlannedWrite(write, then) };
}

/**
 * Changes one document by the rule in `plan` (see above). `plan` gets the
 * document as stored, or null when there is none, and returns a result (no
 * write), `change.write(…)`, or throws to refuse. It may run more than once.
 */
export async function changeDocument<T, R>(
  store: DocumentStore<T>,
  id: unknown,
  plan: (doc: HydratedDocument<T> | null, change: Planner<T>) => R | PlannedWrite<T, R>,
  options: { conflictMessage?: string } = {},
): Promise<R> {
  const { model, outbox } = store;
  let publish: DocumentId | undefined;
  const result = await withDocumentLock(model, id, async () => {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const doc = await model.findById(id);
      const decision = plan(doc, planner<T>());
      if (!(decision instanceof PlannedWrite)) return decision;
      if (!doc) throw new Error(`a write was planned for ${model.modelName} ${String(id)}, which does not exist`);
      const { update, unchanged, events = [], touch = true } = decision.write;
      if (events.length > 0 && !outbox)
        throw new Error(`a write of ${model.modelName} has events but no outbox to publish them`);
      const version: unknown = doc.get('version');
      const filter = {
        _id: doc._id,
        ...(typeof version === 'number' ? { version } : {}),
        ...unchanged,
      } as QueryFilter<T>;
      const written = await model.findOneAndUpdate(filter, events.length > 0 ? withEvents(update, ...events) : update, {
        returnDocument: 'after',
        ...(touch ? {} : { timestamps: false }),
      });
      if (written) {
        if (events.length > 0) publish = written._id as DocumentId;
        return decision.then(written);
      }
    }
    throw new ConflictError(options.conflictMessage);
  });
  if (publish !== undefined) await outbox?.flush(model, publish);
  return result;
}

/** Stores a new document together with the events that announce it (one insert), then publishes them. */
export async function insertDocument<T>(
  store: DocumentStore<T>,
  fields: Partial<T> & { _id: unknown },
  events: PendingEvent[] = [],
): Promise<HydratedDocument<T>> {
  if (events.length === 0) return store.model.create(fields);
  if (!store.outbox) throw new Error(`an insert of ${store.model.modelName} has events but no outbox to publish them`);
  const doc = await store.model.create(withInitialEvents(fields, ...events));
  await store.outbox.flush(store.model, doc._id as DocumentId);
  return doc;
}
