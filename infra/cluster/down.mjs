#!/usr/bin/env node
// Stops the local cluster that infra/cluster/up.mjs started and removes everything
// it made on the host: its processes (and any container, shim or binary of ours
// that no pid record names), the pods' network namespaces, every mount under the
// state folder, the bridge gittix0 and its veths, the node address on lo, the
// KUBE-* and GITTIX-* iptables chains (iptables and ip6tables), the containers'
// empty cgroups, and the kernel tunables the kubelet rewrote. The state folder
// keeps only the logs (logs/, and logs.previous/ of the run before).
//
//   node infra/cluster/down.mjs
//
// Exits 0 when nothing is left behind; otherwise lists what is and exits 1.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ctr,
  isAlive,
  mountsUnder,
  network,
  ourChains,
  ourNetns,
  paths,
  readHost,
  readPids,
  removeChains,
  run,
  say,
  sleep,
  stateDir,
  stopProcess,
  strayProcesses,
  sysctlGet,
  sysctlSet,
} from './lib.mjs';

function bridgeExists() {
  return run('ip', ['link', 'show', network.bridge], { allowFail: true }).ok;
}

function loAddressPresent() {
  const out = run('ip', ['-4', '-o', 'addr', 'show', 'dev', 'lo'], { allowFail: true }).stdout;
  return out.includes(` ${network.nodeIP}/`);
}

/** Everything of ours still on the host, one line each. */
export function leftovers() {
  const found = [];
  for (const record of readPids()) if (isAlive(record)) found.push(`process ${record.name} (pid ${record.pid})`);
  for (const stray of strayProcesses()) found.push(`process ${stray.pid}: ${stray.name}`);
  for (const point of mountsUnder(stateDir)) found.push(`mount ${point}`);
  for (const name of ourNetns()) found.push(`network namespace /run/netns/${name}`);
  if (bridgeExists()) found.push(`network interface ${network.bridge}`);
  if (loAddressPresent()) found.push(`address ${network.nodeIP}/32 on lo`);
  for (const chain of ourChains()) found.push(`iptables chain (${chain})`);
  for (const cgroup of ourCgroups()) found.push(`cgroup ${cgroup}`);
  return [...new Set(found)];
}

/** The network namespace of every container containerd still knows, then every container killed and deleted. */
async function removeContainers() {
  const namespaces = new Set();
  if (!fs.existsSync(paths.containerdSock) || !ctr(['version'], { allowFail: true, timeout: 10_000 }).ok)
    return namespaces;
  const ids = ctr(['containers', 'ls', '-q'], { allowFail: true }).stdout.split('\n').filter(Boolean);
  for (const id of ids) {
    try {
      const info = JSON.parse(ctr(['containers', 'info', id], { allowFail: true }).stdout);
      const netns = info.Spec?.linux?.namespaces?.find((n) => n.type === 'network')?.path;
      if (netns) namespaces.add(netns);
    } catch {
      // a container without a readable spec has no namespace to find
    }
  }
  for (const id of ids) ctr(['tasks', 'kill', '--signal', 'SIGKILL', id], { allowFail: true });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const running = ctr(['tasks', 'ls'], { allowFail: true })
      .stdout.split('\n')
      .slice(1)
      .filter((line) => /\bRUNNING\b/.test(line));
    if (running.length === 0) break;
    await sleep(200);
  }
  for (const id of ids) {
    ctr(['tasks', 'delete', '--force', id], { allowFail: true });
    ctr(['containers', 'delete', id], { allowFail: true });
  }
  return namespaces;
}

function removeNetns(netnsPath) {
  if (!fs.existsSync(netnsPath)) return;
  run('umount', [netnsPath], { allowFail: true });
  fs.rmSync(netnsPath, { force: true });
}

function unmountAll() {
  for (let pass = 0; pass < 3; pass++) {
    const points = mountsUnder(stateDir);
    if (points.length === 0) return;
    for (const point of points)
      if (!run('umount', [point], { allowFail: true }).ok) run('umount', ['-l', point], { allowFail: true });
  }
}

function removeInterfaces() {
  if (bridgeExists()) {
    const ports = run('ip', ['-o', 'link', 'show', 'master', network.bridge], { allowFail: true }).stdout;
    for (const m of ports.matchAll(/^\d+: ([^:@]+)/gm)) run('ip', ['link', 'del', m[1]], { allowFail: true });
    run('ip', ['link', 'del', network.bridge], { allowFail: true });
  }
  if (loAddressPresent()) run('ip', ['addr', 'del', `${network.nodeIP}/32`, 'dev', 'lo'], { allowFail: true });
}

