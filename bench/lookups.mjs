#!/usr/bin/env node
// Lookups by id against their ceiling, and GitTix against the course original's
// queries, at 100, 2,000 and 10,000 tickets on the same database.
//
//   npx tsc -b && node bench/lookups.mjs
//
// Four servers run in this process, on free ports, over one FerretDB:
// - the real tickets and orders services (their ServiceSpecs from dist/, the
//   recording bus in place of NATS Streaming);
// - the ceiling: a bare node:http server doing the same findOne on the bare
//   driver and answering the document as JSON (no Express, no mongoose, no session);
// - the reference: the course original's tickets service as it queries
//   (bench/reference-tickets.mjs): lean rows, GET /api/tickets answers every
//   unsold ticket, GET /api/tickets/:id one.
// Runs alternate (A, B, A, B) and each figure is the median of the rounds.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import mongoose from 'mongoose';
import { createLogger } from '@gittix/common/core';
import { startService } from '@gittix/common/service';
import { freePort, MemoryBus, signin, startInfra, testJwtKey, withDatabase } from '@gittix/testing';
import { ordersService } from '../orders/dist/service.js';
import { ticketsService } from '../tickets/dist/service.js';
import { startReferenceTickets } from './reference-tickets.mjs';

const { ObjectId, MongoClient } = mongoose.mongo;
const here = path.dirname(fileURLToPath(import.meta.url));
const sizes = (process.env.BENCH_SIZES ?? '100,2000,10000').split(',').map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const roundsPerCase = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const warmupSeconds = Number(process.env.BENCH_WARMUP ?? 3);
const loadBefore = os.loadavg();
const log = (line) => process.stdout.write(`${line}\n`);
const day = 86_400_000;

function ticketDoc(i, now, sellers) {
  const createdAt = new Date(now - i * 60_000);
  const roll = i % 100;
  const status = roll < 90 ? 'available' : roll < 95 ? 'reserved' : 'sold';
  return {
    _id: new ObjectId(),
    title: `Concert #${i}`,
    price: 10 + (i % 90),
    userId: sellers[i % sellers.length],
    username: `seller${i % sellers.length}`,
    description: 'Seats in the middle of the hall, great view of the stage.',
    imageUrl: null,
    eventDate: new Date(now + (1 + (i % 180)) * day),
    venue: 'Town Hall',
    city: 'Springfield',
    cityKey: 'springfield',
    category: 'concert',
    status,
    ...(status === 'available' ? {} : { orderId: new ObjectId() }),
    version: status === 'available' ? 0 : 1,
    deleted: false,
    deletedAt: null,
    closedOrderIds: [],
    pendingEvents: [],
    outboxPending: false,
    createdAt,
    updatedAt: createdAt,
  };
}

function orderDoc(ticket, buyerId, now) {
  return {
    _id: new ObjectId(),
    userId: buyerId,
    status: 'complete',
    expiresAt: new Date(now + 15 * 60_000),
    ticket: { id: ticket._id, title: ticket.title, price: ticket.price, priceCents: ticket.price * 100 },
    version: 1,
    reservationKey: `ticket:${ticket._id.toHexString()}`,
    buyerSlot: `done:${ticket._id.toHexString()}`,
    pendingEvents: [],
    outboxPending: false,
    createdAt: new Date(now),
    updatedAt: new Date(now),
  };
}

