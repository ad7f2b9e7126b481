import type { z } from 'zod';
import { isObjectId } from '../contracts/ids';
import { NotFoundError, RequestValidationError, type ErrorEntry } from '../core/errors';

/** Turns zod issues into `{ message, field }` entries, one per field (the first issue of each). */
function toErrorEntries(issues: z.core.$ZodIssue[]): ErrorEntry[] {
  const entries = new Map<string, ErrorEntry>();
  for (const issue of issues) {
    const field = issue.path.map(String).join('.');
    if (entries.has(field)) continue;
    entries.set(field, field ? { message: issue.message, field } : { message: issue.message });
  }
  return [...entries.values()];
}

/** Parses input against a schema; throws a 400 with one entry per invalid field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw new RequestValidationError(toErrorEntries(result.error.issues));
  return result.data;
}

/** A path id that is not a valid ObjectId can name nothing: 404, never a 500 from a cast. */
export function parseObjectId(id: unknown, what = 'Not found'): string {
  if (!isObjectId(id)) throw new NotFoundError(what);
  return id.toLowerCase();
}
