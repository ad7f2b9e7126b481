#!/usr/bin/env node
// Measures the one-machine platform (issue 5): time from `npm start` to ready
// (warm: tools and builds in place), steady-state memory of the whole process
// tree, and GET /api/tickets and POST /api/orders throughput and p99 through
// the local gateway versus calling the service directly (the gateway overhead).
//
//   node bench/platform.mjs            (about 2 minutes; results in bench/results/)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gittix-bench-'));
const port = 3900 + Math.floor(Math.random() * 90);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 400);

function startPlatform() {
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(root, 'infra', 'local', 'start.mjs')], {
    env: { ...process.env, PORT: String(port), GITTIX_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (d) => {
      output += d.toString();
      if (output.includes('GitTix is up at')) resolve({ child, seconds: (Date.now() - started) / 1000, output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`platform exited ${code}:\n${output.slice(-3000)}`)));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGINT');
  });
}

/** RSS of a process and all its descendants, in MiB (from /proc). */
function treeRssMiB(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      /* gone */
    }
  }
  let total = 0;
  const perProcess = [];
  const walk = (p) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const name = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(0, 2).join(' ');
      total += kb;
      perProcess.push({ pid: p, mib: +(kb / 1024).toFixed(1), name: name.replace(root, '.') });
    } catch {
      /* gone */
    }
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return { total: +(total / 1024).toFixed(1), perProcess };
}

function cannon(opts) {
  return new Promise((resolve, reject) => {
    autocannon({ connections: 10, ...opts }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function summary(result) {
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

async function json(url, init) {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json().catch(() => undefined), headers: res.headers };
}

const results = {};
try {
  // 1. Startup: the first start in a new data folder, then a warm restart.
  const first = await startPlatform();
  results.startFirstSeconds = first.seconds;
  await stop(first.child);
  const platform = await startPlatform();
  results.startWarmSeconds = platform.seconds;
  const origin = `http://127.0.0.1:${port}`;

  // 2. Data: a seller with 200 tickets, a buyer.
  const signup = async (email) => {
    const res = await fetch(`${origin}/api/users/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'bench password' }),
    });
    return res.headers.get('set-cookie').split(';')[0];
  };
  const seller = await signup(`seller-${Date.now()}@bench.test`);
  const buyer = await signup(`buyer-${Date.now()}@bench.test`);
  const ticketIds = [];
  for (let i = 0; i < ORDERS * 2 + 50; i++) {
    const { body } = await json(`${origin}/api/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: seller },
      body: JSON.stringify({
        title: `Bench show ${i}`,
        price: 10 + (i % 50),
        eventDate: new Date(Date.now() + (30 + (i % 60)) * 86_400_000).toISOString(),
        venue: 'Bench Hall',
        city: 'Springfield',
        category: 'concert',
      }),
    });
    ticketIds.push(body.id);
  }

  // 3. Steady state memory, after the load of creating tickets settled.
  await new Promise((r) => setTimeout(r, 5000));
  results.memory = treeRssMiB(platform.child.pid);

  // Direct ports of the services, from the platform's own report.
  const direct = JSON.parse(readFileSync(path.join(dataDir, 'ports.json'), 'utf8'));

  // 4. GET /api/tickets through the gateway vs the tickets service directly.
  results.getTicketsGateway = summary(await cannon({ url: `${origin}/api/tickets`, duration: DURATION }));
  results.getTicketsDirect = summary(
    await cannon({ url: `http://127.0.0.1:${direct.tickets}/api/tickets`, duration: DURATION }),
  );

  // 5. POST /api/orders: every request a different ticket (each can be ordered once).
  const orderRun = async (base, ids) => {
    let i = 0;
    return summary(
      await cannon({
        url: `${base}/api/orders`,
        amount: ids.length,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie: buyer },
            setupRequest: (req) => ({ ...req, body: JSON.stringify({ ticketId: ids[i++ % ids.length] }) }),
          },
        ],
      }),
    );
  };
  results.postOrdersGateway = await orderRun(origin, ticketIds.slice(0, ORDERS));
  results.postOrdersDirect = await orderRun(`http://127.0.0.1:${direct.orders}`, ticketIds.slice(ORDERS, ORDERS * 2));

  results.gatewayOverhead = {
    getTicketsRpsRatio: +(results.getTicketsGateway.rps / results.getTicketsDirect.rps).toFixed(2),
    getTicketsP99Ratio: +(results.getTicketsGateway.p99 / Math.max(1, results.getTicketsDirect.p99)).toFixed(2),
    postOrdersRpsRatio: +(results.postOrdersGateway.rps / results.postOrdersDirect.rps).toFixed(2),
    postOrdersP99Ratio: +(results.postOrdersGateway.p99 / Math.max(1, results.postOrdersDirect.p99)).toFixed(2),
  };
  await stop(platform.child);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

const { perProcess, ...memory } = results.memory ?? {};
console.log(JSON.stringify({ ...results, memory }, null, 2));
console.table(perProcess);
mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
writeFileSync(
  path.join(root, 'bench', 'results', `platform-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
  JSON.stringify(results, null, 2),
);
