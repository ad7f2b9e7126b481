import { randomUUID } from 'node:crypto';
import { AppError } from '@gittix/common/core';
import { changeDocument, isDuplicateKeyError } from '@gittix/common/db';
import { Types } from 'mongoose';
import Stripe from 'stripe';
import type { Models } from '../models';
import type { ChargeAttemptAttrs, ChargeAttemptState } from '../models/charge-attempt';

/**
 * The idempotency key of one charge attempt of an order. It is derived from
 * the order AND the attempt number, never from the card token: the browser
 * makes a fresh token for every submission, so a token-derived key would let a
 * retry after a crash charge again. The attempt number moves on only after
 * Stripe answered "no charge" (a decline), because Stripe replays a declined
 * key's decline for ever. See docs/decisions/0020-payment-idempotency.md.
 */
export function idempotencyKey(orderId: string, attempt: number): string {
  return `gittix-order-${orderId}-attempt-${attempt}`;
}

const currency = 'usd';

/** The `_id` of attempt `attempt` of an order. */
export function attemptId(orderId: string, attempt: number): string {
  return `${orderId}:${attempt}`;
}

/**
 * The attempt with the highest number for an order, or null before the first.
 * Attempts are numbered without gaps (n + 1 exists only once n is final), so
 * this reads them by `_id` in order: one lookup per attempt, each served by the
 * primary key on MongoDB and FerretDB alike.
 */
export async function latestAttempt(models: Models, orderId: string): Promise<ChargeAttemptAttrs | null> {
  let latest: ChargeAttemptAttrs | null = null;
  for (let n = 0; ; n++) {
    const attempt = await models.ChargeAttempt.findById(attemptId(orderId, n)).lean<ChargeAttemptAttrs>().exec();
    if (!attempt) return latest;
    latest = attempt;
  }
}

/** True while the holder of the attempt's claim is presumed alive. */
export function isClaimFresh(attempt: ChargeAttemptAttrs, leaseMs: number, now = Date.now()): boolean {
  return attempt.claimedAt.getTime() > now - leaseMs;
}

/**
 * Claims attempt `attempt` of an order by inserting it, with everything the
 * charge will send, BEFORE anything goes to Stripe. The unique `_id` lets one
 * request win; the others get null.
 */
export async function claimAttempt(
  models: Models,
  input: { orderId: string; attempt: number; amount: number; token: string },
): Promise<ChargeAttemptAttrs | null> {
  try {
    const doc = await models.ChargeAttempt.create({
      _id: attemptId(input.orderId, input.attempt),
      orderId: input.orderId,
      attempt: input.attempt,
      idempotencyKey: idempotencyKey(input.orderId, input.attempt),
      amount: input.amount,
      paymentId: new Types.ObjectId(),
      currency,
      token: input.token,
      state: 'pending',
      claimId: randomUUID(),
      claimedAt: new Date(),
    });
    return doc.toObject<ChargeAttemptAttrs>();
  } catch (err) {
    if (isDuplicateKeyError(err)) return null;
    throw err;
  }
}

/**
 * Takes over a pending attempt whose holder is presumed dead (or that was
 * released after an unknown outcome). Two processes taking over at once is
 * harmless: both send the same key with the same parameters, Stripe charges
 * at most once, and the unique payment per order keeps one record.
 */
export function takeOverAttempt(models: Models, attempt: ChargeAttemptAttrs): Promise<ChargeAttemptAttrs | null> {
  const claim = { claimId: randomUUID(), claimedAt: new Date() };
  return changePending(models, attempt, { set: claim, ownClaim: true }, () => ({ ...attempt, ...claim }));
}

/**
 * Sets `fields` on the attempt while it is still pending (and, with
 * `ownClaim`, still under the claim `attempt` holds); null when it is not.
 */
function changePending<R>(
  models: Models,
  attempt: ChargeAttemptAttrs,
  change: { set: Partial<ChargeAttemptAttrs>; unset?: Record<string, 1>; ownClaim: boolean },
  then: () => R,
): Promise<R | null> {
  const held = change.ownClaim
    ? { state: 'pending' as const, claimId: attempt.claimId }
    : { state: 'pending' as const };
  return changeDocument<ChargeAttemptAttrs, R | null>({ model: models.ChargeAttempt }, attempt._id, (current, plan) =>
    current?.state === 'pending' && (!change.ownClaim || current.claimId === attempt.claimId)
      ? plan.write(
          { update: { $set: change.set, ...(change.unset ? { $unset: change.unset } : {}) }, unchanged: held },
          then,
        )
      : null,
  );
}

