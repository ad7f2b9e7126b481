import { randomUUID } from 'node:crypto';
import {
  buildTicket,
  buildUser,
  infraUrl,
  signin,
  startServiceProcess,
  testJwtKey,
  waitFor,
  withDatabase,
  type RunningServer,
} from '@gittix/testing';
import request from 'supertest';

// tickets and orders as real processes (their built dist/), each with its own
// database, talking only through the run's real NATS Streaming server.

let tickets: RunningServer;
let orders: RunningServer;

function serviceEnv(service: string, run: string): Record<string, string> {
  return {
    MONGO_URL: withDatabase(infraUrl('mongo'), `e2e_${service}_${run}`),
    JWT_KEY: testJwtKey,
    NATS_URL: infraUrl('nats'),
    NATS_CLUSTER_ID: 'ticketing',
    NATS_CLIENT_ID: `${service}-${randomUUID()}`,
    // Leftover sweeps every second, so a lost publish would show up within the test.
    OUTBOX_SWEEP_INTERVAL_MS: '1000',
  };
}

beforeAll(async () => {
  const run = randomUUID().slice(0, 8);
  [tickets, orders] = await Promise.all([
    startServiceProcess({ service: 'tickets', env: serviceEnv('tickets', run) }),
    startServiceProcess({ service: 'orders', env: serviceEnv('orders', run) }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([tickets, orders].map((p) => p?.stop()));
});

interface Ticket {
  id: string;
  status: string;
  orderId?: string;
  version: number;
  price: number;
}

/** Polls a ticket as its seller sees it (only the seller sees which order holds it). */
async function ticketWhen(
  id: string,
  what: string,
  predicate: (t: Ticket) => boolean,
  seller: string[] = [],
): Promise<Ticket> {
  return waitFor(
    async () => {
      const res = await request(tickets.url).get(`/api/tickets/${id}`).set('Cookie', seller).expect(200);
      const ticket = res.body as Ticket;
      return predicate(ticket) ? ticket : undefined;
    },
    what,
    20_000,
  );
}

/** Orders a ticket, retrying while the orders service has not heard of it yet (404). */
async function orderWhenKnown(
  buyer: string[],
  ticketId: string,
  price: number,
): Promise<{ id: string; ticket: { price: number } }> {
  return waitFor(
    async () => {
      const res = await request(orders.url).post('/api/orders').set('Cookie', buyer).send({ ticketId });
      if (res.status === 404) return undefined;
      if (res.status !== 201) throw new Error(`POST /api/orders answered ${res.status}: ${JSON.stringify(res.body)}`);
      const order = res.body as { id: string; ticket: { price: number } };
      // The replica may still be a version behind (an older price): cancel and retry until it caught up.
      if (order.ticket.price !== price) {
        await request(orders.url).delete(`/api/orders/${order.id}`).set('Cookie', buyer).expect(200);
        return undefined;
      }
      return order;
    },
    `the orders service to accept ticket ${ticketId} at ${price}`,
    20_000,
  );
}

describe('tickets and orders over NATS Streaming', () => {
  it('when a buyer orders a ticket and cancels, then the ticket is reserved for the order and available again, in version order', async () => {
    const seller = signin(buildUser());
    const buyer = signin(buildUser());
    const created = await request(tickets.url)
      .post('/api/tickets')
      .set('Cookie', seller)
      .send(buildTicket({ title: 'E2E concert', price: 25 }))
      .expect(201);
    const ticketId = (created.body as Ticket).id;

    // The orders service learns the ticket from ticket:created; ordering reserves it through order:created.
    const order = await orderWhenKnown(buyer, ticketId, 25);
    const reserved = await ticketWhen(
      ticketId,
      'the ticket to be reserved for the order',
      (t) => t.status === 'reserved',
      seller,
    );
    expect(reserved).toMatchObject({ orderId: order.id, version: 1 });
    await request(tickets.url)
      .put(`/api/tickets/${ticketId}`)
      .set('Cookie', seller)
      .send(buildTicket({ title: 'E2E concert', price: 30 }))
      .expect(400);
    await request(orders.url).post('/api/orders').set('Cookie', signin(buildUser())).send({ ticketId }).expect(400);

    // Cancelling publishes order:cancelled; the tickets service releases the ticket.
    const cancelled = await request(orders.url).delete(`/api/orders/${order.id}`).set('Cookie', buyer).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', version: 1 });
    const available = await ticketWhen(ticketId, 'the ticket to be available again', (t) => t.status === 'available');
    expect(available.version).toBe(2);
    expect(available).not.toHaveProperty('orderId');
    const listed = await request(tickets.url).get('/api/tickets?limit=100').expect(200);
    expect((listed.body as Ticket[]).map((t) => t.id)).toContain(ticketId);

    // The seller reprices it (v3); the orders replica applies v1, v2, v3 in order and the next order pays the new price.
    await request(tickets.url)
      .put(`/api/tickets/${ticketId}`)
      .set('Cookie', seller)
      .send(buildTicket({ title: 'E2E concert', price: 30 }))
      .expect(200);
    const second = await orderWhenKnown(signin(buildUser()), ticketId, 30);
    const reservedAgain = await ticketWhen(
      ticketId,
      'the ticket to be reserved for the second order',
      (t) => t.orderId === second.id,
      seller,
    );
    // Version 4 unless a retry above caught the replica a version behind (each retry adds a reserve and a release).
    expect(reservedAgain.status).toBe('reserved');
    expect(reservedAgain.version).toBeGreaterThanOrEqual(4);
  });

  it('when the event is about to start, then an order holds the ticket only until then, and once it has started no one can order it', async () => {
    const seller = signin(buildUser());
    const eventDate = new Date(Date.now() + 6_000).toISOString();
    const created = await request(tickets.url)
      .post('/api/tickets')
      .set('Cookie', seller)
      .send(buildTicket({ title: 'Starting soon', price: 12, eventDate }))
      .expect(201);
    const ticketId = (created.body as Ticket).id;

    // ticket:created carried the date to the orders replica over NATS.
    const buyer = signin(buildUser());
    const order = await orderWhenKnown(buyer, ticketId, 12);
    expect((order as { expiresAt?: string }).expiresAt).toBe(eventDate);
    // Released again before the start, so what refuses the next order is the start alone.
    await request(orders.url).delete(`/api/orders/${order.id}`).set('Cookie', buyer).expect(200);
    await ticketWhen(ticketId, 'the ticket to be available again', (t) => t.status === 'available');

    await new Promise((resolve) => setTimeout(resolve, Date.parse(eventDate) - Date.now() + 100));
    const late = await request(orders.url).post('/api/orders').set('Cookie', signin(buildUser())).send({ ticketId });
    expect(late.status).toBe(400);
    expect(late.body).toEqual({ errors: [{ message: 'This event has already taken place' }] });
    // Available, yet gone from the public listing.
    const listed = await request(tickets.url).get('/api/tickets?limit=100').expect(200);
    expect((listed.body as Ticket[]).map((t) => t.id)).not.toContain(ticketId);
    await request(tickets.url).get(`/api/tickets/${ticketId}`).expect(200);
  });
});
