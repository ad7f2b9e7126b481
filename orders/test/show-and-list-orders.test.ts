import { newId } from '@gittix/testing';
import type { OrderJson } from '../src/models/order';
import { buildBuyer, knownTicket, orderOf, useOrders } from './helpers';

const h = useOrders();

describe('GET /api/orders', () => {
  it('when a buyer has orders, then they get their own, newest first, cancelled ones included, and nobody else’s', async () => {
    const buyer = buildBuyer();
    const first = await orderOf(h, buyer, (await knownTicket(h, { title: 'first' })).id);
    const second = await orderOf(h, buyer, (await knownTicket(h, { title: 'second' })).id);
    await h.api.delete(`/api/orders/${first.id}`).set('Cookie', buyer.cookie).expect(200);
    await orderOf(h, buildBuyer(), (await knownTicket(h)).id);

    const res = await h.api.get('/api/orders').set('Cookie', buyer.cookie);

    expect(res.status).toBe(200);
    expect((res.body as OrderJson[]).map((o) => [o.id, o.ticket.title, o.status])).toEqual([
      [second.id, 'second', 'created'],
      [first.id, 'first', 'cancelled'],
    ]);
    expect(res.body[0]).not.toHaveProperty('reservationKey');
    expect(res.body[0]).not.toHaveProperty('pendingEvents');
  });

  it('when the buyer has no orders, then it answers an empty array', async () => {
    const res = await h.api.get('/api/orders').set('Cookie', buildBuyer().cookie);

    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
  });

  it('when a buyer has more orders than a page, then walking the Link headers yields every order once, newest first', async () => {
    const buyer = buildBuyer();
    const placed: string[] = [];
    for (let i = 0; i < 7; i++) {
      const order = await orderOf(h, buyer, (await knownTicket(h)).id);
      placed.push(order.id);
      // Keep the buyer under the open-order limit: a cancelled order is still theirs to list.
      await h.api.delete(`/api/orders/${order.id}`).set('Cookie', buyer.cookie).expect(200);
    }

    const seen: string[] = [];
    let next: string | undefined = '/api/orders?limit=3';
    let pages = 0;
    while (next) {
      const res: { body: OrderJson[]; headers: Record<string, string> } = await h.api
        .get(next)
        .set('Cookie', buyer.cookie)
        .expect(200);
      seen.push(...res.body.map((o) => o.id));
      next = /<([^>]+)>; rel="next"/.exec(String(res.headers.link ?? ''))?.[1];
      pages += 1;
    }

    expect(pages).toBe(3);
    expect(seen).toEqual([...placed].reverse());
  });

  it('when the limit or the cursor is not valid, then it answers 400 naming the field', async () => {
    const buyer = buildBuyer();
    const badLimit = await h.api.get('/api/orders?limit=0').set('Cookie', buyer.cookie);
    const badCursor = await h.api.get('/api/orders?cursor=not-ours').set('Cookie', buyer.cookie);

    expect(badLimit.status).toBe(400);
    expect(badLimit.body.errors[0].field).toBe('limit');
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.errors[0].field).toBe('cursor');
  });

  it('when not signed in, then it answers 401', async () => {
    await h.api.get('/api/orders').expect(401);
  });
});

describe('GET /api/orders/:id', () => {
  it('when the buyer asks for their order, then it answers 200 with it', async () => {
    const buyer = buildBuyer();
    const order = await orderOf(h, buyer, (await knownTicket(h)).id);

    const res = await h.api.get(`/api/orders/${order.id}`).set('Cookie', buyer.cookie);

    expect(res.status).toBe(200);
    expect(res.body).toEqual(order);
  });

  it('when someone else asks for it, then it answers 404', async () => {
    const order = await orderOf(h, buildBuyer(), (await knownTicket(h)).id);

    const res = await h.api.get(`/api/orders/${order.id}`).set('Cookie', buildBuyer().cookie);

    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [{ message: 'Order not found' }] });
  });

  it('when the id is unknown or malformed, then it answers 404, never 500', async () => {
    const cookie = buildBuyer().cookie;
    for (const id of [newId(), 'abc', '0'.repeat(25), 'zzzzzzzzzzzzzzzzzzzzzzzz']) {
      const res = await h.api.get(`/api/orders/${id}`).set('Cookie', cookie);
      expect(res.status).toBe(404);
    }
  });

  it('when not signed in, then it answers 401', async () => {
    await h.api.get(`/api/orders/${newId()}`).expect(401);
  });
});
