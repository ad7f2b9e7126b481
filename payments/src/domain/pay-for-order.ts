import { setTimeout as sleep } from 'node:timers/promises';
import { isChargeableCents, isOrderOpen, toCents } from '@gittix/common/contracts';
import {
  AppError,
  BadRequestError,
  InternalError,
  NotFoundError,
  TooManyRequestsError,
  type Logger,
} from '@gittix/common/core';
import { insertDocument, isDuplicateKeyError, pendingEvent } from '@gittix/common/db';
import type { Models } from '../models';
import type { ChargeAttemptAttrs } from '../models/charge-attempt';
import type { PaymentDoc } from '../models/payment';
import type { PaymentDeps } from './deps';
import { refundPayment } from './refund-payment';
import {
  claimAttempt,
  finishAttempt,
  isClaimFresh,
  latestAttempt,
  releaseAttempt,
  sendCharge,
  takeOverAttempt,
} from './charge-attempts';

const refundedMessage = 'The order was cancelled while it was being paid; the charge has been refunded';

export interface PayInput {
  userId: string;
  orderId: string;
  token: string;
}

/** How an attempt ended for the request that sent it. */
type Settlement =
  | { kind: 'paid'; payment: PaymentDoc }
  | { kind: 'declined'; message: string }
  | { kind: 'rejected'; message: string; param: string | undefined }
  | { kind: 'refunded' }
  | { kind: 'unknown'; error: AppError };

/**
 * Pays for an order with a card token, charging it at most once whatever
 * happens: concurrent requests, retries, a crash between the charge and the
 * write that records it. The steps (docs/decisions/0020-payment-idempotency.md):
 *
 * 1. A charge attempt that may have charged (pending) is settled first, by
 *    replaying it with its own idempotency key and parameters; a live one is
 *    waited for.
 * 2. Otherwise the order's rules apply (cancelled, paid, expired), and the
 *    next attempt is claimed by inserting it, before anything is sent.
 * 3. The charge goes to Stripe with that attempt's key. A success stores the
 *    payment and its payment:created event in one insert (unique per order);
 *    a decline ends the attempt so the buyer can try another card.
 */
export async function payForOrder(deps: PaymentDeps, input: PayInput, log: Logger): Promise<PaymentDoc> {
  const { models, options } = deps;
  const deadline = Date.now() + options.waitTimeoutMs;
  let waited = false;
  for (;;) {
    const order = await models.Order.findById(input.orderId);
    // Someone else's order looks exactly like a missing one: its existence is nobody else's business.
    if (!order || order.userId !== input.userId) throw new NotFoundError('Order not found');

    const latest = await latestAttempt(models, input.orderId);
    const payment = latest ? await paymentOf(models, latest) : null;
    // A request that waited for a concurrent charge of the same order shares its result (a double click pays once).
    if (payment?.status === 'refunded') throw new BadRequestError('Cannot pay for a cancelled order');
    if (payment) {
      if (waited) return payment;
      throw new BadRequestError('Order has already been paid');
    }

    if (latest?.state === 'pending') {
      if (isClaimFresh(latest, options.claimLeaseMs)) {
        if (Date.now() > deadline)
          throw new AppError(409, 'A payment for this order is already in progress; please try again in a moment');
        waited = true;
        await sleep(options.pollIntervalMs);
        continue;
      }
      // Its holder died or gave up not knowing whether Stripe charged: find out by replaying it, before any new charge.
      const claimed = await takeOverAttempt(models, latest);
      if (!claimed) continue;
      log.warn({ orderId: input.orderId, attempt: claimed.attempt }, 'replaying an unsettled charge attempt');
      const settled = await settle(deps, claimed, input.userId, log);
      if (settled.kind === 'paid') return settled.payment;
      if (settled.kind === 'unknown') throw settled.error;
      if (settled.kind === 'refunded') throw new BadRequestError(refundedMessage);
      // It ended without a charge (or was refunded): go on with this request's own card.
      continue;
    }

    if (order.status === 'cancelled') throw new BadRequestError('Cannot pay for a cancelled order');
    if (!isOrderOpen(order)) throw new BadRequestError('Order has already been paid');
    if (order.expiresAt.getTime() <= Date.now()) throw new BadRequestError('Order has expired');
    const next = latest ? latest.attempt + 1 : 0;
    if (next >= options.maxAttemptsPerOrder) {
      // Card testing: one order may not be used to try card after card. The order expires on its own.
      throw new TooManyRequestsError(
        'Too many payment attempts for this order',
        Math.max(1, Math.ceil((order.expiresAt.getTime() - Date.now()) / 1000)),
      );
    }
    // The amount in cents as the orders service computed it from the seller's price, checked again here.
    const amount = order.priceCents ?? toCents(order.price);
    if (!isChargeableCents(amount))
      throw new BadRequestError('This order cannot be paid: its price is not a valid amount');

    const attempt = await claimAttempt(models, {
      orderId: input.orderId,
      attempt: next,
      amount,
      token: input.token,
    });
    if (!attempt) continue; // another request claimed this attempt first: wait for it on the next pass

    const settled = await settle(deps, attempt, input.userId, log);
    switch (settled.kind) {
      case 'paid':
        return settled.payment;
      case 'declined':
        throw new BadRequestError(settled.message);
      case 'rejected':
        throw new BadRequestError(settled.message, settled.param === 'source' ? 'token' : undefined);
      case 'refunded':
        throw new BadRequestError(refundedMessage);
      case 'unknown':
        throw settled.error;
    }
  }
}

