// The process contract every service keeps, written once and run for each: a
// bad environment stops it at once with one line naming every problem; on the
// real servers it becomes ready, answers in the one error format and stops
// cleanly on SIGTERM; and after a SIGKILL a new process on the same data picks
// up what the dead one left. Each service's own behaviour is tested in its
// workspace; this is what they share (common's runService and startService).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { connectNatsStreaming, type NatsStreamingBus } from '@gittix/common/bus';
import { newSessionId } from '@gittix/common/core';
import { captureLogger, freePort, infraUrl, newId, repoRoot, testJwtKey, waitFor, withDatabase } from '@gittix/testing';
import mongoose, { Types } from 'mongoose';

const services = ['auth', 'tickets', 'orders', 'payments', 'expiration'] as const;
/** Packages a dependency pins to a version of its own, so npm cannot share them: why, each. */
const ownCopies: Record<string, string> = {
  // cookie-session 2 pins debug 3 (a few kB); everything else takes debug 4.
  debug: 'cookie-session pins debug 3',
};
type Service = (typeof services)[number];

interface FieldSchema {
  safeParse(value: unknown): { success: boolean };
}

/** The variables a service cannot start without, from its own config schema (built: `<svc>/dist/config.js`). */
function requiredVariables(service: Service): string[] {
  const { configSchema } = jest.requireActual<{ configSchema: { shape: Record<string, FieldSchema> } }>(
    path.join(repoRoot(), service, 'dist', 'config.js'),
  );
  return Object.entries(configSchema.shape)
    .filter(([, field]) => !field.safeParse(undefined).success)
    .map(([name]) => name);
}

/** Everything any service reads, on the test servers; each takes what its schema names. */
function environment(service: Service, database: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    MONGO_URL: withDatabase(infraUrl('mongo'), database),
    JWT_KEY: testJwtKey,
    NATS_URL: infraUrl('nats'),
    NATS_CLIENT_ID: `${service}-${randomUUID()}`,
    REDIS_URL: infraUrl('redis'),
    STRIPE_SECRET_KEY: 'sk_test_gittixProcessTests01',
    STRIPE_API_BASE: infraUrl('stripeStateful'),
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
  };
}

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

async function run(service: Service, env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(repoRoot(), service, 'dist', 'index.js')], {
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exited };
}

async function ready(running: Running, service: Service): Promise<void> {
  await waitFor(
    async () => {
      if (running.child.exitCode !== null) throw new Error(`${service} exited:\n${running.output()}`);
      return (await fetch(`${running.url}/readyz`).catch(() => undefined))?.status === 200;
    },
    `${service} to be ready`,
    30_000,
  );
}

/**
 * What a process that died between a write and its publish leaves behind: an
 * event still in its document. Written to the store directly, because no
 * public interface can make a process die at that moment; the restarted
 * process must publish it. Expiration has no outbox: its leftover is an
 * order:created nobody has handled yet, waiting in its durable queue group.
 */
const leftovers: Record<Service, { subject: string; collection?: string; data: () => Record<string, unknown> }> = {
  auth: {
    subject: 'session:revoked',
    collection: 'sessions',
    data: () => ({
      sessionId: newSessionId(),
      userId: newId(),
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    }),
  },
  tickets: {
    subject: 'ticket:created',
    collection: 'tickets',
    data: () => ({ id: newId(), version: 0, title: 'Left behind', price: 42, userId: newId() }),
  },
  orders: {
    subject: 'order:cancelled',
    collection: 'orders',
    data: () => ({ id: newId(), version: 1, ticket: { id: newId() } }),
  },
  payments: {
    subject: 'payment:created',
    collection: 'payments',
    data: () => ({ id: newId(), orderId: newId(), stripeId: `ch_${randomUUID()}` }),
  },
  expiration: {
    subject: 'order:created',
    data: () => ({
      id: newId(),
      version: 0,
      status: 'created',
      userId: newId(),
      expiresAt: new Date(Date.now() - 1000).toISOString(),
      ticket: { id: newId(), price: 10 },
    }),
  },
};

let bus: NatsStreamingBus;
const seen: { subject: string; data: Record<string, unknown> }[] = [];

