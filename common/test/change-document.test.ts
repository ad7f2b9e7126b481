import { Schema, Types, type Model } from 'mongoose';
import { ConflictError, NotYetApplicableError } from '../src/core';
import {
  Outbox,
  applyNextVersion,
  baseSchemaOptions,
  changeDocument,
  insertReplica,
  outboxFields,
  pendingEvent,
} from '../src/db';
import { MemoryBus, captureLogger, connectTestDatabase } from '@gittix/testing';

// The one write path (changeDocument) and the replica rule built on it, against the real database.

interface Counter {
  count: number;
  state: string;
  version: number;
}

let db: Awaited<ReturnType<typeof connectTestDatabase>>;
let Counters: Model<Counter>;
/** Runs once just before the next conditional write: another process winning the race. */
let beforeNextWrite: (() => Promise<unknown>) | undefined;

beforeAll(async () => {
  db = await connectTestDatabase('change-document');
  const schema = new Schema<Counter>(
    { count: Number, state: String, version: Number, ...outboxFields },
    baseSchemaOptions,
  );
  schema.pre('findOneAndUpdate', async function () {
    const rival = beforeNextWrite;
    beforeNextWrite = undefined;
    await rival?.();
  });
  Counters = db.connection.model<Counter>('Counter', schema);
});
afterAll(async () => {
  await db.drop();
});

async function counter(fields: Partial<Counter> = {}): Promise<Types.ObjectId> {
  const doc = await Counters.create({ count: 0, state: 'open', version: 0, ...fields });
  return doc._id;
}

const increment = (id: unknown) =>
  changeDocument({ model: Counters }, id, (_doc, change) =>
    change.write({ update: { $inc: { count: 1, version: 1 } } }, (written) => written.count),
  );

describe('changeDocument', () => {
  it('when many writers change one document at once, then every change is applied exactly once', async () => {
    const id = await counter();

    const results = await Promise.all(Array.from({ length: 20 }, () => increment(id)));

    expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await Counters.findById(id).lean()).toMatchObject({ count: 20, version: 20 });
  });

  it('when the plan decides nothing changes, then its answer is returned and nothing is written', async () => {
    const id = await counter({ state: 'closed' });
    const before = await Counters.findById(id).lean();

    const answer = await changeDocument({ model: Counters }, id, (doc, change) =>
      doc?.state === 'closed'
        ? 'already closed'
        : change.write({ update: { $set: { state: 'closed' } } }, () => 'closed'),
    );

    expect(answer).toBe('already closed');
    expect(await Counters.findById(id).lean()).toEqual(before);
  });

  it('when the plan refuses, then the error reaches the caller and nothing is written', async () => {
    const id = await counter();

    await expect(
      changeDocument({ model: Counters }, id, () => {
        throw new Error('not yours');
      }),
    ).rejects.toThrow('not yours');
    expect(await Counters.findById(id).lean()).toMatchObject({ count: 0, version: 0 });
  });

  it('when another writer (another instance) changes the document in between, then it reads again and plans on the new state', async () => {
    const id = await counter();
    const seen: number[] = [];

    const result = await changeDocument({ model: Counters }, id, (doc, change) => {
      seen.push(doc?.version ?? -1);
      // Another process, which does not share this process's lock, wins the race.
      if (seen.length === 1)
        beforeNextWrite = () => Counters.collection.updateOne({ _id: id }, { $inc: { count: 10, version: 1 } });
      return change.write({ update: { $inc: { count: 1, version: 1 } } }, (written) => written.count);
    });

    expect(seen).toEqual([0, 1]);
    expect(result).toBe(11);
    expect(await Counters.findById(id).lean()).toMatchObject({ count: 11, version: 2 });
  });

  it('when a field the plan relied on changed, then the write does not apply on the stale view', async () => {
    const id = await counter();
    let plans = 0;

    const result = await changeDocument({ model: Counters }, id, (doc, change) => {
      plans += 1;
      if (doc?.state !== 'open') return `refused: ${doc?.state}`;
      if (plans === 1)
        beforeNextWrite = () => Counters.collection.updateOne({ _id: id }, { $set: { state: 'closed' } });
      return change.write({ update: { $set: { state: 'paid' } }, unchanged: { state: 'open' } }, () => 'paid');
    });

    expect(result).toBe('refused: closed');
    expect((await Counters.findById(id).lean())?.state).toBe('closed');
  });

  it('when every attempt loses the race, then it gives up with a 409', async () => {
    const id = await counter();
    let plans = 0;

    const attempt = changeDocument(
      { model: Counters },
      id,
      (_doc, change) => {
        plans += 1;
        beforeNextWrite = () => Counters.collection.updateOne({ _id: id }, { $inc: { version: 1 } });
        return change.write({ update: { $inc: { count: 1 } } }, () => 'written');
      },
      { conflictMessage: 'Counter changed meanwhile; try again' },
    );

    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    await expect(attempt).rejects.toMatchObject({ statusCode: 409, message: 'Counter changed meanwhile; try again' });
    expect(plans).toBe(5);
    expect(await Counters.findById(id).lean()).toMatchObject({ count: 0, version: 5 });
  });

  it('when a write has events, then they are published after the write, and a write with events needs an outbox', async () => {
    const id = await counter();
    const bus = new MemoryBus();
    const outbox = new Outbox({ bus, logger: captureLogger().logger, models: [Counters] });
    const event = pendingEvent('ticket:deleted', { id: id.toHexString(), version: 1 });

    await changeDocument({ model: Counters, outbox }, id, (_doc, change) =>
      change.write({ update: { $inc: { version: 1 } }, events: [event] }, () => undefined),
    );

    expect(bus.eventsOf('ticket:deleted')).toEqual([{ id: id.toHexString(), version: 1 }]);
    await expect(
      changeDocument({ model: Counters }, id, (_doc, change) =>
        change.write({ update: { $inc: { version: 1 } }, events: [event] }, () => undefined),
      ),
    ).rejects.toThrow(/no outbox/);
    expect((await Counters.findById(id).lean())?.version).toBe(1);
  });
});

describe('the replica rule (insertReplica, applyNextVersion)', () => {
  it('applies each version once, in order, whatever order and however often the events arrive', async () => {
    const id = new Types.ObjectId();
    const outcomes: string[] = [];
    const next = async (version: number, count: number) => {
      try {
        outcomes.push(`${version}:${await applyNextVersion(Counters, id, version, { $set: { count } })}`);
      } catch (err) {
        expect(err).toBeInstanceOf(NotYetApplicableError);
        outcomes.push(`${version}:not yet`);
      }
    };

    await next(1, 10); // before the copy exists
    expect(await insertReplica(Counters, { _id: id, count: 0, state: 'open', version: 0 })).toBe('applied');
    expect(await insertReplica(Counters, { _id: id, count: 0, state: 'open', version: 0 })).toBe('duplicate');
    await next(2, 20); // ahead of version 1
    await next(1, 10);
    await next(1, 10); // redelivered
    await next(2, 20);
    await next(0, 99); // older than the copy

    expect(outcomes).toEqual(['1:not yet', '2:not yet', '1:applied', '1:duplicate', '2:applied', '0:duplicate']);
    expect(await Counters.findById(id).lean()).toMatchObject({ count: 20, version: 2 });
  });
});
