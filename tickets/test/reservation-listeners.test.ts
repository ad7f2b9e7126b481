import { closedOrdersKept } from '../src/domain/change-ticket';
import { buildOrderCancelledEvent, buildOrderCreatedEvent, buildPaymentCreatedEvent, newId } from '@gittix/testing';
import { buildSeller, createTicket, orderTicket, useTickets, ticketNow, ticketEvents } from './helpers';

const h = useTickets();

function cancel(ticketId: string, orderId: string) {
  return h.bus.deliver('order:cancelled', buildOrderCancelledEvent({ id: orderId, ticket: { id: ticketId } }));
}

describe('order:created', () => {
  it('when an order is created for an available ticket, then the ticket is reserved for it at version + 1 and ticket:updated says so', async () => {
    const seller = buildSeller();
    const ticket = await createTicket(h, seller, { title: 'Gig', price: 30 });

    const { orderId, acked } = await orderTicket(h, ticket);

    expect(acked).toBe(true);
    expect(await ticketNow(h, ticket)).toMatchObject({ status: 'reserved', version: 1 });
    expect(String((await ticketNow(h, ticket)).orderId)).toBe(orderId);
    expect(ticketEvents(h, 'ticket:updated', ticket.id)).toEqual([
      {
        id: ticket.id,
        version: 1,
        title: 'Gig',
        price: 30,
        priceCents: 3000,
        userId: seller.id,
        eventDate: ticket.eventDate,
        status: 'reserved',
        orderId,
      },
    ]);
  });

  it('when the same order:created is delivered twice, then the second is acked and changes nothing', async () => {
    const ticket = await createTicket(h, buildSeller());
    const { orderId } = await orderTicket(h, ticket);

    const again = await orderTicket(h, ticket, orderId);

    expect(again.acked).toBe(true);
    expect((await ticketNow(h, ticket)).version).toBe(1);
    expect(ticketEvents(h, 'ticket:updated', ticket.id)).toHaveLength(1);
  });

  it('when another order still holds the ticket, then the message is not acked (its cancellation comes first) and logs no error', async () => {
    const ticket = await createTicket(h, buildSeller());
    const first = await orderTicket(h, ticket);
    const errorsBefore = h.logs.lines().filter((l) => l.level === 50).length;

    const second = await orderTicket(h, ticket);

    expect(second.acked).toBe(false);
    expect(String((await ticketNow(h, ticket)).orderId)).toBe(first.orderId);
    expect(h.logs.lines().filter((l) => l.level === 50)).toHaveLength(errorsBefore);

    await cancel(ticket.id, first.orderId);
    const redelivered = await orderTicket(h, ticket, second.orderId);

    expect(redelivered.acked).toBe(true);
    expect(await ticketNow(h, ticket)).toMatchObject({ status: 'reserved', version: 3 });
    expect(String((await ticketNow(h, ticket)).orderId)).toBe(second.orderId);
  });

  it('when the ticket is unknown, then the message is acked with a warning', async () => {
    const ticketId = newId();

    const { acked } = await orderTicket(h, { id: ticketId, price: 10 });

    expect(acked).toBe(true);
    expect(h.logs.lines().some((l) => l.level === 40 && l.ticketId === ticketId)).toBe(true);
  });

  it('when the ticket was deleted, then the message is acked and nothing is reserved', async () => {
    const seller = buildSeller();
    const ticket = await createTicket(h, seller);
    await h.api.delete(`/api/tickets/${ticket.id}`).set('Cookie', seller.cookie).expect(204);

    const { acked } = await orderTicket(h, ticket);

    expect(acked).toBe(true);
    expect(ticketEvents(h, 'ticket:updated', ticket.id)).toEqual([]);
    await h.api.get(`/api/tickets/${ticket.id}`).set('Cookie', seller.cookie).expect(404);
  });

  it('when the payload is invalid, then it is acked and logged as an error', async () => {
    const { acked } = await h.bus.deliver('order:created', { ...buildOrderCreatedEvent(), ticket: { id: 'nope' } });

    expect(acked).toBe(true);
    expect(h.logs.lines().some((l) => l.level === 50 && l.msg === 'invalid event payload; acked and dropped')).toBe(
      true,
    );
  });
});

