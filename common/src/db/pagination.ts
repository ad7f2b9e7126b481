import { Types, type Model, type QueryFilter } from 'mongoose';
import { cursorMessage, type PageQuery } from '../contracts/pagination';
import { RequestValidationError } from '../core/errors';

/**
 * One page of a listing (the rules are in contracts/pagination.ts): `limit`
 * records in the listing's order, and the cursor of the next page while there is one.
 */
export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

/**
 * A keyset order: by `key` (a number or date field) in `direction`, ties
 * broken by `_id` in the same direction, so every record has exactly one place.
 * Without `key`, by `_id` alone (ObjectIds grow with creation time: `-1` is newest first).
 */
export interface KeysetOrder {
  key?: string;
  direction: 1 | -1;
}

/**
 * One part of a listing: the records of `filter`, in `order`. A listing of
 * several segments shows all of the first, then all of the second (tickets
 * list dated events before the undated ones listed before events had dates).
 */
export interface Segment<T> {
  filter: QueryFilter<T>;
  order: KeysetOrder;
}

/**
 * A listing with a name (`tag`, 0–255) its cursors carry, so a cursor of one
 * listing (sort) is refused by another instead of silently skipping records.
 */
export interface Listing<T> {
  tag: number;
  segments: Segment<T>[];
}

interface Position {
  segment: number;
  value?: number | Date;
  id: Types.ObjectId;
}

const keyNone = 0;
const keyNumber = 1;
const keyDate = 2;

function invalidCursor(): never {
  throw new RequestValidationError([{ message: cursorMessage, field: 'cursor' }]);
}

/**
 * The cursor after a record, base64url. The plain newest-first listing keeps
 * the 12-byte id alone (16 characters, as it always was); any other listing
 * writes [tag, segment, key type, 8-byte key value?, 12-byte id].
 */
function encodeCursor(tag: number | undefined, at: Position): string {
  const id = Buffer.from(at.id.toHexString(), 'hex');
  if (tag === undefined) return id.toString('base64url');
  const kind = at.value === undefined ? keyNone : at.value instanceof Date ? keyDate : keyNumber;
  const head = Buffer.from([tag, at.segment, kind]);
  const value = Buffer.alloc(kind === keyNone ? 0 : 8);
  if (at.value !== undefined) value.writeDoubleBE(at.value instanceof Date ? at.value.getTime() : at.value);
  return Buffer.concat([head, value, id]).toString('base64url');
}

/** The position a cursor points after; a cursor of another listing, or a damaged one, is a 400 naming `cursor`. */
function decodeCursor(cursor: string, tag: number | undefined, segments: number): Position {
  const bytes = Buffer.from(cursor, 'base64url');
  if (tag === undefined) {
    if (bytes.length !== 12) invalidCursor();
    return { segment: 0, id: new Types.ObjectId(bytes.toString('hex')) };
  }
  const [cursorTag, segment = segments, kind] = bytes;
  if (bytes.length < 15 || cursorTag !== tag || segment >= segments) invalidCursor();
  const valueBytes = kind === keyNone ? 0 : 8;
  if ((kind !== keyNone && kind !== keyNumber && kind !== keyDate) || bytes.length !== 15 + valueBytes) invalidCursor();
  const raw = valueBytes ? bytes.readDoubleBE(3) : undefined;
  if (raw !== undefined && !Number.isFinite(raw)) invalidCursor();
  const value = raw === undefined ? undefined : kind === keyDate ? new Date(raw) : raw;
  return { segment, value, id: new Types.ObjectId(bytes.subarray(3 + valueBytes).toString('hex')) };
}

/** The records strictly after `at` in `order`: a later key, or the same key and a later id. */
function after(order: KeysetOrder, at: Position): QueryFilter<unknown> {
  const beyond = order.direction === 1 ? '$gt' : '$lt';
  if (!order.key || at.value === undefined) return { _id: { [beyond]: at.id } };
  return {
    $or: [{ [order.key]: { [beyond]: at.value } }, { [order.key]: at.value, _id: { [beyond]: at.id } }],
  };
}

function sortOf(order: KeysetOrder): Record<string, 1 | -1> {
  return order.key ? { [order.key]: order.direction, _id: order.direction } : { _id: order.direction };
}

function keyValue(record: object, order: KeysetOrder): number | Date | undefined {
  if (!order.key) return undefined;
  const value: unknown = (record as Record<string, unknown>)[order.key];
  return typeof value === 'number' || value instanceof Date ? value : undefined;
}

/**
 * One page of a listing. The next page starts strictly after the last record
 * (its key and id), one bounded range of whichever index serves the segment's
 * filter and order, so page 1000 costs what page 1 does and a walk over every
 * page shows each record once, with no gaps, even while records are added.
 * One record more than asked tells whether another page exists, without
 * counting.
 */
export async function findListingPage<T extends { _id: Types.ObjectId }>(
  model: Model<T>,
  listing: Listing<T>,
  page: PageQuery,
): Promise<Page<T>> {
  return pageOf(model, listing.segments, listing.tag, page);
}

/**
 * One page of `filter`, newest first (`_id` descending: ObjectIds grow with
 * creation time, and being unique they are their own tiebreak).
 */
export async function findPage<T extends { _id: Types.ObjectId }>(
  model: Model<T>,
  filter: QueryFilter<T>,
  page: PageQuery,
): Promise<Page<T>> {
  return pageOf(model, [{ filter, order: { direction: -1 } }], undefined, page);
}

async function pageOf<T extends { _id: Types.ObjectId }>(
  model: Model<T>,
  segments: Segment<T>[],
  tag: number | undefined,
  page: PageQuery,
): Promise<Page<T>> {
  const start = page.cursor === undefined ? undefined : decodeCursor(page.cursor, tag, segments.length);
  const found: { record: T; segment: number }[] = [];
  for (const [index, { filter, order }] of segments.entries()) {
    if (found.length > page.limit) break;
    if (start && index < start.segment) continue;
    const query: QueryFilter<T> = start && index === start.segment ? { $and: [filter, after(order, start)] } : filter;
    const records = await model
      .find(query)
      .sort(sortOf(order))
      .limit(page.limit + 1 - found.length)
      .lean<T[]>();
    for (const record of records) found.push({ record, segment: index });
  }
  const items = found.slice(0, page.limit);
  const last = items.at(-1);
  if (found.length <= page.limit || !last) return { items: items.map((f) => f.record) };
  const order = segments[last.segment]?.order ?? { direction: -1 };
  const value = keyValue(last.record, order);
  return {
    items: items.map((f) => f.record),
    nextCursor: encodeCursor(tag, { segment: last.segment, value, id: last.record._id }),
  };
}
