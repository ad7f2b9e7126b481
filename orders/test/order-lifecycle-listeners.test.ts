import { buildExpirationCompleteEvent, buildPaymentCreatedEvent, newId } from '@gittix/testing';
import { buildBuyer, knownTicket, orderEvents, orderOf, placeOrder, useOrders, orderNow } from './helpers';

const h = useOrders();

describe('expiration:complete', () => {
  it('when an unpaid order expires, then it is cancelled, order:cancelled is published and the ticket can be ordered again', async () => {
    const ticket = await knownTicket(h);
    const order = await orderOf(h, buildBuyer(), ticket.id);

    const { acked } = await h.bus.deliver('expiration:complete', buildExpirationCompleteEvent({ orderId: order.id }));

    expect(acked).toBe(true);
    expect(await orderNow(h, order)).toMatchObject({ status: 'cancelled', version: 1 });
    expect(orderEvents(h, 'order:cancelled', order.id)).toEqual([
      { id: order.id, version: 1, ticket: { id: ticket.id } },
    ]);
    await placeOrder(h, buildBuyer(), ticket.id).expect(201);
  });

  it('when the order was paid, then expiry changes nothing and publishes nothing', async () => {
    const order = await orderOf(h, buildBuyer(), (await knownTicket(h)).id);
    await h.bus.deliver('payment:created', buildPaymentCreatedEvent({ orderId: order.id }));

    const { acked } = await h.bus.deliver('expiration:complete', buildExpirationCompleteEvent({ orderId: order.id }));

    expect(acked).toBe(true);
    expect((await orderNow(h, order)).status).toBe('complete');
    expect(orderEvents(h, 'order:cancelled', order.id)).toEqual([]);
  });

  it('when the buyer already cancelled, then expiry publishes nothing new', async () => {
    const buyer = buildBuyer();
    const order = await orderOf(h, buyer, (await knownTicket(h)).id);
    await h.api.delete(`/api/orders/${order.id}`).set('Cookie', buyer.cookie).expect(200);

    const { acked } = await h.bus.deliver('expiration:complete', buildExpirationCompleteEvent({ orderId: order.id }));

    expect(acked).toBe(true);
    expect(orderEvents(h, 'order:cancelled', order.id)).toHaveLength(1);
  });

  it('when the order is unknown, then the message is acked with a warning', async () => {
    const orderId = newId();

    const { acked } = await h.bus.deliver('expiration:complete', buildExpirationCompleteEvent({ orderId }));

    expect(acked).toBe(true);
    expect(h.logs.lines().some((l) => l.level === 40 && l.orderId === orderId)).toBe(true);
  });
});

describe('payment:created', () => {
  it('when the order is paid, then it is complete and cannot be cancelled', async () => {
    const buyer = buildBuyer();
    const order = await orderOf(h, buyer, (await knownTicket(h)).id);

    const { acked } = await h.bus.deliver('payment:created', buildPaymentCreatedEvent({ orderId: order.id }));

    expect(acked).toBe(true);
    const shown = await h.api.get(`/api/orders/${order.id}`).set('Cookie', buyer.cookie).expect(200);
    expect(shown.body).toMatchObject({ status: 'complete', version: 0 });
  });

  it('when the payment is delivered twice, then the second is acked and changes nothing', async () => {
    const order = await orderOf(h, buildBuyer(), (await knownTicket(h)).id);
    const payment = buildPaymentCreatedEvent({ orderId: order.id });
    await h.bus.deliver('payment:created', payment);

    const { acked } = await h.bus.deliver('payment:created', payment);

    expect(acked).toBe(true);
    expect((await orderNow(h, order)).status).toBe('complete');
  });

  it('when the order was cancelled before the payment arrived, then it stays cancelled and the payment is noted for payments to refund', async () => {
    const buyer = buildBuyer();
    const order = await orderOf(h, buyer, (await knownTicket(h)).id);
    await h.api.delete(`/api/orders/${order.id}`).set('Cookie', buyer.cookie).expect(200);

    const { acked } = await h.bus.deliver('payment:created', buildPaymentCreatedEvent({ orderId: order.id }));

    expect(acked).toBe(true);
    expect((await orderNow(h, order)).status).toBe('cancelled');
    expect(h.logs.lines().some((l) => l.level === 40 && l.orderId === order.id && /refunds/.test(l.msg ?? ''))).toBe(
      true,
    );
  });
});
