import { z } from 'zod';

/**
 * Keyset pagination, shared by every listing (tickets, orders, payments): a
 * page is `limit` records after a cursor, newest first, and a `Link: <…>;
 * rel="next"` header names the next page while there is one. The cursor is
 * opaque (base64url): clients pass it back unchanged.
 * No skip anywhere, so page 1000 costs what page 1 does. See
 * docs/decisions/0012-ticket-list-cursor.md.
 */
export const defaultPageSize = 50;
export const maxPageSize = 100;

const limitMessage = `Limit must be a whole number from 1 to ${maxPageSize}`;
export const cursorMessage = 'Cursor is not valid; use the one from the previous page';

/**
 * The form of a cursor the listings issue: base64url, no padding, 16 to 32
 * characters (the newest-first listings' 12-byte id is 16; a sorted ticket
 * search also carries its sort key). The service checks the rest.
 */
export const cursorPattern = /^[A-Za-z0-9_-]{16,32}$/;

/** `limit` and `cursor` of a listing's query string; `limit` defaults to {@link defaultPageSize}. */
export const pageQueryShape = {
  limit: z
    .string({ error: limitMessage })
    .regex(/^\d{1,3}$/, limitMessage)
    .transform(Number)
    .refine((n) => n >= 1 && n <= maxPageSize, limitMessage)
    .default(defaultPageSize),
  cursor: z.string({ error: cursorMessage }).regex(cursorPattern, cursorMessage).optional(),
};
export type PageQuery = { limit: number; cursor?: string | undefined };
