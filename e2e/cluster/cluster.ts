import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { repoRoot } from '@gittix/testing';

// What the cluster tests (e2e/cluster, `npm run cluster:test`) drive: the one-node
// cluster of infra/cluster (ES modules, which Jest's CommonJS runtime cannot load, so
// everything here goes through kubectl, the node's own tools and plain HTTP, as a
// developer at this machine would).

export const toolsDir = path.resolve(process.env.GITTIX_CLUSTER_DIR ?? path.join(repoRoot(), '.tools', 'cluster'));
export const stateDir = path.resolve(process.env.GITTIX_CLUSTER_STATE ?? path.join(toolsDir, 'state'));
const kubeconfig = path.join(stateDir, 'admin.kubeconfig');
const kubectlBin = path.join(toolsDir, 'bin', 'kubectl');
const containerdSock = path.join(stateDir, 'containerd', 'containerd.sock');

/** What infra/cluster/deploy.mjs left in state/gittix.json. */
export interface Deployed {
  namespace: string;
  /** The address `GitTix is up at` names (https, the host-less Ingress). */
  url: string;
  /** Plain http on the same controller (anonymous browsing). */
  httpUrl: string;
  /** The dev Ingress's host, https://ticketing.dev:<port>, as a developer browses it. */
  devUrl: string;
  /** The CA of the ingress's default certificate. */
  ca: string;
  timings: { upToAllReadySeconds: number; importSeconds: number; workloadsReadyAt: Record<string, number> };
  memory: { total: number; hostTotal: number; shims: number; containers: number; hosts: Record<string, number> };
}

