import { newSessionId } from '@gittix/common/core';
import { buildSessionRevokedEvent, buildUser, signin } from '@gittix/testing';
import { buildBuyer, knownTicket, orderOf, placeOrder, useOrders } from './helpers';

const h = useOrders({ env: { MAX_OPEN_ORDERS: '5', ORDERS_PER_BUYER_PER_10_MIN: '8' } });

describe('open orders per buyer (MAX_OPEN_ORDERS)', () => {
  it('when a buyer holds 5 unpaid orders, then a 6th is refused with a clear 400, and cancelling one frees a place', async () => {
    const buyer = buildBuyer();
    const orders = [];
    for (let i = 0; i < 5; i++) orders.push(await orderOf(h, buyer, (await knownTicket(h)).id));
    const sixthTicket = await knownTicket(h);

    const refused = await placeOrder(h, buyer, sixthTicket.id);

    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].message).toBe(
      'You can hold at most 5 unpaid orders at once; pay for or cancel one first',
    );
    await h.api.delete(`/api/orders/${orders[2]?.id}`).set('Cookie', buyer.cookie).expect(200);
    expect((await placeOrder(h, buyer, sixthTicket.id)).status).toBe(201);
    // Another buyer is not affected by this one's orders.
    expect((await placeOrder(h, buildBuyer(), (await knownTicket(h)).id)).status).toBe(201);
  });

  it('when a buyer fires 12 orders for 12 tickets at once, then exactly 5 are accepted', async () => {
    const buyer = buildBuyer();
    const tickets = await Promise.all(Array.from({ length: 12 }, () => knownTicket(h)));

    const results = await Promise.all(tickets.map((t) => placeOrder(h, buyer, t.id)));

    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status >= 500)).toHaveLength(0);
    const listed = await h.api.get('/api/orders').set('Cookie', buyer.cookie).expect(200);
    expect((listed.body as { status: string }[]).filter((o) => o.status === 'created')).toHaveLength(5);
  });

  it('when an order is paid, then it no longer counts as open', async () => {
    const buyer = buildBuyer();
    const orders = [];
    for (let i = 0; i < 5; i++) orders.push(await orderOf(h, buyer, (await knownTicket(h)).id));
    const { acked } = await h.bus.deliver('payment:created', {
      id: '0'.repeat(24),
      orderId: orders[0]?.id,
      stripeId: 'ch_paid',
    });

    expect(acked).toBe(true);
    expect((await placeOrder(h, buyer, (await knownTicket(h)).id)).status).toBe(201);
  });
});

describe('orders created per buyer (ORDERS_PER_BUYER_PER_10_MIN)', () => {
  it('when a buyer keeps ordering and cancelling, then past the limit it answers 429 with Retry-After, and refused attempts did not count', async () => {
    const buyer = buildBuyer();
    const taken = await knownTicket(h);
    await orderOf(h, buildBuyer(), taken.id);
    // Refused attempts (a reserved ticket, an unknown one) never count.
    for (let i = 0; i < 5; i++) expect((await placeOrder(h, buyer, taken.id)).status).toBe(400);
    expect((await placeOrder(h, buyer, '0'.repeat(24))).status).toBe(404);

    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) {
      const res = await placeOrder(h, buyer, (await knownTicket(h)).id);
      statuses.push(res.status);
      if (res.status === 201) await h.api.delete(`/api/orders/${res.body.id}`).set('Cookie', buyer.cookie).expect(200);
      if (res.status === 429) {
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(600);
        expect(res.body.errors[0].message).toMatch(/Too many orders/);
      }
    }

    expect(statuses).toEqual([201, 201, 201, 201, 201, 201, 201, 201, 429]);
  });
});

describe('session:revoked', () => {
  it('when a buyer signs out, then the old cookie can neither order nor read orders', async () => {
    const user = buildUser();
    const sessionId = newSessionId();
    const cookie = signin(user, { sessionId });
    await orderOf(h, { cookie }, (await knownTicket(h)).id);

    await h.bus.deliver('session:revoked', buildSessionRevokedEvent({ sessionId, userId: user.id }));

    expect((await h.api.get('/api/orders').set('Cookie', cookie)).status).toBe(401);
    expect((await placeOrder(h, { cookie }, (await knownTicket(h)).id)).status).toBe(401);
  });
});