/**
 * runc makes each container's cgroups at /sys/fs/cgroup/CONTROLLER/k8s.io/ID (containerd's
 * default path for the k8s.io namespace; the kubelet runs with cgroupsPerQOS off) and
 * removes them with the container; a killed one leaves an empty folder. rmdir only
 * ever removes an empty cgroup, so nothing that still holds a process is touched.
 */
function removeCgroups() {
  const base = '/sys/fs/cgroup';
  let controllers = [];
  try {
    controllers = fs.readdirSync(base);
  } catch {
    return;
  }
  for (const controller of controllers) {
    const parent = path.join(base, controller, 'k8s.io');
    if (!fs.existsSync(parent)) continue;
    for (const id of fs.readdirSync(parent))
      if (/^[0-9a-f]{64}$/.test(id)) run('rmdir', [path.join(parent, id)], { allowFail: true });
    run('rmdir', [parent], { allowFail: true });
  }
}

/** Container cgroups still there (a process of ours still in one, or a folder rmdir could not take). */
function ourCgroups() {
  const found = [];
  for (const controller of fs.existsSync('/sys/fs/cgroup') ? fs.readdirSync('/sys/fs/cgroup') : []) {
    const parent = path.join('/sys/fs/cgroup', controller, 'k8s.io');
    if (!fs.existsSync(parent)) continue;
    for (const id of fs.readdirSync(parent)) if (/^[0-9a-f]{64}$/.test(id)) found.push(path.join(parent, id));
  }
  return found;
}

function restoreSysctls() {
  for (const [key, value] of Object.entries(readHost().sysctls ?? {})) {
    if (value === undefined || sysctlGet(key) === value) continue;
    try {
      sysctlSet(key, value);
    } catch {
      // read-only here: nothing was changed either
    }
  }
}

/** Connection-tracking entries of our addresses (harmless, but they are ours). */
function flushConntrack() {
  for (const flag of ['--orig-src', '--orig-dst', '--reply-src', '--reply-dst'])
    run('conntrack', ['-D', flag, network.guardCIDR], { allowFail: true });
}

export async function teardown({ quiet = false } = {}) {
  const log = quiet ? () => {} : say;
  const records = readPids();
  const byName = new Map(records.map((r) => [r.name, r]));
  const stop = async (name) => {
    const record = byName.get(name);
    if (record && isAlive(record)) {
      log(`stopping ${name} (pid ${record.pid})`);
      await stopProcess(record);
    }
  };
  // Front doors first, then the kubelet so nothing restarts what is being removed.
  for (const name of ['traefik', 'local-path', 'kubelet']) await stop(name);
  const namespaces = await removeContainers();
  for (const name of [
    'kube-proxy',
    'containerd',
    'kube-scheduler',
    'kube-controller-manager',
    'kube-apiserver',
    'etcd',
  ])
    await stop(name);
  for (const record of records) await stop(record.name);

  // Whatever is ours without a record: shims, container processes, binaries of a lost run.
  for (let pass = 0; pass < 3; pass++) {
    const strays = strayProcesses();
    if (strays.length === 0) break;
    for (const stray of strays) {
      log(`killing stray process ${stray.pid}: ${stray.name}`);
      await stopProcess(stray, { signal: pass === 0 ? 'SIGTERM' : 'SIGKILL', timeout: 3000 });
    }
  }

  for (const netnsPath of namespaces) removeNetns(netnsPath);
  for (const name of ourNetns()) removeNetns(path.join('/run/netns', name));
  unmountAll();
  removeInterfaces();
  removeChains();
  removeCgroups();
  flushConntrack();
  restoreSysctls();

  // Keep the logs; drop the rest (data, sockets, certificates) once nothing is mounted there.
  if (fs.existsSync(stateDir) && mountsUnder(stateDir).length === 0)
    for (const entry of fs.readdirSync(stateDir))
      if (!entry.startsWith('logs')) fs.rmSync(path.join(stateDir, entry), { recursive: true, force: true });
  return leftovers();
}

async function main() {
  if (process.getuid?.() !== 0) {
    process.stderr.write(
      'gittix: down.mjs must run as root (it removes network interfaces, mounts and iptables rules)\n',
    );
    process.exit(1);
  }
  const left = await teardown();
  if (left.length > 0) {
    process.stderr.write(`left behind:\n${left.map((l) => `  - ${l}`).join('\n')}\n`);
    process.stderr.write(
      `gittix: the local cluster is not fully removed (${left.length} items above); re-run down.mjs, or remove them by hand\n`,
    );
    process.exit(1);
  }
  say('the local cluster is down and nothing of it is left on this machine');
}

// Importing this file (up.mjs does) runs nothing; running it tears down.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
