// The base images the Dockerfiles name (`FROM node:…`). Where a registry serves
// them they are pulled and used as they are. Where none can be reached (as on
// this project's CI machines), a local stand-in is built under the same name, so
// the Dockerfiles build unchanged: Debian bookworm (debootstrap, minbase) with
// this machine's Node.js and npm, a `node` user with uid 1000 as in the official
// image, and this machine's CA bundle so npm inside can reach the registry.
//
// A stand-in carries the label `dev.gittix.stand-in=true`, which every image
// built on it inherits; nothing pushes it (the publishing workflow refuses an
// image with that label). It is glibc where the real image is musl (Alpine):
// see docs/cluster.md.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, copyFileSync, cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { engineRun, hasImage, imageLabels, repoRoot } from './engine.mjs';

export const standInLabel = 'dev.gittix.stand-in';
const recipeLabel = 'dev.gittix.stand-in.recipe';
const workDir = path.join(process.env.GITTIX_TOOLS_DIR ?? path.join(repoRoot, '.tools'), 'containers');

/** Every external `FROM` of the given Dockerfiles (stage names excluded). */
export function baseImagesOf(dockerfiles) {
  const found = new Set();
  for (const file of dockerfiles) {
    const text = readFileSync(path.join(repoRoot, file), 'utf8');
    const stages = new Set();
    for (const match of text.matchAll(/^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/gim)) {
      const [, from, as] = match;
      if (!stages.has(from.toLowerCase())) found.add(from);
      if (as) stages.add(as.toLowerCase());
    }
  }
  return [...found];
}

/** `node:22.22.0-alpine3.23` → `docker.io/library/node:22.22.0-alpine3.23`, the name a FROM resolves to. */
export function qualified(image) {
  const [first, ...rest] = image.split('/');
  if (rest.length === 0) return `docker.io/library/${image}`;
  if (!first.includes('.') && !first.includes(':') && first !== 'localhost') return `docker.io/${image}`;
  return image;
}

/**
 * Makes every base image available: present already, pulled, or (for Node images
 * no registry serves) a stand-in. Returns what was done for each.
 * @param {string[]} images
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<Record<string, 'present' | 'pulled' | 'stand-in'>>}
 */
export async function ensureBaseImages(images, options = {}) {
  const log = options.log ?? (() => {});
  const outcome = {};
  for (const image of images) {
    const name = qualified(image);
    if (await hasImage(name)) {
      const labels = await imageLabels(name);
      if (labels[standInLabel] !== 'true' || labels[recipeLabel] === recipeHash()) {
        outcome[image] = labels[standInLabel] === 'true' ? 'stand-in' : 'present';
        continue;
      }
      log(`${image}: the stand-in's recipe changed; rebuilding it`);
    } else {
      log(`${image}: pulling…`);
      const pulled = await engineRun(['pull', '-q', name], { allowFailure: true, timeoutMs: 120_000 });
      if (pulled.code === 0) {
        outcome[image] = 'pulled';
        continue;
      }
      log(`${image}: no registry serves it here (${lastLine(pulled.stderr)}); building a local stand-in`);
    }
    if (!/^node:\d/.test(image)) {
      throw new Error(
        `gittix: cannot pull ${image} and have no stand-in recipe for it; pull it on a connected machine`,
      );
    }
    await buildNodeStandIn(name, log);
    outcome[image] = 'stand-in';
  }
  return outcome;
}

/** The stand-in changes when this machine's Node, npm or this recipe does. */
function recipeHash() {
  const npmPackage = JSON.parse(readFileSync(path.join(npmRoot(), 'package.json'), 'utf8'));
  return createHash('sha256')
    .update(process.version)
    .update(npmPackage.version)
    .update(readFileSync(new URL(import.meta.url)))
    .digest('hex')
    .slice(0, 16);
}

function npmRoot() {
  for (const dir of [
    '/usr/lib/node_modules/npm',
    '/usr/local/lib/node_modules/npm',
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm'),
  ])
    if (existsSync(path.join(dir, 'package.json'))) return dir;
  throw new Error("gittix: cannot find this machine's npm (needed for the Node stand-in image)");
}

function debianMirror() {
  for (const file of ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list']) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const uri = /^URIs:\s*(\S+)/m.exec(text)?.[1] ?? /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\b/m.exec(text)?.[1];
    if (uri && !uri.includes('security')) return uri;
  }
  return 'http://deb.debian.org/debian';
}

