#!/usr/bin/env node
// Page weight of the web client: the gzipped JavaScript a first load of each route fetches.
//
//   npm run build -w client && node bench/page-weight.mjs
//   node bench/page-weight.mjs --next-dir=/elsewhere/client/.next   # another build (e.g. an older commit's)
//   node bench/page-weight.mjs --json                               # also writes bench/results/page-weight.json
//   node bench/page-weight.mjs --budgets=client/page-budgets.json   # exit 1 when a route is over its budget
//
// Bytes, not time, read from the production build's own manifests (no server, no browser):
// - `build-manifest.json` `rootMainFiles`: the framework and Turbopack runtime every page loads.
// - `server/app/<route>/page_client-reference-manifest.js` `entryJSFiles`: the client chunks of
//   every segment of the route's tree (root layout, error and not-found boundaries, loading,
//   the page), which the server HTML lists as `<script async src>`.
// Their union is exactly the `<script src>` set of the route's server HTML (checked against
// the standalone server's pages). Not counted: `polyfillFiles` (`<script noModule>`, which a
// modern browser never fetches) and chunks loaded later on demand (`next/dynamic`, a route
// prefetched by a link). Each chunk is gzipped here (zlib level 9, what a static server with
// precompressed assets sends); a chunk shared by several routes counts in each of them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [name, value = 'true'] = arg.replace(/^--/, '').split('=');
    return [name, value];
  }),
);
const nextDir = path.resolve(args.get('next-dir') ?? path.join(here, '..', 'client', '.next'));

/** The routes measured: a name, the URL pattern, the App Router entry in the build. */
const routes = [
  ['home', '/', '/(home)/page'],
  ['ticket', '/tickets/[id]', '/tickets/[id]/page'],
  ['sell', '/tickets/new', '/tickets/new/page'],
  ['edit', '/tickets/[id]/edit', '/tickets/[id]/edit/page'],
  ['my tickets', '/tickets/mine', '/tickets/mine/page'],
  ['orders', '/orders', '/orders/page'],
  ['order', '/orders/[id]', '/orders/[id]/page'],
  ['sign-in', '/auth/signin', '/auth/signin/page'],
  ['sign-up', '/auth/signup', '/auth/signup/page'],
];

function fail(message) {
  process.stderr.write(`page-weight: ${message}\n`);
  process.exit(2);
}

if (!existsSync(path.join(nextDir, 'build-manifest.json')))
  fail(`no production build in ${nextDir}: run \`npm run build -w client\` first`);

const buildManifest = JSON.parse(readFileSync(path.join(nextDir, 'build-manifest.json'), 'utf8'));
const rootMainFiles = buildManifest.rootMainFiles ?? [];

/** The client reference manifest of one App Router entry (a script that assigns globalThis.__RSC_MANIFEST[entry]). */
function clientReferenceManifest(entry) {
  const file = path.join(nextDir, 'server', 'app', `${entry}_client-reference-manifest.js`);
  if (!existsSync(file)) fail(`${file} is missing (is this an App Router build of the client?)`);
  const sandbox = { globalThis: {} };
  vm.runInNewContext(readFileSync(file, 'utf8'), sandbox, { filename: file });
  const manifest = sandbox.globalThis.__RSC_MANIFEST?.[entry];
  if (!manifest?.entryJSFiles) fail(`${file} has no entryJSFiles for ${entry}`);
  return manifest;
}