/**
 * Lets the next request replay a pending attempt at once (its outcome is
 * unknown: Stripe unreachable, failing or refusing our key). The attempt stays
 * pending, so the replay sends the same key and parameters.
 */
export async function releaseAttempt(models: Models, attempt: ChargeAttemptAttrs): Promise<void> {
  await changePending(models, attempt, { set: { claimedAt: new Date(0) }, ownClaim: true }, () => undefined);
}

/** Ends an attempt for good; its key is never sent again and the token is forgotten. */
export async function finishAttempt(
  models: Models,
  attempt: ChargeAttemptAttrs,
  state: Exclude<ChargeAttemptState, 'pending'>,
  fields: { stripeId?: string; refundId?: string; failure?: string } = {},
): Promise<void> {
  await changePending(
    models,
    attempt,
    { set: { state, ...fields }, unset: { token: 1 }, ownClaim: false },
    () => undefined,
  );
}

/** What Stripe said to one charge request. */
export type ChargeOutcome =
  | { kind: 'charged'; charge: Stripe.Charge }
  /** The card was declined: no charge, and this key will only ever replay the decline. */
  | { kind: 'declined'; message: string }
  /** Stripe refused the request itself (an unknown token, an amount under 50 cents): no charge. */
  | { kind: 'rejected'; message: string; param: string | undefined }
  /** We cannot know whether Stripe charged: the attempt must be replayed with the same key. */
  | { kind: 'unknown'; error: AppError; cause: unknown };

/** Sends the attempt to Stripe: `charges.create` with the attempt's own idempotency key and parameters. */
export async function sendCharge(stripe: Stripe, attempt: ChargeAttemptAttrs, token: string): Promise<ChargeOutcome> {
  try {
    const charge = await stripe.charges.create(
      {
        amount: attempt.amount,
        currency: attempt.currency,
        source: token,
        description: `GitTix order ${attempt.orderId}`,
        metadata: { orderId: attempt.orderId, attempt: String(attempt.attempt) },
      },
      { idempotencyKey: attempt.idempotencyKey },
    );
    if (charge.status === 'succeeded') return { kind: 'charged', charge };
    if (charge.status === 'failed')
      return { kind: 'declined', message: charge.failure_message ?? 'Your card was declined.' };
    return {
      kind: 'unknown',
      error: new AppError(
        502,
        'The payment is still being processed by the payment provider; please try again in a moment',
      ),
      cause: new Error(`charge ${charge.id} is ${charge.status}`),
    };
  } catch (err) {
    return classifyStripeError(err);
  }
}

function classifyStripeError(err: unknown): ChargeOutcome {
  const { errors } = Stripe;
  if (err instanceof errors.StripeCardError) return { kind: 'declined', message: err.message };
  if (err instanceof errors.StripeInvalidRequestError)
    return { kind: 'rejected', message: err.message, param: err.param };
  if (err instanceof errors.StripeConnectionError) {
    return {
      kind: 'unknown',
      error: new AppError(503, 'Could not reach the payment provider; please try again in a moment'),
      cause: err,
    };
  }
  if (err instanceof errors.StripeRateLimitError) {
    return {
      kind: 'unknown',
      error: new AppError(503, 'The payment provider is busy; please try again in a moment'),
      cause: err,
    };
  }
  if (err instanceof errors.StripeIdempotencyError) {
    return {
      kind: 'unknown',
      error: new AppError(409, 'A payment for this order is already in progress; please try again in a moment'),
      cause: err,
    };
  }
  if (err instanceof errors.StripeError) {
    // Stripe failed (5xx) or refused our credentials: the charge's fate is unknown or it never ran; either way a replay is safe.
    return {
      kind: 'unknown',
      error: new AppError(502, 'The payment provider could not process the payment; please try again later'),
      cause: err,
    };
  }
  throw err;
}
