// The container engine GitTix builds and runs its images with: a Docker engine
// where one answers, otherwise podman (installed and configured by
// scripts/install-tools.sh podman). Every caller goes through `containerEngine()`
// so the choice, and podman's settings for this machine, live in one place.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const toolsDir = process.env.GITTIX_TOOLS_DIR ?? path.join(repoRoot, '.tools');
/** Written by `scripts/install-tools.sh podman`: the settings podman needs on machines like this one. */
export const podmanConf = path.join(toolsDir, 'containers', 'containers.conf');

/**
 * @typedef {{
 *   name: 'docker' | 'podman',
 *   bin: string,
 *   env: NodeJS.ProcessEnv,
 *   buildFlags: string[],
 * }} Engine
 */

/** @type {Engine | undefined} */
let cached;

/**
 * Finds (and, for podman, prepares) the engine. Throws one line naming what is
 * missing and how to get it.
 * @returns {Engine}
 */
export function containerEngine() {
  if (cached) return cached;
  const wanted = process.env.GITTIX_CONTAINER_ENGINE;
  if (wanted !== 'podman' && answers('docker', ['info', '--format', '{{.ServerVersion}}'], process.env)) {
    cached = { name: 'docker', bin: 'docker', env: process.env, buildFlags: [] };
    return cached;
  }
  if (wanted === 'docker') throw new Error('gittix: GITTIX_CONTAINER_ENGINE=docker, but no Docker engine answers');
  const install = spawnSync('bash', [path.join(repoRoot, 'scripts', 'install-tools.sh'), 'podman'], {
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
  });
  if (install.status !== 0) {
    throw new Error(
      (install.stderr ?? '').trim().split('\n').pop() || 'gittix: could not set up podman (scripts/install-tools.sh)',
    );
  }
  const env = { ...process.env, CONTAINERS_CONF: podmanConf };
  cached = {
    name: 'podman',
    bin: 'podman',
    env,
    // The OCI-runtime isolation hits "cgroups in hybrid mode not supported" here;
    // chroot isolation builds the same layers. Host networking lets `npm ci` reach the registry.
    // A chroot build starts RUN steps with 1024 open files, too few for `npm ci`
    // of the client; this process's own limit is the most it may ask for.
    buildFlags: ['--isolation=chroot', '--network=host', '--ulimit', `nofile=${openFilesLimit()}:${openFilesLimit()}`],
  };
  return cached;
}

function openFilesLimit() {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const hard = Number(line?.split(/\s{2,}/)[2]);
    return Number.isFinite(hard) && hard > 0 ? hard : 4096;
  } catch {
    return 4096;
  }
}

function answers(bin, args, env) {
  const result = spawnSync(bin, args, { env, stdio: 'ignore', timeout: 15_000 });
  return result.status === 0;
}

/**
 * Runs the engine and returns its output; rejects with its last lines on failure.
 * @param {string[]} args
 * @param {{ cwd?: string, input?: string | Buffer, onLine?: (line: string) => void, timeoutMs?: number, allowFailure?: boolean }} [options]
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string }>}
 */
export function engineRun(args, options = {}) {
  const engine = containerEngine();
  return new Promise((resolve, reject) => {
    const child = spawn(engine.bin, args, { cwd: options.cwd, env: engine.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let partial = '';
    const lines = (chunk) => {
      if (!options.onLine) return;
      partial += chunk;
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) options.onLine(line);
    };
    child.stdout.on('data', (d) => {
      stdout += d;
      lines(String(d));
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      lines(String(d));
    });
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.once('error', (err) => reject(new Error(`gittix: could not run ${engine.bin}: ${err.message}`)));
    child.once('close', (code) => {
      if (timer) clearTimeout(timer);
      if (code === 0 || options.allowFailure) resolve({ code, stdout, stderr });
      else {
        const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-15).join('\n');
        reject(new Error(`${engine.bin} ${args.slice(0, 3).join(' ')} … failed (exit ${code}):\n${tail}`));
      }
    });
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

/** True if the engine has an image by this name. */
export async function hasImage(name) {
  const result = await engineRun(['image', 'inspect', name], { allowFailure: true });
  return result.code === 0;
}

/** The image's labels (empty when it has none). */
export async function imageLabels(name) {
  const result = await engineRun(['image', 'inspect', '--format', '{{json .Config.Labels}}', name]);
  return JSON.parse(result.stdout.trim() || 'null') ?? {};
}

/** The image's size in bytes. */
export async function imageSize(name) {
  const result = await engineRun(['image', 'inspect', '--format', '{{.Size}}', name]);
  return Number(result.stdout.trim());
}
