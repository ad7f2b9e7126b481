import { Types, type Model, type QueryFilter } from 'mongoose';
import type { PageQuery } from '../contracts/pagination';

/**
 * One page of a listing (the rules are in contracts/pagination.ts): `limit`
 * records, newest first, and the cursor of the next page while there is one.
 */
export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

/** The cursor after a record: base64url of its 12-byte id. */
function encodeCursor(id: Types.ObjectId): string {
  return Buffer.from(id.toHexString(), 'hex').toString('base64url');
}

/** The id a cursor points after. Any 16 base64url characters (the contract's form) decode to 12 bytes. */
function decodeCursor(cursor: string): Types.ObjectId {
  return new Types.ObjectId(Buffer.from(cursor, 'base64url').toString('hex'));
}

/**
 * One page of `filter`, newest first (`_id` descending: ObjectIds grow with
 * creation time, and being unique they are their own tiebreak). The next page
 * is `_id < last`, one bounded range of whichever index serves the filter, so
 * page 1000 costs what page 1 does. One record more than asked tells whether
 * another page exists, without counting.
 */
export async function findPage<T extends { _id: Types.ObjectId }>(
  model: Model<T>,
  filter: QueryFilter<T>,
  page: PageQuery,
): Promise<Page<T>> {
  const query: QueryFilter<T> =
    page.cursor === undefined ? filter : { ...filter, _id: { $lt: decodeCursor(page.cursor) } };
  const found = await model
    .find(query)
    .sort({ _id: -1 })
    .limit(page.limit + 1)
    .lean<T[]>();
  const items = found.slice(0, page.limit);
  const last = items.at(-1);
  return found.length > page.limit && last ? { items, nextCursor: encodeCursor(last._id) } : { items };
}
