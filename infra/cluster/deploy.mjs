#!/usr/bin/env node
// Deploys GitTix onto the one-node cluster up.mjs started, as docs/cluster.md tells a
// user to deploy it:
//
//   1. the images: images.mjs' archive imported into the node's containerd (what
//      `kind load` or skaffold does on a laptop; no registry is reachable here);
//   2. the namespace `default` enforces the `restricted` Pod Security level;
//   3. the secrets: the `kubectl create secret` commands of docs/cluster.md step 3,
//      run as written there (stripe-secret as the offline variant, pointing payments
//      at infra/k8s-dev's stripe-mock-srv: this machine has no internet);
//   4. `kubectl apply -f infra/k8s -f infra/k8s-dev`;
//   5. every Deployment and StatefulSet Ready.
//
//   node infra/cluster/deploy.mjs        (`npm run cluster:up` runs it after up.mjs)
//
// It ends with the line `GitTix is up at https://127.0.0.1:8443` (docs/cluster.md
// says why https), and leaves the addresses and timings in state/gittix.json.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { archive, manifestDirs, manifestImages, normalized } from './images.mjs';
import {
  GittixError,
  apiRequest,
  binDir,
  closeApi,
  ctr,
  deployedFile,
  fail,
  ingressTLS,
  kubectl,
  memoryReport,
  paths,
  ports,
  root,
  say,
  sleep,
  stateDir,
} from './lib.mjs';

export const namespace = 'default';
const readyTimeoutMs = Number(process.env.GITTIX_CLUSTER_READY_TIMEOUT ?? 600) * 1000;

/**
 * The `kubectl create secret` commands of docs/cluster.md, step 3, one per secret: where
 * the page gives two for one secret (stripe-secret: a real key, then the variant for a
 * cluster without internet), the later one.
 */
export function documentedSecretCommands(markdown) {
  const start = markdown.indexOf('## 3. Create the secrets');
  const end = markdown.indexOf('\n## ', start + 1);
  if (start < 0 || end < 0) throw new GittixError('docs/cluster.md has no section "## 3. Create the secrets"');
  const bySecret = new Map();
  for (const line of markdown.slice(start, end).split('\n')) {
    const m = /^kubectl create secret generic (\S+) /.exec(line.trim());
    if (m) bySecret.set(m[1], line.trim());
  }
  if (bySecret.size === 0) throw new GittixError('docs/cluster.md step 3 lists no `kubectl create secret` command');
  return bySecret;
}

function importImages() {
  if (!fs.existsSync(archive))
    throw new GittixError(`missing ${archive}: run node infra/cluster/images.mjs (npm run cluster:up does)`);
  const started = Date.now();
  ctr(['images', 'import', archive], { timeout: 600_000 });
  const listed = new Set(ctr(['images', 'ls', '-q']).stdout.split('\n'));
  const missing = manifestImages()
    .map(normalized)
    .filter((name) => !listed.has(name));
  if (missing.length > 0)
    throw new GittixError(
      `containerd did not get ${missing.join(', ')} from ${archive}: run node infra/cluster/images.mjs`,
    );
  return (Date.now() - started) / 1000;
}

function createSecrets() {
  const commands = documentedSecretCommands(fs.readFileSync(path.join(root, 'docs', 'cluster.md'), 'utf8'));
  const env = { ...process.env, PATH: `${binDir}:${process.env.PATH}`, KUBECONFIG: paths.adminKubeconfig };
  for (const [name, command] of commands) {
    // "Create them once per cluster": a secret already there (deploy.mjs run again) is kept.
    if (kubectl(['-n', namespace, 'get', 'secret', name, '--ignore-not-found', '-o', 'name']).trim()) {
      say(`secret ${name}: already there, kept`);
      continue;
    }
    const result = spawnSync('sh', ['-c', command], { env, encoding: 'utf8', cwd: root });
    if (result.status !== 0)
      throw new GittixError(`the documented command for ${name} failed: ${(result.stderr || result.stdout).trim()}`);
    say(`secret ${name}: created as docs/cluster.md says`);
  }
  return [...commands.keys()];
}

