import { Schema, Types, type Model } from 'mongoose';
import { Outbox, baseSchemaOptions, changeDocument, insertDocument, outboxFields, pendingEvent } from '../src/db';
import { MemoryBus, captureLogger, connectTestDatabase, newId, waitFor } from '@gittix/testing';

// The outbox's own tests: they read the outbox fields of the stored document,
// because that is the contract under test (what a crash leaves behind).

interface Thing {
  name: string;
  version: number;
}

let db: Awaited<ReturnType<typeof connectTestDatabase>>;
let Things: Model<Thing>;

beforeAll(async () => {
  db = await connectTestDatabase('outbox');
  Things = db.connection.model<Thing>(
    'Thing',
    new Schema<Thing>({ name: String, version: Number, ...outboxFields }, baseSchemaOptions),
  );
  await Things.createIndexes();
});
afterAll(async () => {
  await db.drop();
});

function setup() {
  const bus = new MemoryBus();
  const logs = captureLogger('outbox');
  const outbox = new Outbox({ bus, logger: logs.logger, models: [Things], sweepIntervalMs: 50 });
  return { bus, logs, outbox };
}

function ticketDeleted(id: string, version: number) {
  return pendingEvent('ticket:deleted', { id, version });
}

describe('Outbox', () => {
  it('when a document is written with events and flushed, then they are published in order and removed', async () => {
    const { bus, outbox } = setup();
    const _id = new Types.ObjectId();
    const store = { model: Things, outbox };
    await insertDocument(store, { _id, name: 'a', version: 0 }, [ticketDeleted(_id.toHexString(), 0)]);
    await changeDocument(store, _id, (_doc, change) =>
      change.write(
        { update: { $set: { name: 'b' }, $inc: { version: 1 } }, events: [ticketDeleted(_id.toHexString(), 1)] },
        () => 'changed',
      ),
    );

    expect(bus.eventsOf('ticket:deleted')).toEqual([
      { id: _id.toHexString(), version: 0 },
      { id: _id.toHexString(), version: 1 },
    ]);
    const stored = await Things.collection.findOne({ _id });
    expect(stored?.pendingEvents).toEqual([]);
    expect(stored?.outboxPending).toBe(false);
  });

  it('when publishing fails, then the events stay in the document and the sweep publishes them later', async () => {
    const { bus, outbox, logs } = setup();
    const _id = new Types.ObjectId();
    bus.failNextPublishes(1);

    await insertDocument({ model: Things, outbox }, { _id, name: 'a', version: 0 }, [
      ticketDeleted(_id.toHexString(), 0),
    ]);

    expect(bus.eventsOf('ticket:deleted')).toEqual([]);
    expect((await Things.collection.findOne({ _id }))?.pendingEvents).toHaveLength(1);
    expect(logs.text()).toContain('publish failed; the outbox sweep will retry');

    await outbox.sweep({ all: true }); // as the next start would (the interval waits out the grace first)

    expect(bus.eventsOf('ticket:deleted')).toContainEqual({ id: _id.toHexString(), version: 0 });
    expect((await Things.collection.findOne({ _id }))?.outboxPending).toBe(false);
  });

  it('when the process died between the write and the publish, then a new outbox publishes the leftover at start', async () => {
    const _id = new Types.ObjectId();
    // The write happened; the publish did not (as if the process died in between).
    const dying = setup();
    dying.bus.failNextPublishes(1);
    await insertDocument({ model: Things, outbox: dying.outbox }, { _id, name: 'crash', version: 0 }, [
      ticketDeleted(_id.toHexString(), 0),
    ]);

    const { bus, outbox } = setup(); // a fresh process
    await outbox.start();
    try {
      expect(bus.eventsOf('ticket:deleted')).toContainEqual({ id: _id.toHexString(), version: 0 });
    } finally {
      await outbox.stop();
    }
  });

  it('when an event is queued while the sweep runs on an interval, then it is published without an explicit flush', async () => {
    const { bus, outbox } = setup();
    await outbox.start();
    try {
      const _id = new Types.ObjectId();
      bus.failNextPublishes(1);
      await insertDocument({ model: Things, outbox }, { _id, name: 'later', version: 0 }, [
        ticketDeleted(_id.toHexString(), 0),
      ]);

      await waitFor(
        () => bus.eventsOf('ticket:deleted').some((e) => (e as { id: string }).id === _id.toHexString()),
        'the interval sweep',
      );
    } finally {
      await outbox.stop();
    }
  });

  it('between full sweeps an interval reads nothing but its own failures; what a dead instance left is found by the next full sweep', async () => {
    const bus = new MemoryBus();
    const outbox = new Outbox({
      bus,
      logger: captureLogger().logger,
      models: [Things],
      sweepIntervalMs: 50,
      fullSweepIntervalMs: 600,
      sweepGraceMs: 0,
    });
    // Another instance wrote this document and died before publishing its event.
    const _id = new Types.ObjectId();
    const event = ticketDeleted(_id.toHexString(), 0);
    await Things.collection.insertOne({ _id, name: 'orphan', version: 0, pendingEvents: [event], outboxPending: true });
    const published = () => bus.eventsOf('ticket:deleted').some((e) => (e as { id: string }).id === _id.toHexString());
    const started = Date.now();
    // The start sweeps everything: the first orphan goes out at once; a second one, left after the start, waits for a full sweep.
    await outbox.start();
    try {
      expect(published()).toBe(true);
      const late = new Types.ObjectId();
      await Things.collection.insertOne({
        _id: late,
        name: 'late orphan',
        version: 0,
        pendingEvents: [ticketDeleted(late.toHexString(), 0)],
        outboxPending: true,
      });
      const lateOut = () => bus.eventsOf('ticket:deleted').some((e) => (e as { id: string }).id === late.toHexString());
      await new Promise((resolve) => setTimeout(resolve, 250)); // five intervals
      expect(lateOut()).toBe(false);
      await waitFor(lateOut, 'the full sweep', 3000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    } finally {
      await outbox.stop();
    }
  });

  it('when many updates queue events concurrently, then every event is published exactly once per flush', async () => {
    const { bus, outbox } = setup();
    const _id = new Types.ObjectId();
    const id = _id.toHexString();
    await Things.create({ _id, name: 'busy', version: 0 });

    await Promise.all(
      Array.from({ length: 10 }, () =>
        changeDocument({ model: Things, outbox }, _id, (doc, change) =>
          change.write(
            { update: { $inc: { version: 1 } }, events: [ticketDeleted(id, (doc?.version ?? 0) + 1)] },
            () => undefined,
          ),
        ),
      ),
    );

    const versions = bus
      .eventsOf('ticket:deleted')
      .filter((e) => (e as { id: string }).id === id)
      .map((e) => (e as { version: number }).version)
      .sort((a, b) => a - b);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect((await Things.collection.findOne({ _id }))?.outboxPending).toBe(false);
  });

  it('when another instance sweeps while the writer is still publishing, then it leaves the event to the writer: one copy on the bus', async () => {
    const bus = new MemoryBus();
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    // The writer's publish hangs until released, so its event stays pending in the document meanwhile.
    const writerBus = Object.assign(Object.create(bus) as MemoryBus, {
      publish: async (subject: string, data: unknown) => {
        await slow;
        await bus.publish(subject, data);
      },
    });
    const writer = new Outbox({ bus: writerBus, logger: captureLogger().logger, models: [Things] });
    const other = new Outbox({ bus, logger: captureLogger().logger, models: [Things] });
    const _id = new Types.ObjectId();

    const writing = insertDocument({ model: Things, outbox: writer }, { _id, name: 'shared', version: 0 }, [
      ticketDeleted(_id.toHexString(), 0),
    ]);
    await waitFor(async () => (await Things.collection.findOne({ _id }))?.outboxPending === true, 'the write');
    await other.sweep(); // an interval sweep of the other instance, within the grace
    release();
    await writing;

    const copies = bus.eventsOf('ticket:deleted').filter((e) => (e as { id: string }).id === _id.toHexString());
    expect(copies).toHaveLength(1);
    expect((await Things.collection.findOne({ _id }))?.outboxPending).toBe(false);
  });

  it('when an event payload is invalid, then it is refused before anything is written', () => {
    expect(() => pendingEvent('ticket:deleted', { id: 'nope', version: 0 })).toThrow(/id/);
  });

  it('when a document is serialised, then outbox fields never leak into JSON', async () => {
    const _id = new Types.ObjectId();
    const { bus, outbox } = setup();
    bus.failNextPublishes(1); // so the event is still in the document
    const doc = await insertDocument({ model: Things, outbox }, { _id, name: 'json', version: 0 }, [
      ticketDeleted(newId(), 0),
    ]);
    expect(doc.get('pendingEvents')).toHaveLength(1);

    expect(doc.toJSON()).toEqual({
      id: _id.toHexString(),
      name: 'json',
      version: 0,
      createdAt: expect.any(Date),
      updatedAt: expect.any(Date),
    });
  });
});
