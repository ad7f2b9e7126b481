#!/usr/bin/env node
// `npm start`: brings the whole GitTix platform up on one machine from a fresh
// clone — installs npm dependencies if absent, builds the services and the
// client when needed, installs the infrastructure binaries into .tools/, starts
// everything and serves it at http://localhost:${PORT:-3000}. Ctrl-C stops it all.
//
//   npm start                 start (data kept in .data/)
//   npm run reset             wipe .data/ (users, tickets, orders, events)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
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
