import { toCents } from '@gittix/common/contracts';
import { buildOrderCancelledEvent, freePort, waitFor } from '@gittix/testing';
import { claimAttempt, sendCharge } from '../src/domain/charge-attempts';
import { defaultPaymentOptions } from '../src/domain/deps';
import {
  buildBuyer,
  chargesFor,
  givenOrder,
  paymentsOf,
  startPayments,
  usePayments,
  type PaymentsHarness,
} from './helpers';

// A payments process that dies between Stripe's charge and the write that
// records it leaves a pending charge attempt behind. No request can stop a
// process at that moment, so these tests make exactly that state with the
// service's own steps (claim, charge, no record) and reach into the store
// where only the store shows what happened; then the buyer, or the next
// process, carries on through the public API.

const h = usePayments({ stripe: 'stateful' });

/** Claims and charges an order's first attempt with `token`, then "crashes": nothing is recorded. */
async function chargeThenCrash(orderId: string, price: number, token: string) {
  const attempt = await claimAttempt(h.service.deps.models, { orderId, attempt: 0, amount: toCents(price), token });
  if (!attempt) throw new Error('could not claim the first attempt');
  const outcome = await sendCharge(h.service.deps.stripe, attempt, token);
  if (outcome.kind !== 'charged') throw new Error(`the charge did not go through: ${outcome.kind}`);
  return { attempt, charge: outcome.charge };
}

/** Moves an attempt's claim back past the lease, as if its process had died that long ago. */
async function leaseRunsOut(attemptId: string) {
  await h.service.deps.models.ChargeAttempt.updateOne(
    { _id: attemptId },
    { $set: { claimedAt: new Date(Date.now() - defaultPaymentOptions.claimLeaseMs - 1000) } },
  );
}

describe('crash between the charge and the save', () => {
  it('when the buyer retries (with a fresh token), then Stripe is not charged again and the first charge becomes the payment', async () => {
    const buyer = buildBuyer();
    const order = await givenOrder(h, buyer.id);
    const { attempt, charge } = await chargeThenCrash(order.id, order.ticket.price, 'tok_visa');
    await leaseRunsOut(attempt._id);

    const res = await h.api
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: order.id, token: 'tok_mastercard' });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ orderId: order.id, stripeId: charge.id, amount: 2000 });
    const charges = await chargesFor(h.service.deps.stripe, order.id);
    expect(charges).toHaveLength(1);
    expect(charges[0]?.source).toMatchObject({ brand: 'Visa' }); // the original card, not the retry's
    expect(await paymentsOf(h, buyer, order.id)).toHaveLength(1);
    expect(h.bus.eventsOf('payment:created')).toContainEqual({
      id: res.body.id,
      orderId: order.id,
      stripeId: charge.id,
    });
    expect(h.logs.lines()).toContainEqual(
      expect.objectContaining({ msg: 'replaying an unsettled charge attempt', orderId: order.id }),
    );
  });

  it('when the retry comes while the crashed claim is still fresh, then it waits, and answers 409 rather than charging beside it', async () => {
    const local = await startPayments({ db: h.db });
    // Waits for a live claim only 300 ms before giving up (the default is 20 s).
    Object.assign(local.service.deps.options, { waitTimeoutMs: 300 });
    const buyer = buildBuyer();
    const order = await givenOrder(local, buyer.id);
    await chargeThenCrash(order.id, order.ticket.price, 'tok_visa');

    const res = await local.api
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: order.id, token: 'tok_visa' });

    expect(res.status).toBe(409);
    expect(res.body.errors[0].message).toMatch(/already in progress/);
    expect(await chargesFor(h.service.deps.stripe, order.id)).toHaveLength(1);
    await local.stop();
  });

  it('when the order was cancelled before the retry, then the charge is refunded and the buyer told so', async () => {
    const buyer = buildBuyer();
    const order = await givenOrder(h, buyer.id);
    const { attempt, charge } = await chargeThenCrash(order.id, order.ticket.price, 'tok_visa');
    await h.bus.deliver(
      'order:cancelled',
      buildOrderCancelledEvent({ id: order.id, version: 1, ticket: { id: order.ticket.id } }),
    );
    await leaseRunsOut(attempt._id);

    const res = await h.api
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: order.id, token: 'tok_visa' });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [{ message: 'The order was cancelled while it was being paid; the charge has been refunded' }],
    });
    const refunded = await h.service.deps.stripe.charges.retrieve(charge.id);
    expect(refunded.refunded).toBe(true);
    expect(await chargesFor(h.service.deps.stripe, order.id)).toHaveLength(1);
    // The charge that happened is on record, as refunded, and both events went out.
    const [payment] = await paymentsOf(h, buyer, order.id);
    expect(payment).toMatchObject({ status: 'refunded' });
    expect(h.bus.eventsOf('payment:refunded')).toContainEqual({
      id: payment?.id,
      orderId: order.id,
      stripeId: charge.id,
    });
    expect(await h.service.deps.models.ChargeAttempt.findById(attempt._id).lean()).toMatchObject({
      state: 'succeeded',
      stripeId: charge.id,
    });
  });
});

