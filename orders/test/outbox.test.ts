import { Outbox } from '@gittix/common';
import { captureLogger, MemoryBus } from '@gittix/testing';
import { buildBuyer, knownTicket, orderEvents, orderOf, setupOrders, storedOrder, type OrdersHarness } from './helpers';

// "No lost events": a failed publish leaves the event in the order document;
// the sweep (interval or next start) publishes it.
let h: OrdersHarness;
beforeAll(async () => {
  h = await setupOrders();
});
afterAll(async () => {
  await h.db.drop();
});

describe('orders outbox', () => {
  it('when publishing order:created fails, then the order is still 201 and held, and the sweep publishes the event', async () => {
    const ticket = await knownTicket(h);
    h.bus.failNextPublishes(1);

    const order = await orderOf(h, buildBuyer(), ticket.id);

    expect(orderEvents(h, 'order:created', order.id)).toEqual([]);
    expect(await storedOrder(h, order.id)).toMatchObject({
      outboxPending: true,
      reservationKey: `ticket:${ticket.id}`,
    });

    await h.outbox.sweep();

    expect(orderEvents(h, 'order:created', order.id)).toEqual([expect.objectContaining({ id: order.id, version: 0 })]);
    expect(await storedOrder(h, order.id)).toMatchObject({ outboxPending: false, pendingEvents: [] });
  });

  it('when an expiry’s publish fails, then the cancellation stands, the message is acked, and a restarted process publishes order:created then order:cancelled', async () => {
    const ticket = await knownTicket(h);
    h.bus.failNextPublishes(1);
    const order = await orderOf(h, buildBuyer(), ticket.id);
    h.bus.failNextPublishes(1);

    const { acked } = await h.bus.deliver('expiration:complete', { orderId: order.id });

    expect(acked).toBe(true);
    expect(await storedOrder(h, order.id)).toMatchObject({
      status: 'cancelled',
      pendingEvents: [expect.anything(), expect.anything()],
    });

    const bus = new MemoryBus();
    const restarted = new Outbox({ bus, logger: captureLogger('orders').logger, models: [h.models.Order] });
    await restarted.start();
    await restarted.stop();

    expect(bus.published.filter((e) => (e.data as { id?: string }).id === order.id)).toEqual([
      { subject: 'order:created', data: expect.objectContaining({ version: 0 }) },
      { subject: 'order:cancelled', data: { id: order.id, version: 1, ticket: { id: ticket.id } } },
    ]);
  });
});
