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
    ...(data.eventDate ? { eventDate: new Date(data.eventDate) } : {}),
    version: data.version,
    status: 'available',
    deleted: false,
  });
}

/**
 * ticket:updated → title, price, event date and the ticket's reported status,
 * in version order. An event from before tickets had dates (no `eventDate`)
 * leaves the date alone; `null` removes it.
 */
export function applyTicketUpdated(deps: OrderDeps, data: TicketUpdatedEvent): Promise<ReplicaOutcome> {
  const update: UpdateQuery<TicketAttrs> = {
    $set: {
      title: data.title,
      price: data.price,
      priceCents: data.priceCents ?? toCents(data.price),
      userId: new Types.ObjectId(data.userId),
      status: data.status,
      ...(data.orderId ? { orderId: new Types.ObjectId(data.orderId) } : {}),
      ...(data.eventDate ? { eventDate: new Date(data.eventDate) } : {}),
    },
  };
  const unset: Record<string, 1> = {};
  if (!data.orderId) unset.orderId = 1;
  if (data.eventDate === null) unset.eventDate = 1;
  if (Object.keys(unset).length > 0) update.$unset = unset;
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