const isReady = (w) => {
  const want = w.spec.replicas ?? 1;
  const s = w.status ?? {};
  return (
    (s.observedGeneration ?? 0) >= w.metadata.generation &&
    (s.readyReplicas ?? 0) === want &&
    (s.updatedReplicas ?? 0) === want &&
    (s.replicas ?? 0) === want
  );
};

async function workloads() {
  const list = async (kind) => {
    const { status, json } = await apiRequest('GET', `/apis/apps/v1/namespaces/${namespace}/${kind}`);
    if (status !== 200) throw new GittixError(`listing ${kind}: HTTP ${status}`);
    return json.items.map((item) => ({ ...item, kind }));
  };
  return [...(await list('deployments')), ...(await list('statefulsets'))];
}

/** Why each pod of the namespace is not Ready, with the last lines of its log. */
async function diagnose() {
  const { json } = await apiRequest('GET', `/api/v1/namespaces/${namespace}/pods`);
  const lines = [];
  for (const pod of json.items) {
    const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    if (ready) continue;
    const states = (pod.status?.containerStatuses ?? []).map((c) => {
      const [state, detail] = Object.entries(c.state ?? {})[0] ?? ['unknown', {}];
      return `${c.name} ${state}${detail?.reason ? ` (${detail.reason}${detail.message ? `: ${detail.message}` : ''})` : ''}, restarts ${c.restartCount}`;
    });
    lines.push(`  ${pod.metadata.name}: ${pod.status?.phase} ${states.join('; ') || pod.status?.reason || ''}`);
    const log = kubectl(['-n', namespace, 'logs', pod.metadata.name, '--tail=8', '--all-containers'], {
      allowFail: true,
    });
    if (log.trim())
      lines.push(
        ...log
          .trim()
          .split('\n')
          .map((l) => `      ${l.slice(0, 240)}`),
      );
  }
  return lines.join('\n');
}

async function waitReady(startedAt) {
  const readyAt = {};
  const deadline = Date.now() + readyTimeoutMs;
  let lastReport = Date.now();
  for (;;) {
    const all = await workloads();
    for (const w of all)
      if (isReady(w) && readyAt[w.metadata.name] === undefined)
        readyAt[w.metadata.name] = Number(((Date.now() - startedAt) / 1000).toFixed(1));
    const waiting = all.filter((w) => !isReady(w));
    if (all.length > 0 && waiting.length === 0) return { readyAt, count: all.length };
    if (Date.now() > deadline) {
      const names = waiting.map((w) => `${w.metadata.name} ${w.status?.readyReplicas ?? 0}/${w.spec.replicas ?? 1}`);
      throw new GittixError(
        `not Ready within ${readyTimeoutMs / 1000} s: ${names.join(', ')} (pods below; kubectl logs for more)\n${await diagnose()}`,
      );
    }
    if (Date.now() - lastReport > 30_000) {
      lastReport = Date.now();
      say(
        `waiting for ${waiting.map((w) => `${w.metadata.name} ${w.status?.readyReplicas ?? 0}/${w.spec.replicas ?? 1}`).join(', ')}`,
      );
    }
    await sleep(1000);
  }
}

