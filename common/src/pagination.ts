import { Types } from 'mongoose';
import { z } from 'zod';
import { RequestValidationError } from './errors';

/**
 * Keyset pagination shared by every listing (tickets, orders, payments): a page
 * is `limit` documents after a cursor, in `_id` order, and a `Link: <…>;
 * rel="next"` header names the next page while there is one. The cursor is an
 * opaque token (base64url of the last document's 12-byte id): clients pass it
 * back unchanged, and its content may change. No skip anywhere, so page 1000
 * costs what page 1 does. See docs/decisions/0012-ticket-list-cursor.md.
 */
export const defaultPageSize = 50;
export const maxPageSize = 100;

const limitMessage = `Limit must be a whole number from 1 to ${maxPageSize}`;
const cursorMessage = 'Cursor is not valid; use the one from the previous page';

/** `limit` and `cursor` of a listing's query string. */
export const pageQueryShape = {
  limit: z
    .string({ error: limitMessage })
    .regex(/^\d{1,3}$/, limitMessage)
    .transform(Number)
    .refine((n) => n >= 1 && n <= maxPageSize, limitMessage)
    .optional(),
  cursor: z.string({ error: cursorMessage }).optional(),
};

export function encodeCursor(lastId: Types.ObjectId): string {
  return Buffer.from(lastId.toHexString(), 'hex').toString('base64url');
}

/** The id a cursor points after; 400 (field `cursor`) for anything a listing did not issue. */
export function decodeCursor(cursor: string): Types.ObjectId {
  if (/^[A-Za-z0-9_-]{16}$/.test(cursor)) {
    const bytes = Buffer.from(cursor, 'base64url');
    if (bytes.length === 12 && bytes.toString('base64url') === cursor) return new Types.ObjectId(bytes.toString('hex'));
  }
  throw new RequestValidationError([{ field: 'cursor', message: cursorMessage }]);
}

/**
 * The `Link` header of the next page: relative, so it stays right behind any
 * ingress or gateway host; it repeats the listing's own filters.
 */
export function nextPageLink(path: string, params: Record<string, string | undefined>, lastId: Types.ObjectId): string {
  const next = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) next.set(key, value);
  next.set('cursor', encodeCursor(lastId));
  return `<${path}?${next.toString()}>; rel="next"`;
}

/** Splits the `limit + 1` documents a query fetched into the page and, when more follow, its last id. */
export function toPage<T extends { _id: Types.ObjectId }>(
  found: T[],
  limit: number,
): { items: T[]; lastId?: Types.ObjectId } {
  const items = found.slice(0, limit);
  const last = items.at(-1);
  return found.length > limit && last ? { items, lastId: last._id } : { items };
}
