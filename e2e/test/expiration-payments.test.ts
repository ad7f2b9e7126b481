import { randomUUID } from 'node:crypto';
import { connectNatsStreaming, type BusSubscription, type NatsStreamingBus } from '@gittix/common/bus';
import {
  buildTicketCreatedEvent,
  captureLogger,
  infraUrl,
  newId,
  signin,
  startServiceProcess,
  testJwtKey,
  waitFor,
  withDatabase,
  type RunningServer,
} from '@gittix/testing';
import request from 'supertest';

// orders, payments and expiration as real processes (their built dist/), on the
// run's real NATS Streaming, Redis, FerretDB and stripe-stateful-mock. The test
// plays the tickets service: it publishes ticket:created on the bus.

const windowSeconds = 3;
let orders: RunningServer;
let payments: RunningServer;
let expiration: RunningServer;
let bus: NatsStreamingBus;
const observed: { subject: string; data: { id?: string; orderId?: string }; at: number }[] = [];
const subscriptions: BusSubscription[] = [];

function natsEnv(service: string): Record<string, string> {
  return { NATS_URL: infraUrl('nats'), NATS_CLUSTER_ID: 'ticketing', NATS_CLIENT_ID: `${service}-${randomUUID()}` };
}

beforeAll(async () => {
  const run = randomUUID().slice(0, 8);
  [orders, payments, expiration] = await Promise.all([
    startServiceProcess({
      service: 'orders',
      env: {
        ...natsEnv('orders'),
        MONGO_URL: withDatabase(infraUrl('mongo'), `e2e_orders_${run}`),
        JWT_KEY: testJwtKey,
        EXPIRATION_WINDOW_SECONDS: String(windowSeconds),
      },
    }),
    startServiceProcess({
      service: 'payments',
      env: {
        ...natsEnv('payments'),
        MONGO_URL: withDatabase(infraUrl('mongo'), `e2e_payments_${run}`),
        JWT_KEY: testJwtKey,
        STRIPE_SECRET_KEY: 'sk_test_gittixE2eTests0001',
        STRIPE_API_BASE: infraUrl('stripeStateful'),
      },
    }),
    startServiceProcess({ service: 'expiration', env: { ...natsEnv('expiration'), REDIS_URL: infraUrl('redis') } }),
  ]);
  bus = await connectNatsStreaming({
    url: infraUrl('nats'),
    clusterId: 'ticketing',
    clientId: `e2e-${randomUUID()}`,
    logger: captureLogger('e2e').logger,
  });
  for (const subject of ['expiration:complete', 'order:cancelled', 'payment:created'] as const) {
    subscriptions.push(
      await bus.subscribe(subject, { queueGroup: `e2e-observer-${randomUUID()}`, ackWaitMs: 5000 }, (message) => {
        observed.push({ subject, data: message.data as { id?: string; orderId?: string }, at: Date.now() });
        message.ack();
        return Promise.resolve();
      }),
    );
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(subscriptions.map((s) => s.close()));
  await bus?.close();
  await Promise.all([orders, payments, expiration].map((p) => p?.stop()));
});

function seen(subject: string, orderId: string) {
  return observed.filter((e) => e.subject === subject && (e.data.orderId ?? e.data.id) === orderId);
}

/** A ticket the orders service knows (published as the tickets service would) and a buyer who is not its seller. */
async function givenTicketAndBuyer(price = 25) {
  const ticket = buildTicketCreatedEvent({ price, userId: newId() });
  await bus.publish('ticket:created', ticket);
  const buyerId = newId();
  return { ticket, buyerId, cookie: signin({ id: buyerId }) };
}

/** POST /api/orders, retried while the orders service has not heard of the ticket yet (404). */
async function placeOrder(cookie: string[], ticketId: string) {
  let res: request.Response | undefined;
  await waitFor(
    async () => {
      res = await request(orders.url).post('/api/orders').set('Cookie', cookie).send({ ticketId });
      return res.status !== 404;
    },
    'orders to know the ticket',
    10_000,
  );
  if (!res || res.status !== 201)
    throw new Error(`POST /api/orders answered ${res?.status}: ${JSON.stringify(res?.body)}`);
  return res.body as { id: string; status: string; expiresAt: string };
}

async function orderStatus(cookie: string[], orderId: string): Promise<string> {
  const res = await request(orders.url).get(`/api/orders/${orderId}`).set('Cookie', cookie);
  return (res.body as { status: string }).status;
}

describe('expiration and payment across services', () => {
  it('when an order is not paid, then it is cancelled within 2 s of its expiresAt', async () => {
    const { ticket, cookie } = await givenTicketAndBuyer();

    const order = await placeOrder(cookie, ticket.id);
    const expiresAt = Date.parse(order.expiresAt);

    let cancelledSeenAt = 0;
    await waitFor(
      async () => {
        if ((await orderStatus(cookie, order.id)) !== 'cancelled') return false;
        cancelledSeenAt = Date.now();
        return true;
      },
      'the order to be cancelled',
      (windowSeconds + 5) * 1000,
    );
    expect(cancelledSeenAt).toBeGreaterThanOrEqual(expiresAt);
    expect(cancelledSeenAt - expiresAt).toBeLessThan(2000);
    expect(seen('expiration:complete', order.id)).toHaveLength(1);
    await waitFor(() => seen('order:cancelled', order.id).length > 0, 'order:cancelled on the bus');
    expect(seen('order:cancelled', order.id)).toHaveLength(1);

    // Payments hears of the cancellation too, and refuses to charge for it.
    let refused: request.Response | undefined;
    await waitFor(async () => {
      refused = await request(payments.url)
        .post('/api/payments')
        .set('Cookie', cookie)
        .send({ orderId: order.id, token: 'tok_visa' });
      // Until it hears order:cancelled it refuses the lapsed order as expired.
      return (
        refused.status === 400 &&
        (refused.body as { errors: { message: string }[] }).errors[0]?.message === 'Cannot pay for a cancelled order'
      );
    }, 'payments to refuse the cancelled order');
    expect(refused?.body).toEqual({ errors: [{ message: 'Cannot pay for a cancelled order' }] });
  });

  it('when an order is paid in time, then it is complete, and its expiry timer does not cancel it', async () => {
    const { ticket, cookie } = await givenTicketAndBuyer(19.99);
    const order = await placeOrder(cookie, ticket.id);

    // Payments learns of the order by event: until then it does not know it (404).
    let paid: request.Response | undefined;
    await waitFor(
      async () => {
        paid = await request(payments.url)
          .post('/api/payments')
          .set('Cookie', cookie)
          .send({ orderId: order.id, token: 'tok_visa' });
        return paid.status !== 404;
      },
      'payments to know the order',
      5000,
    );
    expect(paid?.status).toBe(201);
    expect(paid?.body).toMatchObject({ orderId: order.id, amount: 1999, currency: 'usd' });
    await waitFor(async () => (await orderStatus(cookie, order.id)) === 'complete', 'the order to be complete', 5000);

    // The timer still fires at expiresAt; orders must ignore it for a paid order.
    await waitFor(
      () => seen('expiration:complete', order.id).length > 0,
      'the expiry timer to fire',
      (windowSeconds + 5) * 1000,
    );
    // Nothing signals "orders handled it and did nothing", so watch for a cancellation for a while.
    const watchUntil = Date.now() + 1500;
    while (Date.now() < watchUntil) {
      expect(await orderStatus(cookie, order.id)).toBe('complete');
      expect(seen('order:cancelled', order.id)).toHaveLength(0);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
});