export function deployed(): Deployed {
  const file = path.join(stateDir, 'gittix.json');
  if (!existsSync(file) || !existsSync(kubeconfig))
    throw new Error('gittix: GitTix is not deployed on the local cluster: run npm run cluster:up first');
  return JSON.parse(readFileSync(file, 'utf8')) as Deployed;
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(bin: string, args: string[], input?: string, timeoutMs = 300_000): Promise<Result> {
  return new Promise((resolve) => {
    const child = execFile(bin, args, { timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({
        code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
        stdout: String(stdout),
        stderr: String(stderr) || (error && typeof error.code !== 'number' ? error.message : ''),
      }),
    );
    child.stdin?.end(input);
  });
}

/** kubectl against the local cluster (its admin kubeconfig); rejects with stderr on failure. */
export async function kubectl(args: string[], input?: string): Promise<string> {
  const result = await exec(kubectlBin, ['--kubeconfig', kubeconfig, ...args], input);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr.trim() || result.stdout.trim()}`);
  return result.stdout;
}

export function kubectlResult(args: string[], input?: string): Promise<Result> {
  return exec(kubectlBin, ['--kubeconfig', kubeconfig, ...args], input);
}

export async function kubectlJson<T>(args: string[]): Promise<T> {
  return JSON.parse(await kubectl([...args, '-o', 'json'])) as T;
}

/** The node's containerd (k8s.io namespace), through ctr. */
export function ctr(args: string[]): Promise<Result> {
  return exec('ctr', ['--address', containerdSock, '--namespace', 'k8s.io', ...args]);
}

export interface Pod {
  metadata: { name: string; uid: string; labels: Record<string, string>; deletionTimestamp?: string };
  spec: { containers: { name: string; image: string; imagePullPolicy: string }[] };
  status: {
    phase: string;
    podIP?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: { name: string; image: string; imageID: string; ready: boolean; restartCount: number }[];
  };
}

export const isReady = (pod: Pod): boolean => pod.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True';

/** The pods of an app label that are not being deleted. */
export async function pods(app: string): Promise<Pod[]> {
  const list = await kubectlJson<{ items: Pod[] }>(['get', 'pods', '-l', `app=${app}`]);
  return list.items.filter((p) => !p.metadata.deletionTimestamp);
}

/** Every pod with an app label, terminating ones included. */
export async function allPods(app: string): Promise<Pod[]> {
  return (await kubectlJson<{ items: Pod[] }>(['get', 'pods', '-l', `app=${app}`])).items;
}

/** A StatefulSet's one pod (label `app`) replaced: the pod of that label that is not `formerUid`, once Ready. */
export function untilReplaced(app: string, formerUid: string | undefined, intervalMs = 1000): Promise<Pod> {
  return until(
    async () => {
      const [pod] = await pods(app);
      return pod && pod.metadata.uid !== formerUid && isReady(pod) && pod;
    },
    `${app}-0 to come back`,
    180_000,
    intervalMs,
  );
}

export async function logsOf(pod: string): Promise<string> {
  return kubectl(['logs', pod]);
}

/** Polls until `check` returns something truthy; its errors count as "not yet". */
export async function until<T>(
  check: () => Promise<T | undefined | false | null> | T | undefined | false | null,
  what: string,
  timeoutMs: number,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (${last})` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A command of the node, run in the machine's mount namespace: the tests run in a
 * private one (their own /etc/hosts, infra/cluster/test.mjs), where the network
 * namespaces of pods started after them (bind mounts under /run/netns) never appear.
 */
function onNode(command: string, args: string[]) {
  const host = process.env.GITTIX_NODE_MOUNT_NS;
  return host
    ? spawnSync('nsenter', [`--mount=${host}`, '--', command, ...args], { encoding: 'utf8' })
    : spawnSync(command, args, { encoding: 'utf8' });
}

/** The network namespace (/run/netns/<name>) of the pod with this IP: the node's view of its network. */
export function netnsOf(ip: string): string {
  for (const name of onNode('ls', ['/run/netns']).stdout.split('\n').filter(Boolean)) {
    const out = onNode('ip', ['-n', name, '-4', '-o', 'addr', 'show']).stdout;
    if (out.includes(` ${ip}/`)) return name;
  }
  throw new Error(`no network namespace holds ${ip}`);
}

/** Runs a command of the node inside a pod's network namespace (iptables, ss): a fault a network can have. */
export function inPodNetwork(ip: string, args: string[]): string {
  const result = onNode('ip', ['netns', 'exec', netnsOf(ip), ...args]);
  if (result.status !== 0) throw new Error(`${args.join(' ')} in ${ip}'s network: ${result.stderr.trim()}`);
  return result.stdout;
}

/** GET of NATS Streaming's monitoring endpoint (port 8222 of the nats-0 pod). */
export async function natsMonitor<T>(urlPath: string): Promise<T> {
  const [nats] = await pods('nats');
  if (!nats?.status.podIP) throw new Error('no nats pod with an IP');
  const res = await fetch(`http://${nats.status.podIP}:8222${urlPath}`, { signal: AbortSignal.timeout(5000) });
  if (res.status !== 200) throw new Error(`NATS monitoring ${urlPath}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export interface NatsSubscription {
  client_id: string;
  queue_name: string;
  is_durable: boolean;
  last_sent: number;
  pending_count: number;
}
export interface NatsChannel {
  name: string;
  msgs: number;
  last_seq: number;
  subscriptions?: NatsSubscription[];
}

export async function natsChannel(name: string): Promise<NatsChannel> {
  return natsMonitor<NatsChannel>(`/streaming/channelsz?channel=${encodeURIComponent(name)}&subs=1`);
}

/**
 * What an event's way through the platform left behind, for the message of a
 * wait that timed out: each channel's last sequence and what each subscriber
 * was last sent and still owes an ack for, then the log lines of the apps'
 * pods since `sinceMs` that are warnings or errors or name one of `ids`.
 */
export async function eventTrail(options: {
  apps: string[];
  ids: string[];
  channels: string[];
  sinceMs: number;
}): Promise<string> {
  const lines: string[] = [];
  for (const name of options.channels) {
    try {
      const channel = await natsChannel(name);
      const subs = (channel.subscriptions ?? [])
        .map((s) => `${s.client_id} last_sent ${s.last_sent} pending ${s.pending_count}`)
        .join('; ');
      lines.push(`${name}: last_seq ${channel.last_seq}; ${subs || 'no subscriptions'}`);
    } catch (error) {
      lines.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const since = new Date(options.sinceMs).toISOString();
  for (const app of options.apps) {
    for (const pod of await allPods(app).catch(() => [])) {
      const name = pod.metadata.name;
      const log = await kubectl(['logs', name, `--since-time=${since}`]).catch((e: unknown) => String(e));
      const telling = log
        .split('\n')
        .filter((line) => /"level":(4|5|6)0/.test(line) || options.ids.some((id) => line.includes(id)));
      lines.push(`${name} (${isReady(pod) ? 'ready' : 'not ready'}): ${telling.length} telling lines`);
      lines.push(...telling.slice(-20).map((line) => `  ${line.slice(0, 500)}`));
    }
  }
  return lines.join('\n');
}

/** The labels of an image as the node's containerd holds it (its config blob). */
export async function nodeImageLabels(ref: string): Promise<Record<string, string>> {
  const listed = await ctr(['images', 'ls']);
  const line = listed.stdout.split('\n').find((l) => l.split(/\s+/)[0] === ref);
  const digest = line?.split(/\s+/).find((f) => f.startsWith('sha256:'));
  if (!digest) throw new Error(`the node has no image ${ref}`);
  const manifest = JSON.parse((await ctr(['content', 'get', digest])).stdout) as { config: { digest: string } };
  const config = JSON.parse((await ctr(['content', 'get', manifest.config.digest])).stdout) as {
    config?: { Labels?: Record<string, string> };
  };
  return config.config?.Labels ?? {};
}

// ---------------------------------------------------------------- steady traffic

export interface TrafficStep {
  /** Which service the request is for (counted apart). */
  service: string;
  method: 'GET' | 'POST';
  path: string;
  cookie?: string;
  body?: unknown;
  /** The status codes that count as success. */
  ok: number[];
}

export interface TrafficReport {
  sent: number;
  failed: number;
  seconds: number;
  byService: Record<string, { sent: number; failed: number }>;
  /** The first failures, for the message. */
  failures: string[];
  /** Request ids sent per service (X-Request-ID, which the services log). */
  requestIds: Record<string, string[]>;
  /** Successful POST responses' bodies, per service. */
  created: Record<string, unknown[]>;
}

/**
 * Steady traffic through the ingress, as browsers would send it: `concurrency` loops,
 * each taking the next step in turn over kept-alive HTTPS connections, until stopped.
 * A request fails on a network error, a time-out or a status outside its `ok`.
 */
export function startTraffic(
  origin: { url: string; ca: string },
  steps: TrafficStep[],
  { concurrency = 4, pauseMs = 20, idPrefix = 'traffic' } = {},
): { stop(): Promise<TrafficReport> } {
  const base = new URL(origin.url);
  const agent = new https.Agent({ keepAlive: true, maxSockets: concurrency, ca: origin.ca });
  const report: TrafficReport = {
    sent: 0,
    failed: 0,
    seconds: 0,
    byService: {},
    failures: [],
    requestIds: {},
    created: {},
  };
  const started = Date.now();
  let running = true;
  let next = 0;

  const once = (step: TrafficStep, id: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const payload = step.body === undefined ? undefined : JSON.stringify(step.body);
      const request = (base.protocol === 'https:' ? https : http).request(
        {
          host: base.hostname,
          port: base.port,
          path: step.path,
          method: step.method,
          agent: base.protocol === 'https:' ? agent : undefined,
          servername: base.hostname,
          headers: {
            'x-request-id': id,
            ...(step.cookie ? { cookie: step.cookie } : {}),
            ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          },
          timeout: 20_000,
        },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error('timed out after 20 s')));
      request.on('error', reject);
      request.end(payload);
    });

  const loop = async () => {
    while (running) {
      const step = steps[next++ % steps.length];
      if (!step) break;
      const id = `${idPrefix}-${report.sent}`;
      report.sent++;
      const counts = (report.byService[step.service] ??= { sent: 0, failed: 0 });
      counts.sent++;
      (report.requestIds[step.service] ??= []).push(id);
      try {
        const { status, body } = await once(step, id);
        if (!step.ok.includes(status)) throw new Error(`HTTP ${status} ${body.slice(0, 120)}`);
        if (step.method === 'POST') (report.created[step.service] ??= []).push(JSON.parse(body) as unknown);
      } catch (error) {
        report.failed++;
        counts.failed++;
        if (report.failures.length < 10)
          report.failures.push(
            `${step.method} ${step.path} (${id}): ${error instanceof Error ? error.message : String(error)}`,
          );
      }
      await sleep(pauseMs);
    }
  };
  const loops = Array.from({ length: concurrency }, () => loop());
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      report.seconds = (Date.now() - started) / 1000;
      return report;
    },
  };
}

// ---------------------------------------------------------------- memory

function rssKiB(pid: string): number {
  try {
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/**
 * Resident memory of the cluster now, in MiB (as infra/cluster/lib.mjs memoryReport counts
 * it): its host processes (state/pids.json: etcd, the control plane, kubelet, containerd,
 * kube-proxy, Traefik, the provisioner), the containerd shims, and every container process.
 */
export function clusterMemoryMiB(): { hosts: number; shims: number; containers: number; total: number } {
  let hosts = 0;
  let shims = 0;
  let containers = 0;
  try {
    for (const record of JSON.parse(readFileSync(path.join(stateDir, 'pids.json'), 'utf8')) as { pid: number }[])
      hosts += rssKiB(String(record.pid));
  } catch {
    // no cluster
  }
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const cgroup = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (/containerd-shim/.test(cmdline.split('\0')[0] ?? '') && cmdline.includes(path.join(stateDir, 'containerd')))
        shims += rssKiB(pid);
      else if (/:memory:\/k8s\.io\//.test(cgroup)) containers += rssKiB(pid);
    } catch {
      // gone meanwhile
    }
  }
  const mib = (kib: number) => Math.round(kib / 1024);
  return { hosts: mib(hosts), shims: mib(shims), containers: mib(containers), total: mib(hosts + shims + containers) };
}