const sizes = new Map();
/** Raw and gzipped bytes of one chunk (`static/chunks/….js`, relative to .next). */
function chunkSize(file) {
  const relative = file.replace(/^\/?_next\//, '');
  let size = sizes.get(relative);
  if (!size) {
    const { code, map } = readChunk(relative);
    const bytes = Buffer.from(code);
    const gzip = gzipSync(bytes, { level: 9 }).length;
    size = { raw: bytes.length, gzip, byGroup: map ? groupShares(code, map, gzip) : undefined };
    sizes.set(relative, size);
  }
  return size;
}

/**
 * A chunk's code, without the `//# sourceMappingURL` comment a build with source maps
 * (`GITTIX_SOURCE_MAPS=1`) ends it with, so such a build measures what a production
 * one does; and its source map, when there is one.
 */
function readChunk(relative) {
  const file = path.join(nextDir, relative);
  const text = readFileSync(file, 'utf8');
  const comment = text.match(/\n?\/\/# sourceMappingURL=(\S+)\s*$/);
  if (!comment) return { code: text, map: undefined };
  const mapFile = path.join(path.dirname(file), comment[1]);
  const map = existsSync(mapFile) ? JSON.parse(readFileSync(mapFile, 'utf8')) : undefined;
  return { code: text.slice(0, comment.index), map };
}

/** What each group of sources is: the first whose pattern matches a source's path. */
const GROUPS = [
  ['framework', /node_modules\/(next|react|react-dom|scheduler|@swc\/helpers)\/|^turbopack:\/\/\/\[turbopack\]/],
  [
    'UI library',
    /node_modules\/(@chakra-ui|@emotion|@zag-js|@ark-ui|@pandacss|@floating-ui|@internationalized|stylis|hoist-non-react-statics|react-is)\//,
  ],
  ['data', /node_modules\/(swr|dequal|use-sync-external-store)\//],
  ['validation', /node_modules\/zod\//],
  ['payments', /node_modules\/@stripe\//],
  ['app', /\[project\]\/(client|common)\/|^(?!.*node_modules).*\/(client|common)\//],
];
const groupOf = (source) => GROUPS.find(([, pattern]) => pattern.test(source))?.[0] ?? 'other';

const VLQ = new Map([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]));
/** One line of a source map's `mappings`, decoded: each segment's [generated column, source index] (both absolute). */
function* segments(line, state) {
  for (const segment of line.split(',')) {
    if (segment === '') continue;
    const fields = [];
    let value = 0;
    let shift = 0;
    for (const char of segment) {
      const digit = VLQ.get(char);
      value += (digit & 31) << shift;
      if (digit & 32) {
        shift += 5;
        continue;
      }
      fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
    state.column += fields[0];
    if (fields.length > 1) state.source += fields[1];
    yield [state.column, fields.length > 1 ? state.source : -1];
  }
}

/**
 * The chunk's gzipped bytes shared out among GROUPS by how many of its characters
 * each group's sources produced (a character belongs to the mapping before it).
 * A proportion, not an exact count: gzip compresses some code better than other.
 */
function groupShares(code, map, gzip) {
  const lineStarts = [0];
  for (let i = code.indexOf('\n'); i !== -1; i = code.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const marks = []; // [offset in code, group]
  const sections = map.sections ?? [{ offset: { line: 0, column: 0 }, map }];
  for (const { offset, map: section } of sections) {
    const groups = (section.sources ?? []).map(groupOf);
    const state = { column: 0, source: 0 };
    section.mappings.split(';').forEach((line, index) => {
      state.column = 0;
      const start = lineStarts[offset.line + index];
      if (start === undefined) return;
      const column0 = index === 0 ? offset.column : 0;
      for (const [column, source] of segments(line, state))
        marks.push([start + column0 + column, source === -1 ? 'other' : groups[source]]);
    });
  }
  marks.sort((a, b) => a[0] - b[0]);
  const chars = {};
  let at = 0;
  let group = 'other';
  for (const [offset, next] of marks) {
    const end = Math.min(offset, code.length);
    if (end > at) chars[group] = (chars[group] ?? 0) + end - at;
    at = Math.max(at, end);
    group = next;
  }
  chars[group] = (chars[group] ?? 0) + code.length - at;
  return Object.fromEntries(Object.entries(chars).map(([g, n]) => [g, (n * gzip) / code.length]));
}

const rows = routes.map(([name, url, entry]) => {
  const manifest = clientReferenceManifest(entry);
  const files = new Set([...rootMainFiles, ...Object.values(manifest.entryJSFiles).flat()]);
  const js = [...files].filter((f) => f.endsWith('.js'));
  let raw = 0;
  let gzip = 0;
  let byGroup = {};
  for (const file of js) {
    const size = chunkSize(file);
    raw += size.raw;
    gzip += size.gzip;
    if (!size.byGroup) byGroup = undefined;
    else if (byGroup)
      for (const [group, bytes] of Object.entries(size.byGroup)) byGroup[group] = (byGroup[group] ?? 0) + bytes;
  }
  if (byGroup) byGroup = Object.fromEntries(Object.entries(byGroup).map(([g, n]) => [g, Math.round(n)]));
  return { name, url, chunks: js.length, raw, gzip, byGroup };
});

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
const table = [
  ['route', 'path', 'chunks', 'raw bytes', 'gzipped bytes', 'gzipped'],
  ...rows.map((r) => [r.name, r.url, String(r.chunks), String(r.raw), String(r.gzip), kB(r.gzip)]),
];
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
const line = (row) =>
  `| ${row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
process.stdout.write(`First-load JavaScript per route (${nextDir}):\n\n`);
process.stdout.write(
  `${line(table[0])}\n|${widths.map((w, i) => `${i < 2 ? ':' : '-'}${'-'.repeat(w)}${i < 2 ? '-' : ':'}`).join('|')}|\n`,
);
for (const row of table.slice(1)) process.stdout.write(`${line(row)}\n`);
const shared = rootMainFiles.reduce((sum, file) => sum + chunkSize(file).gzip, 0);
process.stdout.write(
  `\nShared by every route (framework and runtime, rootMainFiles): ${shared} bytes gzipped (${kB(shared)}).\n`,
);

// Where the bytes come from, when the build has source maps (GITTIX_SOURCE_MAPS=1).
const groupNames = [...GROUPS.map(([name]) => name), 'other'];
if (rows.every((r) => r.byGroup)) {
  process.stdout.write('\nGzipped bytes by where the code comes from (shares of each chunk, from its source map):\n\n');
  process.stdout.write(`| route | ${groupNames.join(' | ')} |\n|:--|${groupNames.map(() => '--:').join('|')}|\n`);
  for (const r of rows)
    process.stdout.write(`| ${r.name} | ${groupNames.map((g) => kB(r.byGroup[g] ?? 0)).join(' | ')} |\n`);
} else {
  process.stdout.write(
    '\n(Build the client with GITTIX_SOURCE_MAPS=1 for the bytes by package: framework, UI library, app.)\n',
  );
}

if (args.has('json')) {
  const dir = path.join(here, 'results');
  mkdirSync(dir, { recursive: true });
  const out = path.join(dir, 'page-weight.json');
  writeFileSync(
    out,
    `${JSON.stringify({ nextDir, measuredAt: new Date().toISOString(), shared, routes: rows }, null, 2)}\n`,
  );
  process.stdout.write(`Written to ${out}\n`);
}

// --budgets=<file>: a JSON object of route name → most gzipped bytes; every route over its
// budget is named, and the exit code is 1 (client/page-budgets.json is the project's).
if (args.has('budgets')) {
  const file = path.resolve(args.get('budgets'));
  if (!existsSync(file)) fail(`no budgets file at ${file}`);
  const budgets = JSON.parse(readFileSync(file, 'utf8'));
  const unknown = Object.keys(budgets).filter((name) => !rows.some((r) => r.name === name));
  if (unknown.length > 0) fail(`${file} names routes this script does not measure: ${unknown.join(', ')}`);
  const missing = rows.filter((r) => !Number.isFinite(budgets[r.name]));
  if (missing.length > 0) fail(`${file} has no budget for ${missing.map((r) => r.name).join(', ')}`);
  const over = rows.filter((r) => r.gzip > budgets[r.name]);
  for (const r of over)
    process.stderr.write(
      `page-weight: ${r.name} (${r.url}) is ${r.gzip} bytes gzipped, over its budget of ${budgets[r.name]}\n`,
    );
  if (over.length > 0) process.exit(1);
  process.stdout.write(`Every route is within its budget (${path.relative(process.cwd(), file)}).\n`);
}
