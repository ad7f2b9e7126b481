import { buildTicket, waitFor } from '@gittix/testing';
import request from 'supertest';
import { agentFor, listTicket, order, signUp, type JourneyTarget } from '../support/api-journeys';
import { removeDataDir, startPlatformProcess, type PlatformProcess } from '../support/platform';

// The attacks a careless client or an attacker tries, through the one origin of
// `npm start` (the local gateway in front of every service), and what each must
// meet: a limit that holds, a session that ends, no leak, no lost money.
let platform: PlatformProcess;
const target = (): JourneyTarget => ({ url: platform.url, expirationWindowSeconds: 60 });

beforeAll(async () => {
  platform = await startPlatformProcess({
    // One client (this test) signs up many users here, so the per-address sign-up limit is raised.
    env: { EXPIRATION_WINDOW_SECONDS: '60', SIGNIN_MAX_FAILURES_PER_IP: '12', SIGNUPS_PER_IP_PER_HOUR: '500' },
  });
}, 300_000);
afterAll(async () => {
  if (platform) {
    await platform.stop();
    removeDataDir(platform.dataDir);
  }
});

const randomAddress = () =>
  `${1 + Math.floor(Math.random() * 223)}.${Math.floor(Math.random() * 256)}.9.${Math.floor(Math.random() * 256)}`;

describe('rate limits keyed on the real client', () => {
  it('when every guess carries a fresh X-Forwarded-For, then the account is still locked after 5 failures', async () => {
    const victim = await signUp(target(), 'victim');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await agentFor(target())
        .post('/api/users/signin')
        .set('X-Forwarded-For', randomAddress())
        .send({ email: victim.email, password: `guess number ${i}` });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429]);
  });

  it('when one password is tried against many accounts from one client, then that client is limited (12 failures here)', async () => {
    const accounts = await Promise.all(Array.from({ length: 14 }, (_, i) => signUp(target(), `spray${i}`)));
    const statuses: number[] = [];
    for (const account of accounts) {
      const res = await agentFor(target())
        .post('/api/users/signin')
        .set('X-Forwarded-For', randomAddress())
        .send({ email: account.email, password: 'Winter2026!' });
      statuses.push(res.status);
    }
    // The failures of the test above came from this client too: the budget of 12 runs out before the 14th account.
    const firstLimited = statuses.indexOf(429);
    expect(firstLimited).toBeGreaterThan(0);
    expect(statuses.slice(0, firstLimited).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(firstLimited).every((s) => s === 429)).toBe(true);
  });
});

describe('sign-out ends the session everywhere', () => {
  it('when a cookie copied before sign-out is replayed, then every service treats it as signed out within a second', async () => {
    const user = await signUp(target(), 'leaver');
    const replay = () => request(platform.url);
    // The cookie as someone who copied it would send it, from another client.
    const withCookie = (r: request.Test) => r.set('Cookie', user.cookie);
    await withCookie(replay().post('/api/tickets'))
      .send(buildTicket({ title: 'Before', price: 5 }))
      .expect(201);

    await user.agent.post('/api/users/signout').expect(200);

    // session:revoked crosses the bus; each service refuses the session within about a second.
    await waitFor(
      async () =>
        (await withCookie(replay().post('/api/tickets')).send(buildTicket({ title: 'After', price: 5 }))).status ===
        401,
      'tickets to refuse the signed-out session',
      2000,
    );
    expect((await withCookie(replay().get('/api/users/currentuser'))).body).toEqual({ currentUser: null });
    expect((await withCookie(replay().get('/api/orders'))).status).toBe(401);
    expect(
      (await withCookie(replay().post('/api/payments')).send({ orderId: '0'.repeat(24), token: 'tok_visa' })).status,
    ).toBe(401);
  });
});

