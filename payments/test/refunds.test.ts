import { newSessionId } from '@gittix/common/core';
import {
  buildOrderCancelledEvent,
  buildSessionRevokedEvent,
  buildUser,
  freePort,
  newId,
  signin,
  waitFor,
} from '@gittix/testing';
import type { OrderCreatedEvent } from '@gittix/common/contracts';
import { buildBuyer, givenOrder, chargesFor, paymentsOf, startPayments, usePayments } from './helpers';

// Refunds against stripe-stateful-mock, which keeps charges and refunds them
// for real (a second refund of one charge is refused, as by Stripe).

const h = usePayments({
  stripe: 'stateful',
  env: { PAYMENT_ATTEMPTS_PER_ORDER: '3', PAYMENT_ATTEMPTS_PER_BUYER_PER_10_MIN: '6' },
});

async function paid(buyer: { id: string; cookie: string[] }): Promise<{ order: OrderCreatedEvent; paymentId: string }> {
  const order = await givenOrder(h, buyer.id);
  const res = await h.api
    .post('/api/payments')
    .set('Cookie', buyer.cookie)
    .send({ orderId: order.id, token: 'tok_visa' });
  if (res.status !== 201) throw new Error(`paying answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { order, paymentId: res.body.id as string };
}

function cancelledEvent(order: OrderCreatedEvent) {
  return buildOrderCancelledEvent({ id: order.id, version: 1, ticket: { id: order.ticket.id } });
}

function cancelled(order: OrderCreatedEvent) {
  return h.bus.deliver('order:cancelled', cancelledEvent(order));
}

describe('a charge whose order becomes cancelled', () => {
  it('when order:cancelled arrives after the payment, then the charge is refunded, recorded and payment:refunded published', async () => {
    const buyer = buildBuyer();
    const { order, paymentId } = await paid(buyer);

    const { acked } = await cancelled(order);

    expect(acked).toBe(true);
    const [charge] = await chargesFor(h.service.deps.stripe, order.id);
    expect(charge?.refunded).toBe(true);
    expect((await h.service.deps.stripe.refunds.list({ charge: charge?.id })).data).toEqual([
      expect.objectContaining({ id: expect.stringMatching(/^re_/), amount: 2000 }),
    ]);
    expect(h.bus.eventsOf('payment:refunded')).toContainEqual({
      id: paymentId,
      orderId: order.id,
      stripeId: charge?.id,
    });
    const listed = await h.api.get(`/api/payments?orderId=${order.id}`).set('Cookie', buyer.cookie).expect(200);
    expect(listed.body).toEqual([
      {
        id: paymentId,
        orderId: order.id,
        amount: 2000,
        currency: 'usd',
        status: 'refunded',
        createdAt: expect.any(String),
      },
    ]);
  });

  it('when order:cancelled is delivered again, then nothing is refunded twice and no second event goes out', async () => {
    const { order } = await paid(buildBuyer());
    await cancelled(order);

    const again = await h.bus.deliver('order:cancelled', cancelledEvent(order), { redelivered: true });

    expect(again.acked).toBe(true);
    const [charge] = await chargesFor(h.service.deps.stripe, order.id);
    const refunds = await h.service.deps.stripe.refunds.list({ charge: charge?.id });
    expect(refunds.data).toHaveLength(1);
    expect(
      h.bus.eventsOf('payment:refunded').filter((e) => (e as { orderId: string }).orderId === order.id),
    ).toHaveLength(1);
  });

  it('when Stripe cannot be reached for the refund, then the refund stays due and the reconciler finishes it once Stripe is back', async () => {
    const buyer = buildBuyer();
    const { order, paymentId } = await paid(buyer);
    // A second process on the same data whose Stripe cannot be reached (its reconciler idle meanwhile).
    const down = await startPayments({
      db: h.db,
      stripeApiBase: `http://127.0.0.1:${await freePort()}`,
      env: { RECONCILE_INTERVAL_MS: '600000' },
    });
    try {
      const { acked } = await down.bus.deliver('order:cancelled', cancelledEvent(order));

      expect(acked).toBe(false); // redelivered later; meanwhile the reconciler owns the refund
      expect(await paymentsOf(h, buyer, order.id)).toEqual([
        expect.objectContaining({ id: paymentId, status: 'succeeded' }),
      ]);
      expect((await chargesFor(h.service.deps.stripe, order.id))[0]?.refunded).toBe(false);
    } finally {
      await down.stop();
    }

    // Stripe is back: the next process's reconciler, at its start, finishes the refund it finds due.
    const next = await startPayments({ db: h.db, env: { RECONCILE_INTERVAL_MS: '200' } });
    try {
      await waitFor(async () => (await paymentsOf(next, buyer, order.id))[0]?.status === 'refunded', 'the refund');

      expect((await chargesFor(h.service.deps.stripe, order.id))[0]?.refunded).toBe(true);
      expect(next.bus.eventsOf('payment:refunded')).toContainEqual(expect.objectContaining({ id: paymentId }));
    } finally {
      await next.stop();
    }
  });

  it('when an order is cancelled but was never paid, then nothing is refunded', async () => {
    const order = await givenOrder(h, newId());

    const { acked } = await cancelled(order);

    expect(acked).toBe(true);
    expect(await chargesFor(h.service.deps.stripe, order.id)).toHaveLength(0);
  });
});

