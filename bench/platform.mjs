#!/usr/bin/env node
// Measures the one-machine platform: time from `npm start` to ready (warm:
// tools and builds in place), the memory of the whole process tree idle and
// after load (per process), and the local gateway against calling the tickets
// service directly and through a bare node:http proxy (bench/bare-proxy.mjs, the
// least any hop costs here): reads and writes, 10 and 50 connections, runs alternating.
//
//   node bench/platform.mjs            (about 4 minutes; results in bench/results/)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gittix-bench-'));
const port = 3900 + Math.floor(Math.random() * 90);
/** Seconds per run; runs alternate direct and gateway, `ROUNDS` times each. */
const DURATION = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const TICKETS = Number(process.env.BENCH_TICKETS ?? 300);

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

/**
 * RSS of a process and all its descendants, in MiB (from /proc), and their PSS:
 * RSS counts the pages processes share (the Node runtime's 44 MiB) once per
 * process; PSS divides each shared page among its users, so its sum is what the
 * platform takes from the machine.
 */
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
  let pssTotal = 0;
  const perProcess = [];
  const walk = (p) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      let pss = 0;
      try {
        pss = Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
      } catch {
        /* no smaps_rollup (an older kernel): PSS is left out */
      }
      pssTotal += pss;
      const name = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(0, 2).join(' ');
      total += kb;
      perProcess.push({
        pid: p,
        mib: +(kb / 1024).toFixed(1),
        pss: +(pss / 1024).toFixed(1),
        name: name.replace(root, '.'),
      });
    } catch {
      /* gone */
    }
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return { total: +(total / 1024).toFixed(1), pss: +(pssTotal / 1024).toFixed(1), perProcess };
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
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

/** bench/bare-proxy.mjs in front of `upstreamPort`; resolves with the process and its URL once it listens. */
function startBareProxy(upstreamPort) {
  const child = spawn(process.execPath, [path.join(root, 'bench', 'bare-proxy.mjs'), String(upstreamPort)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => {
      const listening = /ready (\d+)/.exec(d.toString());
      if (listening) resolve({ child, url: `http://127.0.0.1:${listening[1]}` });
      else reject(new Error(`bare proxy said: ${d}`));
    });
    child.once('exit', (code) => reject(new Error(`bare proxy exited ${code}`)));
  });
}

async function json(url, init) {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json().catch(() => undefined), headers: res.headers };
}

