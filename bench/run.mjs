#!/usr/bin/env node
// `npm run bench`: every benchmark, one after another (never two at once on a
// small machine), then one table of each figure beside its ceiling and its goal.
//
//   npm run bench                       # about 15 minutes on an idle 2-core machine
//   BENCH_ONLY=search,lookups npm run bench
//
// Each benchmark writes its own JSON into bench/results/ (git-ignored); this
// reads the ones written during this run and writes bench/results/summary-<time>.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const resultsDir = path.join(here, 'results');
const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : undefined;

/** The benchmarks: how to run each, and the prefix of the JSON it writes. */
const benches = [
  { name: 'build', command: ['npx', 'tsc', '-b'], result: undefined },
  { name: 'build-bench', command: ['npx', 'tsc', '-p', 'bench'], result: undefined },
  { name: 'search', command: ['node', 'bench/search.mjs'], result: 'search-' },
  { name: 'lookups', command: ['node', 'bench/lookups.mjs'], result: 'lookups-' },
  { name: 'payments', command: ['node', 'bench/dist/payments.js'], result: 'payments-' },
  { name: 'expiry', command: ['node', 'bench/dist/expiration-lag.js'], result: 'expiration-lag-' },
  // With source maps, so page-weight can say how much of each page is the framework and the UI library.
  {
    name: 'client',
    command: ['npm', 'run', 'build', '-w', 'client'],
    env: { GITTIX_SOURCE_MAPS: '1' },
    result: undefined,
  },
  { name: 'page-weight', command: ['node', 'bench/page-weight.mjs', '--json'], result: 'page-weight' },
  { name: 'platform', command: ['node', 'bench/platform.mjs'], result: 'platform-' },
];

const startedAt = Date.now();
const loadBefore = os.loadavg();
const found = {};
for (const bench of benches) {
  if (only && !only.has(bench.name) && bench.result) continue;
  const t0 = Date.now();
  process.stdout.write(`\n── ${bench.name}: ${bench.command.join(' ')}\n`);
  const run = spawnSync(bench.command[0], bench.command.slice(1), {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...bench.env },
  });
  if (run.status !== 0) {
    process.stderr.write(`bench: ${bench.name} failed (exit ${run.status}); its figures are missing below\n`);
    continue;
  }
  if (bench.result) found[bench.name] = newestResult(bench.result, t0);
}

