import { toCents, type OrderCancelledEvent, type OrderCreatedEvent } from '@gittix/common/contracts';
import { applyNextVersion, insertReplica, type ReplicaOutcome } from '@gittix/common/db';
import { Types } from 'mongoose';
import type { Models } from '../models';

/**
 * The payments service's copy of each order, fed by the order:* events in
 * version order (the rule is common's replica.ts): who may pay for it, how
 * much, until when, and whether it was cancelled.
 */

/** order:created → the replica, at the event's version. */
export function applyOrderCreated(models: Models, data: OrderCreatedEvent): Promise<ReplicaOutcome> {
  return insertReplica(models.Order, {
    _id: new Types.ObjectId(data.id),
    userId: data.userId,
    price: data.ticket.price,
    priceCents: data.ticket.priceCents ?? toCents(data.ticket.price),
    status: data.status,
    expiresAt: new Date(data.expiresAt),
    version: data.version,
  });
}

/** order:cancelled → status `cancelled`, as the next version. */
export function applyOrderCancelled(models: Models, data: OrderCancelledEvent): Promise<ReplicaOutcome> {
  return applyNextVersion(models.Order, new Types.ObjectId(data.id), data.version, { $set: { status: 'cancelled' } });
}
