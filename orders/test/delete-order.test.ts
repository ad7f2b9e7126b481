import { buildPaymentCreatedEvent, newId } from '@gittix/testing';
import { buildBuyer, knownTicket, orderEvents, orderOf, placeOrder, useOrders, orderNow } from './helpers';

const h = useOrders();

describe('DELETE /api/orders/:id', () => {
  it('when the buyer cancels an unpaid order, then it answers 200 with it cancelled at version 1 and publishes order:cancelled', async () => {
    const ticket = await knownTicket(h);
    const buyer = buildBuyer();
    const order = await orderOf(h, buyer, ticket.id);

    const res = await h.api.delete(`/api/orders/${order.id}`).set('Cookie', buyer.cookie);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: order.id, status: 'cancelled', version: 1, ticket: order.ticket });
    expect(await orderNow(h, order)).toMatchObject({ status: 'cancelled', version: 1 });
    expect(orderEvents(h, 'order:cancelled', order.id)).toEqual([
      { id: order.id, version: 1, ticket: { id: ticket.id } },
    ]);
    await placeOrder(h, buildBuyer(), ticket.id).expect(201);
  });

  it('when the order is already cancelled, then it answers 200 and publishes nothing new', async () => {
    const buyer = buildBuyer();
    const order = await orderOf(h, buyer, (await knownTicket(h)).id);
    await h.api.delete(`/api/orders/${order.id}`).set('Cookie', buyer.cookie).expect(200);

    const res = await h.api.delete(`/api/orders/${order.id}`).set('Cookie', buyer.cookie);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', version: 1 });
    expect(orderEvents(h, 'order:cancelled', order.id)).toHaveLength(1);
  });

  it('when a stale cancel of order A arrives after order B took the ticket, then B keeps it', async () => {
    const ticket = await knownTicket(h);
    const a = buildBuyer();
    const orderA = await orderOf(h, a, ticket.id);
    await h.api.delete(`/api/orders/${orderA.id}`).set('Cookie', a.cookie).expect(200);
    const orderB = await orderOf(h, buildBuyer(), ticket.id);

    await h.api.delete(`/api/orders/${orderA.id}`).set('Cookie', a.cookie).expect(200);
    await h.bus.deliver('expiration:complete', { orderId: orderA.id });

    expect(await orderNow(h, orderB)).toMatchObject({ status: 'created' });
    await placeOrder(h, buildBuyer(), ticket.id).expect(400);
  });

  it('when 10 cancels of one order race, then it is cancelled once: one event, version 1', async () => {
    const buyer = buildBuyer();
    const order = await orderOf(h, buyer, (await knownTicket(h)).id);

    const results = await Promise.all(
      Array.from({ length: 10 }, () => h.api.delete(`/api/orders/${order.id}`).set('Cookie', buyer.cookie)),
    );

    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(orderEvents(h, 'order:cancelled', order.id)).toHaveLength(1);
    expect((await orderNow(h, order)).version).toBe(1);
  });

  it('when the order is paid, then it answers 400 "Cannot cancel a paid order" and the ticket stays held', async () => {
    const ticket = await knownTicket(h);
    const buyer = buildBuyer();
    const order = await orderOf(h, buyer, ticket.id);
    await h.bus.deliver('payment:created', buildPaymentCreatedEvent({ orderId: order.id }));

    const res = await h.api.delete(`/api/orders/${order.id}`).set('Cookie', buyer.cookie);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'Cannot cancel a paid order' }] });
    expect(orderEvents(h, 'order:cancelled', order.id)).toEqual([]);
    await placeOrder(h, buildBuyer(), ticket.id).expect(400);
  });

  it('when someone else cancels it, then it answers 404 and the order stays', async () => {
    const order = await orderOf(h, buildBuyer(), (await knownTicket(h)).id);

    await h.api.delete(`/api/orders/${order.id}`).set('Cookie', buildBuyer().cookie).expect(404);

    expect((await orderNow(h, order)).status).toBe('created');
  });

  it('when the id is unknown or malformed, then it answers 404; when not signed in, 401', async () => {
    const cookie = buildBuyer().cookie;
    await h.api.delete(`/api/orders/${newId()}`).set('Cookie', cookie).expect(404);
    await h.api.delete('/api/orders/not-an-id').set('Cookie', cookie).expect(404);
    await h.api.delete(`/api/orders/${newId()}`).expect(401);
  });
});
