import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Runs bridge-cli.mjs under Node (outside Jest's module system) and returns its JSON answer. */
export function runEsmBridge<T>(command: 'validate' | 'routes', input: unknown): T {
  const stdout = execFileSync(process.execPath, [path.join(__dirname, 'bridge-cli.mjs'), command], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as T;
}
