#!/usr/bin/env node
// `npm start`: brings the whole GitTix platform up on one machine from a fresh
// clone — installs npm dependencies if absent, builds the services and the
// client when needed, installs the infrastructure binaries into .tools/, starts
// everything and serves it at http://localhost:${PORT:-3000}. Ctrl-C stops it all.
//
//   npm start                 start (data kept in .data/)
//   npm run reset             wipe .data/ (users, tickets, orders, events)
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataDir = path.resolve(process.env.GITTIX_DATA_DIR ?? path.join(root, '.data'));
const started = Date.now();
const say = (line) => process.stdout.write(`${'platform'.padEnd(10)}│ ${line}\n`);
const fail = (line) => {
  process.stderr.write(`gittix: ${line}\n`);
  process.exit(1);
};

// One platform per data folder: two FerretDBs or NATS Streaming servers on the
// same files corrupt them (the NATS store truncates, and acknowledged events are
// lost). The lock is taken before anything else happens.
await lockDataDir();

if (process.argv.includes('--reset')) {
  // Only the data; the tools and builds stay.
  for (const part of ['mongo', 'nats', 'redis', 'jwt-key'])
    rmSync(path.join(dataDir, part), { recursive: true, force: true });
  say(`wiped users, tickets, orders, payments and events in ${dataDir}`);
  process.exit(0);
}

function run(label, command, args, options = {}) {
  say(label);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) fail(`${label} failed: ${result.error.message}`);
  if (result.status !== 0) fail(`${label} failed (exit ${result.status}); see the output above`);
}

// 1. npm dependencies.
if (!existsSync(path.join(root, 'node_modules', '.package-lock.json'))) {
  run('installing npm dependencies (first run only)…', 'npm', ['ci', '--no-audit', '--no-fund']);
}

// 2. Infrastructure binaries (FerretDB, NATS Streaming, stripe-mock) unless existing servers are given.
const tools = [];
if (!process.env.MONGO_URL) tools.push('ferretdb');
if (!process.env.NATS_URL) tools.push('nats-streaming-server');
if (!process.env.STRIPE_API_BASE) tools.push('stripe-mock');
if (!process.env.REDIS_URL) tools.push('redis-server');
if (tools.length > 0) {
  const result = spawnSync('bash', [path.join(root, 'scripts', 'install-tools.sh'), ...tools], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(1); // the installer printed the one-line reason
}

// 3. Build the services (incremental) and the client (only when its sources changed).
run('building the services (tsc -b)…', path.join(root, 'node_modules', '.bin', 'tsc'), ['-b']);
const clientDir = path.join(root, 'client');
const buildId = path.join(clientDir, '.next', 'BUILD_ID');
if (
  !existsSync(buildId) ||
  newestMtime(clientDir, [
    'app',
    'components',
    'lib',
    'public',
    'next.config.ts',
    'proxy.ts',
    'instrumentation.ts',
    'package.json',
    'tsconfig.json',
    // The shared contracts, which the client compiles from source.
    '../common/src/contracts',
  ]) > statSync(buildId).mtimeMs
) {
  run('building the client (next build)…', 'npm', ['run', 'build', '-w', 'client'], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
}

// 4. Start everything.
const { startPlatform } = await import('./platform.mjs');
let platform;
let stopping = false;
const stop = async (signal) => {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping everything…`);
  await platform?.stop();
  say('stopped');
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

try {
  platform = await startPlatform({ dataDir });
} catch (err) {
  fail(err.message);
}
if (!stopping) {
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.stdout.write(`\nGitTix is up at ${platform.url}\n\n`);
}

function newestMtime(dir, entries) {
  let newest = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const stat = statSync(p);
    if (stat.isDirectory()) for (const child of readdirSync(p)) walk(path.join(p, child));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const entry of entries) walk(path.join(dir, entry));
  return newest;
}

function isPlatform(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A reused pid is not the platform: on Linux, look at its command line.
  const cmdline = `/proc/${pid}/cmdline`;
  return !existsSync(cmdline) || readFileSync(cmdline, 'utf8').includes('start.mjs');
}

async function lockDataDir() {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, 'platform.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600);
      writeSync(fd, `${JSON.stringify({ pid: process.pid, port: Number(process.env.PORT ?? 3000) })}\n`);
      closeSync(fd);
      process.once('exit', () => {
        try {
          if (JSON.parse(readFileSync(lockFile, 'utf8')).pid === process.pid) unlinkSync(lockFile);
        } catch {
          /* already gone */
        }
      });
      return;
    } catch (err) {
      if (err.code !== 'EEXIST') fail(`cannot lock the data folder ${dataDir}: ${err.message}`);
    }
    let held = {};
    try {
      held = JSON.parse(readFileSync(lockFile, 'utf8'));
    } catch {
      /* a lock being written, or garbage: treated as stale below */
    }
    if (held.pid && isPlatform(held.pid)) {
      fail(
        `the data folder ${dataDir} is in use by the GitTix platform running as pid ${held.pid} on port ${held.port}: stop it with Ctrl-C, or set GITTIX_DATA_DIR to another folder`,
      );
    }
    // Its platform died without cleaning up: wait for the processes it left (its guard stops them).
    await waitForLeftovers();
    rmSync(lockFile, { force: true });
  }
  fail(`cannot lock the data folder ${dataDir}: another platform is starting on it`);
}

async function waitForLeftovers() {
  let recorded = {};
  try {
    recorded = JSON.parse(readFileSync(path.join(dataDir, 'processes.json'), 'utf8'));
  } catch {
    return;
  }
  const alive = (pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const pids = Object.values(recorded).filter((pid) => Number.isInteger(pid) && pid !== process.pid);
  const deadline = Date.now() + 10_000;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  const left = pids.filter(alive);
  if (left.length > 0)
    fail(
      `processes of the previous platform on ${dataDir} are still running (pids ${left.join(', ')}): stop them before starting another`,
    );
}
