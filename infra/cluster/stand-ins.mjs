// The third-party images infra/k8s names (`mongo`, `nats-streaming`, `redis`) for a
// cluster where no registry answers. Each is pulled where a registry serves it;
// otherwise a local stand-in is built under the same name, the way
// infra/containers/base-images.mjs builds the Node base: the Debian bookworm rootfs
// (debootstrap, minbase; the same cached tarball) imported as a base image, then one
// small Containerfile per image (infra/cluster/stand-ins/<name>/) adding the program:
//
//   mongo:7.0.28          FerretDB v1.24.2 (.tools/bin/ferretdb) behind an entrypoint that
//                         takes the official image's env and mongod's flags
//   nats-streaming:0.25.6 nats-streaming-server v0.25.6 (.tools/bin), as the official image
//   redis:7.2.11-alpine   Debian's redis-server (7.0), as the official image's layout
//
// Each is labelled dev.gittix.stand-in=true (nothing pushes it: the publishing workflow
// refuses that label) and rebuilt only when its recipe changes (its Containerfile,
// entrypoint, binary or the base tarball). docs/cluster.md lists how each differs.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { qualified, standInLabel } from '../containers/base-images.mjs';
import { containerEngine, engineRun, hasImage, imageLabels, repoRoot } from '../containers/engine.mjs';

const recipeLabel = 'dev.gittix.stand-in.recipe';
const toolsDir = process.env.GITTIX_TOOLS_DIR ?? path.join(repoRoot, '.tools');
const containersDir = path.join(toolsDir, 'containers');
const recipesDir = path.join(repoRoot, 'infra', 'cluster', 'stand-ins');
const baseImage = 'localhost/gittix/stand-in-base:bookworm';

/**
 * The recipes, by repository name. `binaries` are copied into the build context from
 * .tools/bin (scripts/install-tools.sh builds them); `version` is what the binary must
 * be for the image's tag, when the tag names that program's release.
 */
const recipes = {
  mongo: {
    what: 'FerretDB v1 (MongoDB wire protocol over SQLite)',
    binaries: ['ferretdb'],
  },
  'nats-streaming': {
    what: 'nats-streaming-server',
    binaries: ['nats-streaming-server'],
    version: (tag) => `v${tag}`,
  },
  redis: {
    what: "Debian bookworm's redis-server (Redis 7.0)",
    binaries: [],
  },
};

const sha = (...parts) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex').slice(0, 16);
};

/** The repository of an image reference (`mongo:7.0.28` → mongo), and its tag. */
function parse(image) {
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  return { repository: image.slice(lastSlash + 1, colon), tag: image.slice(colon + 1) };
}

/** True when there is a stand-in recipe for this image. */
export function hasStandIn(image) {
  return parse(image).repository in recipes;
}

/**
 * Makes every given image available to the engine: present already (pulled, or a
 * stand-in of the current recipe), pulled now, or built as a stand-in.
 * @param {string[]} images references as the manifests write them (`mongo:7.0.28`)
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<Record<string, 'present' | 'pulled' | 'stand-in' | 'stand-in (built)'>>}
 */
export async function ensureStandIns(images, options = {}) {
  const log = options.log ?? (() => {});
  const outcome = {};
  for (const image of images) {
    const name = qualified(image);
    const { repository, tag } = parse(image);
    const recipe = recipes[repository];
    if (!recipe) throw new Error(`gittix: no stand-in recipe for ${image} (known: ${Object.keys(recipes).join(', ')})`);
    const hash = recipeHash(repository, tag);
    if (await hasImage(name)) {
      const labels = await imageLabels(name);
      if (labels[standInLabel] !== 'true') {
        outcome[image] = 'present';
        continue;
      }
      if (labels[recipeLabel] === hash) {
        outcome[image] = 'stand-in';
        continue;
      }
      log(`${image}: the stand-in's recipe changed; rebuilding it`);
    } else {
      const pulled = await engineRun(['pull', '-q', name], { allowFailure: true, timeoutMs: 120_000 });
      if (pulled.code === 0) {
        outcome[image] = 'pulled';
        continue;
      }
      log(`${image}: no registry serves it here (${lastLine(pulled.stderr)}); building a local stand-in`);
    }
    await build(image, name, repository, tag, hash, log);
    outcome[image] = 'stand-in (built)';
  }
  return outcome;
}

function binaryPath(name) {
  const file = path.join(toolsDir, 'bin', name);
  if (!existsSync(file))
    throw new Error(`gittix: missing ${file} (for the stand-in images): run scripts/install-tools.sh ${name}`);
  return file;
}

function binaryVersion(name) {
  try {
    return readFileSync(`${binaryPath(name)}.version`, 'utf8').trim();
  } catch {
    return '';
  }
}

