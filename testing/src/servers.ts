import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ensureTool, freePort, repoRoot, spawnServer, which, type RunningServer } from './processes';

export interface ServerOptions {
  /** Keep data in this folder (npm start); tests use a throwaway one or memory. */
  dataDir?: string;
  port?: number;
  onLine?: (line: string) => void;
}

/** An already-running server given by URL (MONGO_URL and friends): nothing to stop. */
export function externalServer(name: string, url: string): RunningServer {
  const port = Number(new URL(url.replace(/^mongodb(\+srv)?:/, 'http:').replace(/^(nats|redis):/, 'http:')).port) || 0;
  return { name, url, port, output: () => '', stop: () => Promise.resolve() };
}

/**
 * A MongoDB-wire-protocol server: FerretDB v1 with its SQLite backend on
 * 127.0.0.1. Where FerretDB cannot be had, mongodb-memory-server is tried (it
 * needs to download a MongoDB binary, so it only works with internet access).
 */
/** How to run one infrastructure server: what `npm start` supervises and the tests spawn. */
export interface ServerSpec {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  port: number;
  url: string;
  /** Usable yet? Defaults to "the TCP port accepts connections". */
  ready?: (output: () => string) => Promise<boolean> | boolean;
}

type MongoOptions = ServerOptions & {
  tmpDir: string;
  /** Require SCRAM authentication as this user (the containers and the cluster run their databases so). */
  auth?: { username: string; password: string };
};

/** FerretDB v1 with its SQLite backend on 127.0.0.1 (throws where FerretDB cannot be had). */
export async function mongoSpec(options: MongoOptions): Promise<ServerSpec> {
  const ferretdb = ensureTool('ferretdb');
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? path.join(options.tmpDir, 'ferretdb');
  mkdirSync(dataDir, { recursive: true });
  return {
    name: 'ferretdb',
    command: ferretdb,
    args: [
      `--listen-addr=127.0.0.1:${port}`,
      '--handler=sqlite',
      `--sqlite-url=file:${dataDir}/`,
      '--telemetry=disable',
      '--log-level=error',
      ...(options.auth ? [`--setup-username=${options.auth.username}`] : []),
    ],
    // The password stays off the process listing.
    env: options.auth ? { FERRETDB_SETUP_PASSWORD: options.auth.password } : undefined,
    port,
    url: `mongodb://127.0.0.1:${port}/`,
  };
}

/**
 * A MongoDB-wire-protocol server: FerretDB v1 with its SQLite backend on
 * 127.0.0.1. Where FerretDB cannot be had, mongodb-memory-server is tried (it
 * needs to download a MongoDB binary, so it only works with internet access).
 */
export async function startMongo(options: MongoOptions): Promise<RunningServer> {
  let spec: ServerSpec;
  try {
    spec = await mongoSpec(options);
  } catch (err) {
    return startMongoMemoryServer(err as Error);
  }
  return spawnServer({ ...spec, onLine: options.onLine });
}

async function startMongoMemoryServer(ferretError: Error): Promise<RunningServer> {
  try {
    const { MongoMemoryServer } = await import('mongodb-memory-server-core');
    const server = await MongoMemoryServer.create({ instance: { ip: '127.0.0.1' } });
    const url = server.getUri();
    return {
      name: 'mongodb-memory-server',
      url: url.endsWith('/') ? url : `${url}/`,
      port: Number(new URL(url.replace('mongodb:', 'http:')).port),
      output: () => '',
      stop: async () => {
        await server.stop();
      },
    };
  } catch (err) {
    throw new Error(
      `${ferretError.message} — and the mongodb-memory-server fallback failed too (${(err as Error).message.split('\n')[0]}); set MONGO_URL to a running MongoDB`,
      { cause: err },
    );
  }
}

type NatsOptions = ServerOptions & { clusterId?: string; /** Accept only clients with this token. */ token?: string };

/** The soft memory limit (Go's GOMEMLIMIT) of the NATS Streaming servers started here. */
const natsMemoryLimit = '16MiB';

/**
 * NATS Streaming Server, cluster id `ticketing`, bound to 127.0.0.1 (its default
 * is every interface). With a data folder, a file store that syncs every flush,
 * so a publish the server acknowledged survives the process being killed; and
 * client heartbeats that drop a vanished client within ~15 s, as in the cluster.
 */
