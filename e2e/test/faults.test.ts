import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildTicket, repoRoot, waitFor, which } from '@gittix/testing';
import { agentFor, listTicket, signUp, ticketStatus, type JourneyTarget, type SignedUp } from '../support/api-journeys';
import { removeDataDir, startPlatformProcess, type PlatformProcess } from '../support/platform';

// Faults as an operator meets them, on the platform `npm start` runs: real
// processes, paused or killed under it. After each one, the whole event path
// (ticket → order → reservation → payment or expiry) must work again, and
// nothing may be lost: events published against events applied, orders due
// against orders expired, charges made against payments recorded.

const windowSeconds = 8;
let platform: PlatformProcess;
let seller: SignedUp;
const target = (): JourneyTarget => ({ url: platform.url, expirationWindowSeconds: windowSeconds });
const report: string[] = [];

beforeAll(async () => {
  platform = await startPlatformProcess({
    env: {
      EXPIRATION_WINDOW_SECONDS: String(windowSeconds),
      // Shorter than in production, so a test can watch each mechanism act.
      EXPIRY_BACKSTOP_GRACE_SECONDS: '4',
      RECONCILE_INTERVAL_MS: '2000',
      OUTBOX_SWEEP_INTERVAL_MS: '1000',
      // The traffic below orders and cancels far more than a buyer may in ten minutes.
      ORDERS_PER_BUYER_PER_10_MIN: '100000',
    },
  });
  seller = await signUp(target(), 'faultseller');
}, 300_000);

afterAll(async () => {
  if (platform) {
    await platform.stop();
    removeDataDir(platform.dataDir);
  }
  if (report.length > 0) process.stdout.write(`\nfaults:\n${report.map((r) => `  ${r}`).join('\n')}\n`);
}, 60_000);

/** The pids the platform records (`<data>/processes.json`), read fresh: restarts change them. */
function pids(): Record<string, number> {
  return JSON.parse(readFileSync(path.join(platform.dataDir, 'processes.json'), 'utf8')) as Record<string, number>;
}

function infra(): { stripe: { url: string }; redis: { url: string } } {
  return (JSON.parse(readFileSync(path.join(platform.dataDir, 'ports.json'), 'utf8')) as { infra: never }).infra;
}

/** Orders a ticket once the orders service has heard of it; resolves with the order id. */
async function orderWhenKnown(buyer: SignedUp, ticketId: string, timeoutMs = 60_000): Promise<string> {
  return waitFor(
    async () => {
      const res = await buyer.agent.post('/api/orders').send({ ticketId });
      if (res.status === 201) return res.body.id as string;
      if (res.status !== 404 && res.status < 500) throw new Error(`ordering answered ${res.status}: ${res.text}`);
      return undefined;
    },
    `orders to know ticket ${ticketId}`,
    timeoutMs,
  );
}

/** The whole event path once: list, order, reserved, pay, complete and sold. Resolves with its duration. */
async function fullPath(timeoutMs = 60_000): Promise<number> {
  const started = Date.now();
  const buyer = await signUp(target(), 'pathbuyer');
  const ticketId = await listTicket(seller.agent, 12);
  const orderId = await orderWhenKnown(buyer, ticketId, timeoutMs);
  await waitFor(async () => (await ticketStatus(target(), ticketId)) === 'reserved', 'the reservation', timeoutMs);
  const paid = await buyer.agent.post('/api/payments').send({ orderId, token: 'tok_visa' });
  expect(paid.status).toBe(201);
  await waitFor(
    async () => (await buyer.agent.get(`/api/orders/${orderId}`)).body.status === 'complete',
    'the order to complete',
    timeoutMs,
  );
  await waitFor(async () => (await ticketStatus(target(), ticketId)) === 'sold', 'the ticket to be sold', timeoutMs);
  return Date.now() - started;
}

