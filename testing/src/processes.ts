import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** A server process started for tests or for `npm start`. */
export interface RunningServer {
  name: string;
  url: string;
  port: number;
  /** The process id, for tests that pause or kill it (absent for a server given by URL). */
  pid?: number;
  /** The last lines the process printed (for error messages). */
  output(): string;
  stop(): Promise<void>;
}

/** The repository root: the nearest folder up whose package.json declares workspaces. */
export function repoRoot(from = __dirname): string {
  let dir = from;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { workspaces?: unknown }).workspaces) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('gittix: cannot find the repository root (a package.json with workspaces)');
    dir = parent;
  }
}

/** Where the infrastructure binaries live (`.tools/bin`). */
export function toolsBin(): string {
  return path.join(repoRoot(), '.tools', 'bin');
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, so never a fixed one that may be taken). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Returns the path of an infrastructure binary, installing it into `.tools/bin`
 * first if needed (scripts/install-tools.sh prints what it is doing). Throws
 * with the installer's one-line reason when it cannot be had.
 */
export function ensureTool(name: 'ferretdb' | 'nats-streaming-server' | 'stripe-mock'): string {
  const binary = path.join(toolsBin(), name);
  const script = path.join(repoRoot(), 'scripts', 'install-tools.sh');
  // The script is quick when the binary is current, and rebuilds a stale one.
  const result = spawnSync('bash', [script, name], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) {
    const reason = (result.stderr || '').trim().split('\n').pop() ?? `could not install ${name}`;
    throw new Error(reason || `gittix: could not install ${name}; run scripts/install-tools.sh ${name}`);
  }
  return binary;
}

/** Finds a command on PATH, or null. */
export function which(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Never leave a server behind when the parent exits without calling stop().
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

export interface SpawnServerOptions {
  name: string;
  command: string;
  args: string[];
  port: number;
  url: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Resolves when the server is usable; defaults to "the TCP port accepts connections". */
  ready?: (output: () => string) => Promise<boolean> | boolean;
  timeoutMs?: number;
  /** Called with every output line (npm start prefixes and prints them). */
  onLine?: (line: string) => void;
}

/** Spawns a server, waits until it is ready, and returns a handle that stops it. */
export async function spawnServer(options: SpawnServerOptions): Promise<RunningServer> {
  installExitHook();
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a terminal's Ctrl-C reaches only the parent, which stops servers in order.
    detached: true,
  });
  running.add(child);
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      lines.push(line);
      if (lines.length > 200) lines.shift();
      options.onLine?.(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const output = () => lines.slice(-20).join('\n');

  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      running.delete(child);
      resolve();
    }),
  );
  child.once('error', (err) => {
    spawnError = err;
  });

  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exit;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const ready = options.ready ?? (() => portAccepts(options.port));
  for (;;) {
    if (spawnError)
      throw new Error(`gittix: could not start ${options.name} (${options.command}): ${spawnError.message}`);
    if (exited) {
      throw new Error(`gittix: ${options.name} exited (code ${String(exited.code)}) before it was ready:\n${output()}`);
    }
    if (await ready(output)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `gittix: ${options.name} was not ready within ${(options.timeoutMs ?? 30_000) / 1000} s:\n${output()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { name: options.name, url: options.url, port: options.port, pid: child.pid, output, stop };
}

/** True if something accepts TCP connections on 127.0.0.1:port. */
export function portAccepts(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
