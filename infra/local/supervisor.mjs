// Runs one long-lived process for `npm start`: prefixes its log lines with its
// name, reports a crash with its last lines, restarts it with backoff, and
// restarts it too when its liveness check keeps failing.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Children run in their own process groups; never leave one behind if the platform exits abruptly.
const live = new Set();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

// …nor if it is killed outright: the guard (guard.sh) stops every child group
// still registered when this process's end of its stdin closes. A shell script,
// not Node: it idles at about 1 MiB where a Node process idles at 40.
let guard;
function tellGuard(line) {
  if (!guard) {
    guard = spawn('/bin/sh', [path.join(path.dirname(fileURLToPath(import.meta.url)), 'guard.sh')], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    guard.unref();
    guard.stdin.on('error', () => {});
    guard.stdin.unref?.();
  }
  guard.stdin.write(`${line}\n`);
}

/** The guard's pid, so a test can check it is gone after the platform stopped. */
export const guardPid = () => guard?.pid;

const levels = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** Turns a pino JSON line into something a person reads; other lines pass through. */
export function formatLine(line) {
  if (!line.startsWith('{')) return line;
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  const level = levels[entry.level] ?? String(entry.level ?? '');
  const parts = [level.padEnd(5), entry.msg ?? ''];
  if (entry.req && entry.res)
    parts.push(`${entry.req.method} ${entry.req.url} → ${entry.res.statusCode} ${entry.responseTime ?? '?'}ms`);
  if (entry.subject) parts.push(`${entry.subject}#${entry.sequence ?? '?'}`);
  if (entry.err?.message) parts.push(`(${entry.err.message})`);
  if (entry.requestId && !(entry.req && entry.res)) parts.push(`[${entry.requestId}]`);
  return parts.filter(Boolean).join(' ');
}

export class Supervised {
  /**
   * @param {{ name: string, command: string, args: string[], cwd?: string, env: NodeJS.ProcessEnv, print: (name: string, line: string) => void,
   *           isReady: (output: () => string) => Promise<boolean> | boolean, isAlive?: () => Promise<boolean>,
   *           onSpawn?: (pid: number | undefined) => void }} options
   *   isAlive: checked every 10 s once ready; three failures in a row restart the process (its /healthz, for a service).
   */
  constructor(options) {
    this.options = options;
    this.lines = [];
    this.stopping = false;
    this.restarts = 0;
    this.child = undefined;
    this.restartTimer = undefined;
  }

  /** Starts the process and resolves once it is ready; rejects if it dies first or takes over 90 s. */
  async start() {
    this.spawn();
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (!this.child) throw new Error(`${this.options.name} exited while starting:\n${this.tail()}`);
      if (await Promise.resolve(this.options.isReady(() => this.lines.join('\n'))).catch(() => false)) {
        this.watchLiveness();
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.options.name} was not ready within 90 s:\n${this.tail()}`);
  }

  spawn() {
    const { name, command, args, cwd, env, print } = this.options;
    // Its own process group: a terminal's Ctrl-C reaches only the platform, which then stops everything in order.
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    live.add(child);
    if (child.pid) tellGuard(`+${child.pid}`);
    this.options.onSpawn?.(child.pid);
    const startedAt = Date.now();
    const onData = (chunk) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        this.lines.push(line);
        if (this.lines.length > 50) this.lines.shift();
        print(name, formatLine(line));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (err) => print(name, `could not start: ${err.message}`));
    child.once('exit', (code, signal) => {
      live.delete(child);
      if (child.pid) tellGuard(`-${child.pid}`);
      if (this.child === child) this.child = undefined;
      if (this.stopping) return;
      // A process that ran for a minute gets a fresh backoff.
      if (Date.now() - startedAt > 60_000) this.restarts = 0;
      const delay = Math.min(1000 * 2 ** this.restarts, 30_000);
      this.restarts += 1;
      print(
        name,
        `exited (${signal ?? `code ${code}`}); last lines:\n${this.tail()}\n→ restarting in ${delay / 1000} s`,
      );
      this.restartTimer = setTimeout(() => this.spawn(), delay);
    });
  }

  /** Restarts a process that keeps failing its liveness check (it is running, but cannot recover on its own). */
  watchLiveness() {
    if (!this.options.isAlive || this.livenessTimer) return;
    let failures = 0;
    this.livenessTimer = setInterval(async () => {
      if (this.stopping || !this.child) return;
      const alive = await this.options.isAlive().catch(() => false);
      failures = alive ? 0 : failures + 1;
      if (failures >= 3) {
        failures = 0;
        this.options.print(this.options.name, 'failed its liveness check three times; restarting it');
        this.child.kill('SIGKILL');
      }
    }, 10_000);
    this.livenessTimer.unref();
  }

  tail(count = 20) {
    return this.lines
      .slice(-count)
      .map((l) => `    ${formatLine(l)}`)
      .join('\n');
  }

  /** From now on an exit is expected: no crash report, no restart. */
  markStopping() {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    clearInterval(this.livenessTimer);
  }

  /** SIGTERM, then SIGKILL after 10 s. */
  async stop() {
    this.markStopping();
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(undefined);
      });
      child.kill('SIGTERM');
    });
  }
}