async function main() {
  if (process.getuid?.() !== 0)
    throw new GittixError('deploy.mjs must run as root (it imports images into containerd)');
  if (!fs.existsSync(paths.adminKubeconfig) || (await apiRequest('GET', '/readyz').catch(() => ({}))).status !== 200)
    throw new GittixError('the local cluster is not up: run npm run cluster:up (or node infra/cluster/up.mjs)');
  const timings = JSON.parse(fs.readFileSync(path.join(stateDir, 'timings.json'), 'utf8'));
  const upStartedAt = timings.startedAt ?? Date.now();
  const since = () => Number(((Date.now() - upStartedAt) / 1000).toFixed(1));

  const importSeconds = importImages();
  say(`images imported into containerd in ${importSeconds.toFixed(1)} s (${since()} s since up)`);

  kubectl([
    'label',
    'namespace',
    namespace,
    '--overwrite',
    'pod-security.kubernetes.io/enforce=restricted',
    'pod-security.kubernetes.io/enforce-version=latest',
    'pod-security.kubernetes.io/warn=restricted',
    'pod-security.kubernetes.io/audit=restricted',
  ]);
  say(`namespace ${namespace} enforces PodSecurity restricted`);
  const secrets = createSecrets();

  const applied = kubectl(['apply', ...manifestDirs.flatMap((dir) => ['-f', path.join(root, dir)])]);
  say(
    `kubectl apply -f ${manifestDirs.join(' -f ')}: ${applied.trim().split('\n').length} objects (${since()} s since up)`,
  );

  const { readyAt, count } = await waitReady(upStartedAt);
  const allReady = since();
  // `npm run cluster:up` (scripts/cluster/up.sh) says when it started and what the builds took.
  const npmStarted = Number(process.env.GITTIX_CLUSTER_UP_STARTED) || undefined;
  const fromNpm = npmStarted ? Number(((Date.now() - npmStarted) / 1000).toFixed(1)) : undefined;
  const builds = {
    tools: Number(process.env.GITTIX_CLUSTER_BUILD_SECONDS ?? NaN),
    images: Number(process.env.GITTIX_CLUSTER_IMAGES_SECONDS ?? NaN),
  };
  say(
    `all ${count} Deployments and StatefulSets Ready, ${allReady} s after the cluster started` +
      (fromNpm ? ` (${fromNpm} s after npm run cluster:up: builds ${builds.tools} s, images ${builds.images} s)` : ''),
  );
  for (const [name, at] of Object.entries(readyAt).sort((a, b) => a[1] - b[1]))
    say(`  ${name.padEnd(20)} Ready at ${at} s`);
  const memory = memoryReport();
  say(
    `memory (RSS): cluster processes ${memory.hostTotal} MiB, shims ${memory.shims} MiB, containers ${memory.containers} MiB; total ${memory.total} MiB`,
  );

  const url = `https://127.0.0.1:${ports.ingressTLS}`;
  const deployed = {
    namespace,
    url,
    httpUrl: `http://127.0.0.1:${ports.ingress}`,
    devUrl: `https://ticketing.dev:${ports.ingressTLS}`,
    ca: ingressTLS.ca,
    secrets,
    timings: {
      ...timings,
      importSeconds,
      workloadsReadyAt: readyAt,
      upToAllReadySeconds: allReady,
      npmClusterUpToAllReadySeconds: fromNpm,
      buildSeconds: builds.tools,
      imagesSeconds: builds.images,
    },
    memory,
  };
  fs.writeFileSync(deployedFile, `${JSON.stringify(deployed, null, 2)}\n`);
  say(
    `also http://127.0.0.1:${ports.ingress} (anonymous browsing; signing in needs https: the session cookie is secure)`,
  );
  say(
    `and https://ticketing.dev:${ports.ingressTLS} with '127.0.0.1 ticketing.dev' in /etc/hosts; CA: ${ingressTLS.ca}`,
  );
  process.stdout.write(`GitTix is up at ${url}\n`);
}

try {
  await main();
  closeApi();
} catch (error) {
  closeApi();
  if (error instanceof GittixError) {
    const [first, ...rest] = error.message.split('\n');
    if (rest.length) process.stderr.write(rest.join('\n') + '\n');
    fail(`${first} (logs in ${paths.logs}; clean up with: npm run cluster:down)`);
  }
  process.stderr.write(`${error.stack}\n`);
  fail(`deploy.mjs failed unexpectedly: ${error.message} (clean up with: npm run cluster:down)`);
}
