import { serverEnv } from './env';

// What the Node.js server process does at start (loaded by instrumentation.ts).

// A bad environment stops the server at start, with every problem listed,
// instead of failing each page later. Next only logs an error thrown from
// instrumentation and serves on, so the process exits itself.
try {
  serverEnv();
} catch (err) {
  process.stderr.write(`client: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

// On SIGTERM (Kubernetes stopping the pod) Next closes its server, lets
// in-flight requests finish, and then exits with 143 by its own convention.
// That is a clean stop, so the process reports it as one: 0. (Node reads
// process.exitCode after the 'exit' listeners have run.)
process.once('SIGTERM', () => {
  process.once('exit', (code) => {
    if (code === 143) process.exitCode = 0;
  });
});
