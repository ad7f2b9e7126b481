import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, repoRoot, waitFor } from '@gittix/testing';

export interface PlatformProcess {
  url: string;
  dataDir: string;
  output(): string;
  /** Ctrl-C, as a developer would; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Runs `npm start`'s entry (infra/local/start.mjs) as a real process with its
 * own data folder and port, and waits for its ready line. Everything — FerretDB,
 * NATS Streaming, Redis, the Stripe API, five services, the client and the
 * gateway — is started by the platform itself, exactly as for a developer.
 */
export async function startPlatformProcess(
  options: { dataDir?: string; env?: Record<string, string> } = {},
): Promise<PlatformProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'gittix-e2e-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    PORT: String(port),
    GITTIX_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    // Every test user signs up from this one machine: the per-address sign-up limit
    // (50 an hour by default) would be the journeys' bottleneck, not their subject.
    SIGNUPS_PER_IP_PER_HOUR: '1000',
    ...options.env,
  };
  // The test run's own servers must not leak into the platform: it starts its own.
  for (const key of Object.keys(env)) if (key.startsWith('GITTIX_TEST_')) delete env[key];
  for (const key of ['MONGO_URL', 'NATS_URL', 'REDIS_URL', 'STRIPE_API_BASE', 'STRIPE_SECRET_KEY'])
    if (!options.env?.[key]) delete env[key];

  const child: ChildProcess = spawn(process.execPath, [path.join(repoRoot(), 'infra', 'local', 'start.mjs')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));

  const url = `http://localhost:${port}`;
  await waitFor(
    () => {
      if (exitCode !== undefined)
        throw new Error(`the platform exited (${exitCode}) before it was ready:\n${output.slice(-4000)}`);
      return output.includes(`GitTix is up at ${url}`);
    },
    'the platform ready line',
    240_000,
  );
  return {
    url,
    dataDir,
    output: () => output,
    stop: async () => {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGINT');
      return exited;
    },
  };
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
