// Shared by up.mjs, down.mjs, smoke.mjs and local-path.mjs: where the local
// one-node cluster keeps its files, its addresses, and the helpers that start,
// find and stop its processes and undo what it changed on the host.
import { execFile, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const here = path.join(root, 'infra', 'cluster');
export const toolsDir = path.resolve(process.env.GITTIX_CLUSTER_DIR ?? path.join(root, '.tools', 'cluster'));
export const binDir = path.join(toolsDir, 'bin');
export const imagesDir = path.join(toolsDir, 'images');
/** Everything the running cluster writes: data, sockets, certificates, logs. Wiped by the next up.mjs. */
export const stateDir = path.resolve(process.env.GITTIX_CLUSTER_STATE ?? path.join(toolsDir, 'state'));

export const paths = {
  pids: path.join(stateDir, 'pids.json'),
  host: path.join(stateDir, 'host.json'),
  logs: path.join(stateDir, 'logs'),
  pki: path.join(stateDir, 'pki'),
  config: path.join(stateDir, 'config'),
  etcd: path.join(stateDir, 'etcd'),
  containerd: path.join(stateDir, 'containerd'),
  containerdSock: path.join(stateDir, 'containerd', 'containerd.sock'),
  kubelet: path.join(stateDir, 'kubelet'),
  cni: path.join(stateDir, 'cni'),
  volumes: path.join(stateDir, 'volumes'),
  adminKubeconfig: path.join(stateDir, 'admin.kubeconfig'),
};

// 198.18.0.0/15 is reserved for network testing (RFC 2544): nothing real lives there,
// and the GITTIX-* iptables chains keep every packet to or from it on this machine.
export const network = {
  guardCIDR: '198.18.0.0/15',
  clusterCIDR: '198.18.0.0/16', // pods; the node gets the first /24
  nodePodCIDR: '198.18.0.0/24',
  podGateway: '198.18.0.1', // on the bridge
  podRangeStart: '198.18.0.10',
  podRangeEnd: '198.18.0.250',
  bridge: 'gittix0',
  // The node's own address: a /32 on lo (this kernel has no dummy interfaces). Pods reach
  // it through the bridge gateway, the host directly; it is in the pod range's last /24,
  // which the controller-manager would only hand out to a 256th node.
  nodeIP: '198.18.255.254',
  serviceCIDR: '198.19.0.0/16',
  kubernetesServiceIP: '198.19.0.1',
  dnsServiceIP: '198.19.0.10',
  clusterDomain: 'cluster.local',
};

export const nodeName = 'gittix-node';

export const ports = {
  etcdClient: 2379,
  etcdPeer: 2380,
  etcdMetrics: 2381,
  apiserver: 6443,
  controllerManager: 10257,
  scheduler: 10259,
  kubelet: 10250,
  kubeletHealthz: 10248,
  proxyHealthz: 10256,
  proxyMetrics: 10249,
  // Traefik: the Ingress/Gateway entry point (host: 127.0.0.1, pods: the node address),
  // 8000 as `web` in Traefik's own chart (a Gateway listener binds to the entry point of
  // its port; infra/k8s-gateway's listens on 8000), and its ping/API port.
  ingress: Number(process.env.GITTIX_CLUSTER_PORT ?? 8000),
  // HTTPS (`websecure`, 8443 as in Traefik's chart): the Ingresses' TLS routers and the
  // Gateway's HTTPS listener. The session cookie is `secure`, so signing in needs it.
  ingressTLS: Number(process.env.GITTIX_CLUSTER_TLS_PORT ?? 8443),
  traefikAdmin: Number(process.env.GITTIX_CLUSTER_ADMIN_PORT ?? 8481),
};

/**
 * The certificate Traefik serves by default (ingress-nginx's "default SSL certificate"):
 * for ticketing.dev, localhost and 127.0.0.1, signed by a local CA. Both are kept in
 * .tools/cluster/ingress-tls/ across clusters, so a browser told to trust the CA once
 * keeps trusting it.
 */
export const ingressTLS = {
  dir: path.join(toolsDir, 'ingress-tls'),
  ca: path.join(toolsDir, 'ingress-tls', 'ca.crt'),
  caKey: path.join(toolsDir, 'ingress-tls', 'ca.key'),
  cert: path.join(toolsDir, 'ingress-tls', 'tls.crt'),
  key: path.join(toolsDir, 'ingress-tls', 'tls.key'),
  hosts: ['ticketing.dev', 'localhost'],
  ips: ['127.0.0.1'],
};

/** What deploy.mjs leaves for cluster:test: the URLs and the timings (state/gittix.json). */
export const deployedFile = path.join(stateDir, 'gittix.json');

export const images = {
  pause: 'gittix.local/pause:1',
  echo: 'gittix.local/echo:1',
};

/** The kernel tunables the kubelet rewrites at start (see setupKernelTunables); down.mjs puts them back. */
export const kubeletSysctls = [
  'vm.overcommit_memory',
  'vm.panic_on_oom',
  'kernel.panic',
  'kernel.panic_on_oops',
  'kernel.keys.root_maxkeys',
  'kernel.keys.root_maxbytes',
];

export const say = (line) => process.stdout.write(`${'cluster'.padEnd(10)}│ ${line}\n`);

export class GittixError extends Error {}

/** Ends the process with the one `gittix:` line every failure ends with. */
export function fail(line) {
  process.stderr.write(`gittix: ${line}\n`);
  process.exit(1);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function bin(name) {
  return path.join(binDir, name);
}

/** Runs a command to completion; throws (with its stderr) unless allowFail. */
export function run(command, args, { input, allowFail = false, env, timeout = 120_000 } = {}) {
  const result = spawnSync(command, args, {
    input,
    env: env ? { ...process.env, ...env } : process.env,
    encoding: 'utf8',
    timeout,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error && !allowFail) throw new GittixError(`${command} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0 && !allowFail)
    throw new GittixError(
      `${path.basename(command)} ${args.join(' ')} exited ${result.status}: ${(result.stderr || result.stdout || '').trim()}`,
    );
  return { ok: result.status === 0, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

export function kubectl(args, options = {}) {
  return run(bin('kubectl'), ['--kubeconfig', paths.adminKubeconfig, ...args], options).stdout;
}

/** kubectl without blocking the event loop (for checks that keep traffic flowing meanwhile). */
export function kubectlAsync(args, { timeout = 300_000 } = {}) {
  return new Promise((resolve, reject) => {
    execFile(
      bin('kubectl'),
      ['--kubeconfig', paths.adminKubeconfig, ...args],
      { timeout, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        error
          ? reject(new GittixError(`kubectl ${args.join(' ')}: ${(stderr || error.message).trim()}`))
          : resolve(stdout),
    );
  });
}

export function ctr(args, options = {}) {
  return run('ctr', ['--address', paths.containerdSock, '--namespace', 'k8s.io', ...args], options);
}

// ---------------------------------------------------------------- processes

/** The start time of a process (field 22 of /proc/PID/stat), or null: a pid plus it names one process for good. */
export function processStart(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return null; // a zombie has already exited
    return fields[19];
  } catch {
    return null;
  }
}

export const isAlive = (record) => processStart(record.pid) === record.start;

export function readPids() {
  try {
    return JSON.parse(fs.readFileSync(paths.pids, 'utf8'));
  } catch {
    return [];
  }
}

function writePids(records) {
  fs.mkdirSync(path.dirname(paths.pids), { recursive: true });
  fs.writeFileSync(paths.pids, JSON.stringify(records, null, 2) + '\n');
}

export function logFile(name) {
  return path.join(paths.logs, `${name}.log`);
}

/** Starts a long-lived process in its own session, its output in logs/NAME.log, its pid in pids.json. */
export function startDetached(name, command, args, { env } = {}) {
  fs.mkdirSync(paths.logs, { recursive: true });
  if (!fs.existsSync(command)) throw new GittixError(`missing ${command}: run scripts/cluster/build.sh`);
  const log = fs.openSync(logFile(name), 'a');
  fs.writeSync(log, `\n==== ${new Date().toISOString()} ${command} ${args.join(' ')}\n`);
  const child = spawn(command, args, {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, ...env },
    cwd: stateDir,
  });
  fs.closeSync(log);
  child.unref();
  const record = { name, pid: child.pid, start: processStart(child.pid), command: path.basename(command) };
  writePids([...readPids().filter((r) => r.name !== name), record]);
  return record;
}

export function tail(file, lines = 15) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Polls check() until it returns a truthy value; throws naming the log to read on time-out or if `process` died. */
export async function waitFor(label, check, { timeout = 60_000, interval = 250, process: record } = {}) {
  const deadline = Date.now() + timeout;
  let lastError;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (record && !isAlive(record)) {
      throw new GittixError(
        `${record.name} exited while waiting for ${label}; last lines of ${logFile(record.name)}:\n${tail(logFile(record.name))}`,
      );
    }
    if (Date.now() > deadline) {
      const where = record ? `; last lines of ${logFile(record.name)}:\n${tail(logFile(record.name))}` : '';
      throw new GittixError(
        `${label} not ready within ${timeout / 1000} s${lastError ? ` (${lastError.message})` : ''}${where}`,
      );
    }
    await sleep(interval);
  }
}

export async function stopProcess(record, { timeout = 15_000, signal = 'SIGTERM' } = {}) {
  if (!isAlive(record)) return true;
  try {
    process.kill(record.pid, signal);
  } catch {
    return !isAlive(record);
  }
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (!isAlive(record)) return true;
    await sleep(100);
  }
  try {
    process.kill(record.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  await sleep(200);
  return !isAlive(record);
}

export function portInUse(host, port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error) => resolve(error.code === 'EADDRINUSE' ? true : false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(false)));
  });
}

/**
 * Processes of this cluster that no pid record names (a lost pids.json, a shim, a
 * container whose shim died): our binaries, containerd and its shims serving our
 * socket, the provisioner, and container processes — those in another mount
 * namespace whose mounts come from our state folder (their rootfs overlay).
 */
export function strayProcesses() {
  const found = [];
  const ownMountNs = fs.readlinkSync('/proc/self/ns/mnt');
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cmdline, exe, mountNs;
    try {
      cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      exe = fs.readlinkSync(`/proc/${entry}/exe`);
      mountNs = fs.readlinkSync(`/proc/${entry}/ns/mnt`);
    } catch {
      continue; // a kernel thread, or gone
    }
    let ours =
      exe.startsWith(binDir + '/') ||
      (/\/containerd(-shim[^/]*)?$/.test(exe) && cmdline.includes(paths.containerd + '/')) ||
      cmdline.includes(path.join(here, 'local-path.mjs'));
    if (!ours && mountNs !== ownMountNs) {
      try {
        ours = fs.readFileSync(`/proc/${entry}/mountinfo`, 'utf8').includes(paths.containerd + '/');
      } catch {
        // gone meanwhile
      }
    }
    const start = processStart(entry);
    if (ours && start) found.push({ pid: Number(entry), start, name: cmdline.slice(0, 120) || `pid ${entry}` });
  }
  return found;
}

// ---------------------------------------------------------------- the API server

const agents = new Map();
function tlsFiles(identity) {
  return {
    ca: fs.readFileSync(path.join(paths.pki, 'ca.crt')),
    cert: fs.readFileSync(path.join(paths.pki, `${identity}.crt`)),
    key: fs.readFileSync(path.join(paths.pki, `${identity}.key`)),
  };
}

/** One HTTPS request to the API server with one of our client certificates (pki/IDENTITY.crt). */
export function apiRequest(method, urlPath, body, { identity = 'admin', timeout = 10_000 } = {}) {
  if (!agents.has(identity))
    agents.set(identity, new https.Agent({ keepAlive: true, maxSockets: 4, ...tlsFiles(identity) }));
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: network.nodeIP,
        port: ports.apiserver,
        method,
        path: urlPath,
        agent: agents.get(identity),
        headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
        timeout,
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => {
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode, text, json });
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
    if (payload) request.write(payload);
    request.end();
  });
}

/** Lets a short-lived script exit: closes the kept-alive API connections. */
export function closeApi() {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}

// ---------------------------------------------------------------- host changes and their undoing

export function readHost() {
  try {
    return JSON.parse(fs.readFileSync(paths.host, 'utf8'));
  } catch {
    return {};
  }
}

export function writeHost(data) {
  fs.mkdirSync(stateDir, { recursive: true });
  fs.writeFileSync(paths.host, JSON.stringify({ ...readHost(), ...data }, null, 2) + '\n');
}

export function sysctlGet(key) {
  try {
    return fs.readFileSync(`/proc/sys/${key.replaceAll('.', '/')}`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

export function sysctlSet(key, value) {
  fs.writeFileSync(`/proc/sys/${key.replaceAll('.', '/')}`, String(value));
}

/** Mount points at or under dir, deepest first (mountinfo escapes spaces and the like as \ooo). */
export function mountsUnder(dir) {
  const decode = (s) => s.replace(/\\(\d{3})/g, (_, oct) => String.fromCharCode(parseInt(oct, 8)));
  return fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => decode(line.split(' ')[4]))
    .filter((point) => point === dir || point.startsWith(dir + '/'))
    .sort((a, b) => b.length - a.length);
}

const ipv4ToInt = (ip) => ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
export function inCIDR(ip, cidr) {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipv4ToInt(base) / size) * size;
  const value = ipv4ToInt(ip);
  return value >= start && value < start + size;
}

/** Network namespaces (in /run/netns) holding an address of our pod range: pods of ours whose sandbox was never torn down. */
export function ourNetns() {
  let names = [];
  try {
    names = fs.readdirSync('/run/netns');
  } catch {
    return [];
  }
  return names.filter((name) => {
    const out = run('ip', ['-n', name, '-4', '-o', 'addr', 'show'], { allowFail: true }).stdout;
    return [...out.matchAll(/inet (\d+\.\d+\.\d+\.\d+)\//g)].some((m) => inCIDR(m[1], network.guardCIDR));
  });
}

const chainPrefixes = ['KUBE-', 'GITTIX-'];
const tables = ['filter', 'nat', 'mangle', 'raw'];

/** Our chains (KUBE-* from kube-proxy and the kubelet, GITTIX-* from up.mjs) in iptables and ip6tables, as "tool table chain". */
export function ourChains() {
  const found = [];
  for (const tool of ['iptables', 'ip6tables']) {
    for (const table of tables) {
      const out = run(tool, ['-w', '5', '-t', table, '-S'], { allowFail: true }).stdout;
      for (const line of out.split('\n')) {
        const m = /^-N (\S+)/.exec(line);
        if (m && chainPrefixes.some((p) => m[1].startsWith(p))) found.push(`${tool} ${table} ${m[1]}`);
      }
    }
  }
  return found;
}

/** Removes our chains and every rule that jumps to one, from every table of both families. */
export function removeChains() {
  for (const tool of ['iptables', 'ip6tables']) {
    for (const table of tables) {
      const out = run(tool, ['-w', '5', '-t', table, '-S'], { allowFail: true }).stdout;
      const ours = new Set();
      for (const line of out.split('\n')) {
        const m = /^-N (\S+)/.exec(line);
        if (m && chainPrefixes.some((p) => m[1].startsWith(p))) ours.add(m[1]);
      }
      if (ours.size === 0) continue;
      // iptables-restore with only deletions and flushes is atomic and quick.
      const lines = [`*${table}`];
      for (const line of out.split('\n')) {
        const m = /^-A (\S+) (.*)$/.exec(line);
        if (!m || ours.has(m[1])) continue;
        const target = /(?:^| )-[jg] (\S+)/.exec(m[2]);
        if (target && ours.has(target[1])) lines.push(`-D ${m[1]} ${m[2]}`);
      }
      for (const chain of ours) lines.push(`-F ${chain}`);
      for (const chain of ours) lines.push(`-X ${chain}`);
      lines.push('COMMIT', '');
      const restore = run(`${tool}-restore`, ['-w', '5', '--noflush'], { input: lines.join('\n'), allowFail: true });
      if (!restore.ok) {
        // One bad line fails the whole batch; fall back to one command at a time.
        for (const line of lines.slice(1, -2))
          run(tool, ['-w', '5', '-t', table, ...splitRule(line)], { allowFail: true });
      }
    }
  }
}

/** Splits an iptables -S rule into argv, honouring double quotes (comments). */
export function splitRule(rule) {
  const args = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m;
  while ((m = re.exec(rule))) args.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]);
  return args;
}

// ---------------------------------------------------------------- templates

/** Fills {{NAME}} placeholders; a placeholder without a value is a bug, so it throws. */
export function render(template, values) {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key) => {
    if (!(key in values)) throw new GittixError(`template placeholder {{${key}}} has no value`);
    return String(values[key]);
  });
}

export function renderFile(name, values) {
  return render(fs.readFileSync(path.join(here, 'templates', name), 'utf8'), values);
}

// ---------------------------------------------------------------- memory

function rssKiB(pid) {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Resident memory of the cluster, in MiB: each host process of ours (pids.json), the
 * containerd shims, and every container process (those in a `k8s.io` cgroup), by pod
 * where the pod can be told (the kubelet's pod UID in the cgroup's container is not
 * visible here, so containers are grouped by their process name).
 */
export function memoryReport() {
  const mib = (kib) => Math.round(kib / 1024);
  const hosts = {};
  for (const record of readPids()) if (isAlive(record)) hosts[record.name] = mib(rssKiB(record.pid));
  let shims = 0;
  let containers = 0;
  const byCommand = {};
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let exe = '';
    let cgroup = '';
    try {
      exe = fs.readlinkSync(`/proc/${entry}/exe`);
      cgroup = fs.readFileSync(`/proc/${entry}/cgroup`, 'utf8');
    } catch {
      continue;
    }
    if (/\/containerd-shim[^/]*$/.test(exe)) {
      let cmdline = '';
      try {
        cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (cmdline.includes(paths.containerd + '/')) shims += rssKiB(entry);
    } else if (/:memory:\/k8s\.io\//.test(cgroup) || /^0::\/k8s\.io\//m.test(cgroup)) {
      const kib = rssKiB(entry);
      containers += kib;
      const name = path.basename(exe);
      byCommand[name] = (byCommand[name] ?? 0) + kib;
    }
  }
  const hostTotal = Object.values(hosts).reduce((a, b) => a + b, 0);
  return {
    hosts,
    hostTotal,
    shims: mib(shims),
    containers: mib(containers),
    containersByCommand: Object.fromEntries(
      Object.entries(byCommand)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => [k, mib(v)]),
    ),
    total: hostTotal + mib(shims) + mib(containers),
  };
}
