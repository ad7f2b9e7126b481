import { baseSchemaOptions, outboxFields, type PendingEvent } from '@gittix/common';
import { Schema, type Connection, type HydratedDocument, type Model, type Types } from 'mongoose';

/** A successful charge of an order: at most one per order (unique `orderId`). */
export interface PaymentAttrs {
  _id: Types.ObjectId;
  orderId: string;
  stripeId: string;
  /** Cents, as charged (Stripe's smallest currency unit): 19.99 USD is 1999. */
  amount: number;
  currency: string;
  pendingEvents: PendingEvent[];
  outboxPending: boolean;
}

export type PaymentDoc = HydratedDocument<PaymentAttrs>;
export type PaymentModel = Model<PaymentAttrs>;

/** What the API returns for a payment. */
export interface PaymentJson {
  id: string;
  orderId: string;
  stripeId: string;
  amount: number;
  currency: string;
}

const paymentSchema = new Schema<PaymentAttrs>(
  {
    // Unique: a second payment for one order cannot be stored, whichever process tries.
    orderId: { type: String, required: true, unique: true },
    stripeId: { type: String, required: true },
    amount: { type: Number, required: true },
    currency: { type: String, required: true },
    ...outboxFields,
  },
  {
    ...baseSchemaOptions,
    toJSON: {
      transform: (_doc, ret: Record<string, unknown>): PaymentJson => ({
        id: String(ret._id),
        orderId: String(ret.orderId),
        stripeId: String(ret.stripeId),
        amount: Number(ret.amount),
        currency: String(ret.currency),
      }),
    },
  },
);

export function createPaymentModel(connection: Connection): PaymentModel {
  return connection.model<PaymentAttrs>('Payment', paymentSchema);
}