/** The newest JSON in bench/results starting with `prefix`, written since `since`. */
function newestResult(prefix, since) {
  if (!existsSync(resultsDir)) return undefined;
  const files = readdirSync(resultsDir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.json'))
    .map((f) => path.join(resultsDir, f))
    .filter((f) => statSync(f).mtimeMs >= since - 1000)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return files[0] ? JSON.parse(readFileSync(files[0], 'utf8')) : undefined;
}

const rows = [];
/** One line of the table: what, the figure, its ceiling or baseline, the goal, and whether it is met. */
function row(area, figure, value, ceiling, goal, met) {
  rows.push({ area, figure, value, ceiling, goal, met: met === undefined ? '—' : met ? 'yes' : 'no' });
}
const num = (n, digits = 1) => (n === undefined || Number.isNaN(n) ? '—' : Number(n).toFixed(digits));

if (found.search)
  for (const { tickets, rows: searches } of found.search.results)
    for (const s of searches) {
      const ratio = s.p50 / s.driverP50;
      row(
        'tickets',
        `${s.scenario}, ${tickets.toLocaleString('en')} tickets: p50 (× plain ${num(s.vsPlain, 2)})`,
        `${num(s.p50)} ms`,
        `driver ${num(s.driverP50)} ms (×${num(ratio, 2)})`,
        '≤ 1.30 × driver',
        ratio <= 1.3,
      );
    }

if (found.lookups)
  for (const { tickets, rows: cases } of found.lookups.results)
    for (const c of cases) {
      const t = tickets.toLocaleString('en');
      if (c.ceiling)
        row(
          'lookups',
          `${c.scenario}, ${t} tickets: req/s`,
          num(c.gittix.rps, 0),
          `bare node:http ${num(c.ceiling.rps, 0)} (×${num(c.gittix.rps / c.ceiling.rps, 2)})`,
          '≥ 0.60 × ceiling',
          c.gittix.rps / c.ceiling.rps >= 0.6,
        );
      if (c.reference) {
        const want = c.scenario === 'ticket by id' ? 3 : 1;
        row(
          'vs reference',
          `${c.scenario}, ${t} tickets: req/s`,
          num(c.gittix.rps, 1),
          `reference ${num(c.reference.rps, 1)} (×${num(c.gittix.rps / c.reference.rps, 2)})`,
          `≥ ${want} × reference`,
          c.gittix.rps / c.reference.rps >= want,
        );
      }
    }

if (found.platform) {
  for (const g of found.platform.gateway ?? []) {
    row(
      'gateway',
      `${g.case} at ${g.connections} connections: p99`,
      `${g.gateway.p99} ms`,
      `direct ${g.direct.p99} ms (×${num(g.p99Ratio, 2)})${g.bare ? `; bare node:http proxy ${g.bare.p99} ms (×${num(g.bareP99Ratio, 2)})` : ''}`,
      '≤ 1.15 × direct',
      g.p99Ratio <= 1.15,
    );
    row(
      'gateway',
      `${g.case} at ${g.connections} connections: req/s`,
      num(g.gateway.rps, 0),
      `direct ${num(g.direct.rps, 0)} (×${num(g.rpsRatio, 2)}; the CPU per request allows ×${num(g.cpuBoundRpsRatio, 2)})${g.bare ? `; bare node:http proxy ${num(g.bare.rps, 0)} (×${num(g.bareRpsRatio, 2)})` : ''}`,
      '≥ 0.90 × direct',
      g.rpsRatio >= 0.9,
    );
  }
  const started = found.platform.memoryJustStarted;
  if (started)
    row(
      'memory',
      'npm start RSS 5 s after ready',
      `${num(started.total, 0)} MiB`,
      `PSS ${num(started.pss, 0)} MiB`,
      '—',
    );
  const idle = found.platform.memoryIdle;
  if (idle)
    row(
      'memory',
      `npm start idle RSS (30 s after ready), ${idle.perProcess.length} processes`,
      `${num(idle.total, 0)} MiB`,
      `PSS ${num(idle.pss, 0)} MiB (shared pages counted once)`,
      '≤ 600 MiB',
      idle.total <= 600,
    );
  if (found.platform.memory)
    row('memory', 'npm start RSS after load', `${num(found.platform.memory.total, 0)} MiB`, '—', '—');
  row('start', 'npm start, warm, to ready', `${num(found.platform.startWarmSeconds)} s`, '—', '—');
}

if (found.payments) {
  const p = found.payments;
  row(
    'payments',
    `payments/s at ${p.connections} connections`,
    num(p.paymentsPerSecond),
    '—',
    '≥ 20',
    p.paymentsPerSecond >= 20,
  );
  row('payments', 'p99', `${p.latencyMs.p99} ms`, '—', '≤ 1,000 ms', p.latencyMs.p99 <= 1000);
  row(
    'payments',
    'payments stored = orders',
    `${p.paymentsStored} / ${p.orders}`,
    '—',
    'equal',
    p.paymentsStored === p.orders,
  );
}

if (found.expiry) {
  const e = found.expiry;
  row(
    'expiry',
    `lag p99, ${e.orders} orders due in one second`,
    `${e.lagMs.p99} ms`,
    '—',
    '≤ 250 ms',
    e.lagMs.p99 <= 250,
  );
  row('expiry', 'fired early', String(e.early), '—', '0', e.early === 0);
}

if (found['page-weight']) {
  const budgets = { home: 150_000 };
  for (const r of found['page-weight'].routes) {
    const budget = budgets[r.name] ?? 180_000;
    // The floor no app code can go under: the framework's bytes and the UI library's on this page.
    const floor = r.byGroup
      ? `framework ${num(r.byGroup.framework / 1000)} + UI library ${num(r.byGroup['UI library'] / 1000)} = ${num(
          (r.byGroup.framework + r.byGroup['UI library']) / 1000,
        )} kB`
      : '—';
    row(
      'page weight',
      `${r.name} (${r.url}) first-load JS, gzipped`,
      `${(r.gzip / 1000).toFixed(1)} kB`,
      floor,
      `≤ ${budget / 1000} kB`,
      r.gzip <= budget,
    );
  }
}

const header = `GitTix benchmarks, ${new Date().toISOString()}: ${os.cpus().length} cores, load average before ${loadBefore.map((l) => l.toFixed(1)).join(' ')}, after ${os
  .loadavg()
  .map((l) => l.toFixed(1))
  .join(' ')}; ${((Date.now() - startedAt) / 60_000).toFixed(1)} min.`;
const table = [
  '| area | figure | measured | ceiling or baseline | goal | met |',
  '|---|---|---:|---|---|---|',
  ...rows.map((r) => `| ${r.area} | ${r.figure} | ${r.value} | ${r.ceiling} | ${r.goal} | ${r.met} |`),
].join('\n');
const summary = `${header}\n\n${table}\n`;
process.stdout.write(`\n${summary}`);
mkdirSync(resultsDir, { recursive: true });
const file = path.join(resultsDir, `summary-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
writeFileSync(file, summary);
process.stdout.write(`\nwritten ${path.relative(process.cwd(), file)}\n`);
