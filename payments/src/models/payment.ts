import { paymentStatuses, type PaymentStatus } from '@gittix/common/contracts';
import { baseSchemaOptions, outboxFields, type PendingEvent } from '@gittix/common/db';
import { Schema, type Connection, type HydratedDocument, type Model, type Types } from 'mongoose';

/** A successful charge of an order: at most one per order (unique `orderId`). */
export interface PaymentAttrs {
  _id: Types.ObjectId;
  orderId: string;
  /** The buyer (the order's), who alone may see it. */
  userId: string;
  stripeId: string;
  /** Cents, as charged (Stripe's smallest currency unit): 19.99 USD is 1999. */
  amount: number;
  currency: string;
  /** `refunded` once the charge was given back (its order was, or became, cancelled). */
  status: PaymentStatus;
  /** Set before asking Stripe for a refund, cleared once it is recorded: the reconciler finishes what a crash left. */
  refundDue: boolean;
  refundId?: string;
  refundedAt?: Date;
  pendingEvents: PendingEvent[];
  outboxPending: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type PaymentDoc = HydratedDocument<PaymentAttrs>;
export type PaymentModel = Model<PaymentAttrs>;

/** What POST /api/payments answers. */
export interface PaymentJson {
  id: string;
  orderId: string;
  stripeId: string;
  amount: number;
  currency: string;
}

/** What GET /api/payments lists: the buyer's view (no Stripe ids). */
export interface PaymentListJson {
  id: string;
  orderId: string;
  amount: number;
  currency: string;
  status: PaymentStatus;
  createdAt: Date;
}

export function paymentToJson(payment: PaymentAttrs): PaymentJson {
  return {
    id: payment._id.toHexString(),
    orderId: payment.orderId,
    stripeId: payment.stripeId,
    amount: payment.amount,
    currency: payment.currency,
  };
}

export function paymentToListJson(payment: PaymentAttrs): PaymentListJson {
  return {
    id: payment._id.toHexString(),
    orderId: payment.orderId,
    amount: payment.amount,
    currency: payment.currency,
    status: payment.status,
    createdAt: payment.createdAt,
  };
}

const paymentSchema = new Schema<PaymentAttrs>(
  {
    // Unique: a second payment for one order cannot be stored, whichever process tries.
    orderId: { type: String, required: true, unique: true },
    userId: { type: String, required: true },
    stripeId: { type: String, required: true },
    amount: { type: Number, required: true },
    currency: { type: String, required: true },
    status: { type: String, enum: paymentStatuses, required: true, default: 'succeeded' },
    refundDue: { type: Boolean, required: true, default: false },
    refundId: { type: String },
    refundedAt: { type: Date },
    ...outboxFields,
  },
  {
    ...baseSchemaOptions,
    toJSON: { transform: (doc: PaymentDoc) => paymentToJson(doc) },
  },
);

paymentSchema.index({ userId: 1, _id: -1 }, { name: 'by_buyer' });
paymentSchema.index({ refundDue: 1 }, { name: 'refunds_due' });

export function createPaymentModel(connection: Connection): PaymentModel {
  return connection.model<PaymentAttrs>('Payment', paymentSchema);
}
