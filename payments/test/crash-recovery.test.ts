import { freePort } from '@gittix/testing';
import { buildOrderCancelledEvent } from '@gittix/testing';
import { toCents } from '@gittix/common';
import { claimAttempt, sendCharge } from '../src/domain/charge-attempts';
import { defaultPaymentOptions, settleStaleAttempts } from '../src/domain/pay-for-order';
import { buildBuyer, chargesFor, setupPayments, type PaymentsHarness } from './helpers';

// A payments process that dies between Stripe's charge and the write that
// records it leaves a pending charge attempt behind. These tests make exactly
// that state with the service's own steps, then let the buyer retry.

let h: PaymentsHarness;
beforeAll(async () => {
  h = await setupPayments({ stripe: 'stateful' });
});
afterAll(async () => {
  await h.db.drop();
});

/** Claims and charges an order's first attempt with `token`, then "crashes": nothing is recorded. */
async function chargeThenCrash(orderId: string, price: number, token: string) {
  const attempt = await claimAttempt(h.models, { orderId, attempt: 0, amount: toCents(price), token });
  if (!attempt) throw new Error('could not claim the first attempt');
  const outcome = await sendCharge(h.stripe, attempt, token);
  if (outcome.kind !== 'charged') throw new Error(`the charge did not go through: ${outcome.kind}`);
  return { attempt, charge: outcome.charge };
}

/** Moves an attempt's claim back past the lease, as if its process had died that long ago. */
async function leaseRunsOut(attemptId: string) {
  await h.models.ChargeAttempt.updateOne(
    { _id: attemptId },
    { $set: { claimedAt: new Date(Date.now() - defaultPaymentOptions.claimLeaseMs - 1000) } },
  );
}

describe('crash between the charge and the save', () => {
  it('when the buyer retries (with a fresh token), then Stripe is not charged again and the first charge becomes the payment', async () => {
    const buyer = buildBuyer();
    const order = await h.givenOrder(buyer.id);
    const { attempt, charge } = await chargeThenCrash(order.id, order.ticket.price, 'tok_visa');
    await leaseRunsOut(attempt._id);

    const res = await h.api
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: order.id, token: 'tok_mastercard' });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ orderId: order.id, stripeId: charge.id, amount: 2000 });
    const charges = await chargesFor(h.stripe, order.id);
    expect(charges).toHaveLength(1);
    expect(charges[0]?.source).toMatchObject({ brand: 'Visa' }); // the original card, not the retry's
    expect(await h.models.Payment.countDocuments({ orderId: order.id })).toBe(1);
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
    const local = await setupPayments({ stripe: 'stateful', db: h.db, paymentOptions: { waitTimeoutMs: 300 } });
    const buyer = buildBuyer();
    const order = await local.givenOrder(buyer.id);
    await chargeThenCrash(order.id, order.ticket.price, 'tok_visa');

    const res = await local.api
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: order.id, token: 'tok_visa' });

    expect(res.status).toBe(409);
    expect(res.body.errors[0].message).toMatch(/already in progress/);
    expect(await chargesFor(h.stripe, order.id)).toHaveLength(1);
  });

  it('when the order was cancelled before the retry, then the charge is refunded and the buyer told so', async () => {
    const buyer = buildBuyer();
    const order = await h.givenOrder(buyer.id);
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
    const refunded = await h.stripe.charges.retrieve(charge.id);
    expect(refunded.refunded).toBe(true);
    expect(await chargesFor(h.stripe, order.id)).toHaveLength(1);
    // The charge that happened is on record, as refunded, and both events went out.
    const payment = await h.models.Payment.findOne({ orderId: order.id }).lean();
    expect(payment).toMatchObject({ status: 'refunded', stripeId: charge.id, refundId: expect.stringMatching(/^re_/) });
    expect(h.bus.eventsOf('payment:refunded')).toContainEqual({
      id: payment?._id.toHexString(),
      orderId: order.id,
      stripeId: charge.id,
    });
    expect(await h.models.ChargeAttempt.findById(attempt._id).lean()).toMatchObject({
      state: 'succeeded',
      stripeId: charge.id,
    });
  });
});

describe('Stripe unreachable', () => {
  it('when Stripe cannot be reached, then it answers 503 with a clear message, and a retry once it is back charges exactly once', async () => {
    const closedPort = await freePort();
    const down = await setupPayments({ db: h.db, stripeApiBase: `http://127.0.0.1:${closedPort}` });
    const buyer = buildBuyer();
    const order = await down.givenOrder(buyer.id);

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
    const charges = await chargesFor(h.stripe, order.id);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ id: paid.body.stripeId, status: 'succeeded' });
  });
});

describe('the reconciler, when the buyer never comes back', () => {
  const deps = () => ({ models: h.models, stripe: h.stripe, outbox: h.outbox, options: defaultPaymentOptions });

  it('when a charge went through but its process died, then the reconciler records the payment, once, with no new charge', async () => {
    const buyer = buildBuyer();
    const order = await h.givenOrder(buyer.id);
    const { attempt, charge } = await chargeThenCrash(order.id, order.ticket.price, 'tok_visa');
    await leaseRunsOut(attempt._id);

    const settled = await settleStaleAttempts(deps(), h.logs.logger);
    const again = await settleStaleAttempts(deps(), h.logs.logger);

    expect([settled, again]).toEqual([1, 0]);
    const listed = await h.api.get(`/api/payments?orderId=${order.id}`).set('Cookie', buyer.cookie).expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ orderId: order.id, status: 'succeeded', amount: 2000 })]);
    expect(await chargesFor(h.stripe, order.id)).toHaveLength(1);
    expect(h.bus.eventsOf('payment:created')).toContainEqual(
      expect.objectContaining({ orderId: order.id, stripeId: charge.id }),
    );
  });

  it('when the claim is still fresh (its process may be alive), then the reconciler leaves it alone', async () => {
    const order = await h.givenOrder(buildBuyer().id);
    await chargeThenCrash(order.id, order.ticket.price, 'tok_visa');

    expect(await settleStaleAttempts(deps(), h.logs.logger)).toBe(0);
    expect(await h.models.Payment.countDocuments({ orderId: order.id })).toBe(0);
  });
});
