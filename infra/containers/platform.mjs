// The whole platform from its runtime images, the way a cluster runs it, on one
// machine: `npm run start:containers` (start.mjs), which the container tests
// (e2e/containers) run as a process.
//
// - FerretDB, NATS Streaming, Redis and the Stripe API server start on the host,
//   as for `npm start`.
// - The five services and the client run as containers on a private bridge
//   network. Each gets what its Deployment in infra/k8s declares, read from the
//   manifest: environment (values, Secrets, the pod name), container port,
//   probes, securityContext (user and group, read-only root filesystem, every
//   capability dropped, no privilege escalation), the emptyDir mounts and the
//   termination grace period.
// - The Kubernetes Service names in those manifests resolve (through /etc/hosts
//   entries) to where things listen: a service's container, or the network's
//   gateway address, where a forwarder per Service port leads to the host's
//   infrastructure, as kube-proxy would.
// - The local gateway routes by the cluster's Ingress rules, in front of the
//   containers, on 127.0.0.1 (the browser's origin) and on the gateway address
//   as the ingress controller's in-cluster name (the client's server-side calls).
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { startGatewayThread } from '../local/threads.mjs';
import { loadRoutes } from '../local/routes.mjs';
import { containerEngine, engineRun, hasImage, repoRoot } from './engine.mjs';
import { baseImagesOf, qualified } from './base-images.mjs';
import { imageSpecs, tagOf } from './images.mjs';

const require = createRequire(import.meta.url);

/** A range reserved for documentation (RFC 5737, TEST-NET-2), so no real network collides; the one-node cluster keeps 198.18.0.0/15 (reserved for network testing) for itself. */
export const network = { name: 'gittix-containers', subnet: '198.51.100.0/24', gateway: '198.51.100.1' };
const containerPrefix = 'gittix-';

/**
 * The Deployments of infra/k8s with what a container engine needs from each.
 * @returns {Array<{ name: string, app: string, image: string, container: object, podSpec: object, grace: number }>}
 */
export function deployments() {
  const dir = path.join(repoRoot, 'infra', 'k8s');
  const docs = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS()))
    .filter(Boolean);
  return docs
    .filter((d) => d.kind === 'Deployment')
    .map((d) => {
      const podSpec = d.spec.template.spec;
      const [container] = podSpec.containers;
      return {
        name: d.metadata.name,
        app: d.spec.template.metadata.labels.app,
        image: container.image,
        container,
        podSpec,
        grace: podSpec.terminationGracePeriodSeconds ?? 30,
      };
    });
}

/** Every Service of infra/k8s: name, the app it selects, and its ports. */
export function services() {
  const dir = path.join(repoRoot, 'infra', 'k8s');
  return (
    readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => parseAllDocuments(readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS()))
      // ExternalName Services are DNS aliases (edge-srv), not endpoints to reach.
      .filter((d) => d?.kind === 'Service' && d.spec.type !== 'ExternalName')
      .map((d) => ({ name: d.metadata.name, app: d.spec.selector?.app, ports: d.spec.ports.map((p) => p.port) }))
  );
}

/** The port number a probe names (a number, or a container port's name). */
export function probePort(container, port) {
  if (typeof port === 'number') return port;
  const found = container.ports?.find((p) => p.name === port);
  if (!found) throw new Error(`gittix: ${container.name} has no container port named ${port}`);
  return found.containerPort;
}

/**
 * The `run` arguments for one Deployment's container, from its manifest.
 * @param {ReturnType<typeof deployments>[number]} deployment
 * @param {{ ip: string, podName: string, hosts: Record<string, string>, secrets: Record<string, Record<string, string>>, image: string, env?: Record<string, string> }} options
 */