/**
 * The reconciler's part for charges: an attempt left pending past its lease
 * (its process died or timed out mid-charge, and the buyer never came back)
 * is replayed with its own idempotency key and parameters, so Stripe answers
 * with what it did then: a charge is recorded as the payment (and refunded if
 * the order was cancelled meanwhile), a decline ends the attempt. Returns what
 * it settled.
 */
export async function settleStaleAttempts(deps: PaymentDeps, log: Logger): Promise<number> {
  const { models, options } = deps;
  const stale = await models.ChargeAttempt.find({
    state: 'pending',
    claimedAt: { $lt: new Date(Date.now() - options.claimLeaseMs) },
  })
    .limit(50)
    .lean<ChargeAttemptAttrs[]>();
  let settled = 0;
  for (const attempt of stale) {
    const order = await models.Order.findById(attempt.orderId, { userId: 1 }).lean();
    if (!order) continue;
    const claimed = await takeOverAttempt(models, attempt);
    if (!claimed) continue; // a request of the buyer's took it over first
    log.warn({ orderId: attempt.orderId, attempt: attempt.attempt }, 'settling a charge attempt left pending');
    const result = await settle(deps, claimed, order.userId, log);
    if (result.kind !== 'unknown') settled += 1;
  }
  return settled;
}

/**
 * The payment an order's latest attempt stored, if any. Only that attempt can
 * have one (every earlier attempt ended without a charge), and a pending one
 * may have stored it just before its process died.
 */
async function paymentOf(models: Models, attempt: ChargeAttemptAttrs): Promise<PaymentDoc | null> {
  if (attempt.state !== 'pending' && attempt.state !== 'succeeded') return null;
  const payment = await models.Payment.findById(attempt.paymentId);
  if (!payment && attempt.state === 'succeeded')
    throw new InternalError(`charge attempt ${attempt._id} succeeded but its payment is missing`);
  return payment;
}

/** Sends a claimed attempt to Stripe and records what came back. */
async function settle(
  deps: PaymentDeps,
  attempt: ChargeAttemptAttrs,
  userId: string,
  log: Logger,
): Promise<Settlement> {
  const { models } = deps;
  const context = { orderId: attempt.orderId, attempt: attempt.attempt, idempotencyKey: attempt.idempotencyKey };
  if (attempt.token === undefined) throw new InternalError(`charge attempt ${attempt._id} is pending without a token`);
  try {
    const outcome = await sendCharge(deps.stripe, attempt, attempt.token);
    switch (outcome.kind) {
      case 'charged':
        log.info({ ...context, stripeId: outcome.charge.id, amount: attempt.amount }, 'card charged');
        return await recordCharge(deps, attempt, outcome.charge.id, userId, log);
      case 'declined':
        await finishAttempt(models, attempt, 'declined', { failure: outcome.message });
        log.info({ ...context, reason: outcome.message }, 'card declined');
        return outcome;
      case 'rejected':
        await finishAttempt(models, attempt, 'rejected', { failure: outcome.message });
        log.warn(
          { ...context, reason: outcome.message, param: outcome.param },
          'charge refused by the payment provider',
        );
        return outcome;
      case 'unknown':
        await releaseAttempt(models, attempt);
        log.error(
          { ...context, err: outcome.cause },
          'charge outcome unknown; the attempt stays pending and the next request replays it',
        );
        return { kind: 'unknown', error: outcome.error };
    }
  } catch (err) {
    // Our own failure (the database, mostly) after the request may have charged: let the next request replay it at once.
    await releaseAttempt(models, attempt).catch((releaseErr: unknown) =>
      log.error({ ...context, err: releaseErr }, 'could not release a charge attempt'),
    );
    throw err;
  }
}