/** The ceiling: the same findOne, answered by node:http with nothing else in the way. */
async function startBareServer(collections) {
  const server = http.createServer(async (req, res) => {
    const [, , name, id] = req.url.split('/');
    const doc = await collections[name].findOne({ _id: new ObjectId(id) });
    res.writeHead(doc ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(doc));
  });
  server.keepAliveTimeout = 65_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

/**
 * A run of one contender: `seconds` long, or, when one request already takes
 * over half a second (the unpaged listing at 10,000 tickets), a fixed number of
 * requests, so a run always completes some.
 */
async function cannon(url, paths, headers = {}, duration = seconds) {
  const started = performance.now();
  const probe = await fetch(`${url}${paths[0]}`, { headers });
  await probe.arrayBuffer();
  if (probe.status !== 200) throw new Error(`${url}${paths[0]}: ${probe.status}`);
  const slow = performance.now() - started > 500;
  let next = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        ...(slow ? { amount: connections * 2 } : { duration }),
        timeout: 120,
        requests: [{ method: 'GET', headers, setupRequest: (r) => ({ ...r, path: paths[next++ % paths.length] }) }],
      },
      (err, result) => {
        if (err) return reject(err);
        if (result.non2xx || result.errors)
          return reject(new Error(`${url}${paths[0]}: ${result.non2xx} non-2xx, ${result.errors} errors`));
        resolve(result);
      },
    );
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Alternating runs of each contender; the median req/s and p50/p99 of each.
 * Each contender first serves an unmeasured warm-up run: until V8 has compiled
 * its hot paths, a service of Express and mongoose serves a third of what it
 * serves warm (one run here: 915 req/s in its first 3 s, 2,052 in its fourth),
 * and the bare server, a few lines, warms at once. A service runs warm for
 * hours; its first seconds are start-up, not its speed.
 */
async function compare(name, contenders) {
  const runs = Object.fromEntries(contenders.map((c) => [c.name, []]));
  if (warmupSeconds > 0) for (const c of contenders) await cannon(c.url, c.paths, c.headers, warmupSeconds);
  for (let round = 0; round < roundsPerCase; round++)
    for (const c of contenders) runs[c.name].push(await cannon(c.url, c.paths, c.headers));
  const row = { scenario: name };
  for (const c of contenders) {
    const results = runs[c.name];
    row[c.name] = {
      rps: median(results.map((r) => r.requests.total / r.duration)),
      p50: median(results.map((r) => r.latency.p50)),
      p99: median(results.map((r) => r.latency.p99)),
    };
  }
  log(
    `  ${name.padEnd(22)} ${contenders
      .map((c) => `${c.name} ${fmt(row[c.name].rps)} req/s (p50 ${fmt(row[c.name].p50)} ms)`)
      .join('   ')}`,
  );
  return row;
}

function fmt(n) {
  return n >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(n >= 10 ? 1 : 2);
}

