#!/usr/bin/env node
// Ticket listing and lookup latency at 100 and at 100,000 tickets.
//
//   npx tsc -b && node bench/tickets.mjs            # FerretDB started here, on a free port
//   MONGO_URL=mongodb://… node bench/tickets.mjs    # against an existing MongoDB-compatible server
//
// For each size it seeds the tickets database directly (insertMany, batches of
// 5,000), serves the real tickets service (its ServiceSpec from tickets/dist) on a free
// port and drives it with autocannon: GET /api/tickets (first page), a page
// ~1,000 pages deep in the cursor chain, and GET /api/tickets/:id. Results go
// to bench/results/ (git-ignored). See bench/README.md.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import mongoose from 'mongoose';
import { createLogger } from '@gittix/common/core';
import { startService } from '@gittix/common/service';
import { freePort, MemoryBus, startInfra, withDatabase } from '@gittix/testing';
import { createModels } from '../tickets/dist/models/index.js';
import { ticketsService } from '../tickets/dist/service.js';

/** The listing's cursor after a ticket (the form pagination issues: base64url of the 12-byte id). */
const encodeCursor = (id) => Buffer.from(id.toHexString(), 'hex').toString('base64url');

const here = path.dirname(fileURLToPath(import.meta.url));
const sizes = (process.env.BENCH_SIZES ?? '100,100000').split(',').map(Number);
const pageSize = 50;
const deepPages = 1000;
/** Seconds per fast scenario; slow ones (a request over 250 ms) run a fixed number of requests instead. */
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const loadBefore = os.loadavg();
/** Which scenarios to run: first, deep, id (all by default). */
const scenarios = new Set((process.env.BENCH_SCENARIOS ?? 'first,deep,id').split(','));
const slowRequests = Number(process.env.BENCH_SLOW_REQUESTS ?? 3);

const log = (line) => process.stdout.write(`${line}\n`);

/** Tickets of 1,000 sellers: 90% available, 5% reserved, 4% sold, 1% deleted (the listing must skip those). */
function buildTickets(count, startMs) {
  const docs = [];
  for (let i = 0; i < count; i++) {
    // Increasing ObjectIds, one second apart: the order a real shop would have created them in.
    const createdAt = new Date(startMs + i * 1000);
    const _id = mongoose.Types.ObjectId.createFromTime(Math.floor(createdAt.getTime() / 1000));
    const roll = i % 100;
    const status = roll < 90 || roll === 99 ? 'available' : roll < 95 ? 'reserved' : 'sold';
    const doc = {
      _id,
      title: `Concert #${i}`,
      price: 10 + (i % 90),
      userId: sellers[i % sellers.length],
      username: `seller${i % sellers.length}`,
      description: 'Seats in the middle of the hall, great view of the stage.',
      imageUrl: null,
      status,
      version: status === 'available' ? 0 : 1,
      deleted: roll === 99,
      deletedAt: roll === 99 ? createdAt : null,
      closedOrderIds: [],
      pendingEvents: [],
      outboxPending: false,
      createdAt,
      updatedAt: createdAt,
    };
    if (status !== 'available') doc.orderId = new mongoose.Types.ObjectId();
    docs.push(doc);
  }
  return docs;
}
const sellers = Array.from({ length: 1000 }, () => new mongoose.Types.ObjectId());

