import { buildPaymentCreatedEvent, captureLogger } from '@gittix/testing';
import { cancelOverdueOrders } from '../src/domain/cancel-overdue-orders';
import { buildBuyer, knownTicket, orderEvents, orderOf, setupOrders, type OrdersHarness } from './helpers';

// The backstop behind expiration: orders still unpaid well past their time,
// because no expiration:complete came, are cancelled anyway.
let h: OrdersHarness;
beforeAll(async () => {
  h = await setupOrders({ EXPIRATION_WINDOW_SECONDS: '1' });
});
afterAll(async () => {
  await h.db.drop();
});

describe('cancelOverdueOrders', () => {
  it('when unpaid orders are past expiresAt plus the grace and nobody expired them, then they are cancelled with order:cancelled; a paid one is left alone', async () => {
    const buyer = buildBuyer();
    const lost = await orderOf(h, buyer, (await knownTicket(h)).id);
    const paid = await orderOf(h, buyer, (await knownTicket(h)).id);
    await h.bus.deliver('payment:created', buildPaymentCreatedEvent({ orderId: paid.id }));
    const logs = captureLogger('orders');

    const early = await cancelOverdueOrders(h.deps, logs.logger, { graceMs: 60_000 });
    // As the sweep sees it two seconds on: past the one-second window and a 100 ms grace.
    const cancelled = await cancelOverdueOrders(h.deps, logs.logger, {
      graceMs: 100,
      now: new Date(Date.now() + 2000),
    });

    expect(early).toBe(0);
    expect(cancelled).toBe(1);
    const shown = await h.api.get(`/api/orders/${lost.id}`).set('Cookie', buyer.cookie).expect(200);
    expect(shown.body.status).toBe('cancelled');
    expect(orderEvents(h, 'order:cancelled', lost.id)).toHaveLength(1);
    expect((await h.api.get(`/api/orders/${paid.id}`).set('Cookie', buyer.cookie)).body.status).toBe('complete');
    expect(logs.lines().some((l) => l.level === 40 && l.orderId === lost.id)).toBe(true);
  });
});