/**
 * Stores a successful charge as the order's payment, with its payment:created
 * event in the same insert (the outbox), then publishes it. Then, if the order
 * is cancelled (the buyer's payment and a cancellation crossed), the charge is
 * refunded: nobody should pay for a reservation they no longer hold. Storing
 * before looking at the order, as the order:cancelled listener looks for the
 * payment after applying the cancellation, means one of the two always sees
 * both, whatever the order of events.
 */
async function recordCharge(
  deps: PaymentDeps,
  attempt: ChargeAttemptAttrs,
  stripeId: string,
  userId: string,
  log: Logger,
): Promise<Settlement> {
  const { models } = deps;
  const payment = await storePayment(deps, attempt, stripeId, userId);
  if (payment.stripeId !== stripeId) {
    // Cannot happen while every charge goes through an attempt; if it ever does, give the money back.
    log.error(
      { orderId: attempt.orderId, stripeId, kept: payment.stripeId },
      'a second successful charge for one order',
    );
    return refundStray(deps, attempt, stripeId, log);
  }
  await finishAttempt(models, attempt, 'succeeded', { stripeId });
  const order = await models.Order.findById(attempt.orderId, { status: 1 }).lean();
  if (order?.status === 'cancelled') {
    await refundPayment(deps, payment._id, 'order cancelled while it was being paid', log);
    return { kind: 'refunded' };
  }
  return { kind: 'paid', payment };
}

async function storePayment(
  deps: PaymentDeps,
  attempt: ChargeAttemptAttrs,
  stripeId: string,
  userId: string,
): Promise<PaymentDoc> {
  const { models } = deps;
  // The id comes from the attempt, so a replay of it stores the same payment, never a second one.
  const _id = attempt.paymentId;
  const event = pendingEvent('payment:created', { id: _id.toHexString(), orderId: attempt.orderId, stripeId });
  try {
    return await insertDocument(
      { model: models.Payment, outbox: deps.outbox },
      {
        _id,
        orderId: attempt.orderId,
        userId,
        stripeId,
        amount: attempt.amount,
        currency: attempt.currency,
        status: 'succeeded' as const,
        refundDue: false,
      },
      [event],
    );
  } catch (err) {
    // A replay of this attempt stored it first (same _id), or, in theory, another attempt did (unique orderId).
    if (!isDuplicateKeyError(err)) throw err;
    const existing =
      (await models.Payment.findById(_id)) ?? (await models.Payment.findOne({ orderId: attempt.orderId }));
    if (!existing) throw err;
    // Its event may still be waiting if the process that stored it died before publishing.
    await deps.outbox.flush(models.Payment, existing._id);
    return existing;
  }
}

/** A charge no payment record can hold (a second one for an order): refunded at once, by its own key. */
async function refundStray(
  deps: PaymentDeps,
  attempt: ChargeAttemptAttrs,
  stripeId: string,
  log: Logger,
): Promise<Settlement> {
  let refundId: string;
  try {
    const result = await deps.stripe.refunds.create(
      { charge: stripeId, metadata: { orderId: attempt.orderId, reason: 'second charge for an order' } },
      { idempotencyKey: `gittix-refund-${stripeId}` },
    );
    refundId = result.id;
  } catch (err) {
    // The attempt stays pending: the next request replays the charge (Stripe returns the same one) and the refund.
    await releaseAttempt(deps.models, attempt);
    log.error(
      { orderId: attempt.orderId, stripeId, err },
      'refund failed; the next payment request for this order retries it',
    );
    return {
      kind: 'unknown',
      error: new AppError(502, 'The payment provider could not process the payment; please try again later'),
    };
  }
  await finishAttempt(deps.models, attempt, 'refunded', { stripeId, refundId });
  log.warn({ orderId: attempt.orderId, stripeId, refundId }, 'stray charge refunded');
  return { kind: 'refunded' };
}
