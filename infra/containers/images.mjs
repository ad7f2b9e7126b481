#!/usr/bin/env node
// `npm run images`: builds every GitTix image, as skaffold.yaml defines them
// (one artifact per image: Dockerfile, build arguments, dev target), with
// whichever container engine is present, then prints each image's size.
//
//   npm run images                      all six images, runtime and dev targets
//   npm run images -- auth client       only these
//   npm run images -- --target runtime  only the runtime (or dev) targets
//
// Runtime images are tagged gittix/<name>:latest (what infra/k8s names), dev
// images gittix/<name>:dev (what skaffold dev builds).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { baseImagesOf, ensureBaseImages } from './base-images.mjs';
import { containerEngine, engineRun, imageSize, repoRoot } from './engine.mjs';

/**
 * @typedef {{ name: string, image: string, dockerfile: string, buildArgs: Record<string, string>, devTarget: string }} ImageSpec
 */

/** The images skaffold.yaml builds, in its order. @returns {ImageSpec[]} */
export function imageSpecs() {
  const config = parse(readFileSync(path.join(repoRoot, 'skaffold.yaml'), 'utf8'));
  return config.build.artifacts.map((artifact) => ({
    name: artifact.image.replace(/^gittix\//, ''),
    image: artifact.image,
    dockerfile: artifact.docker?.dockerfile ?? 'Dockerfile',
    buildArgs: artifact.docker?.buildArgs ?? {},
    devTarget: artifact.docker?.target ?? 'dev',
  }));
}

/** The engine-side name of an image tag (docker.io/gittix/auth:latest is what `gittix/auth` means to a cluster). */
export const tagOf = (spec, target) => `docker.io/${spec.image}:${target === 'runtime' ? 'latest' : 'dev'}`;

/**
 * Builds images. Resolves with one row per image built.
 * @param {{ only?: string[], targets?: Array<'runtime' | 'dev'>, log?: (line: string) => void, buildArgs?: Record<string, string> }} [options]
 */
export async function buildImages(options = {}) {
  const log = options.log ?? ((line) => process.stdout.write(`${line}\n`));
  const engine = containerEngine();
  const specs = imageSpecs().filter((s) => !options.only?.length || options.only.includes(s.name));
  const targets = options.targets ?? ['runtime', 'dev'];
  const bases = await ensureBaseImages(baseImagesOf([...new Set(specs.map((s) => s.dockerfile))]), {
    log: (line) => log(`images    │ ${line}`),
  });
  for (const [image, how] of Object.entries(bases)) log(`images    │ base ${image}: ${how}`);
  const rows = [];
  for (const spec of specs) {
    for (const target of targets) {
      const tag = tagOf(spec, target);
      const started = Date.now();
      const args = [
        'build',
        ...engine.buildFlags,
        '-f',
        spec.dockerfile,
        ...Object.entries({ ...spec.buildArgs, ...options.buildArgs }).flatMap(([k, v]) => [
          '--build-arg',
          `${k}=${v}`,
        ]),
        // The runtime stage is each Dockerfile's last (default) stage.
        ...(target === 'dev' ? ['--target', spec.devTarget] : []),
        '-t',
        tag,
        '.',
      ];
      log(`images    │ building ${tag} (${spec.dockerfile}${target === 'dev' ? `, target ${spec.devTarget}` : ''})…`);
      const tail = [];
      try {
        await engineRun(args, {
          cwd: repoRoot,
          onLine: (line) => {
            tail.push(line);
            if (tail.length > 40) tail.shift();
          },
        });
      } catch (err) {
        throw new Error(`gittix: building ${tag} failed:\n${tail.join('\n') || err.message}`, { cause: err });
      }
      const seconds = (Date.now() - started) / 1000;
      const bytes = await imageSize(tag);
      rows.push({ image: tag, name: spec.name, target, seconds, bytes });
      log(`images    │ ${tag}: ${formatBytes(bytes)} in ${seconds.toFixed(1)} s`);
    }
  }
  // How to run the same engine (the container tests inspect the images with it).
  const command = {
    bin: engine.bin,
    env: engine.env.CONTAINERS_CONF ? { CONTAINERS_CONF: engine.env.CONTAINERS_CONF } : {},
  };
  return { engine: engine.name, command, bases, rows };
}

export function formatBytes(bytes) {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  // --json: one last line `gittix-images {…}` with what was built, for the container tests.
  const json = args.includes('--json');
  const rest = args.filter((a) => a !== '--json');
  const targetAt = rest.indexOf('--target');
  const target = targetAt >= 0 ? rest.splice(targetAt, 2)[1] : undefined;
  if (target && target !== 'runtime' && target !== 'dev') {
    process.stderr.write(`gittix: --target must be runtime or dev (got '${target}')\n`);
    process.exit(2);
  }
  const started = Date.now();
  try {
    const built = await buildImages({ only: rest, targets: target ? [target] : undefined });
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(`\nimages built with ${built.engine} in ${seconds.toFixed(1)} s:\n`);
    for (const row of built.rows)
      process.stdout.write(
        `  ${row.image.padEnd(38)} ${formatBytes(row.bytes).padStart(9)}  (${row.seconds.toFixed(1)} s)\n`,
      );
    if (json) process.stdout.write(`gittix-images ${JSON.stringify({ ...built, seconds })}\n`);
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
