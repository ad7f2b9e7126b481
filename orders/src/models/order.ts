import { orderStatuses, type OrderStatus } from '@gittix/common/contracts';
import { baseSchemaOptions, outboxFields, type PendingEvent } from '@gittix/common/db';
import { Schema, type Connection, type HydratedDocument, type Model, type Types } from 'mongoose';

export interface OrderTicket {
  id: Types.ObjectId;
  title: string;
  price: number;
  /** The price in integer cents (orders created before cents existed lack it: derive it from `price`). */
  priceCents?: number;
}

export interface OrderAttrs {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  status: OrderStatus;
  expiresAt: Date;
  /** The ticket as the buyer ordered it (title and price at that moment). */
  ticket: OrderTicket;
  /** Bumped by one with every event about the order (`order:created` is 0, `order:cancelled` the next). */
  version: number;
  /**
   * The reservation (docs/decisions/0010-reservation-by-unique-key.md):
   * `ticket:<ticketId>` while this order holds its ticket (created,
   * complete), `order:<orderId>` once it is cancelled. A
   * plain unique index on it admits one holder per ticket, atomically, on
   * MongoDB and on FerretDB alike, and it is written in the same insert as the
   * order and its `order:created` event.
   */
  reservationKey: string;
  /**
   * The buyer's open-order slot, the same way: `buyer:<userId>:<n>` (n below
   * MAX_OPEN_ORDERS) while the order is open, `order:<orderId>` once it is
   * paid or cancelled. A unique index on it bounds the open orders of one
   * buyer atomically, in the same insert as the order.
   */
  buyerSlot: string;
  pendingEvents: PendingEvent[];
  outboxPending: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type OrderDoc = HydratedDocument<OrderAttrs>;
export type OrderModel = Model<OrderAttrs>;

/** The order as the API returns it. */
export interface OrderJson {
  id: string;
  userId: string;
  status: OrderStatus;
  expiresAt: Date;
  ticket: { id: string; title: string; price: number };
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export function orderToJson(order: OrderAttrs): OrderJson {
  return {
    id: order._id.toHexString(),
    userId: order.userId.toHexString(),
    status: order.status,
    expiresAt: order.expiresAt,
    ticket: { id: order.ticket.id.toHexString(), title: order.ticket.title, price: order.ticket.price },
    version: order.version,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}

/** The key an order holds its ticket with. */
export function holdingKey(ticketId: Types.ObjectId | string): string {
  return `ticket:${String(ticketId)}`;
}

/** The key of a cancelled order (or the slot of a closed one): unique to it, so it holds nothing. */
export function releasedKey(orderId: Types.ObjectId | string): string {
  return `order:${String(orderId)}`;
}

/** Open-order slot `n` of a buyer. */
export function buyerSlotKey(userId: Types.ObjectId | string, n: number): string {
  return `buyer:${String(userId)}:${n}`;
}

const orderSchema = new Schema<OrderAttrs>(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    status: { type: String, enum: orderStatuses, required: true },
    expiresAt: { type: Date, required: true },
    ticket: {
      type: new Schema<OrderTicket>(
        {
          id: { type: Schema.Types.ObjectId, required: true },
          title: { type: String, required: true },
          price: { type: Number, required: true },
          priceCents: { type: Number },
        },
        { _id: false },
      ),
      required: true,
    },
    version: { type: Number, required: true, default: 0 },
    reservationKey: { type: String, required: true },
    buyerSlot: { type: String, required: true },
    ...outboxFields,
  },
  {
    ...baseSchemaOptions,
    toJSON: { transform: (doc: OrderDoc) => orderToJson(doc) },
  },
);

orderSchema.index({ reservationKey: 1 }, { unique: true, name: 'one_holder_per_ticket' });
orderSchema.index({ buyerSlot: 1 }, { unique: true, name: 'open_orders_per_buyer' });
// The expiry backstop looks for unpaid orders past their time.
orderSchema.index({ status: 1, expiresAt: 1 }, { name: 'overdue' });
orderSchema.index({ userId: 1, _id: -1 }, { name: 'by_buyer' });

export function createOrderModel(connection: Connection): OrderModel {
  return connection.model<OrderAttrs>('Order', orderSchema);
}
