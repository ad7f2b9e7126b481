import { baseSchemaOptions } from '@gittix/common/db';
import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * Where an attempt stands. Only a `pending` attempt may ever be sent to Stripe
 * (again); every other state is final and means its idempotency key is never
 * used again. See docs/decisions/0020-payment-idempotency.md.
 */
export const chargeAttemptStates = ['pending', 'succeeded', 'declined', 'rejected', 'refunded'] as const;
export type ChargeAttemptState = (typeof chargeAttemptStates)[number];

/**
 * One request to Stripe to charge an order, written BEFORE the request is sent,
 * so a crash at any point leaves a record of what may have been charged. The
 * `_id` is `<orderId>:<attempt>`: inserting it is the claim, and the unique
 * `_id` lets exactly one request claim each attempt of an order, across
 * processes, on MongoDB and FerretDB alike. Every lookup is by `_id`, too
 * (FerretDB's SQLite backend scans the whole collection for other filters).
 */
export interface ChargeAttemptAttrs {
  _id: string;
  orderId: string;
  /** 0 for the first attempt; the next one is created only after this one ended without a charge. */
  attempt: number;
  /** Sent with the charge; the same key on a replay makes Stripe return the first result instead of charging again. */
  idempotencyKey: string;
  /** Cents, as charged. */
  amount: number;
  /** The id the payment gets if this attempt charges: a replay stores the same payment, never a second one. */
  paymentId: Types.ObjectId;
  currency: string;
  /** The Stripe card token, kept only while the attempt is pending (a replay must send the same parameters). */
  token?: string;
  state: ChargeAttemptState;
  /** Who holds the attempt now, and since when; an old claim is taken over (its holder is presumed dead). */
  claimId: string;
  claimedAt: Date;
  stripeId?: string;
  refundId?: string;
  /** Stripe's message for a declined or rejected attempt. */
  failure?: string;
}

export type ChargeAttemptModel = Model<ChargeAttemptAttrs>;

const chargeAttemptSchema = new Schema<ChargeAttemptAttrs>(
  {
    _id: { type: String, required: true },
    orderId: { type: String, required: true },
    attempt: { type: Number, required: true },
    idempotencyKey: { type: String, required: true },
    amount: { type: Number, required: true },
    paymentId: { type: Schema.Types.ObjectId, required: true },
    currency: { type: String, required: true },
    token: { type: String },
    state: { type: String, enum: chargeAttemptStates, required: true },
    claimId: { type: String, required: true },
    claimedAt: { type: Date, required: true },
    stripeId: { type: String },
    refundId: { type: String },
    failure: { type: String },
  },
  baseSchemaOptions,
);

export function createChargeAttemptModel(connection: Connection): ChargeAttemptModel {
  return connection.model<ChargeAttemptAttrs>('ChargeAttempt', chargeAttemptSchema);
}
