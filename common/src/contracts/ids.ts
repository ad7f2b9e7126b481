import { z } from 'zod';

/** A document id as every API and event spells it: a MongoDB ObjectId as 24 hex characters. */
export const objectIdPattern = /^[0-9a-f]{24}$/i;

/** True for a string in the id format (an id the services could have issued). */
export function isObjectId(value: unknown): value is string {
  return typeof value === 'string' && objectIdPattern.test(value);
}

/** The id format as a schema field. */
export const objectId = z.string().regex(objectIdPattern, 'must be a 24-character hex id');
