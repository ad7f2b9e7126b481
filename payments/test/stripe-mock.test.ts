import { buildOrderCancelledEvent, newId } from '@gittix/testing';
import { toCents } from '@gittix/common/contracts';
import { claimAttempt, sendCharge } from '../src/domain/charge-attempts';
import { buildBuyer, givenOrder, usePayments } from './helpers';

// stripe-mock is Stripe's own mock: stateless, but it validates every request
// against Stripe's OpenAPI spec, so a parameter Stripe would refuse fails here.

const h = usePayments({ stripe: 'stripe-mock' });

describe('requests as Stripe validates them (stripe-mock)', () => {
  it('when a buyer pays, then stripe-mock accepts the charge request (amount, currency, source, metadata, idempotency key)', async () => {
    const buyer = buildBuyer();
    const order = await givenOrder(h, buyer.id, { ticket: { id: newId(), price: 19.99 } });

    const res = await h.api
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: order.id, token: 'tok_visa' });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      orderId: order.id,
      stripeId: expect.stringMatching(/^ch_/),
      amount: 1999,
      currency: 'usd',
    });
    expect(h.logs.lines().filter((l) => l.level >= 50)).toEqual([]);
  });

  it('when a charge must be refunded, then stripe-mock accepts the refund request', async () => {
    const buyer = buildBuyer();
    const order = await givenOrder(h, buyer.id);
    const attempt = await claimAttempt(h.service.deps.models, {
      orderId: order.id,
      attempt: 0,
      amount: toCents(order.ticket.price),
      token: 'tok_visa',
    });
    if (!attempt) throw new Error('could not claim');
    expect((await sendCharge(h.service.deps.stripe, attempt, 'tok_visa')).kind).toBe('charged');
    await h.bus.deliver(
      'order:cancelled',
      buildOrderCancelledEvent({ id: order.id, version: 1, ticket: { id: order.ticket.id } }),
    );
    await h.service.deps.models.ChargeAttempt.updateOne({ _id: attempt._id }, { $set: { claimedAt: new Date(0) } });

    const res = await h.api
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: order.id, token: 'tok_visa' });

    expect(res.status).toBe(400);
    expect(await h.service.deps.models.Payment.findOne({ orderId: order.id }).lean()).toMatchObject({
      status: 'refunded',
      refundId: expect.stringMatching(/^re_/),
    });
  });
});
