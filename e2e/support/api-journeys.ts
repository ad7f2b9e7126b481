import { randomUUID } from 'node:crypto';
import { buildTicket, waitFor } from '@gittix/testing';
import request from 'supertest';

/** Where the journeys run: a GitTix origin, and the reservation window its orders service was given. */
export interface JourneyTarget {
  url: string;
  expirationWindowSeconds: number;
  /** The PEM certificate to trust, when the origin serves TLS with a self-signed one. */
  ca?: string;
}

/** An agent for the origin (it keeps cookies; a fresh one is an anonymous visitor). */
export function agentFor(target: JourneyTarget): Agent {
  return request.agent(target.url, target.ca ? { ca: target.ca } : {});
}

type Agent = ReturnType<typeof request.agent>;

export interface SignedUp {
  agent: Agent;
  email: string;
  password: string;
  id: string;
  /** The session cookie as the browser holds it (`session=…`), to replay it elsewhere. */
  cookie: string;
}

/**
 * What a client does with a 503 that carries Retry-After (a database the service could not
 * reach for a moment): it waits as told, at most 5 s, and tries again, up to `tries` times in
 * all. Each retry is handed to `onRetry`, so the run says it happened.
 */
export interface RetryAfterPolicy {
  tries: number;
  onRetry: (what: string) => void;
}

