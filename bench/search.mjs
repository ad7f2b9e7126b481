#!/usr/bin/env node
// The ticket search at 1,000 and 10,000 tickets: each search, filter and sort
// through the real tickets service, beside the plain listing and beside the
// same queries on the bare MongoDB driver with no HTTP (the engine's ceiling).
//
//   npx tsc -b && node bench/search.mjs            # FerretDB started here, on a free port
//   MONGO_URL=mongodb://… node bench/search.mjs    # against an existing MongoDB-compatible server
//
// Requests and driver queries are interleaved (service, driver, service, …) so
// both see the same machine. See bench/README.md.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { ticketSearchSchema } from '@gittix/common/contracts';
import { createLogger } from '@gittix/common/core';
import { startService } from '@gittix/common/service';
import { freePort, MemoryBus, startInfra, withDatabase } from '@gittix/testing';
import { searchSegments } from '../tickets/dist/domain/list-tickets.js';
import { createModels } from '../tickets/dist/models/index.js';
import { ticketsService } from '../tickets/dist/service.js';

/** The bare driver: the one mongoose itself runs on. */
const { MongoClient } = mongoose.mongo;
const here = path.dirname(fileURLToPath(import.meta.url));
const sizes = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
/** Timed rounds per scenario (each: one request to the service, one run of the same queries on the driver). */
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const warmup = 2;
const pageSize = 50;
/** The count the service sends in X-Total-Count (routes/index-tickets.ts): up to 1,000, then "1000+". */
const countLimit = 1001;
const loadBefore = os.loadavg();
const log = (line) => process.stdout.write(`${line}\n`);

const cities = ['London', 'Leeds', 'Manchester', 'Bristol', 'Glasgow', 'Cardiff', 'Belfast', 'York', 'Bath', 'Hull'];
const categories = ['concert', 'sports', 'theatre', 'comedy', 'festival', 'other'];
const words = ['Jazz', 'Rock', 'Opera', 'Derby', 'Stand-up', 'Folk', 'Symphony', 'Final', 'Matinee', 'Rave'];
const day = 86_400_000;

/**
 * Tickets as a live shop would hold them: 90% available (5% reserved, 4% sold,
 * 1% deleted), events over the next 180 days (2% already started), and 3%
 * listed before tickets had event details.
 */
