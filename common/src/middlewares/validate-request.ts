import type { RequestHandler } from 'express';
import { Types } from 'mongoose';
import type { z } from 'zod';
import { NotFoundError, RequestValidationError, type ErrorEntry } from '../errors';

/** Turns zod issues into `{ message, field }` entries, one per field (the first issue of each). */
export function toErrorEntries(issues: z.core.$ZodIssue[]): ErrorEntry[] {
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

/** Middleware form of {@link parseInput} for the body: replaces `req.body` with the parsed value. */
export function validateRequest(schema: z.ZodType): RequestHandler {
  return (req, _res, next) => {
    req.body = parseInput(schema, req.body);
    next();
  };
}

/** A path id that is not a valid ObjectId can name nothing: 404, never a 500 from a cast. */
export function parseObjectId(id: unknown, what = 'Not found'): string {
  if (typeof id !== 'string' || !/^[0-9a-fA-F]{24}$/.test(id) || !Types.ObjectId.isValid(id)) {
    throw new NotFoundError(what);
  }
  return id.toLowerCase();
}
