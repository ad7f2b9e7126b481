import { Types } from 'mongoose';
import { connectTestDatabase } from '@gittix/testing';

// Issue 14: every read and write by id (a lookup, and changeDocument's
// `{_id, version, …}` update) is answered from the `_id` index, not a scan of
// the collection. On the FerretDB the project builds, that takes its patch
// scripts/ferretdb/patches/0002-id-lookups-use-the-index.patch
// (docs/decisions/0048-ferretdb-id-lookups-use-the-index.md); on MongoDB it
// always was. The plans below are the server's own.

let db: Awaited<ReturnType<typeof connectTestDatabase>>;
const ids = Array.from({ length: 300 }, () => new Types.ObjectId());

beforeAll(async () => {
  db = await connectTestDatabase('id-lookup-plan');
  await db.connection.collection('things').insertMany(ids.map((_id, n) => ({ _id, n, version: 0 })));
});
afterAll(async () => {
  await db.drop();
});

/** The plan's description: SQLite's EXPLAIN QUERY PLAN lines on FerretDB, the winning stages on MongoDB. */
async function planOf(filter: Record<string, unknown>): Promise<string> {
  const explained = (await db.connection.db?.command({ explain: { find: 'things', filter } })) as {
    queryPlanner?: { Plan?: string[]; winningPlan?: unknown };
  };
  const planner = explained.queryPlanner ?? {};
  return planner.Plan ? planner.Plan.join('\n') : JSON.stringify(planner.winningPlan);
}

/** What an index lookup looks like on this server. */
const usesTheIndex = /SEARCH \S+ USING INDEX \S+__id_ \(<expr>=\?\)|IDHACK|EXPRESS_IXSCAN|IXSCAN/;

describe('lookups by _id', () => {
  it('a lookup by _id alone is an index search', async () => {
    const plan = await planOf({ _id: ids[150] });

    expect(plan).toMatch(usesTheIndex);
    expect(plan).not.toMatch(/^(?!.*USING).*\bSCAN\b/m);
  });

  it('a lookup by _id and other fields (the conditional write of every change) is an index search too, and still applies them', async () => {
    const plan = await planOf({ _id: ids[20], version: 0, n: 20 });

    expect(plan).toMatch(usesTheIndex);
    const things = db.connection.collection('things');
    await expect(things.findOne({ _id: ids[20], version: 1 })).resolves.toBeNull();
    const updated = await things.updateOne({ _id: ids[20], version: 0 }, { $set: { version: 1 } });
    expect(updated.modifiedCount).toBe(1);
    const again = await things.updateOne({ _id: ids[20], version: 0 }, { $set: { version: 2 } });
    expect(again.matchedCount).toBe(0);
    await expect(things.findOne({ _id: ids[20] })).resolves.toMatchObject({ version: 1 });
  });

  it('a filter without an _id equality is not narrowed by one (it still finds every match)', async () => {
    const things = db.connection.collection('things');

    await expect(things.countDocuments({ _id: { $in: ids.slice(1, 3) }, n: { $gte: 0 } })).resolves.toBe(2);
    await expect(things.countDocuments({ n: { $lt: 10 } })).resolves.toBe(10);
  });
});