describe('Stripe unreachable', () => {
  it('when Stripe cannot be reached, then it answers 503 with a clear message, and a retry once it is back charges exactly once', async () => {
    const closedPort = await freePort();
    const down = await startPayments({ db: h.db, stripeApiBase: `http://127.0.0.1:${closedPort}` });
    const buyer = buildBuyer();
    const order = await givenOrder(down, buyer.id);

    const failed = await down.api
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: order.id, token: 'tok_visa' });

    expect(failed.status).toBe(503);
    expect(failed.body).toEqual({
      errors: [{ message: 'Could not reach the payment provider; please try again in a moment' }],
    });
    expect(down.logs.lines()).toContainEqual(
      expect.objectContaining({ level: 50, msg: expect.stringMatching(/outcome unknown/), orderId: order.id }),
    );

    // Stripe is back (the same data, the real server): the pending attempt is replayed with its own key.
    const paid = await h.api
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: order.id, token: 'tok_mastercard' });

    expect(paid.status).toBe(201);
    const charges = await chargesFor(h.service.deps.stripe, order.id);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ id: paid.body.stripeId, status: 'succeeded' });
    await down.stop();
  });
});

describe('the reconciler, when the buyer never comes back', () => {
  /** Rounds of a process's reconciler that found nothing to do. */
  const idleRounds = (service: PaymentsHarness) =>
    service.logs.lines().filter((l) => l.msg === 'reconciliation round: nothing left unfinished').length;

  it('when a charge went through but its process died, then a restarted process records the payment, once, with no new charge', async () => {
    const buyer = buildBuyer();
    const order = await givenOrder(h, buyer.id);
    const { attempt, charge } = await chargeThenCrash(order.id, order.ticket.price, 'tok_visa');
    await leaseRunsOut(attempt._id);

    // The next process reconciles at start, then every 200 ms.
    const next = await startPayments({ db: h.db, env: { RECONCILE_INTERVAL_MS: '200' } });
    try {
      await waitFor(async () => (await paymentsOf(next, buyer, order.id)).length === 1, 'the payment to be recorded');
      await waitFor(() => idleRounds(next) >= 2, 'two more rounds (none may record it again)');

      expect(await paymentsOf(next, buyer, order.id)).toEqual([
        expect.objectContaining({ orderId: order.id, status: 'succeeded', amount: 2000 }),
      ]);
      expect(await chargesFor(h.service.deps.stripe, order.id)).toHaveLength(1);
      expect(next.bus.eventsOf('payment:created')).toEqual([
        expect.objectContaining({ orderId: order.id, stripeId: charge.id }),
      ]);
    } finally {
      await next.stop();
    }
  });

  it('when the claim is still fresh (its process may be alive), then the reconciler leaves it alone', async () => {
    const buyer = buildBuyer();
    const order = await givenOrder(h, buyer.id);
    await chargeThenCrash(order.id, order.ticket.price, 'tok_visa');

    const next = await startPayments({ db: h.db, env: { RECONCILE_INTERVAL_MS: '200' } });
    try {
      await waitFor(() => idleRounds(next) >= 2, 'two reconciliation rounds');

      expect(await paymentsOf(next, buyer, order.id)).toEqual([]);
      expect(next.logs.lines().some((l) => l.msg === 'settling a charge attempt left pending')).toBe(false);
    } finally {
      await next.stop();
    }
  });
});
