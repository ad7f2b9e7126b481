// The whole GitTix platform on one machine: real infrastructure on free
// loopback ports (data under the data folder), the five services, the Next.js
// client (production build) and the gateway on one origin. Used by `npm start`
// (start.mjs) and by the end-to-end tests.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startGatewayThread, startStripeThread } from './threads.mjs';
import { loadRoutes } from './routes.mjs';
import { Supervised } from './supervisor.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

const services = ['auth', 'tickets', 'orders', 'payments', 'expiration'];
const databases = { auth: 'auth', tickets: 'tickets', orders: 'orders', payments: 'payments' };

const colors = [36, 33, 35, 32, 34, 31, 96, 93, 95, 92];
function painter(enabled) {
  const assigned = new Map();
  return (name) => {
    if (!enabled) return name;
    if (!assigned.has(name)) assigned.set(name, colors[assigned.size % colors.length]);
    return `\x1b[${assigned.get(name)}m${name}\x1b[0m`;
  };
}

/**
 * @param {{ port?: number, dataDir?: string, env?: NodeJS.ProcessEnv, print?: (line: string) => void, quiet?: boolean }} [options]
 */
export async function startPlatform(options = {}) {
  const env = options.env ?? process.env;
  const port = options.port ?? Number(env.PORT ?? 3000);
  const dataDir = path.resolve(options.dataDir ?? env.GITTIX_DATA_DIR ?? path.join(repoRoot, '.data'));
  const out = options.print ?? ((line) => process.stdout.write(`${line}\n`));
  const paint = painter(Boolean(process.stdout.isTTY) && !options.print);
  const width = 10;
  const print = (name, text) => {
    if (options.quiet && !/ERROR|FATAL|exited|restarting|could not/.test(text)) return;
    for (const line of String(text).split('\n')) out(`${paint(name.padEnd(width))}│ ${line}`);
  };
  mkdirSync(dataDir, { recursive: true });

  // Loaded after the build: the server starters live in @gittix/testing (only
  // them: the rest of the package would load mongoose into the supervisor).
  const testing = require('@gittix/testing/starters');
  // Which process is which, for an operator (and the fault tests): <data>/processes.json.
  const pids = {};
  // Written whole and renamed into place, so a reader never sees half a file.
  const recordPid = (name, pid) => {
    pids[name] = pid;
    const file = path.join(dataDir, 'processes.json');
    writeFileSync(`${file}.tmp`, `${JSON.stringify({ supervisor: process.pid, ...pids }, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
  };
  const stoppers = [];
  const supervisedAll = [];
  const stopAll = async () => {
    for (const s of supervisedAll) s.markStopping();
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
    stoppers.length = 0;
  };

  try {
    // 1. Infrastructure, supervised like the services (a crash restarts it on the
    // same port and data); an existing server given by URL is used instead.
    // Infrastructure servers are chatty at start; show only their warnings and errors.
    const onLine = (name) => (line) => {
      if (/\b(ERR|WRN|FTL|FATAL|ERROR|WARN|panic)\b|# WARNING/i.test(line)) print(name, line);
    };
    const stripeKind = env.GITTIX_STRIPE_SERVER === 'stripe-mock' ? 'stripe-mock' : 'stripe-stateful-mock';
    const useRealStripe = Boolean(
      env.STRIPE_SECRET_KEY && !env.STRIPE_API_BASE && !env.STRIPE_SECRET_KEY.startsWith('sk_test_gittix'),
    );
    const standIn = env.STRIPE_API_BASE || useRealStripe ? undefined : stripeKind;
    const specs = await Promise.all([
      env.MONGO_URL ? undefined : testing.mongoSpec({ dataDir: path.join(dataDir, 'mongo'), tmpDir: dataDir }),
      env.NATS_URL ? undefined : testing.natsStreamingSpec({ dataDir: path.join(dataDir, 'nats') }),
      env.REDIS_URL ? undefined : testing.redisSpec({ dataDir: path.join(dataDir, 'redis') }),
      standIn === 'stripe-mock' ? testing.stripeMockSpec({}) : undefined,
    ]);
    const infraNames = ['ferretdb', 'nats', 'redis', 'stripe'];
    const infra = specs.map((spec, i) => {
      if (!spec) return undefined;
      const name = infraNames[i];
      return {
        spec,
        supervised: new Supervised({
          name,
          command: spec.command,
          args: spec.args,
          env: { ...env, ...spec.env },
          print: (who, line) => onLine(who)(line),
          isReady: (output) => (spec.ready ? spec.ready(output) : testing.portAccepts(spec.port)),
          onSpawn: (pid) => recordPid(name, pid),
        }),
      };
    });
    for (const part of infra) if (part) stoppers.push(() => part.supervised.stop());
    supervisedAll.push(...infra.filter(Boolean).map((part) => part.supervised));
    await Promise.all(infra.filter(Boolean).map((part) => part.supervised.start()));
    // stripe-stateful-mock, the default stand-in, is a Node program: it runs on a
    // thread of this process (restarted if it dies), not as one more Node runtime.
    let statefulStripe;
    if (standIn === 'stripe-stateful-mock') {
      const stripePort = await testing.freePort();
      const thread = await startStripeThread({ port: stripePort, log: (line) => print('stripe', line) });
      stoppers.push(() => thread.close());
      statefulStripe = { name: 'stripe-stateful-mock', url: `http://127.0.0.1:${stripePort}` };
    }
    const server = (i, externalUrl, kind) =>
      infra[i]
        ? { name: infra[i].spec.name, url: infra[i].spec.url }
        : externalUrl
          ? { name: kind, url: externalUrl }
          : undefined;
    const mongo = server(0, env.MONGO_URL, 'mongo');
    const nats = server(1, env.NATS_URL, 'nats');
    const redis = server(2, env.REDIS_URL, 'redis');
    const stripe = statefulStripe ?? server(3, env.STRIPE_API_BASE, 'stripe');
    print(
      'platform',
      `infrastructure: ${[mongo, nats, redis, stripe]
        .filter(Boolean)
        .map((s) => `${s.name} ${s.url}`)
        .join(', ')}`,
    );

    // 2. The services, each on a free port, each with its own database.
    const jwtKey = env.JWT_KEY ?? persistentSecret(path.join(dataDir, 'jwt-key'));
    const ports = Object.fromEntries(
      await Promise.all([...services, 'client'].map(async (s) => [s, await testing.freePort()])),
    );
    const origin = `http://localhost:${port}`;
    const common = {
      ...env,
      NODE_ENV: 'production',
      LOG_LEVEL: env.LOG_LEVEL ?? 'info',
      JWT_KEY: jwtKey,
      COOKIE_SECURE: env.COOKIE_SECURE ?? 'false',
      NATS_URL: nats.url,
      NATS_CLUSTER_ID: env.NATS_CLUSTER_ID ?? 'ticketing',
      REDIS_URL: redis.url,
      STRIPE_SECRET_KEY: env.STRIPE_SECRET_KEY ?? 'sk_test_gittix_local',
      ...(stripe ? { STRIPE_API_BASE: stripe.url } : {}),
    };
    const supervised = services.map(
      (name) =>
        new Supervised({
          name,
          command: process.execPath,
          args: [...serviceNodeFlags, path.join(repoRoot, name, 'dist', 'index.js')],
          cwd: repoRoot,
          env: {
            ...common,
            PORT: String(ports[name]),
            NATS_CLIENT_ID: `${name}-${process.pid}`,
            ...(databases[name] ? { MONGO_URL: withDatabase(mongo.url, databases[name]) } : {}),
          },
          print,
          isReady: () => httpOk(`http://127.0.0.1:${ports[name]}/readyz`),
          // A service whose bus has been gone too long says so on /healthz: restart it.
          isAlive: () => httpOk(`http://127.0.0.1:${ports[name]}/healthz`),
          onSpawn: (pid) => recordPid(name, pid),
        }),
    );
    for (const s of supervised) stoppers.push(() => s.stop());
    supervisedAll.push(...supervised);
    await Promise.all(supervised.map((s) => s.start()));

    // 3. The client: the production build's standalone server, as the image runs
    // it, rendering server-side through the gateway.
    const standalone = path.join(repoRoot, 'client', '.next', 'standalone', 'client');
    const client = new Supervised({
      name: 'client',
      command: process.execPath,
      // Server rendering allocates more per request than an API call: a 2 MiB young generation.
      args: ['--max-semi-space-size=2', path.join(standalone, 'server.js')],
      cwd: standalone,
      env: {
        ...common,
        PORT: String(ports.client),
        API_BASE_URL: `http://127.0.0.1:${port}`,
        NEXT_TELEMETRY_DISABLED: '1',
        HOSTNAME: '127.0.0.1',
      },
      print,
      isReady: () => httpOk(`http://127.0.0.1:${ports.client}/healthz`),
      onSpawn: (pid) => recordPid('client', pid),
    });
    stoppers.push(() => client.stop());
    supervisedAll.push(client);
    await client.start();

    // 4. The gateway: one origin, routed by the cluster Ingress's rules.
    const routes = loadRoutes();
    const targets = Object.fromEntries(
      [...services, 'client'].map((s) => [`${s}-srv`, `http://127.0.0.1:${ports[s]}`]),
    );
    const gateway = await startGatewayThread({ routes, targets, port, log: (line) => print('gateway', line) });
    stoppers.push(() => gateway.close());
    // Where each process listens, for a developer (or a benchmark) that wants to call one directly.
    writeFileSync(
      path.join(dataDir, 'ports.json'),
      `${JSON.stringify({ gateway: port, ...ports, infra: { mongo, nats, redis, stripe } }, null, 2)}\n`,
    );

    return {
      url: origin,
      port,
      ports,
      infra: { mongo, nats, redis, stripe },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/**
 * V8 flags for the small services. A 1 MiB young generation (the default
 * grows to 16 MiB per semi-space) keeps each idle service about 14 MiB
 * smaller (one run: 99 → 85 MiB for tickets); their requests allocate little,
 * so the extra scavenges cost next to nothing.
 */
const serviceNodeFlags = ['--max-semi-space-size=1'];

async function httpOk(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

function withDatabase(url, name) {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A random secret kept in the data folder, so sessions survive a restart. */
function persistentSecret(file) {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