async function buildNodeStandIn(name, log) {
  const debootstrap = ['/usr/sbin/debootstrap', '/usr/bin/debootstrap'].find(existsSync);
  if (!debootstrap)
    throw new Error("gittix: missing debootstrap (for the Node stand-in image): 'apt-get install debootstrap'");
  mkdirSync(workDir, { recursive: true });
  const rootfs = path.join(workDir, 'node-rootfs');
  const started = Date.now();
  // debootstrap is the slow part (about 40 s); its result is kept and reused.
  const baseTar = path.join(workDir, 'bookworm-minbase.tar');
  if (!existsSync(baseTar)) {
    rmSync(rootfs, { recursive: true, force: true });
    log(`debootstrap bookworm (minbase) from ${debianMirror()}…`);
    const result = spawnSync(debootstrap, ['--variant=minbase', 'bookworm', rootfs, debianMirror()], {
      encoding: 'utf8',
    });
    if (result.status !== 0) {
      throw new Error(
        `gittix: debootstrap failed (${lastLine(result.stderr || result.stdout)}): check the Debian mirror`,
      );
    }
    rmSync(path.join(rootfs, 'var', 'cache', 'apt', 'archives'), { recursive: true, force: true });
    tar(['-C', rootfs, '-cf', baseTar, '.']);
  } else {
    rmSync(rootfs, { recursive: true, force: true });
    mkdirSync(rootfs, { recursive: true });
    tar(['-C', rootfs, '-xf', baseTar]);
  }

  // This machine's Node and npm, where the official image keeps them.
  copyFileSync(process.execPath, path.join(rootfs, 'usr', 'local', 'bin', 'node'));
  const npmDest = path.join(rootfs, 'usr', 'local', 'lib', 'node_modules', 'npm');
  mkdirSync(path.dirname(npmDest), { recursive: true });
  cpSync(npmRoot(), npmDest, { recursive: true, dereference: true });
  for (const [bin, target] of [
    ['npm', '../lib/node_modules/npm/bin/npm-cli.js'],
    ['npx', '../lib/node_modules/npm/bin/npx-cli.js'],
  ]) {
    spawnSync('ln', ['-sf', target, path.join(rootfs, 'usr', 'local', 'bin', bin)]);
  }
  // This machine's CA bundle (it may hold the CA of a proxy in front of the registry), for Node and npm.
  const ca = '/etc/ssl/certs/ca-certificates.crt';
  if (existsSync(ca)) {
    mkdirSync(path.join(rootfs, 'etc', 'ssl', 'certs'), { recursive: true });
    copyFileSync(ca, path.join(rootfs, 'etc', 'ssl', 'certs', 'ca-certificates.crt'));
    mkdirSync(path.join(rootfs, 'usr', 'local', 'etc'), { recursive: true });
    writeFileSync(path.join(rootfs, 'usr', 'local', 'etc', 'npmrc'), `cafile=${ca}\n`);
  }
  // The official image's `node` user and group, uid and gid 1000.
  appendLine(path.join(rootfs, 'etc', 'group'), 'node:x:1000:');
  appendLine(path.join(rootfs, 'etc', 'passwd'), 'node:x:1000:1000::/home/node:/bin/sh');
  mkdirSync(path.join(rootfs, 'home', 'node'), { recursive: true });
  spawnSync('chown', ['1000:1000', path.join(rootfs, 'home', 'node')]);
  for (const dir of readdirSync(path.join(rootfs, 'tmp'))) rmSync(path.join(rootfs, 'tmp', dir), { recursive: true });

  const imageTar = path.join(workDir, 'node-stand-in.tar');
  tar(['-C', rootfs, '-cf', imageTar, '.']);
  rmSync(rootfs, { recursive: true, force: true });
  const changes = [
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `ENV NODE_VERSION=${process.version.slice(1)}`,
    ...(existsSync('/etc/ssl/certs/ca-certificates.crt')
      ? ['ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt']
      : []),
    `LABEL ${standInLabel}=true`,
    `LABEL ${recipeLabel}=${recipeHash()}`,
    `LABEL org.opencontainers.image.description="GitTix local stand-in for ${name}: Debian bookworm with Node ${process.version}; never pushed"`,
    'CMD ["node"]',
  ];
  await engineRun(['import', ...changes.flatMap((c) => ['--change', c]), imageTar, name], { timeoutMs: 300_000 });
  rmSync(imageTar, { force: true });
  log(`${name}: stand-in built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function appendLine(file, line) {
  const text = readFileSync(file, 'utf8');
  const name = line.split(':')[0];
  if (text.split('\n').some((l) => l.startsWith(`${name}:`))) return;
  writeFileSync(file, `${text.replace(/\n?$/, '\n')}${line}\n`);
}

function tar(args) {
  const result = spawnSync('tar', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`gittix: tar ${args.join(' ')} failed: ${lastLine(result.stderr)}`);
}

function lastLine(text) {
  return (
    String(text ?? '')
      .trim()
      .split('\n')
      .pop() ?? ''
  );
}
