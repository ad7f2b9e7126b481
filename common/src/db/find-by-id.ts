import { Types, type Model } from 'mongoose';

/**
 * The document with this `_id`, as `Model.findById(id).lean()` returns it,
 * read by the driver at once. For the lookups by id that every page view
 * makes (GET /api/tickets/:id, GET /api/orders/:id), where mongoose's query
 * building, casting and hooks only add CPU to an answer that is the stored
 * document as it is (bench/lookups.mjs measures those routes against a bare
 * driver lookup). The id must be a valid ObjectId (`parseObjectId` checked
 * it). Reads only: every write goes through `changeDocument`.
 */
export async function findLeanById<T>(model: Model<T>, id: string): Promise<T | null> {
  return (await model.collection.findOne({ _id: new Types.ObjectId(id) })) as T | null;
}
