import { buildPaymentCreatedEvent, waitFor } from '@gittix/testing';
import { buildBuyer, knownTicket, orderEvents, orderNow, orderOf, useOrders } from './helpers';

// The backstop behind expiration: orders still unpaid well past their time,
// because no expiration:complete came (Redis lost the job), are cancelled anyway.
// A one-second window and a one-second grace: the sweep runs every second.
const h = useOrders({ env: { EXPIRATION_WINDOW_SECONDS: '1', EXPIRY_BACKSTOP_GRACE_SECONDS: '1' } });

describe('the expiry backstop', () => {
  it('when unpaid orders are past expiresAt plus the grace and nobody expired them, then they are cancelled with order:cancelled; a paid one is left alone', async () => {
    const buyer = buildBuyer();
    const lost = await orderOf(h, buyer, (await knownTicket(h)).id);
    const paid = await orderOf(h, buyer, (await knownTicket(h)).id);
    await h.bus.deliver('payment:created', buildPaymentCreatedEvent({ orderId: paid.id }));

    await waitFor(() => orderEvents(h, 'order:cancelled', lost.id).length === 1, 'the backstop to cancel', 10_000);

    expect(Date.now()).toBeGreaterThanOrEqual(new Date(lost.expiresAt).getTime() + 1000);
    expect((await orderNow(h, lost)).status).toBe('cancelled');
    expect((await orderNow(h, paid)).status).toBe('complete');
    expect(orderEvents(h, 'order:cancelled', paid.id)).toEqual([]);
    expect(h.logs.lines().some((l) => l.level === 40 && l.orderId === lost.id && /backstop/.test(l.msg ?? ''))).toBe(
      true,
    );
  });
});
