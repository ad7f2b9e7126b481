import {
  toCents,
  isOrderOpen,
  type TicketCreatedEvent,
  type TicketDeletedEvent,
  type TicketUpdatedEvent,
} from '@gittix/common/contracts';
import type { Logger } from '@gittix/common/core';
import { applyNextVersion, insertReplica, type ReplicaOutcome } from '@gittix/common/db';
import { Types, type UpdateQuery } from 'mongoose';
import { holdingKey } from '../models/order';
import type { TicketAttrs } from '../models/ticket';
import { cancelOrder } from './cancel-order';
import type { OrderDeps } from './deps';

/**
 * The orders service's copy of each ticket, fed by the ticket:* events in
 * version order (the rule is common's replica.ts): what a buyer may order, at
 * what price, and whether it is gone.
 */

/** ticket:created → the replica, at the event's version. */
export function createTicketReplica(deps: OrderDeps, data: TicketCreatedEvent): Promise<ReplicaOutcome> {
  return insertReplica(deps.models.Ticket, {
    _id: new Types.ObjectId(data.id),
    title: data.title,
    price: data.price,
    priceCents: data.priceCents ?? toCents(data.price),
    userId: new Types.ObjectId(data.userId),
    version: data.version,
    status: 'available',
    deleted: false,
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
      ...(data.orderId ? { orderId: new Types.ObjectId(data.orderId) } : {}),
    },
  };
  if (!data.orderId) update.$unset = { orderId: 1 };
  return applyNextVersion(deps.models.Ticket, new Types.ObjectId(data.id), data.version, update);
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
  const outcome = await applyNextVersion(deps.models.Ticket, new Types.ObjectId(data.id), data.version, {
    $set: { deleted: true },
  });
  const holder = await deps.models.Order.findOne({ reservationKey: holdingKey(data.id) }, { _id: 1, status: 1 }).lean();
  if (holder && isOrderOpen(holder)) {
    const result = await cancelOrder(deps, holder._id);
    log.warn(
      { ticketId: data.id, orderId: holder._id.toHexString(), outcome: result.outcome },
      'ticket deleted while an order held it; order cancelled',
    );
  }
  return outcome;
}