/** Charges the Stripe server holds for one order (its own record, not ours). */
async function chargesOf(orderId: string): Promise<number> {
  const res = await fetch(`${infra().stripe.url}/v1/charges?limit=100`, {
    headers: { Authorization: 'Bearer sk_test_gittix_local' },
  });
  const body = (await res.json()) as { data: { metadata: { orderId?: string }; status: string }[] };
  return body.data.filter((c) => c.metadata.orderId === orderId && c.status === 'succeeded').length;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

describe('faults under npm start', () => {
  it('the event path works before any fault', async () => {
    report.push(`baseline full path: ${seconds(await fullPath())}`);
  });

  it('NATS Streaming paused for 25 s: tickets listed meanwhile reach orders once it resumes, and the path works again', async () => {
    const nats = pids().nats ?? 0;
    process.kill(nats, 'SIGSTOP');
    const during: string[] = [];
    try {
      for (let i = 0; i < 3; i++) during.push(await listTicket(seller.agent, 9)); // 201: the event waits in the outbox
      await new Promise((r) => setTimeout(r, 25_000));
    } finally {
      process.kill(nats, 'SIGCONT');
    }
    const resumed = Date.now();
    const buyer = await signUp(target(), 'pausebuyer');
    for (const ticketId of during) await orderWhenKnown(buyer, ticketId, 90_000);
    const recovered = Date.now() - resumed;
    await fullPath();
    report.push(
      `NATS paused 25 s: events applied ${during.length}/${during.length}, recovered in ${seconds(recovered)}`,
    );
  }, 240_000);

  it('NATS Streaming killed: the supervisor restarts it, what it acknowledged is still there, and the path works again', async () => {
    const acknowledged: string[] = [];
    for (let i = 0; i < 3; i++) acknowledged.push(await listTicket(seller.agent, 8));
    const before = pids().nats;
    process.kill(before ?? 0, 'SIGKILL');
    const killed = Date.now();
    const during: string[] = [];
    for (let i = 0; i < 2; i++) during.push(await listTicket(seller.agent, 8));
    await waitFor(() => pids().nats !== before, 'the supervisor to restart NATS Streaming', 30_000);
    const buyer = await signUp(target(), 'natskillbuyer');
    for (const ticketId of [...acknowledged, ...during]) await orderWhenKnown(buyer, ticketId, 90_000);
    const recovered = Date.now() - killed;
    await fullPath();
    report.push(
      `NATS killed: events applied ${acknowledged.length + during.length}/${acknowledged.length + during.length}, recovered in ${seconds(recovered)}`,
    );
  }, 240_000);

  it.each(['tickets', 'orders'])(
    '%s SIGKILLed under traffic: every ticket and order it answered 201 for is there and applied afterwards',
    async (service) => {
      const buyer = await signUp(target(), `${service}crashbuyer`);
      const created: string[] = [];
      const ordered: string[] = [];
      let stop = false;
      const traffic = (async () => {
        while (!stop) {
          const res = await seller.agent
            .post('/api/tickets')
            .send(buildTicket({ title: `Load ${created.length}`, price: 7 }));
          if (res.status === 201) {
            created.push(res.body.id as string);
            const o = await buyer.agent.post('/api/orders').send({ ticketId: res.body.id });
            if (o.status === 201) ordered.push(o.body.id as string);
            // A buyer holds at most five unpaid orders: cancel as we go.
            if (o.status === 201) await buyer.agent.delete(`/api/orders/${o.body.id}`);
          }
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      await waitFor(() => created.length >= 3, 'some traffic', 30_000);
      const before = pids()[service];
      process.kill(before ?? 0, 'SIGKILL');
      const killed = Date.now();
      await waitFor(() => pids()[service] !== before, `the supervisor to restart ${service}`, 30_000);
      await waitFor(async () => (await fetch(`${platform.url}/api/tickets?limit=1`)).status === 200, 'the API', 60_000);
      await new Promise((r) => setTimeout(r, 2000));
      stop = true;
      await traffic;
      const recovered = Date.now() - killed;

      // Every ticket answered 201 is stored, and known to orders (its ticket:created was applied):
      // once its order's cancellation has released it, another buyer can order it.
      const late = await signUp(target(), `${service}checker`);
      let applied = 0;
      for (const ticketId of created) {
        await waitFor(
          async () => (await ticketStatus(target(), ticketId)) === 'available',
          `ticket ${ticketId}`,
          60_000,
        );
        const orderId = await orderWhenKnown(late, ticketId, 60_000);
        applied += 1;
        await late.agent.delete(`/api/orders/${orderId}`).expect(200);
      }
      expect(applied).toBe(created.length);
      // Every order answered 201 is stored (cancelled now, as the traffic cancelled it).
      for (const orderId of ordered) expect((await buyer.agent.get(`/api/orders/${orderId}`)).status).toBe(200);
      await fullPath();
      report.push(
        `${service} SIGKILLed: tickets ${applied}/${created.length} applied, orders ${ordered.length} kept, back in ${seconds(recovered)}`,
      );
    },
    240_000,
  );

  it('payments SIGKILLed mid-charge: what Stripe did is recorded once by the reconciler (charges equal payments), and no buyer stays charged for a cancelled order', async () => {
    const buyer = await signUp(target(), 'midcharge');
    const ticketId = await listTicket(seller.agent, 21);
    const orderId = await orderWhenKnown(buyer, ticketId);
    await waitFor(async () => (await ticketStatus(target(), ticketId)) === 'reserved', 'the reservation', 30_000);
    const before = pids().payments;

    const paying = buyer.agent.post('/api/payments').send({ orderId, token: 'tok_visa' });
    const answered = paying.then(
      (res) => res.status,
      () => 0,
    );
    // Killed while the request is on its way through Stripe.
    await new Promise((r) => setTimeout(r, 30));
    process.kill(before ?? 0, 'SIGKILL');
    const killed = Date.now();
    const status = await answered;
    await waitFor(() => pids().payments !== before, 'the supervisor to restart payments', 30_000);

    // Whatever happened in the crash, Stripe's record and ours agree once payments has settled it.
    const settled = await waitFor(
      async () => {
        const charges = await chargesOf(orderId);
        const recorded = (await buyer.agent.get(`/api/payments?orderId=${orderId}`)).body as unknown[];
        return (charges === 0 && status !== 201 && Date.now() - killed > 40_000) ||
          (charges === 1 && recorded.length === 1)
          ? { charges, recorded: recorded.length }
          : undefined;
      },
      'charges and payments to agree',
      120_000,
    );
    // A charge that went through ends as a paid order, or, if the order expired while the
    // charge waited for its lease, as a refunded payment of a cancelled order: never charged and cancelled.
    const outcome =
      settled.charges === 0
        ? 'no charge'
        : await waitFor(
            async () => {
              const orderNow = (await buyer.agent.get(`/api/orders/${orderId}`)).body.status as string;
              const payment = (
                (await buyer.agent.get(`/api/payments?orderId=${orderId}`)).body as { status: string }[]
              )[0];
              if (orderNow === 'complete' && payment?.status === 'succeeded') return 'paid';
              if (orderNow === 'cancelled' && payment?.status === 'refunded')
                return 'refunded (the order expired meanwhile)';
              return undefined;
            },
            'the charge to end paid or refunded',
            60_000,
          );
    await fullPath();
    report.push(
      `payments SIGKILLed mid-charge (request answered ${status || 'nothing'}): charges ${settled.charges}, payments ${settled.recorded}, ${outcome}, settled in ${seconds(Date.now() - killed)}`,
    );
  }, 240_000);

  it('Redis killed with orders pending expiry: every order due is expired', async () => {
    const buyer = await signUp(target(), 'expirybuyer');
    const orders: string[] = [];
    for (let i = 0; i < 4; i++) orders.push(await orderWhenKnown(buyer, await listTicket(seller.agent, 6)));
    const before = pids().redis;
    process.kill(before ?? 0, 'SIGKILL');
    const killed = Date.now();
    await waitFor(() => pids().redis !== before, 'the supervisor to restart Redis', 30_000);

    await waitFor(
      async () => {
        const statuses = await Promise.all(
          orders.map(async (id) => (await buyer.agent.get(`/api/orders/${id}`)).body.status as string),
        );
        return statuses.every((s) => s === 'cancelled');
      },
      'every order due to be expired',
      90_000,
    );
    report.push(
      `Redis killed: orders expired ${orders.length}/${orders.length}, within ${seconds(Date.now() - killed)}`,
    );
    await fullPath();
  }, 240_000);

  it('a lost expiration job: the orders backstop cancels the order and releases its ticket', async () => {
    const buyer = await signUp(target(), 'lostjobbuyer');
    const ticketId = await listTicket(seller.agent, 6);
    const orderId = await orderWhenKnown(buyer, ticketId);
    const redisCli = which('redis-cli');
    if (!redisCli) throw new Error("gittix: missing redis-cli: 'apt-get install redis-tools'");
    const port = new URL(infra().redis.url).port;
    // Bull keeps a delayed job as a hash and an entry of the delayed set: both go, as a Redis that lost its last writes would.
    await waitFor(
      () =>
        spawnSync(redisCli, ['-p', port, 'EXISTS', `bull:order:expiration:${orderId}`], {
          encoding: 'utf8',
        }).stdout.trim() === '1',
      'the expiration job to be scheduled',
      20_000,
    );
    spawnSync(redisCli, ['-p', port, 'ZREM', 'bull:order:expiration:delayed', orderId]);
    spawnSync(redisCli, ['-p', port, 'DEL', `bull:order:expiration:${orderId}`]);

    await waitFor(
      async () => (await buyer.agent.get(`/api/orders/${orderId}`)).body.status === 'cancelled',
      'the backstop to cancel the order',
      60_000,
    );
    await waitFor(
      async () => (await ticketStatus(target(), ticketId)) === 'available',
      'the ticket to be released',
      30_000,
    );
    report.push('lost expiration job: order cancelled by the backstop, ticket released');
  }, 120_000);

  it('FerretDB killed: the supervisor restarts it on the same data, and the data written before is all there', async () => {
    const buyer = await signUp(target(), 'dbkillbuyer');
    const ticketId = await listTicket(seller.agent, 5);
    const before = pids().ferretdb;
    process.kill(before ?? 0, 'SIGKILL');
    const killed = Date.now();
    await waitFor(() => pids().ferretdb !== before, 'the supervisor to restart FerretDB', 30_000);
    await waitFor(
      async () => (await agentFor(target()).get(`/api/tickets/${ticketId}`)).status === 200,
      'the ticket',
      60_000,
    );
    await buyer.agent.post('/api/users/signin').send({ email: buyer.email, password: buyer.password }).expect(200);
    const recovered = Date.now() - killed;
    await fullPath();
    report.push(`FerretDB killed: data kept, back in ${seconds(recovered)}`);
  }, 180_000);

  it('a second npm start on the same data folder is refused at once, with one line naming the folder, pid and port, and touches nothing', async () => {
    const before = JSON.stringify(pids());
    const second = spawnSync(process.execPath, [path.join(repoRoot(), 'infra', 'local', 'start.mjs')], {
      env: { ...process.env, GITTIX_DATA_DIR: platform.dataDir, PORT: '1' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(second.status).toBe(1);
    const lines = second.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(platform.dataDir);
    expect(lines[0]).toMatch(new RegExp(`pid ${pids().supervisor} on port ${new URL(platform.url).port}`));
    expect(JSON.stringify(pids())).toBe(before);
    await fullPath();
  });

  it('the supervisor SIGKILLed: no child outlives it by more than about 5 s', async () => {
    const children = Object.entries(pids()).filter(([name]) => name !== 'supervisor');
    process.kill(pids().supervisor ?? 0, 'SIGKILL');
    const killed = Date.now();
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await waitFor(() => children.every(([, pid]) => !alive(pid)), 'every child to be gone', 6000);
    report.push(`supervisor SIGKILLed: ${children.length} children gone within ${seconds(Date.now() - killed)}`);
  });
});