beforeAll(async () => {
  bus = await connectNatsStreaming({
    url: infraUrl('nats'),
    clusterId: 'ticketing',
    clientId: `processes-${randomUUID()}`,
    logger: captureLogger('test').logger,
  });
  for (const subject of [
    'session:revoked',
    'ticket:created',
    'order:cancelled',
    'payment:created',
    'expiration:complete',
  ])
    await bus.subscribe(subject, { queueGroup: `observer-${randomUUID()}`, ackWaitMs: 5000 }, (message) => {
      seen.push({ subject, data: message.data as Record<string, unknown> });
      message.ack();
      return Promise.resolve();
    });
});
afterAll(async () => {
  await bus.close();
});

describe.each(services)('the %s process', (service) => {
  it('when required variables are missing, then it exits 1 with one line naming every one', async () => {
    const running = await run(service, { PATH: process.env.PATH ?? '' });

    expect(await running.exited).toBe(1);
    const lines = running.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${service}: failed to start: Invalid configuration: `));
    for (const name of requiredVariables(service)) expect(lines[0]).toContain(`${name} is required`);
  });

  it('when a variable is invalid, then the line says what is wrong with it', async () => {
    const running = await run(service, { ...environment(service, 'unused'), NATS_URL: 'not a url' });

    expect(await running.exited).toBe(1);
    expect(running.output()).toContain('NATS_URL must be a URL');
  });

  it('when it runs on the real servers, then it is ready, answers in the error format, and SIGTERM stops it with exit 0', async () => {
    const running = await run(service, environment(service, `${service}_proc_${randomUUID().slice(0, 8)}`));
    await ready(running, service);

    expect(await (await fetch(`${running.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const missing = await fetch(`${running.url}/api/nope`, { headers: { 'x-request-id': 'trace-me-123' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-request-id')).toBe('trace-me-123');
    expect(await missing.json()).toEqual({ errors: [{ message: 'Route not found' }] });

    running.child.kill('SIGTERM');

    expect(await running.exited).toBe(0);
    expect(running.output()).toContain(`${service} stopped`);
  });

  it('when it loads, then each npm package comes from one folder (a second copy is memory every process pays)', () => {
    // What the process has loaded once its modules are in: every package, and the folders it came from.
    const script = String.raw`require(${JSON.stringify(path.join(repoRoot(), service, 'dist', 'service.js'))});
      const from = {};
      for (const file of Object.keys(require.cache)) {
        const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(file);
        if (match) (from[match[2]] ??= new Set()).add(match[1]);
      }
      process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(from).map(([n, d]) => [n, [...d]]))));`;
    const loaded = JSON.parse(
      execFileSync(process.execPath, ['-e', script], { cwd: repoRoot(), encoding: 'utf8' }),
    ) as Record<string, string[]>;
    const twice = Object.entries(loaded).filter(([name, folders]) => folders.length > 1 && !(name in ownCopies));

    expect(Object.keys(loaded)).toContain('pino');
    expect(twice).toEqual([]);
    // express 5, accepts, send and type-is share one mime-types (with its 200 kB mime-db).
    if ('express' in loaded) expect(loaded['mime-db']).toHaveLength(1);
  });

  it('when it is SIGKILLed, then a new process on the same data is ready and publishes what the dead one left', async () => {
    const database = `${service}_crash_${randomUUID().slice(0, 8)}`;
    const first = await run(service, environment(service, database));
    await ready(first, service);
    first.child.kill('SIGKILL');
    await first.exited;

    const leftover = leftovers[service];
    const data = leftover.data();
    if (leftover.collection) {
      const connection = await mongoose.createConnection(withDatabase(infraUrl('mongo'), database)).asPromise();
      const _id = leftover.subject === 'session:revoked' ? data.sessionId : new Types.ObjectId(String(data.id));
      await connection.collection(leftover.collection).insertOne({
        _id,
        pendingEvents: [{ _id: new Types.ObjectId(), subject: leftover.subject, data }],
        outboxPending: true,
      } as never);
      await connection.close();
    } else {
      await bus.publish(leftover.subject, data);
    }
    const second = await run(service, environment(service, database));
    try {
      await ready(second, service);
      const expected = leftover.collection
        ? { subject: leftover.subject, data }
        : { subject: 'expiration:complete', data: { orderId: data.id } };

      await waitFor(
        () =>
          seen.find((e) => e.subject === expected.subject && JSON.stringify(e.data) === JSON.stringify(expected.data)),
        `${expected.subject} from the restarted ${service}`,
        20_000,
      );
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
});
