import { buildOrderCancelledEvent, buildOrderCreatedEvent, newId } from '@gittix/testing';
import { usePayments } from './helpers';

// Payments' copy of each order is private: the API shows it only through whether
// an order can be paid (new-payment.test.ts). These tests check the copy itself,
// read from the store, because the version rule is about what it holds.
const h = usePayments();

describe('order:created', () => {
  it('when an order is created, then the replica holds its buyer, price, status, expiry and version, and the message is acked', async () => {
    const event = buildOrderCreatedEvent({ version: 0, ticket: { id: newId(), price: 19.99 } });

    const { acked } = await h.bus.deliver('order:created', event);

    expect(acked).toBe(true);
    const replica = await h.service.deps.models.Order.findById(event.id).lean();
    expect(replica).toMatchObject({ userId: event.userId, price: 19.99, status: 'created', version: 0 });
    expect(replica?.expiresAt.toISOString()).toBe(new Date(event.expiresAt).toISOString());
  });

  it('when the same order:created is redelivered, then it is acked and nothing changes', async () => {
    const event = buildOrderCreatedEvent();
    await h.bus.deliver('order:created', event);

    const { acked } = await h.bus.deliver(
      'order:created',
      { ...event, ticket: { ...event.ticket, price: 999 } },
      { redelivered: true },
    );

    expect(acked).toBe(true);
    expect(await h.service.deps.models.Order.countDocuments({ _id: event.id })).toBe(1);
    expect((await h.service.deps.models.Order.findById(event.id).lean())?.price).toBe(event.ticket.price);
  });

  it('when the payload is invalid, then it is acked, dropped and logged', async () => {
    const { acked } = await h.bus.deliver('order:created', { ...buildOrderCreatedEvent(), userId: 'nobody' });

    expect(acked).toBe(true);
    expect(h.logs.lines()).toContainEqual(
      expect.objectContaining({ msg: 'invalid event payload; acked and dropped', subject: 'order:created' }),
    );
  });
});

describe('order:cancelled', () => {
  it('when the next version arrives, then the replica is cancelled at that version', async () => {
    const created = buildOrderCreatedEvent();
    await h.bus.deliver('order:created', created);

    const { acked } = await h.bus.deliver('order:cancelled', buildOrderCancelledEvent({ id: created.id, version: 1 }));

    expect(acked).toBe(true);
    expect(await h.service.deps.models.Order.findById(created.id).lean()).toMatchObject({
      status: 'cancelled',
      version: 1,
    });
  });

  it('when it is redelivered, then it is acked as a duplicate', async () => {
    const created = buildOrderCreatedEvent();
    await h.bus.deliver('order:created', created);
    await h.bus.deliver('order:cancelled', buildOrderCancelledEvent({ id: created.id, version: 1 }));

    const { acked } = await h.bus.deliver('order:cancelled', buildOrderCancelledEvent({ id: created.id, version: 1 }), {
      redelivered: true,
    });

    expect(acked).toBe(true);
    expect(await h.service.deps.models.Order.findById(created.id).lean()).toMatchObject({
      status: 'cancelled',
      version: 1,
    });
  });

  it('when it skips a version, then it is not acked (it waits for redelivery) and nothing changes', async () => {
    const created = buildOrderCreatedEvent();
    await h.bus.deliver('order:created', created);

    const { acked } = await h.bus.deliver('order:cancelled', buildOrderCancelledEvent({ id: created.id, version: 2 }));

    expect(acked).toBe(false);
    expect(await h.service.deps.models.Order.findById(created.id).lean()).toMatchObject({
      status: 'created',
      version: 0,
    });
  });

  it('when it arrives before order:created, then it is not acked, and applies once the order is known', async () => {
    const created = buildOrderCreatedEvent();
    const cancelled = buildOrderCancelledEvent({ id: created.id, version: 1 });

    expect((await h.bus.deliver('order:cancelled', cancelled)).acked).toBe(false);
    await h.bus.deliver('order:created', created);
    expect((await h.bus.deliver('order:cancelled', cancelled, { redelivered: true })).acked).toBe(true);

    expect(await h.service.deps.models.Order.findById(created.id).lean()).toMatchObject({
      status: 'cancelled',
      version: 1,
    });
  });
});
