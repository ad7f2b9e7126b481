import { RequestValidationError } from '@gittix/common';
import { Types } from 'mongoose';

/**
 * The listing's cursor: the position after which the next page starts, as an
 * opaque token (base64url of the last ticket's 12-byte id). Clients pass it
 * back unchanged; its content may change without notice.
 * See docs/decisions/0012-ticket-list-cursor.md.
 */
export function encodeCursor(lastId: Types.ObjectId): string {
  return Buffer.from(lastId.toHexString(), 'hex').toString('base64url');
}

/** The id a cursor points after; 400 (field `cursor`) for anything this service did not issue. */
export function decodeCursor(cursor: string): Types.ObjectId {
  if (/^[A-Za-z0-9_-]{16}$/.test(cursor)) {
    const bytes = Buffer.from(cursor, 'base64url');
    if (bytes.length === 12 && bytes.toString('base64url') === cursor) return new Types.ObjectId(bytes.toString('hex'));
  }
  throw new RequestValidationError([
    { field: 'cursor', message: 'Cursor is not valid; use the one from the previous page' },
  ]);
}
