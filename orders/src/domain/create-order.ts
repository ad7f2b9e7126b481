import { BadRequestError, isDuplicateKeyError, NotFoundError, pendingEvent, withInitialEvents } from '@gittix/common';
import { Types } from 'mongoose';
import { holdingKey, type OrderDoc } from '../models/order';
import type { OrderDeps } from './order-deps';

export interface NewOrder {
  buyerId: string;
  ticketId: string;
  /** EXPIRATION_WINDOW_SECONDS: how long the order holds the ticket unpaid. */
  windowSeconds: number;
}

/**
 * A buyer reserves a ticket. The order, its reservation (`reservationKey`
 * under a unique index) and its `order:created` event are ONE insert: of N
 * concurrent orders for a ticket exactly one insert succeeds, the others get
 * a duplicate key and a 400, on MongoDB and on FerretDB (no transactions, no
 * partial indexes, no isolation of concurrent updates needed). Nothing exists
 * between "reserved" and "ordered", so no crash can strand a reservation.
 * See docs/decisions/0010-reservation-by-unique-key.md.
 */
export async function createOrder(deps: OrderDeps, input: NewOrder): Promise<OrderDoc> {
  const { Order, Ticket } = deps.models;
  const ticket = await Ticket.findById(input.ticketId).lean();
  if (!ticket || ticket.deleted) throw new NotFoundError('Ticket not found');
  if (ticket.userId.equals(input.buyerId)) throw new BadRequestError('You cannot buy your own ticket');

  const _id = new Types.ObjectId();
  const expiresAt = new Date(Date.now() + input.windowSeconds * 1000);
  const fields = {
    _id,
    userId: new Types.ObjectId(input.buyerId),
    status: 'created' as const,
    expiresAt,
    ticket: { id: ticket._id, title: ticket.title, price: ticket.price },
    version: 0,
    reservationKey: holdingKey(ticket._id),
  };
  const created = pendingEvent('order:created', {
    id: _id.toHexString(),
    version: 0,
    status: 'created',
    userId: input.buyerId.toLowerCase(),
    expiresAt: expiresAt.toISOString(),
    ticket: { id: ticket._id.toHexString(), price: ticket.price },
  });
  let order: OrderDoc;
  try {
    order = await Order.create(withInitialEvents(fields, created));
  } catch (err) {
    if (isDuplicateKeyError(err)) throw new BadRequestError('Ticket is already reserved');
    throw err;
  }
  await deps.outbox.flush(Order, _id);
  return order;
}