describe('order:cancelled', () => {
  it('when one ticket is ordered and cancelled 40 times, then it remembers only the latest closed orders, and a late order:created of a recent one still reserves nothing', async () => {
    const ticket = await createTicket(h, buildSeller());
    const orders: string[] = [];
    for (let i = 0; i < 40; i++) {
      const { orderId } = await orderTicket(h, ticket);
      expect((await cancel(ticket.id, orderId)).acked).toBe(true);
      orders.push(orderId);
    }

    // The bound is a property of the stored document (the API never shows closed orders): read it there.
    const stored = await h.service.deps.models.Ticket.findById(ticket.id).lean();
    expect(stored?.closedOrderIds.map(String)).toEqual(orders.slice(-closedOrdersKept));
    expect((await ticketNow(h, ticket)).status).toBe('available');
    const late = await orderTicket(h, ticket, orders.at(-1));
    expect(late.acked).toBe(true);
    expect(await ticketNow(h, ticket)).toMatchObject({ status: 'available', version: 80 });
  }, 60_000);

  it('when the order holding the ticket is cancelled, then the ticket is available again at version + 1 without an orderId', async () => {
    const seller = buildSeller();
    const ticket = await createTicket(h, seller, { title: 'Play', price: 15 });
    const { orderId } = await orderTicket(h, ticket);

    const { acked } = await cancel(ticket.id, orderId);

    expect(acked).toBe(true);
    const stored = await ticketNow(h, ticket);
    expect(stored).toMatchObject({ status: 'available', version: 2 });
    expect(stored.orderId).toBeUndefined();
    expect(ticketEvents(h, 'ticket:updated', ticket.id).at(-1)).toEqual({
      id: ticket.id,
      version: 2,
      title: 'Play',
      price: 15,
      priceCents: 1500,
      userId: seller.id,
      eventDate: ticket.eventDate,
      status: 'available',
    });
    const shown = await h.api.get(`/api/tickets/${ticket.id}`).expect(200);
    expect(shown.body).not.toHaveProperty('orderId');
  });

  it('when a stale cancellation arrives (order A cancelled after order B reserved the ticket), then B keeps the reservation', async () => {
    const ticket = await createTicket(h, buildSeller());
    const a = await orderTicket(h, ticket);
    await cancel(ticket.id, a.orderId);
    const b = await orderTicket(h, ticket);

    const { acked } = await cancel(ticket.id, a.orderId);

    expect(acked).toBe(true);
    const stored = await ticketNow(h, ticket);
    expect(stored).toMatchObject({ status: 'reserved', version: 3 });
    expect(String(stored.orderId)).toBe(b.orderId);
    expect(ticketEvents(h, 'ticket:updated', ticket.id)).toHaveLength(3);
  });

  it('when the cancellation overtakes its own order:created, then the late order:created reserves nothing', async () => {
    const ticket = await createTicket(h, buildSeller());
    const orderId = newId();
    const before = await ticketNow(h, ticket);

    const cancelled = await cancel(ticket.id, orderId);
    const created = await orderTicket(h, ticket, orderId);

    expect(cancelled.acked).toBe(true);
    expect(created.acked).toBe(true);
    const after = await ticketNow(h, ticket);
    expect(after).toMatchObject({ status: 'available', version: 0 });
    expect(after.updatedAt).toEqual(before.updatedAt);
    expect(ticketEvents(h, 'ticket:updated', ticket.id)).toEqual([]);
  });

  it('when the same cancellation is delivered twice, then the second changes nothing', async () => {
    const ticket = await createTicket(h, buildSeller());
    const { orderId } = await orderTicket(h, ticket);
    await cancel(ticket.id, orderId);

    const { acked } = await cancel(ticket.id, orderId);

    expect(acked).toBe(true);
    expect((await ticketNow(h, ticket)).version).toBe(2);
    expect(ticketEvents(h, 'ticket:updated', ticket.id)).toHaveLength(2);
  });

  it('when the ticket was already sold to that order, then it stays sold', async () => {
    const ticket = await createTicket(h, buildSeller());
    const { orderId } = await orderTicket(h, ticket);
    await h.bus.deliver('payment:created', buildPaymentCreatedEvent({ orderId }));

    const { acked } = await cancel(ticket.id, orderId);

    expect(acked).toBe(true);
    expect(await ticketNow(h, ticket)).toMatchObject({ status: 'sold', version: 2 });
  });
});

describe('payment:created', () => {
  it('when the order holding the ticket is paid, then the ticket is sold at version + 1', async () => {
    const seller = buildSeller();
    const ticket = await createTicket(h, seller, { title: 'Final', price: 99 });
    const { orderId } = await orderTicket(h, ticket);

    const { acked } = await h.bus.deliver('payment:created', buildPaymentCreatedEvent({ orderId }));

    expect(acked).toBe(true);
    expect(await ticketNow(h, ticket)).toMatchObject({ status: 'sold', version: 2 });
    expect(ticketEvents(h, 'ticket:updated', ticket.id).at(-1)).toEqual({
      id: ticket.id,
      version: 2,
      title: 'Final',
      price: 99,
      priceCents: 9900,
      userId: seller.id,
      eventDate: ticket.eventDate,
      status: 'sold',
      orderId,
    });
    const listed = await h.api.get(`/api/tickets?userId=${seller.id}`).set('Cookie', seller.cookie).expect(200);
    expect(listed.body[0]).toMatchObject({ id: ticket.id, status: 'sold', orderId });
  });

  it('when the payment is delivered twice, then the second changes nothing', async () => {
    const ticket = await createTicket(h, buildSeller());
    const { orderId } = await orderTicket(h, ticket);
    const payment = buildPaymentCreatedEvent({ orderId });
    await h.bus.deliver('payment:created', payment);

    const { acked } = await h.bus.deliver('payment:created', payment);

    expect(acked).toBe(true);
    expect((await ticketNow(h, ticket)).version).toBe(2);
  });

  it('when the payment arrives before its order:created, then it is not acked until the reservation exists', async () => {
    const ticket = await createTicket(h, buildSeller());
    const orderId = newId();

    const early = await h.bus.deliver('payment:created', buildPaymentCreatedEvent({ orderId }));
    await orderTicket(h, ticket, orderId);
    const redelivered = await h.bus.deliver('payment:created', buildPaymentCreatedEvent({ orderId }), {
      redelivered: true,
    });

    expect(early.acked).toBe(false);
    expect(redelivered.acked).toBe(true);
    expect((await ticketNow(h, ticket)).status).toBe('sold');
  });

  it('when the paid order had been cancelled, then the ticket is not sold and the payment is noted for payments to refund', async () => {
    const ticket = await createTicket(h, buildSeller());
    const { orderId } = await orderTicket(h, ticket);
    await cancel(ticket.id, orderId);

    const { acked } = await h.bus.deliver('payment:created', buildPaymentCreatedEvent({ orderId }));

    expect(acked).toBe(true);
    expect((await ticketNow(h, ticket)).status).toBe('available');
    expect(h.logs.lines().some((l) => l.level === 40 && l.orderId === orderId && /refunds/.test(l.msg ?? ''))).toBe(
      true,
    );
  });
});
