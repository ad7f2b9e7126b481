// The guard of `npm start`'s children. The supervisor (platform.mjs) starts
// each child in its own process group, so a terminal's Ctrl-C reaches only the
// supervisor, which then stops them in order. But a supervisor that is killed
// outright (SIGKILL, an out-of-memory kill) cannot stop anything: this small
// process can. It reads the children's process groups from its stdin, one line
// each (`+<pgid>` when a child starts, `-<pgid>` when it ends), and when stdin
// closes (the supervisor is gone, whatever the reason), it sends SIGTERM to
// every group still registered, then SIGKILL to what is left two seconds later.
import { createInterface } from 'node:readline';

const groups = new Set();

function alive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(pgid, sig) {
  try {
    process.kill(-pgid, sig);
  } catch {
    /* already gone */
  }
}

// The guard outlives the supervisor on purpose; it must not be stopped by the
// signals meant for it (Ctrl-C of the terminal, a SIGTERM to the group).
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const pgid = Number(line.slice(1));
  if (!Number.isInteger(pgid) || pgid <= 1) return;
  if (line.startsWith('+')) groups.add(pgid);
  else if (line.startsWith('-')) groups.delete(pgid);
});
lines.on('close', () => {
  const left = [...groups].filter(alive);
  for (const pgid of left) signal(pgid, 'SIGTERM');
  setTimeout(
    () => {
      for (const pgid of left) if (alive(pgid)) signal(pgid, 'SIGKILL');
      process.exit(0);
    },
    left.length > 0 ? 2000 : 0,
  );
});
