import {
  buildPaymentCreatedEvent,
  buildTicketDeletedEvent,
  buildTicketUpdatedEvent,
  inDays,
  newId,
} from '@gittix/testing';
import {
  buildBuyer,
  knownTicket,
  orderEvents,
  orderOf,
  placeOrder,
  secondInstance,
  useOrders,
  orderNow,
  type OrdersHarness,
} from './helpers';
import { startTestService } from '@gittix/testing/harness';
import { ordersService } from '../src/service';

/** The order:created events one instance published for a ticket. */
function ordersOf(harness: OrdersHarness, ticketId: string) {
  return (harness.bus.eventsOf('order:created') as { ticket: { id: string } }[]).filter(
    (e) => e.ticket.id === ticketId,
  );
}

const h = useOrders();

describe('POST /api/orders', () => {
  it('when the ticket is available, then it answers 201 with the order, expiring in 15 minutes, and publishes order:created', async () => {
    const ticket = await knownTicket(h, { title: 'Opera', price: 45.5 });
    const buyer = buildBuyer();
    const before = Date.now();

    const res = await placeOrder(h, buyer, ticket.id);

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      userId: buyer.id,
      status: 'created',
      expiresAt: expect.any(String),
      ticket: { id: ticket.id, title: 'Opera', price: 45.5 },
      version: 0,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const expiresAt = new Date(res.body.expiresAt).getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(before + 900_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 900_000);
    expect(await orderNow(h, res.body)).toEqual(res.body);
    expect(orderEvents(h, 'order:created', res.body.id)).toEqual([
      {
        id: res.body.id,
        version: 0,
        status: 'created',
        userId: buyer.id,
        expiresAt: res.body.expiresAt,
        ticket: { id: ticket.id, price: 45.5, priceCents: 4550 },
      },
    ]);
  });

  it('when EXPIRATION_WINDOW_SECONDS is set, then expiresAt follows it', async () => {
    const local = await startTestService(ordersService, { env: { EXPIRATION_WINDOW_SECONDS: '60' } });
    try {
      const ticket = await knownTicket(local);
      const before = Date.now();

      const order = await orderOf(local, buildBuyer(), ticket.id);

      const expiresAt = new Date(order.expiresAt).getTime();
      expect(expiresAt).toBeGreaterThanOrEqual(before + 60_000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 60_000);
    } finally {
      await local.stop();
    }
  });

  it('when another order already holds the ticket, then it answers 400 "Ticket is already reserved" and publishes nothing', async () => {
    const ticket = await knownTicket(h);
    await orderOf(h, buildBuyer(), ticket.id);
    const published = h.bus.published.length;

    const res = await placeOrder(h, buildBuyer(), ticket.id);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'Ticket is already reserved' }] });
    expect(h.bus.published).toHaveLength(published);
  });

  it('when 50 buyers order one ticket at the same moment, then exactly one gets 201 and 49 get 400', async () => {
    const ticket = await knownTicket(h);
    const buyers = Array.from({ length: 50 }, () => buildBuyer());

    const results = await Promise.all(buyers.map((buyer) => placeOrder(h, buyer, ticket.id)));

    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(49);
    expect(
      results.filter((r) => r.status === 400).every((r) => r.body.errors[0].message === 'Ticket is already reserved'),
    ).toBe(true);
    expect(ordersOf(h, ticket.id)).toHaveLength(1);
  });

  it('when 40 orders for one ticket race across two service instances on one database, then exactly one succeeds', async () => {
    const ticket = await knownTicket(h);
    const other = await secondInstance(h);
    try {
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => {
          const api = i % 2 === 0 ? h.api : other.api;
          return api.post('/api/orders').set('Cookie', buildBuyer().cookie).send({ ticketId: ticket.id });
        }),
      );

      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status === 400)).toHaveLength(39);
      expect([...ordersOf(h, ticket.id), ...ordersOf(other, ticket.id)]).toHaveLength(1);
    } finally {
      await other.stop();
    }
  });

  it('when the order holding the ticket was cancelled, then the ticket can be ordered again', async () => {
    const ticket = await knownTicket(h);
    const first = buildBuyer();
    const order = await orderOf(h, first, ticket.id);
    await h.api.delete(`/api/orders/${order.id}`).set('Cookie', first.cookie).expect(200);

    const res = await placeOrder(h, buildBuyer(), ticket.id);

    expect(res.status).toBe(201);
  });

  it('when the order holding the ticket was paid, then the ticket stays reserved for good', async () => {
    const ticket = await knownTicket(h);
    const order = await orderOf(h, buildBuyer(), ticket.id);
    await h.bus.deliver('payment:created', buildPaymentCreatedEvent({ orderId: order.id }));

    const res = await placeOrder(h, buildBuyer(), ticket.id);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'Ticket is already reserved' }] });
  });

  it('when the event starts before the window ends, then the order holds the ticket only until the event starts', async () => {
    const eventDate = new Date(Date.now() + 60_000).toISOString();
    const ticket = await knownTicket(h, { eventDate });

    const order = await orderOf(h, buildBuyer(), ticket.id);

    expect(order.expiresAt).toBe(eventDate);
    expect(orderEvents(h, 'order:created', order.id)).toEqual([expect.objectContaining({ expiresAt: eventDate })]);
  });

  it('when the ticket has no event date (listed before tickets had one), then the order gets the whole window', async () => {
    const ticket = await knownTicket(h, { eventDate: undefined });
    const before = Date.now();

    const order = await orderOf(h, buildBuyer(), ticket.id);

    expect(new Date(order.expiresAt).getTime()).toBeGreaterThanOrEqual(before + 900_000);
  });

  it('when the event has started, then it answers 400 "This event has already taken place" and publishes nothing', async () => {
    const ticket = await knownTicket(h, { eventDate: new Date(Date.now() + 1_000).toISOString() });
    await new Promise((resolve) => setTimeout(resolve, 1_100));

    const res = await placeOrder(h, buildBuyer(), ticket.id);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'This event has already taken place' }] });
    expect(ordersOf(h, ticket.id)).toEqual([]);
  });

  it('when ticket:updated moves the event, then orders follow the new date; null removes it', async () => {
    const ticket = await knownTicket(h, { eventDate: inDays(30) });
    const soon = new Date(Date.now() + 800).toISOString();
    await h.bus.deliver(
      'ticket:updated',
      buildTicketUpdatedEvent({ id: ticket.id, version: 1, userId: ticket.userId, eventDate: soon }),
    );
    await new Promise((resolve) => setTimeout(resolve, 900));

    await placeOrder(h, buildBuyer(), ticket.id).expect(400);

    await h.bus.deliver(
      'ticket:updated',
      buildTicketUpdatedEvent({ id: ticket.id, version: 2, userId: ticket.userId, eventDate: null }),
    );
    await orderOf(h, buildBuyer(), ticket.id);
  });

  it('when the buyer is the seller, then it answers 400', async () => {
    const seller = buildBuyer();
    const ticket = await knownTicket(h, { userId: seller.id });

    const res = await placeOrder(h, seller, ticket.id);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'You cannot buy your own ticket' }] });
  });

  it('when this service does not know the ticket, then it answers 404', async () => {
    const res = await placeOrder(h, buildBuyer(), newId());

    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [{ message: 'Ticket not found' }] });
  });

  it('when the ticket was deleted, then it answers 404', async () => {
    const ticket = await knownTicket(h);
    await h.bus.deliver('ticket:deleted', buildTicketDeletedEvent({ id: ticket.id, version: 1 }));

    await placeOrder(h, buildBuyer(), ticket.id).expect(404);
  });

  it('when not signed in, then it answers 401', async () => {
    const ticket = await knownTicket(h);

    await h.api.post('/api/orders').send({ ticketId: ticket.id }).expect(401);
  });

  it.each([
    ['no ticketId', {}],
    ['an empty ticketId', { ticketId: '' }],
    ['a malformed ticketId', { ticketId: 'abc' }],
    ['a numeric ticketId', { ticketId: 123 }],
    ['an operator as ticketId', { ticketId: { $ne: null } }],
  ])('when the body has %s, then it answers 400 naming ticketId', async (_case, body) => {
    const res = await h.api.post('/api/orders').set('Cookie', buildBuyer().cookie).send(body);

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'ticketId', message: expect.any(String) }]);
  });

  it('when the body is junk, then it answers 400, never 500', async () => {
    const cookie = buildBuyer().cookie;
    for (const junk of ['{"ticketId":', '[]', 'null', '"x"', '42']) {
      const res = await h.api
        .post('/api/orders')
        .set('Cookie', cookie)
        .set('Content-Type', 'application/json')
        .send(junk);
      expect(res.status).toBe(400);
      expect(Array.isArray(res.body.errors)).toBe(true);
    }
  });
});
