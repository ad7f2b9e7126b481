import { claimAttempt, sendCharge } from '../src/domain/charge-attempts';
import { buildOrderCancelledEvent, newId, signin, waitFor } from '@gittix/testing';
import { buildBuyer, chargesFor, givenOrder, paymentsOf, usePayments } from './helpers';

// The real stripe SDK against stripe-stateful-mock: it keeps charges, honours
// Idempotency-Key and declines tok_chargeDeclined.

const h = usePayments({ stripe: 'stateful' });

describe('POST /api/payments', () => {
  it('when the buyer pays an open order, then it answers 201, stores the payment, publishes payment:created and charges once', async () => {
    const buyer = buildBuyer();
    const order = await givenOrder(h, buyer.id, { ticket: { id: newId(), price: 20 } });

    const res = await h.api
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: order.id, token: 'tok_visa' });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      orderId: order.id,
      stripeId: expect.stringMatching(/^ch_/),
      amount: 2000,
      currency: 'usd',
    });
    expect(await paymentsOf(h, buyer, order.id)).toEqual([
      expect.objectContaining({
        id: res.body.id,
        orderId: order.id,
        amount: 2000,
        status: 'succeeded',
      }),
    ]);
    expect(h.bus.eventsOf('payment:created')).toContainEqual({
      id: res.body.id,
      orderId: order.id,
      stripeId: res.body.stripeId,
    });
    const charges = await chargesFor(h.service.deps.stripe, order.id);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({
      id: res.body.stripeId,
      amount: 2000,
      currency: 'usd',
      status: 'succeeded',
      paid: true,
    });
  });

  it('when the bus refuses payment:created, then the payment still answers 201 and the outbox publishes the event later', async () => {
    const buyer = buildBuyer();
    const order = await givenOrder(h, buyer.id);
    h.bus.failNextPublishes(1);

    const res = await h.api
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: order.id, token: 'tok_visa' });

    expect(res.status).toBe(201);
    expect(h.bus.eventsOf('payment:created')).not.toContainEqual(expect.objectContaining({ orderId: order.id }));
    // The bus drops and comes back, as NATS does after an outage: the outbox publishes what waited.
    h.bus.setConnected(false);
    h.bus.setConnected(true);
    await waitFor(
      () => (h.bus.eventsOf('payment:created') as { orderId: string }[]).some((e) => e.orderId === order.id),
      'payment:created after the outage',
    );
    expect(h.bus.eventsOf('payment:created')).toContainEqual({
      id: res.body.id,
      orderId: order.id,
      stripeId: res.body.stripeId,
    });
  });

  it('when the price has cents, then the charge is Math.round(price * 100): 19.99 → 1999', async () => {
    const buyer = buildBuyer();
    const order = await givenOrder(h, buyer.id, { ticket: { id: newId(), price: 19.99 } });

    const res = await h.api
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: order.id, token: 'tok_visa' });

    expect(res.status).toBe(201);
    expect(res.body.amount).toBe(1999);
    const [charge] = await chargesFor(h.service.deps.stripe, order.id);
    expect(charge?.amount).toBe(1999);
  });

  it("when the card is declined, then it answers 400 with Stripe's message, stores nothing, and another card can then pay", async () => {
    const buyer = buildBuyer();
    const order = await givenOrder(h, buyer.id);

    const declined = await h.api
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: order.id, token: 'tok_chargeDeclined' });

    expect(declined.status).toBe(400);
    expect(declined.body).toEqual({ errors: [{ message: 'Your card was declined.' }] });
    expect(await paymentsOf(h, buyer, order.id)).toHaveLength(0);
    expect(h.bus.eventsOf('payment:created')).not.toContainEqual(expect.objectContaining({ orderId: order.id }));
    expect(h.logs.lines()).toContainEqual(expect.objectContaining({ msg: 'card declined', orderId: order.id }));

    // The decline ended the attempt: the next card gets a new idempotency key instead of a replayed decline.
    const paid = await h.api
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: order.id, token: 'tok_visa' });

    expect(paid.status).toBe(201);
    const charges = await chargesFor(h.service.deps.stripe, order.id);
    expect(charges.map((c) => c.status).sort()).toEqual(['failed', 'succeeded']);
    expect(charges.find((c) => c.status === 'succeeded')?.id).toBe(paid.body.stripeId);
  });

  it('when five requests pay one order at once, then there is one charge, one payment and one payment:created', async () => {
    const buyer = buildBuyer();
    const order = await givenOrder(h, buyer.id);

    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        h.api.post('/api/payments').set('Cookie', buyer.cookie).send({ orderId: order.id, token: 'tok_visa' }),
      ),
    );

    const created = responses.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    // Requests that overlapped the charge share its result; any that came after it see a paid order.
    expect(responses.filter((r) => r.status !== 201).every((r) => r.status === 400)).toBe(true);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    expect((await chargesFor(h.service.deps.stripe, order.id)).filter((c) => c.status === 'succeeded')).toHaveLength(1);
    expect(await paymentsOf(h, buyer, order.id)).toHaveLength(1);
    expect(
      h.bus.eventsOf('payment:created').filter((e) => (e as { orderId: string }).orderId === order.id),
    ).toHaveLength(1);
  });

  it('when the order is paid already, then a second payment answers 400 and charges nothing', async () => {
    const buyer = buildBuyer();
    const order = await givenOrder(h, buyer.id);
    await h.api
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: order.id, token: 'tok_visa' })
      .expect(201);

    const res = await h.api
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: order.id, token: 'tok_mastercard' });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'Order has already been paid' }] });
    expect(await chargesFor(h.service.deps.stripe, order.id)).toHaveLength(1);
  });

  it('when the order was cancelled, then it answers 400 and charges nothing', async () => {
    const buyer = buildBuyer();
    const order = await givenOrder(h, buyer.id);
    await h.bus.deliver(
      'order:cancelled',
      buildOrderCancelledEvent({ id: order.id, version: 1, ticket: { id: order.ticket.id } }),
    );

    const res = await h.api
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: order.id, token: 'tok_visa' });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'Cannot pay for a cancelled order' }] });
    expect(await chargesFor(h.service.deps.stripe, order.id)).toHaveLength(0);
  });

  it('when the order has expired, then it answers 400 and charges nothing', async () => {
    const buyer = buildBuyer();
    const order = await givenOrder(h, buyer.id, { expiresAt: new Date(Date.now() - 1000).toISOString() });

    const res = await h.api
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: order.id, token: 'tok_visa' });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'Order has expired' }] });
    expect(await chargesFor(h.service.deps.stripe, order.id)).toHaveLength(0);
  });

  it('when the order belongs to someone else, then it answers exactly as for an unknown order (404) and charges nothing', async () => {
    const order = await givenOrder(h, newId());

    const stranger = await h.api
      .post('/api/payments')
      .set('Cookie', signin())
      .send({ orderId: order.id, token: 'tok_visa' });
    const unknown = await h.api
      .post('/api/payments')
      .set('Cookie', signin())
      .send({ orderId: newId(), token: 'tok_visa' });

    expect(stranger.status).toBe(404);
    expect(stranger.body).toEqual(unknown.body);
    expect(await chargesFor(h.service.deps.stripe, order.id)).toHaveLength(0);
  });

  it('when the order is unknown, then it answers 404', async () => {
    const res = await h.api.post('/api/payments').set('Cookie', signin()).send({ orderId: newId(), token: 'tok_visa' });

    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [{ message: 'Order not found' }] });
  });

  it('when nobody is signed in, then it answers 401', async () => {
    const res = await h.api.post('/api/payments').send({ orderId: newId(), token: 'tok_visa' });

    expect(res.status).toBe(401);
  });

  it.each([
    ['a malformed orderId', { orderId: 'not-an-id', token: 'tok_visa' }, 'orderId'],
    ['an orderId that is an object', { orderId: { $gt: '' }, token: 'tok_visa' }, 'orderId'],
    ['a missing token', { orderId: '0123456789abcdef01234567' }, 'token'],
    ['an empty token', { orderId: '0123456789abcdef01234567', token: '  ' }, 'token'],
  ])('when the body has %s, then it answers 400 naming the field, never 500', async (_case, body, field) => {
    const res = await h.api.post('/api/payments').set('Cookie', signin()).send(body);

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field, message: expect.any(String) })]);
  });

  it("when the order's amount is under Stripe's 50-cent minimum (an order from before the price rules), then it answers 400 without asking Stripe", async () => {
    const buyer = buildBuyer();
    const order = await givenOrder(h, buyer.id, { ticket: { id: newId(), price: 0.3 } });

    const res = await h.api
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: order.id, token: 'tok_visa' });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'This order cannot be paid: its price is not a valid amount' }] });
    expect(await paymentsOf(h, buyer, order.id)).toHaveLength(0);
    expect(await chargesFor(h.service.deps.stripe, order.id)).toHaveLength(0);
  });

  it("when Stripe refuses a charge request itself, then the attempt ends as rejected with Stripe's message (no charge)", async () => {
    // Below the route's own amount check: what Stripe says when a request gets through anyway.
    const order = await givenOrder(h, newId());
    const attempt = await claimAttempt(h.service.deps.models, {
      orderId: order.id,
      attempt: 0,
      amount: 30,
      token: 'tok_visa',
    });
    if (!attempt) throw new Error('could not claim');

    const outcome = await sendCharge(h.service.deps.stripe, attempt, 'tok_visa');

    expect(outcome).toEqual({ kind: 'rejected', message: 'Amount must be at least 50 cents', param: 'amount' });
    expect(await chargesFor(h.service.deps.stripe, order.id)).toHaveLength(0);
  });
});