/** A new user through the API, with an agent that keeps the session cookie. */
export async function signUp(target: JourneyTarget, prefix: string, retry?: RetryAfterPolicy): Promise<SignedUp> {
  const agent = agentFor(target);
  const email = `${prefix}-${randomUUID()}@example.test`;
  const password = 'a long enough password';
  let res!: request.Response;
  for (let attempt = 1; ; attempt++) {
    res = await agent.post('/api/users/signup').send({ email, password, username: prefix.slice(0, 20) });
    const seconds = Number(res.headers['retry-after']);
    if (res.status !== 503 || !retry || attempt >= retry.tries || !(seconds > 0)) break;
    retry.onRetry(
      `POST /api/users/signup answered 503 (${JSON.stringify(res.body)}); tried again ${Math.min(seconds, 5)} s later`,
    );
    await new Promise((resolve) => setTimeout(resolve, Math.min(seconds, 5) * 1000));
  }
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
  const setCookie = (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
  const cookie = setCookie.find((c) => c.startsWith('session='))?.split(';')[0] ?? '';
  return { agent, email, password, id: res.body.id as string, cookie };
}

export async function listTicket(seller: Agent, price = 25): Promise<string> {
  const res = await seller.post('/api/tickets').send(buildTicket({ title: `Show ${randomUUID().slice(0, 8)}`, price }));
  expect(res.status).toBe(201);
  return res.body.id as string;
}

/** Orders a ticket; the orders service learns of a new ticket by event, so a brand-new one may 404 briefly. */
export async function order(buyer: Agent, ticketId: string): Promise<request.Response> {
  let res!: request.Response;
  await waitFor(
    async () => {
      res = await buyer.post('/api/orders').send({ ticketId });
      return res.status !== 404;
    },
    'the orders service to know the ticket',
    15_000,
  );
  return res;
}

export async function ticketStatus(target: JourneyTarget, ticketId: string): Promise<string> {
  const res = await agentFor(target).get(`/api/tickets/${ticketId}`);
  return res.body.status as string;
}

/**
 * The API journeys every way of running GitTix must pass through its one origin
 * (`npm start`, the containers, the cluster): sign up, list, order, pay, decline,
 * cancel and re-order, expiry, the reservation race and hostile bodies.
 */
export function describeApiJourneys(target: () => JourneyTarget): void {
  const anonymous = () => agentFor(target());

  describe('the API journeys through the one origin', () => {
    it('serves the client and the API from one origin', async () => {
      const home = await anonymous().get('/');
      expect(home.status).toBe(200);
      expect(home.headers['content-type']).toMatch(/text\/html/);
      const me = await anonymous().get('/api/users/currentuser');
      expect(me.body).toEqual({ currentUser: null });
    });

    it('a seller lists, a buyer orders and pays with tok_visa; the order is complete and the ticket sold', async () => {
      const seller = await signUp(target(), 'seller');
      const buyer = await signUp(target(), 'buyer');
      const ticketId = await listTicket(seller.agent, 19.99);

      const ordered = await order(buyer.agent, ticketId);
      expect(ordered.status).toBe(201);
      const orderId = ordered.body.id as string;
      await waitFor(
        async () => (await ticketStatus(target(), ticketId)) === 'reserved',
        'the ticket to be reserved',
        10_000,
      );

      const paid = await buyer.agent.post('/api/payments').send({ orderId, token: 'tok_visa' });
      expect(paid.status).toBe(201);
      expect(paid.body).toMatchObject({ orderId, amount: 1999, currency: 'usd' });

      await waitFor(
        async () => (await buyer.agent.get(`/api/orders/${orderId}`)).body.status === 'complete',
        'the order to complete',
        10_000,
      );
      await waitFor(async () => (await ticketStatus(target(), ticketId)) === 'sold', 'the ticket to be sold', 10_000);
      const home = await anonymous().get('/api/tickets?limit=100');
      expect(home.body.map((t: { id: string }) => t.id)).not.toContain(ticketId);
    });

    it("a declined card is refused with Stripe's message and the order stays payable", async () => {
      const seller = await signUp(target(), 'seller');
      const buyer = await signUp(target(), 'buyer');
      const ticketId = await listTicket(seller.agent);
      const orderId = (await order(buyer.agent, ticketId)).body.id as string;

      const declined = await buyer.agent.post('/api/payments').send({ orderId, token: 'tok_chargeDeclined' });

      expect(declined.status).toBe(400);
      expect(declined.body.errors[0].message).toMatch(/declined/i);
      expect((await buyer.agent.get(`/api/orders/${orderId}`)).body.status).toBe('created');
    });

    it('a buyer cancels; the ticket is listed again and a second buyer can order it', async () => {
      const seller = await signUp(target(), 'seller');
      const first = await signUp(target(), 'first');
      const second = await signUp(target(), 'second');
      const ticketId = await listTicket(seller.agent);
      const orderId = (await order(first.agent, ticketId)).body.id as string;
      await waitFor(async () => (await ticketStatus(target(), ticketId)) === 'reserved', 'the reservation', 10_000);

      const cancelled = await first.agent.delete(`/api/orders/${orderId}`);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');

      await waitFor(
        async () => (await ticketStatus(target(), ticketId)) === 'available',
        'the ticket to be released',
        10_000,
      );
      const listed = await anonymous().get('/api/tickets?limit=100');
      expect(listed.body.map((t: { id: string }) => t.id)).toContain(ticketId);
      expect((await order(second.agent, ticketId)).status).toBe(201);
    });

    it('an unpaid order is cancelled by expiry and its ticket released', async () => {
      const windowMs = target().expirationWindowSeconds * 1000;
      const seller = await signUp(target(), 'seller');
      const buyer = await signUp(target(), 'buyer');
      const ticketId = await listTicket(seller.agent);
      const ordered = await order(buyer.agent, ticketId);
      const orderId = ordered.body.id as string;
      const expiresAt = Date.parse(ordered.body.expiresAt as string);
      expect(expiresAt - Date.now()).toBeLessThanOrEqual(windowMs);

      await waitFor(
        async () => (await buyer.agent.get(`/api/orders/${orderId}`)).body.status === 'cancelled',
        'expiry to cancel the order',
        windowMs + 15_000,
      );
      await waitFor(
        async () => (await ticketStatus(target(), ticketId)) === 'available',
        'the ticket to be released',
        10_000,
      );
      const late = await buyer.agent.post('/api/payments').send({ orderId, token: 'tok_visa' });
      expect(late.status).toBe(400);
    });

    it('25 buyers at once for one ticket: exactly one order', async () => {
      const seller = await signUp(target(), 'seller');
      const buyers = await Promise.all(Array.from({ length: 25 }, (_, i) => signUp(target(), `rush${i}`)));
      const ticketId = await listTicket(seller.agent);
      // Wait until the orders service knows the ticket, so the race is about the reservation only:
      // the seller's own attempt answers 404 while the ticket is unknown, 400 once it is known.
      await waitFor(
        async () => (await seller.agent.post('/api/orders').send({ ticketId })).status === 400,
        'orders to know the ticket',
        15_000,
      );

      const results = await Promise.all(buyers.map((b) => b.agent.post('/api/orders').send({ ticketId })));

      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s >= 500)).toHaveLength(0);
    });

    it('junk bodies on every write route get a 4xx with errors[], never a 5xx', async () => {
      const user = await signUp(target(), 'junk');
      const writes: Array<[string, string]> = [
        ['post', '/api/users/signup'],
        ['post', '/api/users/signin'],
        ['post', '/api/tickets'],
        ['put', `/api/tickets/${'a'.repeat(24)}`],
        ['put', '/api/tickets/not-an-id'],
        ['delete', '/api/tickets/not-an-id'],
        ['post', '/api/orders'],
        ['delete', '/api/orders/not-an-id'],
        ['post', '/api/payments'],
      ];
      const junk = [
        '{"unterminated": ',
        '[]',
        'null',
        '"a string"',
        '{"title": {"$gt": ""}, "price": "NaN", "ticketId": [1], "orderId": {}, "token": 5}',
      ];
      for (const [method, url] of writes) {
        for (const body of junk) {
          const res = await user.agent[method as 'post'](url).set('Content-Type', 'application/json').send(body);
          // The request rides along, so a failure says which route and body broke the rule.
          const ok = res.status >= 400 && res.status < 500 && Array.isArray(res.body.errors);
          expect({ method, url, body, status: res.status, ok }).toEqual({
            method,
            url,
            body,
            status: res.status,
            ok: true,
          });
        }
      }
    });
  });
}
