import {
  isDuplicateKeyError,
  NotYetApplicableError,
  toCents,
  withDocumentLock,
  type Logger,
  type TicketCreatedEvent,
  type TicketDeletedEvent,
  type TicketUpdatedEvent,
} from '@gittix/common';
import { Types, type UpdateQuery } from 'mongoose';
import { holdingKey } from '../models/order';
import type { TicketAttrs } from '../models/ticket';
import { cancelOrder } from './cancel-order';
import type { OrderDeps } from './order-deps';

export type ReplicaOutcome = 'applied' | 'duplicate';

/** ticket:created → the replica, at the event's version. A redelivery (or a replica already ahead) is a duplicate. */
export async function createTicketReplica(deps: OrderDeps, data: TicketCreatedEvent): Promise<ReplicaOutcome> {
  try {
    await deps.models.Ticket.create({
      _id: new Types.ObjectId(data.id),
      title: data.title,
      price: data.price,
      priceCents: data.priceCents ?? toCents(data.price),
      userId: new Types.ObjectId(data.userId),
      version: data.version,
      status: 'available',
      deleted: false,
    });
    return 'applied';
  } catch (err) {
    if (isDuplicateKeyError(err)) return 'duplicate';
    throw err;
  }
}

/**
 * Applies a versioned change to the replica only as the next version
 * (DESIGN §3): older or equal is a duplicate (ack), newer waits for the ones
 * before it (NotYetApplicableError: no ack, redelivered), as does any change
 * to a replica that does not exist yet.
 */
async function applyNextVersion(
  deps: OrderDeps,
  id: string,
  version: number,
  update: UpdateQuery<TicketAttrs>,
): Promise<ReplicaOutcome> {
  const { Ticket } = deps.models;
  const _id = new Types.ObjectId(id);
  return withDocumentLock(Ticket, _id, async () => {
    const applied = await Ticket.findOneAndUpdate({ _id, version: version - 1 }, update, { returnDocument: 'after' });
    if (applied) return 'applied';
    const replica = await Ticket.findById(_id, { version: 1 }).lean();
    if (!replica) throw new NotYetApplicableError(`no replica of ticket ${id} yet (event version ${version})`);
    if (version <= replica.version) return 'duplicate';
    throw new NotYetApplicableError(
      `replica of ticket ${id} is at version ${replica.version}; event is version ${version}`,
    );
  });
}

/** ticket:updated → title, price and the ticket's reported status, in version order. */
export function applyTicketUpdated(deps: OrderDeps, data: TicketUpdatedEvent): Promise<ReplicaOutcome> {
  const update: UpdateQuery<TicketAttrs> = {
    $set: {
      title: data.title,
      price: data.price,
      priceCents: data.priceCents ?? toCents(data.price),
      userId: new Types.ObjectId(data.userId),
      status: data.status,
      version: data.version,
      ...(data.orderId ? { orderId: new Types.ObjectId(data.orderId) } : {}),
    },
  };
  if (!data.orderId) update.$unset = { orderId: 1 };
  return applyNextVersion(deps, data.id, data.version, update);
}

/**
 * ticket:deleted → the replica is marked deleted (new orders get 404). If an
 * order still awaiting payment holds the ticket — it was ordered in the moment
 * before this service heard of the deletion — that order is cancelled, so no
 * one pays for a ticket that no longer exists. Done on duplicates too, so a
 * crash between the two steps is repaired by the redelivery.
 */
export async function applyTicketDeleted(
  deps: OrderDeps,
  data: TicketDeletedEvent,
  log: Logger,
): Promise<ReplicaOutcome> {
  const outcome = await applyNextVersion(deps, data.id, data.version, {
    $set: { deleted: true, version: data.version },
  });
  const holder = await deps.models.Order.findOne({ reservationKey: holdingKey(data.id) }, { _id: 1, status: 1 }).lean();
  if (holder && (holder.status === 'created' || holder.status === 'awaiting:payment')) {
    const result = await cancelOrder(deps, holder._id);
    log.warn(
      { ticketId: data.id, orderId: holder._id.toHexString(), outcome: result.outcome },
      'ticket deleted while an order held it; order cancelled',
    );
  }
  return outcome;
}
