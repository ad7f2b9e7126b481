// The guard of npm start (infra/local/guard.sh) stops the children's process
// groups when its stdin closes, that is when the supervisor is gone however it
// died. It must stop what is registered and still running, SIGKILL what ignores
// SIGTERM, and leave alone a group that was unregistered or never registered.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const guardScript = path.join(__dirname, '..', 'local', 'guard.sh');

function group(script: string): ChildProcess {
  // detached: a process group of its own, as the supervisor starts each child.
  return spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore' });
}

const exited = (child: ChildProcess) =>
  new Promise<NodeJS.Signals | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.signalCode);
    else child.once('exit', (_code, signal) => resolve(signal));
  });

const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

it('stops every registered group when its stdin closes: SIGTERM, then SIGKILL 2 s later', async () => {
  const polite = group('sleep 60');
  const stubborn = group("trap '' TERM; while :; do sleep 1; done");
  const unregistered = group('sleep 60');
  const never = group('sleep 60');
  try {
    const guard = spawn('/bin/sh', [guardScript], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    guard.stderr.on('data', (chunk) => (stderr += chunk));
    for (const line of [
      `+${polite.pid}`,
      `+${stubborn.pid}`,
      `+${unregistered.pid}`,
      `+${polite.pid}`, // registered twice: still one group
      `-${unregistered.pid}`,
      '+not-a-pid',
      '+1', // never a group to signal
      '-424242', // never registered
    ])
      guard.stdin.write(`${line}\n`);
    // The guard ignores the signals meant for the supervisor.
    await new Promise((resolve) => setTimeout(resolve, 200));
    guard.kill('SIGTERM');
    guard.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(guard.exitCode).toBeNull();

    const started = Date.now();
    guard.stdin.end();
    expect(await exited(polite)).toBe('SIGTERM');
    expect(Date.now() - started).toBeLessThan(1500);
    expect(await exited(stubborn)).toBe('SIGKILL');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    await exited(guard);
    expect(guard.exitCode).toBe(0);
    expect(stderr).toBe('');
    expect(alive(unregistered)).toBe(true);
    expect(alive(never)).toBe(true);
  } finally {
    for (const child of [polite, stubborn, unregistered, never])
      if (alive(child) && child.pid) process.kill(-child.pid, 'SIGKILL');
  }
});

it('exits at once when nothing is registered', async () => {
  const guard = spawn('/bin/sh', [guardScript], { stdio: ['pipe', 'ignore', 'ignore'] });
  const started = Date.now();
  guard.stdin.end();
  await exited(guard);
  expect(guard.exitCode).toBe(0);
  expect(Date.now() - started).toBeLessThan(1000);
});