describe('GET /api/payments', () => {
  it("when a buyer has payments, then they get their own, newest first, by order if asked, paginated, and nobody else's", async () => {
    const buyer = buildBuyer();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await paid(buyer)).paymentId);
    const other = await paid(buildBuyer());

    const first = await h.api.get('/api/payments?limit=2').set('Cookie', buyer.cookie).expect(200);
    const next = /<([^>]+)>; rel="next"/.exec(String(first.headers.link ?? ''))?.[1];
    const second = await h.api
      .get(next ?? '/nope')
      .set('Cookie', buyer.cookie)
      .expect(200);

    expect([...first.body, ...second.body].map((p: { id: string }) => p.id)).toEqual([...ids].reverse());
    expect(second.headers.link).toBeUndefined();
    expect(first.body[0]).toEqual({
      id: ids[2],
      orderId: expect.any(String),
      amount: 2000,
      currency: 'usd',
      status: 'succeeded',
      createdAt: expect.any(String),
    });
    const strangers = await h.api.get(`/api/payments?orderId=${other.order.id}`).set('Cookie', buyer.cookie);
    expect(strangers.body).toEqual([]);
  });

  it('when not signed in, then it answers 401; a bad orderId or cursor is a 400 naming it', async () => {
    await h.api.get('/api/payments').expect(401);
    const badOrder = await h.api.get('/api/payments?orderId=x').set('Cookie', signin());
    const badCursor = await h.api.get('/api/payments?cursor=x').set('Cookie', signin());
    expect([badOrder.status, badOrder.body.errors[0].field]).toEqual([400, 'orderId']);
    expect([badCursor.status, badCursor.body.errors[0].field]).toEqual([400, 'cursor']);
  });
});

describe('payment attempt limits', () => {
  it('when one order has been tried 3 times (PAYMENT_ATTEMPTS_PER_ORDER), then the next try is 429 with Retry-After and no charge', async () => {
    const buyer = buildBuyer();
    const order = await givenOrder(h, buyer.id);
    for (let i = 0; i < 3; i++) {
      await h.api
        .post('/api/payments')
        .set('Cookie', buyer.cookie)
        .send({ orderId: order.id, token: 'tok_chargeDeclined' })
        .expect(400);
    }

    const res = await h.api
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: order.id, token: 'tok_visa' });

    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect((await chargesFor(h.service.deps.stripe, order.id)).filter((c) => c.status === 'succeeded')).toHaveLength(0);
  });

  it('when a buyer makes more payment requests than the limit (6 here), then the next is 429 with Retry-After', async () => {
    const buyer = buildBuyer();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const order = await givenOrder(h, buyer.id);
      const res = await h.api
        .post('/api/payments')
        .set('Cookie', buyer.cookie)
        .send({ orderId: order.id, token: 'tok_chargeDeclined' });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(600);
    }

    expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 429]);
  });
});

describe('session:revoked', () => {
  it('when the session was signed out, then its cookie cannot pay', async () => {
    const user = buildUser();
    const sessionId = newSessionId();
    const order = await givenOrder(h, user.id);
    await h.bus.deliver('session:revoked', buildSessionRevokedEvent({ sessionId, userId: user.id }));

    const res = await h.api
      .post('/api/payments')
      .set('Cookie', signin(user, { sessionId }))
      .send({ orderId: order.id, token: 'tok_visa' });

    expect(res.status).toBe(401);
    expect(await chargesFor(h.service.deps.stripe, order.id)).toHaveLength(0);
  });
});