async function seed(models, count) {
  const started = Date.now();
  const docs = buildTickets(count, Date.UTC(2020, 0, 1));
  for (let i = 0; i < docs.length; i += 5000) {
    await models.Ticket.collection.insertMany(docs.slice(i, i + 5000), { ordered: false });
  }
  log(`  seeded ${count.toLocaleString('en')} tickets in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return docs;
}

/** A timed request (the median of three when fast), to choose between a timed run and a fixed number of requests. */
async function probe(url) {
  const times = [];
  for (let i = 0; i < 3 && !(times[0] > 250); i++) {
    const started = performance.now();
    const res = await fetch(url);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    times.push(performance.now() - started);
  }
  return times.length === 1 ? times[0] : times.sort((a, b) => a - b)[1];
}

async function cannon(baseUrl, paths, options) {
  let next = 0;
  const result = await autocannon({
    url: baseUrl,
    ...options,
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] }) }],
  });
  if (result.non2xx || result.errors)
    throw new Error(`${paths[0]}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return result;
}

/**
 * Latency with one connection (what one request costs: comparable across
 * sizes), then throughput with `connections` in parallel — skipped when one
 * request already takes over 250 ms, where it would only queue.
 */
async function run(name, baseUrl, paths) {
  const slow = (await probe(`${baseUrl}${paths[0]}`)) > 250;
  const latency = await cannon(baseUrl, paths, {
    connections: 1,
    // A slow request must be measured, not timed out (autocannon's default timeout is 10 s).
    ...(slow ? { amount: slowRequests, timeout: 300 } : { duration: seconds }),
  });
  const throughput = slow ? undefined : await cannon(baseUrl, paths, { connections, duration: seconds });
  const row = {
    scenario: name,
    requests: latency.requests.total,
    p50: latency.latency.p50,
    p99: latency.latency.p99,
    // Completed requests over the run's length (autocannon's per-second average is 0 for runs under a second).
    rps1: latency.requests.total / latency.duration,
    rps: throughput ? throughput.requests.total / throughput.duration : undefined,
    p99Loaded: throughput?.latency.p99,
  };
  log(
    `  ${name.padEnd(12)} p50 ${fmt(row.p50)} ms  p99 ${fmt(row.p99)} ms  ${fmt(row.rps1)} req/s (1 conn, ${row.requests} requests)` +
      (throughput
        ? `  ${fmt(row.rps)} req/s at ${connections} conn (p99 ${fmt(row.p99Loaded)} ms)`
        : '  — too slow to load'),
  );
  return row;
}

function fmt(n) {
  return n >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(n >= 10 ? 1 : 2);
}

/** What the server says about how it runs the listing query (index use on MongoDB; pushdown on FerretDB). */
async function explainListing(models, after) {
  try {
    const filter = { status: 'available', deleted: false, ...(after ? { _id: { $lt: after } } : {}) };
    const plan = await models.Ticket.find(filter)
      .sort({ _id: -1 })
      .limit(pageSize + 1)
      .explain('executionStats');
    const stats = plan.executionStats;
    if (stats)
      return {
        totalKeysExamined: stats.totalKeysExamined,
        totalDocsExamined: stats.totalDocsExamined,
        nReturned: stats.nReturned,
      };
    return { filterPushdown: plan.filterPushdown, sortPushdown: plan.sortPushdown, limitPushdown: plan.limitPushdown };
  } catch (err) {
    return { error: err.message };
  }
}

async function explainById(models, id) {
  try {
    const plan = await models.Ticket.findById(id).explain('executionStats');
    const stats = plan.executionStats;
    if (stats) return { totalKeysExamined: stats.totalKeysExamined, totalDocsExamined: stats.totalDocsExamined };
    return { filterPushdown: plan.filterPushdown };
  } catch (err) {
    return { error: err.message };
  }
}

async function benchSize(mongoBase, count) {
  log(`\n${count.toLocaleString('en')} tickets`);
  const url = withDatabase(mongoBase, `bench_tickets_${count}_${randomUUID().slice(0, 8)}`);
  const connection = await mongoose.createConnection(url, { autoIndex: false }).asPromise();
  try {
    const models = await createModels(connection);
    const docs = await seed(models, count);
    const logger = createLogger({ service: 'tickets-bench', level: 'silent' });
    const port = await freePort();
    const service = await startService(ticketsService, {
      env: {
        PORT: String(port),
        MONGO_URL: url,
        JWT_KEY: 'bench-jwt-key-long-enough-for-hs256',
        NATS_URL: 'nats://127.0.0.1:4222',
        NATS_CLIENT_ID: 'bench',
        LOG_LEVEL: 'silent',
      },
      logger,
      bus: new MemoryBus(),
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    try {
      // The listing, newest first: the deep cursor points ~1,000 pages (50,000 tickets) in, or at the last page.
      const listed = docs.filter((d) => d.status === 'available' && !d.deleted).reverse();
      const deepIndex = Math.min(deepPages * pageSize, listed.length - pageSize) - 1;
      const deepCursor = deepIndex >= 0 ? encodeCursor(listed[deepIndex]._id) : undefined;
      const deepPath = `/api/tickets?limit=${pageSize}${deepCursor ? `&cursor=${deepCursor}` : ''}`;
      if (scenarios.has('first') || scenarios.has('deep')) {
        await checkChain(baseUrl, listed);
        const deepPage = await (await fetch(`${baseUrl}${deepPath}`)).json();
        if (deepPage[0]?.id !== listed[deepIndex + 1]?._id.toHexString())
          throw new Error('the deep cursor did not land where expected');
      }

      const sample = Array.from({ length: 500 }, (_, i) => docs[Math.floor((i * docs.length) / 500)]).filter(
        (d) => !d.deleted,
      );
      const rows = [];
      if (scenarios.has('first')) rows.push(await run('first page', baseUrl, [`/api/tickets?limit=${pageSize}`]));
      if (scenarios.has('deep')) rows.push(await run('deep page', baseUrl, [deepPath]));
      if (scenarios.has('id'))
        rows.push(
          await run(
            'by id',
            baseUrl,
            sample.map((d) => `/api/tickets/${d._id.toHexString()}`),
          ),
        );
      const explain = {
        firstPage: await explainListing(models),
        deepPage: await explainListing(models, listed[deepIndex]?._id),
        byId: await explainById(models, sample[0]._id),
      };
      return { tickets: count, deepPosition: deepIndex + 1, rows, explain };
    } finally {
      await service.stop();
    }
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }
}

/** Follows the Link chain for a few pages and checks it walks the listing in order, each ticket once. */
async function checkChain(baseUrl, listed) {
  let next = `/api/tickets?limit=${pageSize}`;
  let position = 0;
  for (let page = 0; page < 3 && next; page++) {
    const res = await fetch(`${baseUrl}${next}`);
    const body = await res.json();
    for (const ticket of body) {
      if (ticket.id !== listed[position]?._id.toHexString())
        throw new Error(`the cursor chain is out of order at position ${position}`);
      position++;
    }
    next = /^<([^>]+)>; rel="next"$/.exec(res.headers.get('link') ?? '')?.[1];
  }
}

const started = Date.now();
const external = process.env.MONGO_URL;
const infra = await startInfra(['mongo']);
const mongoBase = infra.servers.mongo.url;
log(
  `tickets bench on ${external ? 'MONGO_URL (external server)' : 'FerretDB v1 (SQLite), started here'}; ${os.cpus().length} cores, load average ${loadBefore.map((l) => l.toFixed(1)).join(' ')}`,
);
const results = [];
try {
  for (const size of sizes) results.push(await benchSize(mongoBase, size));
} finally {
  await infra.stop();
}

const [small, large] = [results[0], results.at(-1)];
if (small && large && small !== large) {
  log(`\nratio ${large.tickets.toLocaleString('en')} / ${small.tickets.toLocaleString('en')} tickets (1.0 = flat)`);
  for (const row of large.rows) {
    const base = small.rows.find((r) => r.scenario === row.scenario);
    if (!base) continue;
    log(
      `  ${row.scenario.padEnd(12)} p50 ×${(row.p50 / base.p50).toFixed(1)}  p99 ×${(row.p99 / base.p99).toFixed(1)}  req/s (1 conn) ×${(row.rps1 / base.rps1).toFixed(3)}`,
    );
  }
}
for (const result of results)
  log(`\nquery plan at ${result.tickets.toLocaleString('en')}: ${JSON.stringify(result.explain)}`);

const dir = path.join(here, 'results');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `tickets-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
const server = external ? 'external (MONGO_URL)' : 'FerretDB v1.24.2 SQLite';
writeFileSync(
  file,
  `${JSON.stringify({ server, node: process.version, cores: os.cpus().length, loadBefore, loadAfter: os.loadavg(), pageSize, results, seconds: (Date.now() - started) / 1000 }, null, 2)}\n`,
);
log(`\nwritten ${path.relative(process.cwd(), file)} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
