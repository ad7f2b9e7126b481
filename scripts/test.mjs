#!/usr/bin/env node
// The one test command (`npm test`): build, typecheck, lint, every workspace's
// tests against real servers, then the end-to-end tests. Each step can also be
// run alone: `node scripts/test.mjs typecheck|lint|unit|e2e [workspace…]`.
// `node scripts/test.mjs containers` (`npm run test:containers`, run by .ci/run
// after `npm test`) builds every image and runs the platform from them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const [step = 'all', ...only] = process.argv.slice(2);
const resultsDir = path.join(root, '.data', 'test-results');

const workspaces = pkg.workspaces.filter((ws) => (only.length === 0 ? true : only.includes(ws)));
const jestWorkspaces = workspaces.filter((ws) => ws !== 'e2e' && existsSync(path.join(root, ws, 'jest.config.js')));
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const timings = [];

function run(label, command, args, options = {}) {
  const started = Date.now();
  process.stdout.write(`\n▶ ${label}\n`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' },
    ...options,
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  timings.push(`${label} ${seconds}s`);
  if (result.status !== 0) {
    failures.push(label);
    process.stdout.write(`✖ ${label} failed (${seconds}s)\n`);
    return false;
  }
  return true;
}

function build() {
  return run('build (tsc -b)', bin('tsc'), ['-b']);
}

function typecheck() {
  let ok = true;
  for (const ws of workspaces) {
    const testConfig = path.join(ws, 'tsconfig.test.json');
    if (existsSync(path.join(root, testConfig))) ok = run(`typecheck ${ws}`, bin('tsc'), ['-p', testConfig]) && ok;
  }
  return ok;
}

function lint() {
  const eslintOk = run('lint (eslint)', bin('eslint'), ['.', '--max-warnings=0']);
  const prettierOk = run('format (prettier --check)', bin('prettier'), ['--check', '--log-level=warn', '.']);
  // Unused files, dependencies and exports (knip.jsonc says what counts as used).
  const unusedOk = run('unused code (knip)', bin('knip'), ['--no-progress']);
  return eslintOk && prettierOk && unusedOk;
}

function jest(ws, extraArgs = [], config = 'jest.config.js') {
  mkdirSync(resultsDir, { recursive: true });
  const label = config === 'jest.config.js' ? ws : `${ws} (${config})`;
  const outputFile = path.join(resultsDir, `${label.replace(/\W/g, '_')}.json`);
  rmSync(outputFile, { force: true });
  const ok = run(`test ${label}`, bin('jest'), [
    '-c',
    path.join(ws, config),
    '--json',
    `--outputFile=${outputFile}`,
    ...extraArgs,
  ]);
  if (existsSync(outputFile)) {
    const report = JSON.parse(readFileSync(outputFile, 'utf8'));
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += report.numPendingTests + report.numTodoTests;
    if (!ok && report.numFailedTests === 0 && report.numRuntimeErrorTestSuites > 0)
      totals.failed += report.numRuntimeErrorTestSuites;
  } else if (!ok) {
    totals.failed += 1;
  }
  return ok;
}

function unit() {
  let ok = true;
  for (const ws of jestWorkspaces) ok = jest(ws) && ok;
  return ok;
}

function e2e() {
  if (!workspaces.includes('e2e') || !existsSync(path.join(root, 'e2e', 'jest.config.js'))) return true;
  // The browser journeys need the client's production build.
  if (existsSync(path.join(root, 'client', 'package.json')) && existsSync(path.join(root, 'client', 'app'))) {
    if (
      !run('build client (next build)', 'npm', ['run', 'build', '-w', 'client'], {
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      })
    )
      return false;
  }
  return jest('e2e', ['--runInBand']);
}

/** The images and the platform run from them; needs a container engine (podman is installed where none is). */
function containers() {
  return jest('e2e', ['--runInBand'], 'jest.containers.config.js');
}

const steps = { build, typecheck, lint, unit, e2e, containers };
const plan = step === 'all' ? ['build', 'typecheck', 'lint', 'unit', 'e2e'] : [step];
for (const name of plan) {
  const fn = steps[name];
  if (!fn) {
    console.error(`unknown step '${name}' (known: ${Object.keys(steps).join(', ')})`);
    process.exit(2);
  }
  // Later steps need the build; a failed build stops here.
  if (!fn() && name === 'build') break;
}

process.stdout.write(`\n── summary ──\n${timings.map((t) => `  ${t}`).join('\n')}\n`);
if (failures.length > 0) process.stdout.write(`failed steps: ${failures.join(', ')}\n`);
if (plan.includes('unit') || plan.includes('e2e') || plan.includes('containers')) {
  process.stdout.write(
    `tests: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}\n`,
  );
}
process.exit(failures.length > 0 ? 1 : 0);