describe('no hoarding, no bad prices, no leaks', () => {
  it('when a buyer already holds 5 unpaid orders, then a 6th is refused with a clear 400', async () => {
    const seller = await signUp(target(), 'hoardseller');
    const buyer = await signUp(target(), 'hoarder');
    const tickets = await Promise.all(Array.from({ length: 6 }, () => listTicket(seller.agent, 5)));
    const results = [];
    for (const id of tickets) results.push(await order(buyer.agent, id));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 400]);
    expect(results[5]?.body.errors[0].message).toMatch(/at most 5 unpaid orders/);
  });

  it.each([[1e-9], [0.49], [12.345], [1_000_000]])(
    'when a seller asks %d, then it is a 400 on price',
    async (price) => {
      const seller = await signUp(target(), 'pricer');
      const res = await seller.agent.post('/api/tickets').send(buildTicket({ title: 'Odd', price }));
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('price');
    },
  );

  it('when a ticket is reserved, then the public sees that, not which order holds it; a stranger’s order is as missing as an unknown one', async () => {
    const seller = await signUp(target(), 'leakseller');
    const buyer = await signUp(target(), 'leakbuyer');
    const ticketId = await listTicket(seller.agent);
    const orderId = (await order(buyer.agent, ticketId)).body.id as string;
    await waitFor(
      async () => (await agentFor(target()).get(`/api/tickets/${ticketId}`)).body.status === 'reserved',
      'the reservation',
      10_000,
    );

    const publicView = await agentFor(target()).get(`/api/tickets/${ticketId}`);
    const sellerView = await seller.agent.get(`/api/tickets/${ticketId}`);
    expect(publicView.body).not.toHaveProperty('orderId');
    expect(sellerView.body.orderId).toBe(orderId);

    const stranger = await signUp(target(), 'stranger');
    const theirs = await stranger.agent.post('/api/payments').send({ orderId, token: 'tok_visa' });
    const nobodys = await stranger.agent
      .post('/api/payments')
      .send({ orderId: '0123456789abcdef01234567', token: 'tok_visa' });
    expect([theirs.status, theirs.body]).toEqual([nobodys.status, nobodys.body]);
    expect(theirs.status).toBe(404);
    expect((await stranger.agent.get(`/api/orders/${orderId}`)).status).toBe(404);
  });
});

describe('cancel and pay at the same moment', () => {
  it('when 20 buyers cancel and pay together, then no one ends charged for a cancelled order: each is complete, or cancelled and refunded', async () => {
    const seller = await signUp(target(), 'raceseller');
    const rounds = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const buyer = await signUp(target(), `racer${i}`);
        const ticketId = await listTicket(seller.agent, 15);
        const orderId = (await order(buyer.agent, ticketId)).body.id as string;
        // Payments must know the order before paying races the cancel.
        await waitFor(
          async () => (await buyer.agent.get(`/api/payments?orderId=${orderId}`)).status === 200,
          'payments to answer',
          10_000,
        );
        const [cancelled, paid] = await Promise.all([
          buyer.agent.delete(`/api/orders/${orderId}`),
          buyer.agent.post('/api/payments').send({ orderId, token: 'tok_visa' }),
        ]);
        return { buyer, orderId, cancelled: cancelled.status, paid: paid.status };
      }),
    );

    const outcomes: string[] = [];
    for (const round of rounds) {
      const settled = await waitFor(
        async () => {
          const orderNow = (await round.buyer.agent.get(`/api/orders/${round.orderId}`)).body as { status: string };
          const payments = (await round.buyer.agent.get(`/api/payments?orderId=${round.orderId}`)).body as {
            status: string;
          }[];
          const payment = payments[0]?.status;
          if (orderNow.status === 'complete' && payment === 'succeeded') return 'complete';
          if (orderNow.status === 'cancelled' && payment === undefined && round.paid !== 201)
            return 'cancelled, never charged';
          if (orderNow.status === 'cancelled' && payment === 'refunded') return 'cancelled, refunded';
          return undefined; // still settling: a refund on its way, or the order completing
        },
        `order ${round.orderId} to settle (cancel ${round.cancelled}, pay ${round.paid})`,
        30_000,
      );
      outcomes.push(settled);
    }
    process.stdout.write(`\ncancel-and-pay race, 20 rounds: ${JSON.stringify(countBy(outcomes))}\n`);
    expect(outcomes).toHaveLength(20);
  }, 180_000);
});

describe('the web app', () => {
  it('when a page is served, then it carries a CSP without eval, frame-ancestors none, nosniff and the referrer policy', async () => {
    for (const path of ['/', '/auth/signin', '/tickets/new']) {
      const res = await agentFor(target()).get(path);
      const csp = String(res.headers['content-security-policy'] ?? '');
      expect({
        path,
        csp: /frame-ancestors 'none'/.test(csp) && !/unsafe-eval/.test(csp) && /'nonce-/.test(csp),
      }).toEqual({ path, csp: true });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    }
  });

  it('when a signed-in visitor follows a sign-in link whose next leads off the site, then the redirect stays on it', async () => {
    const user = await signUp(target(), 'redirected');
    for (const next of ['/.//evil.example', '//evil.example', '/%2e//evil.example', 'https://evil.example']) {
      for (const page of ['/auth/signin', '/auth/signup']) {
        const res = await user.agent.get(`${page}?next=${encodeURIComponent(next)}`).redirects(0);
        expect({ page, next, status: res.status, location: res.headers.location }).toEqual({
          page,
          next,
          status: 307,
          location: '/',
        });
      }
    }
  });
});

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