export function runArgs(deployment, options) {
  const { container, podSpec } = deployment;
  const pod = podSpec.securityContext ?? {};
  const own = container.securityContext ?? {};
  const args = [
    'run',
    '-d',
    '--name',
    `${containerPrefix}${deployment.name}`,
    '--network',
    network.name,
    '--ip',
    options.ip,
  ];
  args.push('--hostname', options.podName);
  for (const [host, ip] of Object.entries(options.hosts)) args.push('--add-host', `${host}:${ip}`);

  const user = own.runAsUser ?? pod.runAsUser;
  const group = own.runAsGroup ?? pod.runAsGroup;
  if (user !== undefined) args.push('--user', group !== undefined ? `${user}:${group}` : String(user));
  if ((own.runAsNonRoot ?? pod.runAsNonRoot) && user === 0)
    throw new Error(`${deployment.name}: runAsNonRoot with uid 0`);
  // podman's --read-only adds writable tmpfs at /tmp, /run and /var/tmp; Kubernetes adds none.
  if (own.readOnlyRootFilesystem)
    args.push('--read-only', ...(containerEngine().name === 'podman' ? ['--read-only-tmpfs=false'] : []));
  for (const cap of own.capabilities?.drop ?? []) args.push('--cap-drop', cap.toLowerCase());
  for (const cap of own.capabilities?.add ?? []) args.push('--cap-add', cap.toLowerCase());
  if (own.allowPrivilegeEscalation === false) args.push('--security-opt', 'no-new-privileges');

  // emptyDir volumes: an empty, writable folder per mount (tmpfs here, a node folder in a cluster).
  const emptyDirs = new Set((podSpec.volumes ?? []).filter((v) => v.emptyDir).map((v) => v.name));
  for (const mount of container.volumeMounts ?? []) {
    if (!emptyDirs.has(mount.name))
      throw new Error(`${deployment.name}: only emptyDir volumes run here (${mount.name})`);
    args.push('--tmpfs', `${mount.mountPath}:rw,exec,mode=1777`);
  }

  for (const entry of container.env ?? []) {
    const value = envValue(deployment, entry, options);
    if (value !== undefined) args.push('--env', `${entry.name}=${options.env?.[entry.name] ?? value}`);
  }
  for (const [name, value] of Object.entries(options.env ?? {}))
    if (!(container.env ?? []).some((e) => e.name === name)) args.push('--env', `${name}=${value}`);

  // What the kubelet gives a container to stop before it kills it.
  args.push('--stop-timeout', String(deployment.grace));
  args.push(options.image);
  if (container.command) throw new Error(`${deployment.name}: command overrides are not supported here`);
  args.push(...(container.args ?? []));
  return args;
}

function envValue(deployment, entry, options) {
  if (entry.value !== undefined) return String(entry.value);
  const ref = entry.valueFrom;
  if (ref?.fieldRef?.fieldPath === 'metadata.name') return options.podName;
  if (ref?.secretKeyRef) {
    const value = options.secrets[ref.secretKeyRef.name]?.[ref.secretKeyRef.key];
    if (value === undefined && !ref.secretKeyRef.optional)
      throw new Error(`${deployment.name}: secret ${ref.secretKeyRef.name}/${ref.secretKeyRef.key} is not set`);
    return value;
  }
  throw new Error(`${deployment.name}: unsupported env source for ${entry.name}`);
}

/** A certificate for localhost (kept in `dir`), as the ingress controller's default one would be. */
function selfSignedCertificate(dir) {
  mkdirSync(dir, { recursive: true });
  const keyFile = path.join(dir, 'localhost.key');
  const certFile = path.join(dir, 'localhost.crt');
  if (!existsSync(certFile)) {
    const result = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '365',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { encoding: 'utf8' },
    );
    if (result.status !== 0)
      throw new Error(`gittix: openssl could not make a certificate for localhost: ${result.stderr}`);
  }
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

/**
 * The Secrets the documented `kubectl create secret` commands make, with values
 * made for this data folder (kept in it, so a restart signs in with the same).
 * Every database has the same user here: one FerretDB serves them all.
 */
