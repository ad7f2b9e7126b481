import { orderStatuses, type OrderStatus } from '@gittix/common/contracts';
import { baseSchemaOptions } from '@gittix/common/db';
import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * The payments service's copy of an order, fed by order:created and
 * order:cancelled. Its `_id` is the order's id in the orders service.
 */
export interface OrderAttrs {
  _id: Types.ObjectId;
  userId: string;
  /** Ticket price in currency units (19.99). */
  price: number;
  /** The same in integer cents, as order:created carried it (older replicas: derive it from `price`). */
  priceCents?: number;
  status: OrderStatus;
  expiresAt: Date;
  /** The version of the last order event applied. */
  version: number;
}

export type OrderModel = Model<OrderAttrs>;

const orderSchema = new Schema<OrderAttrs>(
  {
    userId: { type: String, required: true },
    price: { type: Number, required: true },
    priceCents: { type: Number },
    status: { type: String, enum: orderStatuses, required: true },
    expiresAt: { type: Date, required: true },
    version: { type: Number, required: true },
  },
  baseSchemaOptions,
);

export function createOrderModel(connection: Connection): OrderModel {
  return connection.model<OrderAttrs>('Order', orderSchema);
}