const results = {};
let bareProxy;
try {
  // 1. Startup: the first start in a new data folder, then a warm restart.
  const first = await startPlatform();
  results.startFirstSeconds = first.seconds;
  await stop(first.child);
  const platform = await startPlatform();
  results.startWarmSeconds = platform.seconds;
  const origin = `http://127.0.0.1:${port}`;

  // 2. Sign-up, used once the idle memory is measured.
  const signup = async (email) => {
    const res = await fetch(`${origin}/api/users/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'bench password' }),
    });
    return res.headers.get('set-cookie').split(';')[0];
  };
  // 3. Idle memory, before any load: 5 s after ready (start-up's garbage not yet
  // collected), then 30 s after, as a developer leaves it running.
  await new Promise((r) => setTimeout(r, 5000));
  results.memoryJustStarted = treeRssMiB(platform.child.pid);
  await new Promise((r) => setTimeout(r, 25_000));
  results.memoryIdle = treeRssMiB(platform.child.pid);

  const seller = await signup(`seller-${Date.now()}@bench.test`);
  const ticketBody = (i) =>
    JSON.stringify({
      title: `Bench show ${i}`,
      price: 10 + (i % 50),
      eventDate: new Date(Date.now() + (30 + (i % 60)) * 86_400_000).toISOString(),
      venue: 'Bench Hall',
      city: 'Springfield',
      category: 'concert',
    });
  const ticketIds = [];
  for (let i = 0; i < TICKETS; i++) {
    const { body } = await json(`${origin}/api/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: seller },
      body: ticketBody(i),
    });
    ticketIds.push(body.id);
  }

  // Direct ports of the services, from the platform's own report.
  const direct = JSON.parse(readFileSync(path.join(dataDir, 'ports.json'), 'utf8'));
  const directTickets = `http://127.0.0.1:${direct.tickets}`;
  // The gateway's ceiling: the bare proxy in its own process, in front of the same service.
  bareProxy = await startBareProxy(direct.tickets);
  const bareTickets = bareProxy.url;

  // 4. The gateway against calling the tickets service directly and through the
  // bare proxy: a lookup and the listing (reads), a listing of a ticket (a write:
  // insert, outbox, NATS), at 10 and at 50 connections, the three alternating.
  let written = 0;
  const cases = {
    'GET /api/tickets/:id': { method: 'GET', paths: ticketIds.slice(0, 200).map((id) => `/api/tickets/${id}`) },
    'GET /api/tickets': { method: 'GET', paths: ['/api/tickets?limit=20'] },
    'POST /api/tickets': {
      method: 'POST',
      paths: ['/api/tickets'],
      headers: { 'content-type': 'application/json', cookie: seller },
      body: () => ticketBody(TICKETS + written++),
    },
  };
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  // Where each request's CPU goes: the supervisor (the gateway's thread; its log
  // relaying is idle at LOG_LEVEL=warn), the service, FerretDB, and this process
  // (the load generator). On a machine whose cores are all busy, requests per
  // second are bound by cores ÷ CPU per request, so the gateway's share predicts
  // the req/s ratio it can reach here: (the rest) ÷ (the rest + the gateway).
  const pids = JSON.parse(readFileSync(path.join(dataDir, 'processes.json'), 'utf8'));
  const parts = {
    gateway: pids.supervisor,
    bareProxy: bareProxy.child.pid,
    service: pids.tickets,
    ferretdb: pids.ferretdb,
  };
  const cpuNow = () => ({
    ...Object.fromEntries(Object.entries(parts).map(([name, pid]) => [name, cpuSeconds(pid)])),
    loadgen: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6,
  });
  results.gateway = [];
  for (const [name, spec] of Object.entries(cases)) {
    for (const connections of [10, 50]) {
      const runs = { direct: [], bare: [], gateway: [] };
      const cpu = { direct: { requests: 0 }, bare: { requests: 0 }, gateway: { requests: 0 } };
      for (let round = 0; round < ROUNDS; round++) {
        for (const [via, base] of [
          ['direct', directTickets],
          ['bare', bareTickets],
          ['gateway', origin],
        ]) {
          let n = 0;
          const before = cpuNow();
          const result = await cannon({
            url: base,
            connections,
            duration: DURATION,
            requests: [
              {
                method: spec.method,
                headers: spec.headers,
                setupRequest: (req) => ({
                  ...req,
                  path: spec.paths[n++ % spec.paths.length],
                  ...(spec.body ? { body: spec.body() } : {}),
                }),
              },
            ],
          });
          if (result.non2xx || result.errors)
            throw new Error(`${name} via ${via}: ${result.non2xx} non-2xx, ${result.errors} errors`);
          runs[via].push(result);
          const after = cpuNow();
          for (const part of Object.keys(after)) cpu[via][part] = (cpu[via][part] ?? 0) + after[part] - before[part];
          cpu[via].requests += result.requests.total;
        }
      }
      const figure = (list) => ({
        rps: +median(list.map((r) => r.requests.total / r.duration)).toFixed(1),
        p50: median(list.map((r) => r.latency.p50)),
        p99: median(list.map((r) => r.latency.p99)),
      });
      const row = {
        case: name,
        connections,
        direct: figure(runs.direct),
        bare: figure(runs.bare),
        gateway: figure(runs.gateway),
      };
      row.p99Ratio = +(row.gateway.p99 / Math.max(1, row.direct.p99)).toFixed(2);
      row.rpsRatio = +(row.gateway.rps / row.direct.rps).toFixed(2);
      // The ceiling: what the bare hop costs against direct, in the same rounds.
      row.bareP99Ratio = +(row.bare.p99 / Math.max(1, row.direct.p99)).toFixed(2);
      row.bareRpsRatio = +(row.bare.rps / row.direct.rps).toFixed(2);
      // CPU ms per request, by part, and the req/s ratio that CPU alone allows.
      const perRequest = ({ requests, ...used }) =>
        Object.fromEntries(
          Object.entries(used).map(([part, seconds]) => [part, +((seconds * 1000) / requests).toFixed(3)]),
        );
      row.cpuMsPerRequest = {
        direct: perRequest(cpu.direct),
        bare: perRequest(cpu.bare),
        gateway: perRequest(cpu.gateway),
      };
      const sum = (parts) => Object.values(parts).reduce((a, b) => a + b, 0);
      row.cpuBoundRpsRatio = +(sum(row.cpuMsPerRequest.direct) / sum(row.cpuMsPerRequest.gateway)).toFixed(2);
      results.gateway.push(row);
      console.log(
        `${name} at ${connections}: direct ${row.direct.rps} req/s p99 ${row.direct.p99} ms; bare proxy ${row.bare.rps} req/s p99 ${row.bare.p99} ms (p99 ×${row.bareP99Ratio}, req/s ×${row.bareRpsRatio}); gateway ${row.gateway.rps} req/s p99 ${row.gateway.p99} ms; p99 ×${row.p99Ratio}, req/s ×${row.rpsRatio} (CPU per request allows ×${row.cpuBoundRpsRatio}: ${JSON.stringify(row.cpuMsPerRequest)})`,
      );
    }
  }

  bareProxy.child.kill('SIGTERM');
  // 5. Memory after that load has settled.
  await new Promise((r) => setTimeout(r, 5000));
  results.memory = treeRssMiB(platform.child.pid);
  await stop(platform.child);
} finally {
  bareProxy?.child.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}

const { perProcess: idleProcesses, ...memoryIdle } = results.memoryIdle ?? {};
const { perProcess, ...memory } = results.memory ?? {};
const { perProcess: _startedProcesses, ...memoryJustStarted } = results.memoryJustStarted ?? {};
console.log(JSON.stringify({ ...results, memoryJustStarted, memoryIdle, memory }, null, 2));
console.log('idle, per process:');
console.table(idleProcesses);
console.log('after load, per process:');
console.table(perProcess);
mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
writeFileSync(
  path.join(root, 'bench', 'results', `platform-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
  JSON.stringify(results, null, 2),
);