function recipeHash(repository, tag) {
  const recipe = recipes[repository];
  const dir = path.join(recipesDir, repository);
  const files = readdirSync(dir)
    .sort()
    .map((f) => readFileSync(path.join(dir, f)));
  const binaries = recipe.binaries.map((b) => {
    const stat = statSync(binaryPath(b));
    return `${b}:${binaryVersion(b)}:${stat.size}:${stat.mtimeMs}`;
  });
  return sha(repository, tag, ...files, ...binaries, baseTarStamp(), readFileSync(new URL(import.meta.url)));
}

async function build(image, name, repository, tag, hash, log) {
  const recipe = recipes[repository];
  if (recipe.version) {
    for (const binary of recipe.binaries) {
      const have = binaryVersion(binary);
      if (have !== recipe.version(tag))
        throw new Error(
          `gittix: the ${repository} stand-in would carry ${binary} ${have || '(unknown version)'} where ${image} is ${recipe.version(tag)}: ` +
            `pin that version in scripts/install-tools.sh and run it`,
        );
    }
  }
  await ensureBase(log);
  const started = Date.now();
  const context = path.join(containersDir, 'stand-ins', repository);
  rmSync(context, { recursive: true, force: true });
  mkdirSync(context, { recursive: true });
  for (const file of readdirSync(path.join(recipesDir, repository)))
    copyFileSync(path.join(recipesDir, repository, file), path.join(context, file));
  for (const binary of recipe.binaries) copyFileSync(binaryPath(binary), path.join(context, binary));
  const engine = containerEngine();
  try {
    await engineRun(
      [
        'build',
        ...engine.buildFlags,
        '--label',
        `${standInLabel}=true`,
        '--label',
        `${recipeLabel}=${hash}`,
        '--label',
        `org.opencontainers.image.description=GitTix local stand-in for ${image}: ${recipe.what} on Debian bookworm; never pushed`,
        '-f',
        path.join(context, 'Containerfile'),
        '-t',
        name,
        context,
      ],
      { timeoutMs: 900_000 },
    );
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
  log(`${image}: stand-in (${recipe.what}) built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// ---------------------------------------------------------------- the base

/** The Debian rootfs tarball base-images.mjs keeps (made here the same way if it is missing). */
const baseTar = path.join(containersDir, 'bookworm-minbase.tar');

function baseTarStamp() {
  if (!existsSync(baseTar)) return 'none';
  const stat = statSync(baseTar);
  return `${stat.size}:${stat.mtimeMs}`;
}

async function ensureBase(log) {
  if (!existsSync(baseTar)) makeBaseTar(log);
  const stamp = sha(baseTarStamp());
  if (await hasImage(baseImage)) {
    const labels = await imageLabels(baseImage);
    if (labels[recipeLabel] === stamp) return;
  }
  log(`importing ${baseTar} as ${baseImage}…`);
  const changes = [
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `LABEL ${standInLabel}=true`,
    `LABEL ${recipeLabel}=${stamp}`,
    'LABEL org.opencontainers.image.description="GitTix: Debian bookworm (debootstrap, minbase), the base of the local stand-ins; never pushed"',
    'CMD ["/bin/sh"]',
  ];
  await engineRun(['import', ...changes.flatMap((c) => ['--change', c]), baseTar, baseImage], { timeoutMs: 300_000 });
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

/** As base-images.mjs does it: debootstrap bookworm (minbase), without apt's download cache. */
function makeBaseTar(log) {
  const debootstrap = ['/usr/sbin/debootstrap', '/usr/bin/debootstrap'].find(existsSync);
  if (!debootstrap)
    throw new Error("gittix: missing debootstrap (for the stand-in images): 'apt-get install debootstrap'");
  const rootfs = path.join(containersDir, 'stand-in-rootfs');
  rmSync(rootfs, { recursive: true, force: true });
  mkdirSync(containersDir, { recursive: true });
  log(`debootstrap bookworm (minbase) from ${debianMirror()}…`);
  const result = spawnSync(debootstrap, ['--variant=minbase', 'bookworm', rootfs, debianMirror()], {
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(
      `gittix: debootstrap failed (${lastLine(result.stderr || result.stdout)}): check the Debian mirror`,
    );
  rmSync(path.join(rootfs, 'var', 'cache', 'apt', 'archives'), { recursive: true, force: true });
  const tar = spawnSync('tar', ['-C', rootfs, '-cf', `${baseTar}.new`, '.'], { encoding: 'utf8' });
  rmSync(rootfs, { recursive: true, force: true });
  if (tar.status !== 0) throw new Error(`gittix: could not write ${baseTar}: ${lastLine(tar.stderr)}`);
  spawnSync('mv', ['-f', `${baseTar}.new`, baseTar]);
}

function lastLine(text) {
  return (
    String(text ?? '')
      .trim()
      .split('\n')
      .pop() ?? ''
  );
}
