// Used by testing/stripe-mock/Dockerfile: writes a package.json and package-lock.json
// holding one package of the repository's lockfile and every production dependency it
// resolves to (as Node resolves them: the nearest node_modules up the tree), each entry
// copied as it is (version, resolved URL, integrity). `npm ci` on them then installs
// exactly what the repository's `npm ci` installs for that package, and nothing else.
//
//   node lockfile.mjs <package-lock.json> <package> <out-dir>
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [lockPath, name, outDir] = process.argv.slice(2);
if (!lockPath || !name || !outDir) {
  process.stderr.write('usage: node lockfile.mjs <package-lock.json> <package> <out-dir>\n');
  process.exit(2);
}
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
if (lock.lockfileVersion < 2)
  throw new Error(`${lockPath}: lockfileVersion ${lock.lockfileVersion} has no packages map`);
const all = lock.packages;

/** The lockfile path a dependency of the package at `from` resolves to, or undefined. */
function resolve(from, dependency) {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${dependency}`;
    if (all[candidate]) return candidate;
    if (!dir) return undefined;
    const parent = dir.lastIndexOf('/node_modules/');
    dir = parent === -1 ? '' : dir.slice(0, parent);
  }
}

const start = `node_modules/${name}`;
if (!all[start]) throw new Error(`${name} is not in ${lockPath}`);
const picked = new Map();
const queue = [start];
while (queue.length > 0) {
  const at = queue.shift();
  if (picked.has(at)) continue;
  const entry = { ...all[at] };
  if (entry.link) throw new Error(`${at} is a workspace link; only registry packages can be picked`);
  // Reached through a production dependency, so installed by `npm ci --omit=dev`.
  delete entry.dev;
  delete entry.devOptional;
  delete entry.peer;
  picked.set(at, entry);
  const wanted = { ...entry.dependencies, ...entry.optionalDependencies };
  for (const dependency of Object.keys(wanted)) {
    const found = resolve(at, dependency);
    if (found) queue.push(found);
    else if (!entry.optionalDependencies?.[dependency])
      throw new Error(`${at} depends on ${dependency}, which ${lockPath} does not hold`);
  }
}

const version = all[start].version;
const manifest = {
  name: `gittix-${name}`,
  version: '1.0.0',
  private: true,
  dependencies: { [name]: version },
};
const sorted = [...picked.keys()].sort();
const out = {
  name: manifest.name,
  version: manifest.version,
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': { name: manifest.name, version: manifest.version, dependencies: manifest.dependencies },
    ...Object.fromEntries(sorted.map((key) => [key, picked.get(key)])),
  },
};
mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
writeFileSync(path.join(outDir, 'package-lock.json'), `${JSON.stringify(out, null, 2)}\n`);
process.stdout.write(`${name}@${version}: ${picked.size} packages from ${path.basename(lockPath)}\n`);
