import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, repoRoot, waitFor } from '@gittix/testing';
import { parse } from 'yaml';

// The container tests drive infra/containers (ES modules, which Jest's CommonJS
// runtime cannot load) as processes, the way a developer runs them:
// `npm run images` and `npm run start:containers`.

export interface ImageSpec {
  name: string;
  image: string;
}

/** The images skaffold.yaml builds. */
export function imageSpecs(): ImageSpec[] {
  const config = parse(readFileSync(path.join(repoRoot(), 'skaffold.yaml'), 'utf8')) as {
    build: { artifacts: Array<{ image: string }> };
  };
  return config.build.artifacts.map((a) => ({ name: a.image.replace(/^gittix\//, ''), image: a.image }));
}

/** The engine-side tag of an image (as infra/containers/images.mjs tags it). */
export const tagOf = (spec: ImageSpec, target: 'runtime' | 'dev'): string =>
  `docker.io/${spec.image}:${target === 'runtime' ? 'latest' : 'dev'}`;

export interface EngineCommand {
  bin: string;
  env: Record<string, string>;
}

export interface BuiltImages {
  engine: string;
  command: EngineCommand;
  seconds: number;
  bases: Record<string, string>;
  rows: Array<{ image: string; name: string; target: string; seconds: number; bytes: number }>;
}

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function runNode(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const child = spawn(process.execPath, [path.join(repoRoot(), script), ...args], {
    cwd: repoRoot(),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

function jsonLine<T>(output: string, tag: string): T | undefined {
  const line = output.split('\n').find((l) => l.startsWith(`${tag} `));
  return line ? (JSON.parse(line.slice(tag.length + 1)) as T) : undefined;
}

/** `npm run images` (all six images, both targets); rejects with its output on failure. */
export async function buildImages(): Promise<BuiltImages> {
  const run = runNode('infra/containers/images.mjs', ['--json']);
  const code = await run.exited;
  const built = jsonLine<BuiltImages>(run.output(), 'gittix-images');
  if (code !== 0 || !built) throw new Error(`npm run images failed (${code}):\n${run.output().slice(-6000)}`);
  return built;
}

export interface RunningContainer {
  deployment: string;
  app: string;
  containerName: string;
  podName: string;
  ip: string;
  grace: number;
  runAsUser?: number;
  probes: { liveness?: string; readiness?: string; startup?: string };
}

export interface ContainerPlatform {
  url: string;
  /** The gateway's self-signed certificate (PEM), to trust when calling `url`. */
  ca: string;
  containers: RunningContainer[];
  /** Runs the container engine (podman or docker) as the platform does; resolves with stdout. */
  engine(args: string[], input?: Buffer): Promise<string>;
  output(): string;
  /** SIGINT, as Ctrl-C; resolves with the exit code once everything is removed. */
  stop(): Promise<number | null>;
}

/** `npm run start:containers` on a free port; resolves once it printed its ready line. */
export async function startContainerPlatform(options: {
  dataDir: string;
  env?: Record<string, Record<string, string>>;
  dev?: string[];
}): Promise<ContainerPlatform> {
  const port = await freePort();
  const args = ['--json', '--data', options.dataDir];
  if (options.dev?.length) args.push('--dev', options.dev.join(','));
  for (const [deployment, vars] of Object.entries(options.env ?? {}))
    for (const [name, value] of Object.entries(vars)) args.push('--env', `${deployment}:${name}=${value}`);
  const run = runNode('infra/containers/start.mjs', args, { PORT: String(port) });
  let code: number | null | undefined;
  void run.exited.then((c) => (code = c));
  const info = await waitFor(
    () => {
      if (code !== undefined) throw new Error(`start:containers exited (${code}):\n${run.output().slice(-6000)}`);
      return (
        run.output().includes('GitTix is up at') &&
        jsonLine<{
          url: string;
          certificate: string;
          engine: EngineCommand;
          containers: RunningContainer[];
        }>(run.output(), 'gittix-containers')
      );
    },
    'the container platform to be up',
    600_000,
  );
  const engine = (engineArgs: string[], input?: Buffer) => runEngine(info.engine, engineArgs, input);
  return {
    url: info.url,
    ca: readFileSync(info.certificate, 'utf8'),
    containers: info.containers,
    engine,
    output: run.output,
    stop: async () => {
      if (code !== undefined) return code;
      run.child.kill('SIGINT');
      return run.exited;
    },
  };
}

/** Runs the container engine with the settings the platform uses; resolves with stdout. */
export function runEngine(command: EngineCommand, args: string[], input?: Buffer): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(command.bin, args, {
      env: { ...process.env, ...command.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (exit) =>
      exit === 0 ? resolve(stdout) : reject(new Error(`${command.bin} ${args.join(' ')} (exit ${exit}): ${stderr}`)),
    );
    child.stdin.end(input);
  });
}

/** Waits until a container's readiness probe answers 200. */
export async function waitReady(container: RunningContainer, timeoutMs = 120_000): Promise<void> {
  const url = container.probes.readiness;
  if (!url) return;
  await waitFor(
    async () => {
      try {
        return (await fetch(url, { signal: AbortSignal.timeout(3000) })).status === 200;
      } catch {
        return false;
      }
    },
    `${container.deployment} to be ready`,
    timeoutMs,
  );
}
