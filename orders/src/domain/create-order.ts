import { hasEventStarted, toCents } from '@gittix/common/contracts';
import { BadRequestError, NotFoundError } from '@gittix/common/core';
import { insertDocument, isDuplicateKeyError, pendingEvent } from '@gittix/common/db';
import { Types } from 'mongoose';
import { buyerSlotKey, holdingKey, type OrderDoc } from '../models/order';
import type { OrderDeps } from './deps';

export interface NewOrder {
  buyerId: string;
  ticketId: string;
  /** EXPIRATION_WINDOW_SECONDS: how long the order holds the ticket unpaid (the expiration window). */
  windowSeconds: number;
  /** MAX_OPEN_ORDERS: how many unpaid orders one buyer may hold at once. */
  maxOpenOrders: number;
}

/** Attempts at a free open-order slot before giving up (each loss is another request of the same buyer). */
const slotAttempts = 5;

/**
 * A buyer reserves a ticket. The order, its reservation (`reservationKey`)
 * and its open-order slot (`buyerSlot`), both under unique indexes, and its
 * `order:created` event are ONE insert: of N concurrent orders for a ticket
 * exactly one succeeds, and a buyer never holds more than `maxOpenOrders`
 * open orders, on MongoDB and on FerretDB alike (no transactions, no partial
 * indexes). Nothing exists between "reserved" and "ordered", so no crash can
 * strand a reservation. See docs/decisions/0010-reservation-by-unique-key.md.
 */
export async function createOrder(deps: OrderDeps, input: NewOrder): Promise<OrderDoc> {
  const { Order, Ticket } = deps.models;
  const ticket = await Ticket.findById(input.ticketId).lean();
  if (!ticket || ticket.deleted) throw new NotFoundError('Ticket not found');
  if (ticket.userId.equals(input.buyerId)) throw new BadRequestError('You cannot buy your own ticket');
  if (hasEventStarted(ticket.eventDate)) throw new BadRequestError('This event has already taken place');
  const priceCents = ticket.priceCents ?? toCents(ticket.price);

  for (let attempt = 1; attempt <= slotAttempts; attempt++) {
    const slot = await freeSlot(deps, input.buyerId, input.maxOpenOrders);
    if (slot === undefined) {
      throw new BadRequestError(
        `You can hold at most ${input.maxOpenOrders} unpaid orders at once; pay for or cancel one first`,
      );
    }
    const _id = new Types.ObjectId();
    const expiresAt = holdUntil(Date.now(), input.windowSeconds, ticket.eventDate);
    const fields = {
      _id,
      userId: new Types.ObjectId(input.buyerId),
      status: 'created' as const,
      expiresAt,
      ticket: { id: ticket._id, title: ticket.title, price: ticket.price, priceCents },
      version: 0,
      reservationKey: holdingKey(ticket._id),
      buyerSlot: buyerSlotKey(input.buyerId, slot),
    };
    const created = pendingEvent('order:created', {
      id: _id.toHexString(),
      version: 0,
      status: 'created',
      userId: input.buyerId.toLowerCase(),
      expiresAt: expiresAt.toISOString(),
      ticket: { id: ticket._id.toHexString(), price: ticket.price, priceCents },
    });
    try {
      return await insertDocument({ model: Order, outbox: deps.outbox }, fields, [created]);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      // Which unique key refused it? The server does not always say (FerretDB), so look.
      if (await Order.exists({ reservationKey: holdingKey(ticket._id) })) {
        throw new BadRequestError('Ticket is already reserved');
      }
      // Another order of this buyer took the slot at the same moment: read the slots again.
    }
  }
  throw new BadRequestError('Too many orders at once; try again in a moment');
}

/** The lowest open-order slot the buyer does not hold, or undefined when all are taken. */
async function freeSlot(deps: OrderDeps, buyerId: string, maxOpenOrders: number): Promise<number | undefined> {
  const keys = Array.from({ length: maxOpenOrders }, (_, n) => buyerSlotKey(buyerId, n));
  const held = await deps.models.Order.find({ buyerSlot: { $in: keys } }, { buyerSlot: 1 }).lean();
  const taken = new Set(held.map((o) => o.buyerSlot));
  const free = keys.findIndex((key) => !taken.has(key));
  return free === -1 ? undefined : free;
}

/**
 * When an order placed at `now` stops holding its ticket: after the window,
 * or when the event starts if that is sooner, so nobody pays for an event
 * that has begun (payments refuses an order past its `expiresAt`).
 */
function holdUntil(now: number, windowSeconds: number, eventDate: Date | undefined): Date {
  const windowEnd = now + windowSeconds * 1000;
  return new Date(eventDate ? Math.min(windowEnd, eventDate.getTime()) : windowEnd);
}
