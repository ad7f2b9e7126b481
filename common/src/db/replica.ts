import type { Model, UpdateQuery } from 'mongoose';
import { NotYetApplicableError } from '../core/errors';
import { changeDocument } from './change-document';
import { isDuplicateKeyError } from './mongo';

/**
 * A service's copy of another service's records (orders keeps tickets,
 * payments keeps orders), fed by their versioned events. Events of one record
 * may arrive twice or out of order; the rule, in one place: the first event
 * creates the copy at its version, and every later one applies only as the
 * next version. Older or equal is a duplicate (acked, nothing changes); newer
 * waits for the ones before it, as does a change to a copy that does not exist
 * yet (NotYetApplicableError: not acked, so redelivered).
 */
export type ReplicaOutcome = 'applied' | 'duplicate';

/** The creating event: the copy at the event's version; a redelivery finds it there already. */
export async function insertReplica<T>(
  model: Model<T>,
  fields: Partial<T> & { _id: unknown; version: number },
): Promise<ReplicaOutcome> {
  try {
    await model.create(fields);
    return 'applied';
  } catch (err) {
    if (isDuplicateKeyError(err)) return 'duplicate';
    throw err;
  }
}

/** A later event: `update` applied only as the copy's next version (which it sets). */
export function applyNextVersion<T>(
  model: Model<T>,
  id: unknown,
  version: number,
  update: UpdateQuery<T>,
): Promise<ReplicaOutcome> {
  const name = `${model.modelName.toLowerCase()} ${String(id)}`;
  return changeDocument<T, ReplicaOutcome>({ model }, id, (replica, change) => {
    if (!replica) throw new NotYetApplicableError(`no replica of ${name} yet (event version ${version})`);
    const current = replica.get('version') as number;
    if (version <= current) return 'duplicate';
    if (version > current + 1)
      throw new NotYetApplicableError(`replica of ${name} is at version ${current}; event is version ${version}`);
    return change.write({ update: { ...update, $set: { ...update.$set, version } } }, () => 'applied');
  });
}