function buildTickets(count, now) {
  const sellers = Array.from({ length: 200 }, () => new mongoose.Types.ObjectId());
  const docs = [];
  for (let i = 0; i < count; i++) {
    const createdAt = new Date(now - (count - i) * 60_000);
    const _id = mongoose.Types.ObjectId.createFromTime(Math.floor(createdAt.getTime() / 1000));
    const roll = i % 100;
    const status = roll < 90 || roll === 99 ? 'available' : roll < 95 ? 'reserved' : 'sold';
    const legacy = i % 33 === 0;
    const city = cities[(i * 7) % cities.length];
    const doc = {
      _id,
      title: `${words[i % words.length]} night #${i}`,
      price: 10 + ((i * 13) % 190),
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
    if (!legacy)
      Object.assign(doc, {
        eventDate: new Date(now + (i % 50 === 1 ? -day : ((i * 37) % 180) * day + (i % 24) * 3600_000)),
        venue: `${city} Arena`,
        city,
        cityKey: city.toLowerCase(),
        category: categories[i % categories.length],
      });
    if (status !== 'available') doc.orderId = new mongoose.Types.ObjectId();
    docs.push(doc);
  }
  return docs;
}

/** The searches, as a buyer's URL would carry them. */
function scenarios(now) {
  const iso = (ms) => new Date(ms).toISOString();
  return [
    ['plain listing', ''],
    ['search q=jazz', 'q=jazz'],
    ['search 2 words', 'q=jazz%20london'],
    ['city', 'city=leeds'],
    ['category + dates', `category=concert&from=${iso(now + 7 * day)}&to=${iso(now + 37 * day)}`],
    ['price range', 'minPrice=50&maxPrice=80'],
    ['sort soonest', 'sort=soonest'],
    ['sort price_asc', 'sort=price_asc'],
    ['sort price_desc', 'sort=price_desc'],
    ['city + q + soonest', 'city=london&q=night&sort=soonest'],
  ];
}

/**
 * The same database work the service does for a first page, on the bare
 * driver: each segment's find (until the page is full) and the capped count,
 * the two in parallel as the route runs them.
 */
async function driverQuery(collection, query) {
  const search = ticketSearchSchema.parse(Object.fromEntries(new URLSearchParams(query)));
  const segments = searchSegments(search, new Date());
  const page = (async () => {
    const found = [];
    for (const { filter, order } of segments) {
      if (found.length > pageSize) break;
      const sort = order.key ? { [order.key]: order.direction, _id: order.direction } : { _id: order.direction };
      found.push(
        ...(await collection
          .find(filter)
          .sort(sort)
          .limit(pageSize + 1 - found.length)
          .toArray()),
      );
    }
    return found;
  })();
  const filters = segments.map((segment) => segment.filter);
  const count = collection.countDocuments(filters.length === 1 ? filters[0] : { $or: filters }, { limit: countLimit });
  const [items, total] = await Promise.all([page, count]);
  // The service answers `limit` of the `limit + 1` it reads (the extra one says a next page exists).
  return { items: Math.min(items.length, pageSize), total };
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

async function timed(fn) {
  const started = performance.now();
  const result = await fn();
  return { ms: performance.now() - started, result };
}

async function benchSize(mongoBase, count) {
  log(`\n${count.toLocaleString('en')} tickets`);
  const dbName = `bench_search_${count}_${randomUUID().slice(0, 8)}`;
  const url = withDatabase(mongoBase, dbName);
  const now = Date.now();
  const logger = createLogger({ service: 'search-bench', level: 'silent' });
  const port = await freePort();
  // The service builds its indexes at start, as it does in production.
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
  const client = await new MongoClient(url).connect();
  try {
    const collection = client.db(dbName).collection('tickets');
    const docs = buildTickets(count, now);
    for (let i = 0; i < docs.length; i += 5000)
      await collection.insertMany(docs.slice(i, i + 5000), { ordered: false });
    const baseUrl = `http://127.0.0.1:${port}`;
    const rows = [];
    for (const [name, query] of [...scenarios(now), ['filters', null]]) {
      const service = [];
      const driver = [];
      let answer;
      for (let round = 0; round < warmup + rounds; round++) {
        const viaService = await timed(async () => {
          const res = await fetch(
            `${baseUrl}/api/tickets${query === null ? '/filters' : `?limit=${pageSize}&${query}`}`,
          );
          const body = await res.json();
          if (res.status !== 200) throw new Error(`${name}: ${res.status} ${JSON.stringify(body)}`);
          return query === null ? body.cities.length : { items: body.length, total: res.headers.get('x-total-count') };
        });
        const viaDriver = await timed(() =>
          query === null ? filtersOnDriver(collection).then((c) => c) : driverQuery(collection, query),
        );
        if (round >= warmup) {
          service.push(viaService.ms);
          driver.push(viaDriver.ms);
        }
        answer = viaService.result;
        const same =
          query === null
            ? viaService.result === viaDriver.result
            : viaService.result.items === viaDriver.result.items &&
              viaService.result.total === (viaDriver.result.total > 1000 ? '1000+' : String(viaDriver.result.total));
        if (!same)
          throw new Error(
            `${name}: the service and the driver disagree: ${JSON.stringify([viaService.result, viaDriver.result])}`,
          );
      }
      const row = {
        scenario: name,
        query,
        results: answer,
        p50: percentile(service, 50),
        p90: percentile(service, 90),
        driverP50: percentile(driver, 50),
        driverP90: percentile(driver, 90),
      };
      rows.push(row);
      log(
        `  ${name.padEnd(20)} service p50 ${fmt(row.p50)} ms (p90 ${fmt(row.p90)})  driver p50 ${fmt(row.driverP50)} ms  ×${(row.p50 / row.driverP50).toFixed(2)} of the ceiling  [${JSON.stringify(answer)}]`,
      );
    }
    const plain = rows[0];
    for (const row of rows) row.vsPlain = row.p50 / plain.p50;
    return { tickets: count, rows };
  } finally {
    await service.stop();
    await client
      .db(dbName)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
  }
}

/** The filter counts' two groupings (domain/list-tickets.ts filterCounts) on the driver; answers how many cities. */
async function filtersOnDriver(collection) {
  const listed = { status: 'available', deleted: false, eventDate: { $gt: new Date() } };
  const [spellings] = await Promise.all([
    collection.aggregate([{ $match: listed }, { $group: { _id: '$city', count: { $sum: 1 } } }]).toArray(),
    collection.aggregate([{ $match: listed }, { $group: { _id: '$category', count: { $sum: 1 } } }]).toArray(),
  ]);
  return new Set(spellings.filter((s) => typeof s._id === 'string').map((s) => s._id.toLowerCase())).size;
}

function fmt(n) {
  return n >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(n >= 10 ? 1 : 2);
}

const started = Date.now();
const external = process.env.MONGO_URL;
const infra = await startInfra(['mongo']);
const mongoBase = infra.servers.mongo.url;
log(
  `search bench on ${external ? 'MONGO_URL (external server)' : 'FerretDB v1 (SQLite), started here'}; ${os.cpus().length} cores, load average ${loadBefore.map((l) => l.toFixed(1)).join(' ')}; ${rounds} rounds each`,
);
const results = [];
try {
  for (const size of sizes) results.push(await benchSize(mongoBase, size));
} finally {
  await infra.stop();
}

log('\n| search | tickets | service p50 ms | × plain listing | bare driver p50 ms | service ÷ driver |');
log('|---|---:|---:|---:|---:|---:|');
for (const result of results)
  for (const row of result.rows)
    log(
      `| ${row.scenario} | ${result.tickets.toLocaleString('en')} | ${fmt(row.p50)} | ${row.vsPlain.toFixed(2)} | ${fmt(row.driverP50)} | ${(row.p50 / row.driverP50).toFixed(2)} |`,
    );
const worst = results.flatMap((r) => r.rows).reduce((a, b) => (b.p50 / b.driverP50 > a.p50 / a.driverP50 ? b : a));
log(`\nworst service ÷ driver: ${(worst.p50 / worst.driverP50).toFixed(2)} (${worst.scenario}); the goal is ≤ 1.30`);

const dir = path.join(here, 'results');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `search-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  `${JSON.stringify({ server: external ? 'external (MONGO_URL)' : 'FerretDB v1.24.2 SQLite', node: process.version, cores: os.cpus().length, loadBefore, loadAfter: os.loadavg(), rounds, results, seconds: (Date.now() - started) / 1000 }, null, 2)}\n`,
);
log(`\nwritten ${path.relative(process.cwd(), file)} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