function clusterSecrets(dataDir) {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const mongo = { MONGO_USERNAME: 'gittix', MONGO_PASSWORD: randomBytes(24).toString('hex') };
  const secrets = {
    'jwt-secret': { JWT_KEY: randomBytes(32).toString('hex') },
    'stripe-secret': { STRIPE_SECRET_KEY: 'sk_test_gittix_containers', STRIPE_API_BASE: 'http://stripe-srv:12111' },
    'nats-secret': { NATS_TOKEN: randomBytes(24).toString('hex') },
    'auth-mongo-secret': mongo,
    'tickets-mongo-secret': mongo,
    'orders-mongo-secret': mongo,
    'payments-mongo-secret': mongo,
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

/** Forwards connections from host:port to a target, as kube-proxy forwards a Service port to its endpoint. */
function forward(host, port, target) {
  const server = net.createServer((socket) => {
    const upstream = net.connect(target);
    socket.pipe(upstream).pipe(socket);
    const close = () => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on('error', close);
    upstream.on('error', close);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

async function httpStatus(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/**
 * Starts everything. Resolves once every container is ready (its readiness probe answers 200).
 * @param {{
 *   port?: number,
 *   dataDir: string,
 *   env?: Record<string, Record<string, string>>,
 *   dev?: string[],
 *   log?: (line: string) => void,
 * }} options env: extra environment per Deployment name (the tests shorten the reservation window);
 *   dev: apps (auth, client …) that run their dev image, as `skaffold dev` runs them, instead of the runtime one.
 */
export async function startContainerPlatform(options) {
  const log = options.log ?? (() => {});
  const testing = require('@gittix/testing');
  const stops = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch((err) => log(`stop: ${err.message}`));
  };
  try {
    // 1. Infrastructure on the host, as `npm start` runs it (data under dataDir),
    // but asking for credentials as the cluster's does: the Secrets below hold them.
    const secrets = clusterSecrets(options.dataDir);
    const mongoUser = secrets['auth-mongo-secret'];
    const [mongo, nats, redis, stripe] = await Promise.all([
      testing.startMongo({
        dataDir: path.join(options.dataDir, 'mongo'),
        tmpDir: options.dataDir,
        auth: { username: mongoUser.MONGO_USERNAME, password: mongoUser.MONGO_PASSWORD },
      }),
      testing.startNatsStreaming({
        dataDir: path.join(options.dataDir, 'nats'),
        token: secrets['nats-secret'].NATS_TOKEN,
      }),
      testing.startRedis({ dataDir: path.join(options.dataDir, 'redis') }),
      testing.startStripeStatefulMock({}),
    ]);
    for (const server of [mongo, nats, redis, stripe]) stops.push(() => server.stop());

    // 2. The network, made afresh.
    await removeContainers();
    await engineRun(['network', 'rm', '-f', network.name], { allowFailure: true });
    await engineRun(['network', 'create', '--subnet', network.subnet, '--gateway', network.gateway, network.name]);
    stops.push(() => engineRun(['network', 'rm', '-f', network.name], { allowFailure: true }));
    // The bridge (and so the gateway address the forwarders listen on) exists
    // once a container joins it: a container that only sleeps holds it up, as a
    // pod's pause container holds its network namespace.
    const [base] = baseImagesOf(['Dockerfile']);
    await engineRun([
      'run',
      '-d',
      '--name',
      `${containerPrefix}network`,
      '--network',
      network.name,
      '--ip',
      '198.51.100.2',
      '--entrypoint',
      'sleep',
      qualified(base),
      'infinity',
    ]);

    // 3. Each infrastructure Service's ports, at the gateway address, lead to the host's servers.
    const upstreamOf = {
      27017: mongo.port,
      4222: nats.port,
      6379: redis.port,
    };
    // NATS Streaming's monitoring port serves its probes in a cluster; no app container calls it.
    const unused = new Set([8222]);
    const stripeService = { name: 'stripe-srv', port: 12111 };
    const all = services();
    const specs = new Map(imageSpecs().map((s) => [s.image, s]));
    // The Deployments of GitTix's own images run as containers; the others (the
    // rate-limit Redis) are infrastructure, served from the host like the StatefulSets.
    const deps = deployments().filter((d) => specs.has(d.image));
    const withPods = new Set(deps.map((d) => d.app));
    const hosts = {};
    const forwarders = [];
    for (const service of all) {
      if (withPods.has(service.app)) continue;
      hosts[service.name] = network.gateway;
      for (const port of service.ports) {
        if (unused.has(port)) continue;
        if (!upstreamOf[port]) throw new Error(`gittix: no host server for ${service.name}:${port}`);
        if (!forwarders.some((f) => f.port === port)) forwarders.push({ port, target: upstreamOf[port] });
      }
    }
    hosts[stripeService.name] = network.gateway;
    forwarders.push({ port: stripeService.port, target: stripe.port });
    for (const { port, target } of forwarders) {
      const server = await forward(network.gateway, port, { host: '127.0.0.1', port: target });
      stops.push(() => new Promise((resolve) => server.close(() => resolve(undefined))));
    }

    // 4. Addresses for the app Services (one container each), and the ingress controller's name.
    const ips = {};
    deps.forEach((d, i) => (ips[d.app] = `198.51.100.${10 + i}`));
    for (const service of all) if (withPods.has(service.app)) hosts[service.name] = ips[service.app];
    const client = deps.find((d) => d.app === 'client');
    const ingressHost = client?.container.env?.find((e) => e.name === 'API_BASE_URL')?.value;
    if (ingressHost) hosts[new URL(ingressHost).hostname] = network.gateway;

    // 5. The gateway: the browser's origin on loopback, over TLS as the dev Ingress
    // (ticketing.dev) serves it, since the services mark the session cookie secure
    // in production; and the controller's in-cluster address for server-side calls.
    const port = options.port ?? (await testing.freePort());
    const tls = selfSignedCertificate(path.join(options.dataDir, 'tls'));
    const targets = Object.fromEntries(
      all.filter((s) => withPods.has(s.app)).map((s) => [s.name, `http://${ips[s.app]}:${s.ports[0]}`]),
    );
    const gateway = await startGatewayThread({
      routes: loadRoutes(),
      targets,
      listen: [
        { host: '127.0.0.1', port, tls },
        { host: network.gateway, port: ingressHost ? Number(new URL(ingressHost).port || 80) : 80 },
      ],
      log,
    });
    stops.push(() => gateway.close());

    // 6. The containers, with their Secrets.
    for (const deployment of deps) {
      const spec = specs.get(deployment.image);
      const tag = spec && tagOf(spec, options.dev?.includes(deployment.app) ? 'dev' : 'runtime');
      if (tag && !(await hasImage(tag)))
        throw new Error(`gittix: no image ${tag}: build the images first (npm run images)`);
    }
    const running = [];
    for (const deployment of deps) {
      const spec = specs.get(deployment.image);
      if (!spec)
        throw new Error(`gittix: ${deployment.name} uses ${deployment.image}, which skaffold.yaml does not build`);
      const podName = `${deployment.name}-${randomBytes(3).toString('hex')}`;
      const args = runArgs(deployment, {
        ip: ips[deployment.app],
        podName,
        hosts,
        secrets,
        image: tagOf(spec, options.dev?.includes(deployment.app) ? 'dev' : 'runtime'),
        env: options.env?.[deployment.name],
      });
      await engineRun(args);
      running.push({
        deployment,
        ip: ips[deployment.app],
        podName,
        containerName: `${containerPrefix}${deployment.name}`,
      });
    }
    stops.push(() => removeContainers());
    await Promise.all(running.map((c) => waitReady(c, log)));
    return {
      url: `https://localhost:${port}`,
      certificate: tls.certFile,
      port,
      containers: running,
      infra: { mongo, nats, redis, stripe },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** Waits for a container's readiness probe (its startup probe's budget); rejects with its logs. */
export async function waitReady(container, log = () => {}, budgetMs) {
  const { deployment, ip } = container;
  const probe = deployment.container.readinessProbe?.httpGet;
  const startup = deployment.container.startupProbe;
  const budget =
    budgetMs ?? (startup ? (startup.periodSeconds ?? 10) * (startup.failureThreshold ?? 3) * 1000 : 120_000);
  const deadline = Date.now() + budget;
  const url = probe ? `http://${ip}:${probePort(deployment.container, probe.port)}${probe.path}` : undefined;
  for (;;) {
    const state = await engineRun(['inspect', '--format', '{{.State.Status}}', container.containerName], {
      allowFailure: true,
    });
    if (state.stdout.trim() === 'exited') break;
    if (url && (await httpStatus(url)) === 200) {
      log(`${deployment.name} ready`);
      return;
    }
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const logs = await engineRun(['logs', '--tail', '30', container.containerName], { allowFailure: true });
  throw new Error(`gittix: ${deployment.name} did not become ready:\n${logs.stdout}${logs.stderr}`);
}

/** Removes every container this module started (by name), running or not. */
export async function removeContainers() {
  const listed = await engineRun(['ps', '-a', '--format', '{{.Names}}'], { allowFailure: true });
  const names = listed.stdout.split('\n').filter((n) => n.startsWith(containerPrefix));
  if (names.length > 0) await engineRun(['rm', '-f', '-t', '0', ...names], { allowFailure: true });
}
