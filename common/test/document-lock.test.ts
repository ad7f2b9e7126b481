import { Schema, Types } from 'mongoose';
import { DocumentLock, withDocumentLock } from '../src/db/document-lock';
import { connectTestDatabase } from '@gittix/testing';

describe('DocumentLock', () => {
  it('when holders of one key overlap, then they run one after another in arrival order', async () => {
    const lock = new DocumentLock();
    const events: string[] = [];
    const hold = (name: string, ms: number) =>
      lock.run('k', async () => {
        events.push(`${name}:start`);
        await new Promise((r) => setTimeout(r, ms));
        events.push(`${name}:end`);
      });

    await Promise.all([hold('a', 20), hold('b', 1), hold('c', 1)]);

    expect(events).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
    expect(lock.size).toBe(0);
  });

  it('when a holder throws, then the next one still runs and the error reaches its caller', async () => {
    const lock = new DocumentLock();
    const first = lock.run('k', () => Promise.reject(new Error('boom')));
    const second = lock.run('k', () => Promise.resolve('ok'));

    await expect(first).rejects.toThrow('boom');
    await expect(second).resolves.toBe('ok');
  });

  it('when different keys are used, then they do not wait for each other', async () => {
    const lock = new DocumentLock();
    let release!: () => void;
    const blocked = lock.run('a', () => new Promise<void>((r) => (release = r)));

    await expect(lock.run('b', () => Promise.resolve('free'))).resolves.toBe('free');
    release();
    await blocked;
  });

  it('when 50 concurrent read-modify-write updates hold the lock on FerretDB, then none is lost', async () => {
    const db = await connectTestDatabase('lock');
    try {
      const Counter = db.connection.model('Counter', new Schema({ n: Number }));
      const _id = new Types.ObjectId();
      await Counter.create({ _id, n: 0 });

      await Promise.all(
        Array.from({ length: 50 }, () =>
          withDocumentLock(Counter, _id, () => Counter.updateOne({ _id }, { $inc: { n: 1 } })),
        ),
      );

      expect((await Counter.findById(_id).lean())?.n).toBe(50);
    } finally {
      await db.drop();
    }
  });
});
