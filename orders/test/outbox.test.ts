import { waitFor } from '@gittix/testing';
import {
  buildBuyer,
  knownTicket,
  orderEvents,
  orderNow,
  orderOf,
  placeOrder,
  secondInstance,
  useOrders,
} from './helpers';

// "No lost events": a failed publish leaves the event in the order's document;
// the outbox publishes it when the bus is back, on its interval, or at the next start.
const h = useOrders();

describe('orders outbox', () => {
  it('when publishing order:created fails, then the order is still 201 and held, and the event goes out once the bus is back', async () => {
    const ticket = await knownTicket(h);
    h.bus.failNextPublishes(1);

    const order = await orderOf(h, buildBuyer(), ticket.id);

    expect(orderEvents(h, 'order:created', order.id)).toEqual([]);
    await placeOrder(h, buildBuyer(), ticket.id).expect(400); // still held

    h.bus.setConnected(false);
    h.bus.setConnected(true);

    await waitFor(() => orderEvents(h, 'order:created', order.id).length === 1, 'order:created after the outage');
    expect(orderEvents(h, 'order:created', order.id)).toEqual([expect.objectContaining({ id: order.id, version: 0 })]);
  });

  it('when an expiry’s publish fails, then the cancellation stands, the message is acked, and a restarted process publishes order:created then order:cancelled', async () => {
    const ticket = await knownTicket(h);
    h.bus.failNextPublishes(1);
    const order = await orderOf(h, buildBuyer(), ticket.id);
    h.bus.failNextPublishes(1);

    const { acked } = await h.bus.deliver('expiration:complete', { orderId: order.id });

    expect(acked).toBe(true);
    expect((await orderNow(h, order)).status).toBe('cancelled');
    expect(orderEvents(h, 'order:cancelled', order.id)).toEqual([]);

    const restarted = await secondInstance(h);
    try {
      const mine = () => restarted.bus.published.filter((e) => (e.data as { id?: string }).id === order.id);
      await waitFor(() => mine().length === 2, 'both events from the restarted process');
      expect(mine()).toEqual([
        { subject: 'order:created', data: expect.objectContaining({ version: 0 }) },
        { subject: 'order:cancelled', data: { id: order.id, version: 1, ticket: { id: ticket.id } } },
      ]);
    } finally {
      await restarted.stop();
    }
  });
});
