import { buildTicketDeletedEvent, buildTicketUpdatedEvent, newId } from '@gittix/testing';
import {
  buildBuyer,
  knownTicket,
  orderEvents,
  orderOf,
  placeOrder,
  useOrders,
  orderNow,
  ticketAsOrdered,
} from './helpers';

const h = useOrders();

describe('ticket:created', () => {
  it('when a ticket is created, then the replica exists at its version and it can be ordered at its price', async () => {
    const ticket = await knownTicket(h, { title: 'Ballet', price: 80 });

    expect(await ticketAsOrdered(h, ticket.id)).toEqual({ id: ticket.id, title: 'Ballet', price: 80 });
  });

  it('when ticket:created is delivered twice, then the second is acked and changes nothing', async () => {
    const ticket = await knownTicket(h, { title: 'Once' });

    const again = await h.bus.deliver('ticket:created', { ...ticket, title: 'Twice' });

    expect(again.acked).toBe(true);
    expect(await ticketAsOrdered(h, ticket.id)).toMatchObject({ title: 'Once' });
  });
});

describe('ticket:updated', () => {
  it('when the next version arrives, then it is applied, and new orders use the new price', async () => {
    const ticket = await knownTicket(h, { price: 10 });

    const { acked } = await h.bus.deliver(
      'ticket:updated',
      buildTicketUpdatedEvent({ ...ticket, version: 1, title: 'Renamed', price: 12 }),
    );

    expect(acked).toBe(true);
    expect(await ticketAsOrdered(h, ticket.id)).toMatchObject({ title: 'Renamed', price: 12 });
  });

  it('when updates arrive out of order and twice, then each is applied once, in version order, and the end state is the last version', async () => {
    const ticket = await knownTicket(h);
    const v1 = buildTicketUpdatedEvent({ ...ticket, version: 1, title: 'v1', price: 11 });
    const v2 = buildTicketUpdatedEvent({
      ...ticket,
      version: 2,
      title: 'v2',
      price: 12,
      status: 'reserved',
      orderId: newId(),
    });
    const v3 = buildTicketUpdatedEvent({ ...ticket, version: 3, title: 'v2', price: 12, status: 'available' });

    const early3 = await h.bus.deliver('ticket:updated', v3);
    const early2 = await h.bus.deliver('ticket:updated', v2);
    const first1 = await h.bus.deliver('ticket:updated', v1);
    const dup1 = await h.bus.deliver('ticket:updated', v1, { redelivered: true });
    const then2 = await h.bus.deliver('ticket:updated', v2, { redelivered: true });
    const then3 = await h.bus.deliver('ticket:updated', v3, { redelivered: true });
    const dup2 = await h.bus.deliver('ticket:updated', v2, { redelivered: true });

    expect([early3.acked, early2.acked]).toEqual([false, false]);
    expect([first1.acked, dup1.acked, then2.acked, then3.acked, dup2.acked]).toEqual([true, true, true, true, true]);
    expect(await ticketAsOrdered(h, ticket.id)).toMatchObject({ title: 'v2', price: 12 });
    // Version 3 is in place: a fourth applies at once, a repeated third is a duplicate.
    const v4 = await h.bus.deliver('ticket:updated', { ...v3, version: 4 });
    const dup3 = await h.bus.deliver('ticket:updated', v3, { redelivered: true });
    expect([v4.acked, dup3.acked]).toEqual([true, true]);
  });

  it('when an update is not applicable yet, then it is not logged as an error', async () => {
    const ticket = await knownTicket(h);
    const errorsBefore = h.logs.lines().filter((l) => l.level >= 50).length;

    await h.bus.deliver('ticket:updated', buildTicketUpdatedEvent({ ...ticket, version: 5 }));

    expect(h.logs.lines().filter((l) => l.level >= 50)).toHaveLength(errorsBefore);
  });

  it('when an update arrives for a ticket whose creation has not arrived, then it waits for redelivery', async () => {
    const id = newId();
    const update = buildTicketUpdatedEvent({ id, version: 1 });

    const early = await h.bus.deliver('ticket:updated', update);
    await knownTicket(h, { id, userId: update.userId });
    const later = await h.bus.deliver('ticket:updated', update, { redelivered: true });

    expect(early.acked).toBe(false);
    expect(later.acked).toBe(true);
    const next = await h.bus.deliver('ticket:updated', { ...update, version: 2 });
    expect(next.acked).toBe(true);
  });

  it('when ticket:updated reports the ticket reserved, then ordering is still decided by the orders held here alone', async () => {
    const ticket = await knownTicket(h);
    const order = await orderOf(h, buildBuyer(), ticket.id);
    const other = buildBuyer();

    await h.bus.deliver(
      'ticket:updated',
      buildTicketUpdatedEvent({ ...ticket, version: 1, status: 'reserved', orderId: order.id }),
    );
    await placeOrder(h, other, ticket.id).expect(400);
    await h.bus.deliver('expiration:complete', { orderId: order.id });

    // The replica still says "reserved" (the tickets service's release has not arrived): the order goes through anyway.
    await placeOrder(h, other, ticket.id).expect(201);
  });

  it('when the payload is invalid, then it is acked and logged as an error', async () => {
    const { acked } = await h.bus.deliver('ticket:updated', { id: newId(), version: -1 });

    expect(acked).toBe(true);
    expect(h.logs.lines().some((l) => l.level === 50 && l.msg === 'invalid event payload; acked and dropped')).toBe(
      true,
    );
  });
});

describe('ticket:deleted', () => {
  it('when a ticket is deleted, then the replica is marked deleted and it cannot be ordered (404)', async () => {
    const ticket = await knownTicket(h);

    const { acked } = await h.bus.deliver('ticket:deleted', buildTicketDeletedEvent({ id: ticket.id, version: 1 }));

    expect(acked).toBe(true);
    await placeOrder(h, buildBuyer(), ticket.id).expect(404);
  });

  it('when the deletion skips a version, then it waits for the one before it', async () => {
    const ticket = await knownTicket(h);

    const early = await h.bus.deliver('ticket:deleted', buildTicketDeletedEvent({ id: ticket.id, version: 2 }));

    expect(early.acked).toBe(false);
    await placeOrder(h, buildBuyer(), ticket.id).expect(201);
  });

  it('when an unpaid order held the ticket (ordered just before the deletion was heard), then that order is cancelled', async () => {
    const ticket = await knownTicket(h);
    const order = await orderOf(h, buildBuyer(), ticket.id);

    const { acked } = await h.bus.deliver('ticket:deleted', buildTicketDeletedEvent({ id: ticket.id, version: 1 }));
    const again = await h.bus.deliver('ticket:deleted', buildTicketDeletedEvent({ id: ticket.id, version: 1 }), {
      redelivered: true,
    });

    expect([acked, again.acked]).toEqual([true, true]);
    expect(await orderNow(h, order)).toMatchObject({ status: 'cancelled', version: 1 });
    expect(orderEvents(h, 'order:cancelled', order.id)).toHaveLength(1);
  });
});
