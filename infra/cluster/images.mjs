#!/usr/bin/env node
// The images the one-node cluster runs, ready for its containerd (no registry is
// reachable here, so deploy.mjs imports them from one archive, as `kind load` would):
//
//   - GitTix's: the runtime target of every skaffold artifact the manifests run, built
//     by infra/containers/images.mjs (`npm run images -- --target runtime`): the six
//     services and the client of infra/k8s, and the Stripe API of infra/k8s-dev;
//   - the third-party ones (mongo, nats-streaming, redis), pulled where a registry
//     serves them, else local stand-ins under the same names (stand-ins.mjs);
//   - then one docker-archive of all of them, .tools/cluster/images/gittix.docker.tar,
//     written again only when one of the images changed (its id is in the stamp).
//
//   node infra/cluster/images.mjs          (`npm run cluster:up` runs it before up.mjs)
//
// Every failure ends with one line `gittix: …`.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { qualified } from '../containers/base-images.mjs';
import { engineRun, repoRoot } from '../containers/engine.mjs';
import { buildImages, imageSpecs, tagOf } from '../containers/images.mjs';
import { ensureStandIns } from './stand-ins.mjs';

const toolsDir = path.resolve(process.env.GITTIX_CLUSTER_DIR ?? path.join(repoRoot, '.tools', 'cluster'));
export const archive = path.join(toolsDir, 'images', 'gittix.docker.tar');
const stampFile = `${archive}.stamp`;
const say = (line) => process.stdout.write(`${'images'.padEnd(10)}│ ${line}\n`);

/** The folders whose workloads the cluster runs (what docs/cluster.md applies). */
export const manifestDirs = ['infra/k8s', 'infra/k8s-dev'];

/** Every container image the Deployments and StatefulSets of the manifests name, as written. */
export function manifestImages() {
  const found = new Set();
  for (const dir of manifestDirs) {
    const full = path.join(repoRoot, dir);
    for (const file of readdirSync(full)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()) {
      for (const doc of parseAllDocuments(readFileSync(path.join(full, file), 'utf8'))) {
        const object = doc.toJS();
        if (object?.kind !== 'Deployment' && object?.kind !== 'StatefulSet') continue;
        for (const c of object.spec.template.spec.containers ?? []) found.add(c.image);
      }
    }
  }
  return [...found].sort();
}

/** What a reference means to a node: `gittix/auth` → docker.io/gittix/auth:latest. */
export function normalized(image) {
  const name = qualified(image);
  return /:[^/]+$/.test(name) ? name : `${name}:latest`;
}

async function imageId(name) {
  const result = await engineRun(['image', 'inspect', '--format', '{{.Id}}', name], { allowFailure: true });
  if (result.code !== 0) throw new Error(`gittix: the engine has no image ${name} after building it`);
  return result.stdout.trim();
}

async function main() {
  const started = Date.now();
  const images = manifestImages();
  const ours = images.filter((i) => i.startsWith('gittix/'));
  const specs = new Map(imageSpecs().map((s) => [s.image, s]));
  const unknown = ours.filter((i) => !specs.has(i));
  if (unknown.length > 0)
    throw new Error(`gittix: the manifests run ${unknown.join(', ')}, which skaffold.yaml does not build`);

  say(`building the runtime images of ${ours.join(', ')}…`);
  const t0 = Date.now();
  const built = await buildImages({
    only: ours.map((i) => specs.get(i).name),
    targets: ['runtime'],
    log: (line) => process.stdout.write(`${line}\n`),
  });
  const buildSeconds = (Date.now() - t0) / 1000;

  const t1 = Date.now();
  const thirdParty = images.filter((i) => !i.startsWith('gittix/'));
  const standIns = await ensureStandIns(thirdParty, { log: say });
  for (const [image, how] of Object.entries(standIns)) say(`${image}: ${how}`);
  const standInSeconds = (Date.now() - t1) / 1000;

  // One archive, rewritten only when an image changed.
  const names = [...ours.map((i) => tagOf(specs.get(i), 'runtime')), ...thirdParty.map(normalized)];
  const ids = [];
  for (const name of names) ids.push(`${name}@${await imageId(name)}`);
  const stamp = `${ids.join('\n')}\n`;
  const t2 = Date.now();
  let saved = 'unchanged';
  if (!existsSync(archive) || !existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp) {
    mkdirSync(path.dirname(archive), { recursive: true });
    rmSync(`${archive}.new`, { force: true });
    rmSync(stampFile, { force: true });
    await engineRun(['save', '-q', '-m', '--format', 'docker-archive', '-o', `${archive}.new`, ...names], {
      timeoutMs: 900_000,
    });
    renameSync(`${archive}.new`, archive);
    writeFileSync(stampFile, stamp);
    saved = 'written';
  }
  const saveSeconds = (Date.now() - t2) / 1000;
  const size = (statSync(archive).size / 1e6).toFixed(0);
  say(`${archive}: ${names.length} images, ${size} MB (${saved} in ${saveSeconds.toFixed(1)} s)`);
  const summary = {
    images: names,
    standIns,
    builtSeconds: Number(buildSeconds.toFixed(1)),
    rows: built.rows.map((r) => ({ image: r.image, seconds: Number(r.seconds.toFixed(1)) })),
    standInSeconds: Number(standInSeconds.toFixed(1)),
    archive: { file: archive, saved, seconds: Number(saveSeconds.toFixed(1)), megabytes: Number(size) },
    seconds: Number(((Date.now() - started) / 1000).toFixed(1)),
  };
  writeFileSync(path.join(path.dirname(archive), 'images.json'), `${JSON.stringify(summary, null, 2)}\n`);
  say(`cluster images ready in ${summary.seconds} s`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await main();
  } catch (error) {
    const message = String(error?.message ?? error);
    const lines = message.split('\n');
    const gittix = lines.find((l) => l.startsWith('gittix:'));
    if (!gittix) process.stderr.write(`${message}\n`);
    else if (lines.length > 1) process.stderr.write(`${lines.filter((l) => l !== gittix).join('\n')}\n`);
    process.stderr.write(`${gittix ?? `gittix: building the cluster's images failed: ${lines[0]}`}\n`);
    process.exit(1);
  }
}
