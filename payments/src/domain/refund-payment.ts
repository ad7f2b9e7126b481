import type { OrderCancelledEvent } from '@gittix/common/contracts';
import type { Logger } from '@gittix/common/core';
import { changeDocument, pendingEvent } from '@gittix/common/db';
import type { Types } from 'mongoose';
import Stripe from 'stripe';
import type { PaymentAttrs } from '../models/payment';
import { latestAttempt } from './charge-attempts';
import type { PaymentDeps } from './deps';
import { applyOrderCancelled } from './order-replica';

/** What a refund needs: no payment options. */
export type RefundDeps = Omit<PaymentDeps, 'options'>;

/**
 * Gives a charge back: nobody pays for a reservation they no longer hold. The
 * intention is stored first (`refundDue`), then Stripe is asked with the
 * refund's own idempotency key (derived from the charge, so a retry or a
 * second process asking again gets the same refund), then the refund and its
 * payment:refunded event are recorded in one write. A crash or a Stripe outage
 * in between leaves `refundDue` set, and {@link refundDuePayments} finishes it.
 * Idempotent: a refunded payment changes nothing.
 */
export async function refundPayment(
  deps: RefundDeps,
  paymentId: Types.ObjectId,
  reason: string,
  log: Logger,
): Promise<'refunded' | 'already-refunded'> {
  const store = { model: deps.models.Payment, outbox: deps.outbox };
  const payment = await changeDocument<PaymentAttrs, PaymentAttrs | null>(store, paymentId, (found, change) => {
    if (!found || found.status === 'refunded' || found.refundDue) return found;
    return change.write(
      { update: { $set: { refundDue: true } }, unchanged: { status: 'succeeded' }, touch: false },
      (written) => written,
    );
  });
  if (!payment) throw new Error(`payment ${paymentId.toHexString()} does not exist`);
  if (payment.status === 'refunded') return 'already-refunded';

  const refundId = await askStripe(deps.stripe, payment, reason);
  const recorded = await changeDocument<PaymentAttrs, boolean>(store, paymentId, (found, change) => {
    if (found?.status !== 'succeeded') return false;
    const event = pendingEvent('payment:refunded', {
      id: payment._id.toHexString(),
      orderId: payment.orderId,
      stripeId: payment.stripeId,
    });
    return change.write(
      {
        update: { $set: { status: 'refunded', refundDue: false, refundId, refundedAt: new Date() } },
        unchanged: { status: 'succeeded' },
        events: [event],
      },
      () => true,
    );
  });
  if (!recorded) return 'already-refunded';
  log.warn(
    { orderId: payment.orderId, stripeId: payment.stripeId, refundId, amount: payment.amount, reason },
    'charge refunded',
  );
  return 'refunded';
}

/** The refund's id; a charge Stripe already refunded (by an earlier try) counts as refunded. */
async function askStripe(stripe: Stripe, payment: PaymentAttrs, reason: string): Promise<string> {
  try {
    const refund = await stripe.refunds.create(
      { charge: payment.stripeId, metadata: { orderId: payment.orderId, reason } },
      { idempotencyKey: `gittix-refund-${payment.stripeId}` },
    );
    return refund.id;
  } catch (err) {
    if (err instanceof Stripe.errors.StripeInvalidRequestError && err.code === 'charge_already_refunded') {
      const earlier = await stripe.refunds.list({ charge: payment.stripeId, limit: 1 });
      return earlier.data[0]?.id ?? 'refunded-before';
    }
    throw err;
  }
}

/**
 * order:cancelled → if the order was paid meanwhile (the buyer's payment and
 * the cancellation crossed), the charge is refunded. Found through the order's
 * charge attempts, by `_id` (the fast lookup on every engine).
 */
export async function refundIfPaid(deps: RefundDeps, orderId: string, log: Logger): Promise<void> {
  const attempt = await latestAttempt(deps.models, orderId);
  if (!attempt || (attempt.state !== 'succeeded' && attempt.state !== 'pending')) return;
  const payment = await deps.models.Payment.findById(attempt.paymentId, { _id: 1, status: 1 }).lean();
  if (!payment || payment.status === 'refunded') return;
  await refundPayment(deps, payment._id, 'order cancelled after it was paid', log);
}

/**
 * order:cancelled → the replica refuses payment from then on, and a payment
 * that crossed the cancellation is refunded. The refund is looked for on
 * duplicates too, so a crash between the two steps is repaired by the
 * redelivery; a failing refund rejects, so the event is retried.
 */
export async function cancelOrderReplica(deps: RefundDeps, data: OrderCancelledEvent, log: Logger): Promise<string> {
  const outcome = await applyOrderCancelled(deps.models, data);
  await refundIfPaid(deps, data.id, log);
  return outcome;
}

/**
 * The reconciler's part for refunds: finishes every refund that was decided
 * but not recorded (Stripe was down, the process died). Returns how many it
 * finished; a failure is logged and left for the next round.
 */
export async function refundDuePayments(deps: RefundDeps, log: Logger): Promise<number> {
  const due = await deps.models.Payment.find({ refundDue: true, status: 'succeeded' }, { _id: 1 }).limit(100).lean();
  let done = 0;
  for (const { _id } of due) {
    try {
      await refundPayment(deps, _id, 'refund left unfinished', log);
      done += 1;
    } catch (err) {
      log.error({ err, paymentId: _id.toHexString() }, 'refund still failing; retrying later');
    }
  }
  return done;
}