async function benchSize(mongoBase, redisUrl, count) {
  log(
    `\n${count.toLocaleString('en')} tickets, ${connections} connections, ${roundsPerCase} × ${seconds} s per contender`,
  );
  const run = randomUUID().slice(0, 8);
  const names = { tickets: `bench_lk_tickets_${run}`, orders: `bench_lk_orders_${run}`, ref: `bench_lk_ref_${run}` };
  const client = await new MongoClient(mongoBase).connect();
  const now = Date.now();
  const sellers = Array.from({ length: 100 }, () => new ObjectId());
  const buyerId = new ObjectId();
  const tickets = Array.from({ length: count }, (_, i) => ticketDoc(i, now, sellers));
  const orders = tickets.slice(0, Math.min(count, 2000)).map((t) => orderDoc(t, buyerId, now));
  const logger = createLogger({ service: 'lookups-bench', level: 'silent' });
  const env = (name, db) => ({
    MONGO_URL: withDatabase(mongoBase, db),
    JWT_KEY: testJwtKey,
    NATS_URL: 'nats://127.0.0.1:4222',
    NATS_CLIENT_ID: `bench-${name}`,
    REDIS_URL: redisUrl,
    LOG_LEVEL: 'silent',
  });
  const started = [];
  try {
    for (let i = 0; i < tickets.length; i += 5000)
      await client
        .db(names.tickets)
        .collection('tickets')
        .insertMany(tickets.slice(i, i + 5000));
    await client.db(names.orders).collection('orders').insertMany(orders);
    const ticketsPort = await freePort();
    const ordersPort = await freePort();
    started.push(
      await startService(ticketsService, {
        env: { ...env('tickets', names.tickets), PORT: String(ticketsPort) },
        logger,
        bus: new MemoryBus(),
      }),
    );
    started.push(
      await startService(ordersService, {
        env: { ...env('orders', names.orders), PORT: String(ordersPort) },
        logger,
        bus: new MemoryBus(),
      }),
    );
    const bare = await startBareServer({
      tickets: client.db(names.tickets).collection('tickets'),
      orders: client.db(names.orders).collection('orders'),
    });
    started.push({ stop: bare.close });
    const reference = await startReferenceTickets(withDatabase(mongoBase, names.ref), tickets);
    started.push({ stop: reference.close });

    const sample = (list) => Array.from({ length: 200 }, (_, i) => list[Math.floor((i * list.length) / 200)]);
    const ticketPaths = sample(tickets).map((t) => `/api/tickets/${t._id.toHexString()}`);
    const orderPaths = sample(orders).map((o) => `/api/orders/${o._id.toHexString()}`);
    const cookie = signin({ id: buyerId.toHexString() }).join('; ');
    const service = (port) => `http://127.0.0.1:${port}`;
    const rows = [];
    rows.push(
      await compare('ticket by id', [
        { name: 'gittix', url: service(ticketsPort), paths: ticketPaths },
        { name: 'ceiling', url: bare.url, paths: ticketPaths },
        { name: 'reference', url: reference.url, paths: reference.lookupPaths(ticketPaths) },
      ]),
    );
    rows.push(
      await compare('order by id (signed in)', [
        { name: 'gittix', url: service(ordersPort), paths: orderPaths, headers: { cookie } },
        // The same requests on the wire, session cookie included (the ceiling ignores it).
        { name: 'ceiling', url: bare.url, paths: orderPaths, headers: { cookie } },
      ]),
    );
    rows.push(
      await compare('home listing', [
        { name: 'gittix', url: service(ticketsPort), paths: ['/api/tickets'] },
        { name: 'reference', url: reference.url, paths: ['/api/tickets'] },
      ]),
    );
    return { tickets: count, rows };
  } finally {
    for (const s of started.reverse()) await s.stop();
    for (const db of Object.values(names))
      await client
        .db(db)
        .dropDatabase()
        .catch(() => undefined);
    await client.close();
  }
}

const startedAt = Date.now();
const infra = await startInfra(['mongo', 'redis']);
log(
  `lookups bench on ${process.env.MONGO_URL ? 'MONGO_URL' : 'FerretDB v1 (SQLite, the project build)'}; ${os.cpus().length} cores, load average ${loadBefore.map((l) => l.toFixed(1)).join(' ')}`,
);
const results = [];
try {
  for (const size of sizes) results.push(await benchSize(infra.servers.mongo.url, infra.servers.redis.url, size));
} finally {
  await infra.stop();
}

log(
  '\n| case | tickets | GitTix req/s | ceiling req/s | GitTix ÷ ceiling (goal ≥ 0.60) | reference req/s | GitTix ÷ reference |',
);
log('|---|---:|---:|---:|---:|---:|---:|');
for (const { tickets, rows } of results)
  for (const row of rows)
    log(
      `| ${row.scenario} | ${tickets.toLocaleString('en')} | ${fmt(row.gittix.rps)} | ${row.ceiling ? fmt(row.ceiling.rps) : '—'} | ${row.ceiling ? (row.gittix.rps / row.ceiling.rps).toFixed(2) : '—'} | ${row.reference ? fmt(row.reference.rps) : '—'} | ${row.reference ? (row.gittix.rps / row.reference.rps).toFixed(2) : '—'} |`,
    );

const dir = path.join(here, 'results');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `lookups-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  `${JSON.stringify({ node: process.version, cores: os.cpus().length, loadBefore, loadAfter: os.loadavg(), connections, seconds, roundsPerCase, results, totalSeconds: (Date.now() - startedAt) / 1000 }, null, 2)}\n`,
);
log(`\nwritten ${path.relative(process.cwd(), file)} (${((Date.now() - startedAt) / 1000).toFixed(0)} s)`);