export async function natsStreamingSpec(options: NatsOptions): Promise<ServerSpec> {
  const binary = ensureTool('nats-streaming-server');
  const port = options.port ?? (await freePort());
  const args = ['-a', '127.0.0.1', '-p', String(port), '-cid', options.clusterId ?? 'ticketing'];
  args.push('-hbi', '5s', '-hbt', '5s', '-hbf', '2');
  if (options.token) args.push('--auth', options.token);
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    args.push('-st', 'FILE', '--dir', options.dataDir, '--file_sync=true');
  } else {
    args.push('-st', 'MEMORY');
  }
  return {
    name: 'nats-streaming',
    command: binary,
    args,
    // Recovering a file store on a restart leaves about 30 MiB of garbage that Go's
    // collector, with no limit to aim for, only frees at its two-minute forced cycle:
    // 48 MiB resident instead of 17. A soft limit collects it at once: 18 MiB idle
    // under `npm start` at 16 MiB (32 at 24 MiB). Where the live heap nears the
    // limit, collection just runs more often (1,000 payments and 1,000 expiries in
    // bench/ ran as fast at 16 as at 24 MiB). A GOMEMLIMIT of the caller's own wins.
    env: { GOMEMLIMIT: process.env.GOMEMLIMIT ?? natsMemoryLimit },
    port,
    url: `nats://127.0.0.1:${port}`,
    // The port opens before the streaming layer is up; wait for its own word.
    ready: (output) => output().includes('Streaming Server is ready'),
  };
}

export async function startNatsStreaming(options: NatsOptions): Promise<RunningServer> {
  return spawnServer({ ...(await natsStreamingSpec(options)), onLine: options.onLine });
}

/** redis-server from PATH on 127.0.0.1; append-only persistence (every second) when given a data folder. */
export async function redisSpec(options: ServerOptions): Promise<ServerSpec> {
  const binary = which('redis-server');
  if (!binary)
    throw new Error("gittix: missing redis-server: install it with 'apt-get install redis-server' (or set REDIS_URL)");
  const port = options.port ?? (await freePort());
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--daemonize', 'no'];
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    args.push('--dir', options.dataDir, '--appendonly', 'yes');
  } else {
    args.push('--appendonly', 'no');
  }
  return { name: 'redis', command: binary, args, port, url: `redis://127.0.0.1:${port}` };
}

export async function startRedis(options: ServerOptions): Promise<RunningServer> {
  return spawnServer({ ...(await redisSpec(options)), onLine: options.onLine });
}

/** stripe-mock (Stripe's own stateless mock, validates requests against the OpenAPI spec). */
export async function stripeMockSpec(options: ServerOptions): Promise<ServerSpec> {
  const binary = ensureTool('stripe-mock');
  const port = options.port ?? (await freePort());
  return {
    name: 'stripe-mock',
    command: binary,
    args: ['-http-addr', `127.0.0.1:${port}`],
    port,
    url: `http://127.0.0.1:${port}`,
  };
}

export async function startStripeMock(options: ServerOptions): Promise<RunningServer> {
  return spawnServer({ ...(await stripeMockSpec(options)), onLine: options.onLine });
}

/**
 * stripe-stateful-mock from npm: remembers charges, honours idempotency keys
 * and declines `tok_chargeDeclined`, which the stateless stripe-mock cannot.
 */
export async function stripeStatefulSpec(options: ServerOptions): Promise<ServerSpec> {
  const port = options.port ?? (await freePort());
  return {
    name: 'stripe-stateful-mock',
    command: process.execPath,
    args: [path.join(__dirname, 'stripe-stateful-server.js'), String(port)],
    env: { LOG_LEVEL: 'error' },
    port,
    url: `http://127.0.0.1:${port}`,
  };
}

export async function startStripeStatefulMock(options: ServerOptions): Promise<RunningServer> {
  return spawnServer({ ...(await stripeStatefulSpec(options)), onLine: options.onLine });
}

export interface ServiceProcessOptions {
  /** Workspace folder name: auth, tickets, orders, payments, expiration. */
  service: string;
  env: Record<string, string>;
  port?: number;
  onLine?: (line: string) => void;
  timeoutMs?: number;
}

/**
 * Runs a built service (`<service>/dist/index.js`) as its own process on a free
 * port and waits until its `/readyz` answers 200 (database and bus connected).
 */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const entry = path.join(repoRoot(), options.service, 'dist', 'index.js');
  const url = `http://127.0.0.1:${port}`;
  return spawnServer({
    name: options.service,
    command: process.execPath,
    args: [entry],
    env: { LOG_LEVEL: 'warn', NODE_ENV: 'test', ...options.env, PORT: String(port) },
    port,
    url,
    ready: async () => {
      try {
        const res = await fetch(`${url}/readyz`);
        return res.status === 200;
      } catch {
        return false;
      }
    },
    timeoutMs: options.timeoutMs ?? 30_000,
    onLine: options.onLine,
  });
}
