#!/usr/bin/env node
// `npm run cluster:test`: the cluster tests (e2e/cluster, Jest: e2e/jest.cluster.config.js)
// against GitTix on the running one-node cluster (`npm run cluster:up` first).
//
// They browse and call the API as a developer does, at https://ticketing.dev:<port> (the
// dev Ingress's host), with the name mapped to 127.0.0.1 as docs/cluster.md step 4 says
// — but in a private mount namespace (unshare --mount) whose /etc/hosts is a copy of this
// machine's plus that one line, so the machine's own file is never touched. The tests
// reach the machine's own mounts (the pods' network namespaces) through
// GITTIX_NODE_MOUNT_NS, this process's mount namespace. Jest,
// supertest and Chromium all resolve through it, as they would through /etc/hosts.
//
//   node infra/cluster/test.mjs [jest options, e.g. -t 'rollout']
//
// Exits with Jest's code; a missing cluster ends with one line `gittix: …`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { deployedFile, fail, isAlive, readPids, root, stateDir } from './lib.mjs';

if (process.getuid?.() !== 0)
  fail('the cluster tests must run as root (they read the cluster state and enter pod networks)');
const running = readPids();
if (running.length === 0 || !running.every(isAlive) || !fs.existsSync(deployedFile))
  fail('GitTix is not up on the local cluster: run npm run cluster:up first');
const unshare = spawnSync('sh', ['-c', 'command -v unshare'], { encoding: 'utf8' });
if (unshare.status !== 0)
  fail("missing unshare (for a private /etc/hosts): install it with 'apt-get install util-linux'");

const hosts = path.join(stateDir, 'hosts');
const machine = fs.existsSync('/etc/hosts') ? fs.readFileSync('/etc/hosts', 'utf8') : '127.0.0.1 localhost\n';
fs.writeFileSync(
  hosts,
  `${machine
    .split('\n')
    .filter((line) => !/\sticketing\.dev(\s|$)/.test(line))
    .join('\n')
    .trimEnd()}\n# the cluster tests (infra/cluster/test.mjs): docs/cluster.md step 4\n127.0.0.1 ticketing.dev\n`,
);

const results = path.join(root, '.data', 'test-results');
fs.mkdirSync(results, { recursive: true });
const outputFile = path.join(results, 'e2e_cluster.json');
fs.rmSync(outputFile, { force: true });
const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
if (!fs.existsSync(jest)) fail('missing Jest: run npm ci');
const args = [
  '--mount',
  '--propagation',
  'private',
  '--',
  'sh',
  '-c',
  'mount --bind "$0" /etc/hosts && exec "$@"',
  hosts,
  process.execPath,
  jest,
  '-c',
  path.join(root, 'e2e', 'jest.cluster.config.js'),
  '--runInBand',
  '--json',
  `--outputFile=${outputFile}`,
  ...process.argv.slice(2),
];
const started = Date.now();
const result = spawnSync('unshare', args, {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1', GITTIX_NODE_MOUNT_NS: `/proc/${process.pid}/ns/mnt` },
});
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (fs.existsSync(outputFile)) {
  const report = JSON.parse(fs.readFileSync(outputFile, 'utf8'));
  process.stdout.write(
    `\ncluster tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed` +
      `${report.numPendingTests ? `, ${report.numPendingTests} skipped` : ''} in ${seconds} s\n`,
  );
}
if (result.status !== 0) {
  process.stderr.write(
    `gittix: the cluster tests failed (see above; cluster logs in ${path.join(stateDir, 'logs')})\n`,
  );
  process.exit(result.status ?? 1);
}
