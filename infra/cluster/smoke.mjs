#!/usr/bin/env node
// Proves the local cluster (infra/cluster/up.mjs) works end to end, in a namespace
// that enforces the `restricted` Pod Security level:
//
//   - a non-compliant pod is refused by PodSecurity admission;
//   - a 2-replica Deployment of the locally built echo image (uid 1000, read-only
//     root, no capabilities, RuntimeDefault seccomp) and its ClusterIP Service;
//   - pod → Service by DNS name (<svc>.<ns>.svc.cluster.local and the short name)
//     from another pod, and pod → the ingress-nginx-controller Service (Traefik);
//   - the repo's own infra/k8s/ingress.yaml (nginx class, regex paths) through
//     Traefik's 127.0.0.1 port, each path reaching its own backend;
//   - a Gateway + HTTPRoute through the same Traefik port (Gateway API provider);
//   - a readiness probe taking a pod out of the Service and putting it back;
//   - `kubectl rollout restart` replacing every pod with no failed request;
//   - a StatefulSet's volumeClaimTemplate bound by the local-path provisioner,
//     and its volume deleted with the claim.
//
//   node infra/cluster/smoke.mjs [--keep]    (--keep leaves the namespace for a look)
//
// Ends with `N passed, M failed`; exits 1 if any check failed.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {
  GittixError,
  apiRequest,
  closeApi,
  images,
  kubectl,
  kubectlAsync,
  network,
  paths,
  ports,
  root,
  sleep,
  waitFor,
} from './lib.mjs';

const ns = 'gittix-smoke';
const keep = process.argv.includes('--keep');
const results = [];
const started = Date.now();

async function check(name, fn) {
  const t0 = Date.now();
  try {
    const detail = await fn();
    results.push({ name, ok: true });
    process.stdout.write(`✔ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)${detail ? ` — ${detail}` : ''}\n`);
  } catch (error) {
    results.push({ name, ok: false });
    process.stdout.write(`✖ ${name}: ${error.message}\n`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** GET through Traefik's loopback entry point (or another local address), with a Host header. */
function get(urlPath, { host = 'localhost', address = '127.0.0.1', port = ports.ingress, method = 'GET' } = {}) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: address, port, path: urlPath, method, headers: { host }, timeout: 5000, agent: false },
      (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => {
          let json;
          try {
            json = JSON.parse(body);
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode, body, json });
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
    request.end();
  });
}

function apply(manifest) {
  return kubectl(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: manifest }) });
}

const restricted = {
  pod: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
  container: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
};

function echoDeployment(name, { replicas = 1, args = [], labels = {} } = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: { app: name, ...labels } },
        spec: {
          securityContext: restricted.pod,
          terminationGracePeriodSeconds: 10,
          containers: [
            {
              name: 'echo',
              image: images.echo,
              imagePullPolicy: 'Never',
              args: ['-listen', ':8080', '-name', name, ...args],
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/readyz', port: 8080 }, periodSeconds: 1, failureThreshold: 1 },
              livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 },
              // Leave the endpoints (and Traefik) time to drop the pod before it stops listening.
              lifecycle: { preStop: { sleep: { seconds: 2 } } },
              resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
              securityContext: restricted.container,
            },
          ],
        },
      },
    },
  };
}

function service(name, app, port) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns },
    spec: { type: 'ClusterIP', selector: { app }, ports: [{ name: 'http', port, targetPort: 8080 }] },
  };
}

async function pods(app) {
  const { json } = await apiRequest('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=app%3D${app}`);
  return json.items.filter((p) => !p.metadata.deletionTimestamp);
}

const isReady = (pod) => pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';

async function endpoints(service) {
  const { json } = await apiRequest(
    'GET',
    `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3D${service}`,
  );
  return json.items.flatMap((slice) => slice.endpoints ?? []);
}

async function runPod(name, args) {
  apply([
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: ns },
      spec: {
        restartPolicy: 'Never',
        securityContext: restricted.pod,
        containers: [
          {
            name: 'client',
            image: images.echo,
            imagePullPolicy: 'Never',
            args,
            securityContext: restricted.container,
          },
        ],
      },
    },
  ]);
  const phase = await waitFor(
    `pod ${name}`,
    async () => {
      const { json } = await apiRequest('GET', `/api/v1/namespaces/${ns}/pods/${name}`);
      return ['Succeeded', 'Failed'].includes(json.status?.phase) ? json.status.phase : false;
    },
    { timeout: 90_000, interval: 500 },
  );
  const logs = kubectl(['-n', ns, 'logs', name], { allowFail: true });
  return { phase, logs };
}

async function main() {
  // A fresh namespace every run.
  kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=true', '--timeout=120s']);
  apply([
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns,
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    },
  ]);
  await waitFor('the default ServiceAccount', async () => {
    return (await apiRequest('GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status === 200;
  });

  await check('PodSecurity `restricted` refuses a root pod', async () => {
    const result = kubectlResult(['apply', '--dry-run=server', '-f', '-'], {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'root-pod', namespace: ns },
      spec: { containers: [{ name: 'c', image: images.echo, imagePullPolicy: 'Never' }] },
    });
    assert(
      !result.ok && /violates PodSecurity "restricted/.test(result.stderr),
      `not refused: ${result.stderr || result.stdout}`,
    );
    return 'violates PodSecurity "restricted:latest"';
  });

  // The workloads: hello (2 replicas, the one most checks use), and one backend per
  // Service that infra/k8s/ingress.yaml names, so each route's target is visible.
  const backends = {
    auth: 'auth-srv',
    tickets: 'tickets-srv',
    orders: 'orders-srv',
    payments: 'payments-srv',
    client: 'client-srv',
  };
  apply([
    echoDeployment('hello', { replicas: 2, args: ['-ready-after', '3s'] }),
    service('hello', 'hello', 80),
    ...Object.entries(backends).flatMap(([app, svc]) => [
      echoDeployment(app, { args: ['-ready-after', '0s'] }),
      service(svc, app, 3000),
    ]),
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'hello', namespace: ns, annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' } },
      spec: {
        ingressClassName: 'nginx',
        rules: [
          {
            host: 'hello.gittix.test',
            http: {
              paths: [
                {
                  path: '/?(.*)',
                  pathType: 'ImplementationSpecific',
                  backend: { service: { name: 'hello', port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    },
  ]);
  kubectl(['-n', ns, 'apply', '-f', path.join(root, 'infra', 'k8s', 'ingress.yaml')]);

  await check('Deployment hello: 2 restricted pods Ready behind their readiness probe', async () => {
    kubectl(['-n', ns, 'rollout', 'status', 'deployment/hello', '--timeout=120s']);
    for (const app of Object.keys(backends))
      kubectl(['-n', ns, 'rollout', 'status', `deployment/${app}`, '--timeout=120s']);
    const list = await pods('hello');
    assert(list.length === 2 && list.every(isReady), `pods: ${list.map((p) => p.metadata.name).join(', ')}`);
    const ready = (await endpoints('hello')).filter((e) => e.conditions?.ready);
    assert(ready.length === 2, `ready endpoints: ${ready.length}`);
    return list.map((p) => `${p.metadata.name} ${p.status.podIP}`).join(', ');
  });

  await check("pod → Service by DNS name (FQDN, short name), and → the controller's in-cluster names", async () => {
    const urls = [
      `http://hello.${ns}.svc.${network.clusterDomain}/dns-fqdn`,
      'http://hello/dns-short',
      `http://ingress-nginx-controller.ingress-nginx.svc.${network.clusterDomain}/api/users/currentuser`,
      `http://traefik.traefik.svc.${network.clusterDomain}/api/orders/via-traefik-name`,
    ];
    // infra/k8s/ingress.yaml may also name the edge for the client's server-side calls.
    const edge = (await apiRequest('GET', `/api/v1/namespaces/${ns}/services/edge-srv`)).status === 200;
    if (edge) urls.push('http://edge-srv/api/tickets/edge');
    const { phase, logs } = await runPod('dns-client', ['get', '-tries', '30', ...urls]);
    assert(phase === 'Succeeded', `client pod ${phase}: ${logs}`);
    assert(/"path":"\/dns-fqdn"/.test(logs) && /"path":"\/dns-short"/.test(logs), `unexpected output: ${logs}`);
    assert(/"name":"auth"/.test(logs), `ingress-nginx-controller did not reach auth: ${logs}`);
    assert(/"name":"orders"/.test(logs), `traefik.traefik did not reach orders: ${logs}`);
    assert(!edge || /"name":"tickets"/.test(logs), `edge-srv did not reach tickets: ${logs}`);
    return `hello answered both names; ingress-nginx-controller, traefik.traefik${edge ? ' and edge-srv' : ''} reached the API`;
  });

  await check("infra/k8s/ingress.yaml (nginx class, regex paths) through Traefik's loopback port", async () => {
    const expect = {
      '/api/users/currentuser': 'auth',
      '/api/users': 'auth',
      '/api/tickets/abc123': 'tickets',
      '/api/orders': 'orders',
      '/api/payments/': 'payments',
      '/': 'client',
      '/tickets/new': 'client',
    };
    let lastError = '';
    await waitFor(
      'Traefik routes',
      async () => {
        for (const [urlPath, name] of Object.entries(expect)) {
          const response = await get(urlPath);
          if (response.json?.name !== name) {
            lastError = `${urlPath} → HTTP ${response.status} ${response.body.slice(0, 80)} (want ${name})`;
            return false;
          }
        }
        return true;
      },
      { timeout: 60_000, interval: 500 },
    ).catch((error) => {
      throw new Error(`${error.message}; last: ${lastError}`);
    });
    return `${Object.keys(expect).length} paths, each to its backend`;
  });

  await check('Gateway API: Gateway + HTTPRoute served by Traefik on the same port', async () => {
    apply([
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'smoke', namespace: ns },
        spec: {
          gatewayClassName: 'traefik',
          listeners: [
            { name: 'web', protocol: 'HTTP', port: ports.ingress, allowedRoutes: { namespaces: { from: 'Same' } } },
          ],
        },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'hello', namespace: ns },
        spec: {
          parentRefs: [{ name: 'smoke' }],
          hostnames: ['gateway.gittix.test'],
          // A catch-all PathPrefix `/` gets Traefik priority 1+len(host) and would lose to the
          // Ingress catch-all `/?(.*)` (priority = rule length) on the same port; a real prefix wins.
          rules: [
            {
              matches: [{ path: { type: 'PathPrefix', value: '/via-gateway' } }],
              backendRefs: [{ name: 'hello', port: 80 }],
            },
          ],
        },
      },
    ]);
    let last = '';
    await waitFor(
      'the HTTPRoute',
      async () => {
        const response = await get('/via-gateway/x', { host: 'gateway.gittix.test' });
        last = `HTTP ${response.status} ${response.body.slice(0, 80)}`;
        return response.json?.name === 'hello';
      },
      { timeout: 60_000, interval: 500 },
    ).catch((error) => {
      throw new Error(`${error.message}; last: ${last}`);
    });
    const { json } = await apiRequest('GET', `/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/gateways/smoke`);
    const programmed = json.status?.conditions?.find((c) => c.type === 'Programmed')?.status;
    return `Gateway Programmed=${programmed}`;
  });

  await check('readiness probe takes a pod out of the Service and puts it back', async () => {
    const [first, second] = await pods('hello');
    const toggle = async (on) => {
      const response = await get(`/admin/ready?on=${on}`, { address: first.status.podIP, port: 8080, method: 'POST' });
      assert(response.status === 200, `toggle: HTTP ${response.status}`);
    };
    await toggle(false);
    await waitFor(
      'the endpoint to turn unready',
      async () =>
        (await endpoints('hello')).some((e) => e.targetRef?.name === first.metadata.name && !e.conditions?.ready),
      { timeout: 30_000 },
    );
    // Let Traefik and kube-proxy take the change, then every request must reach the other pod.
    await sleep(1500);
    const seen = new Set();
    for (let i = 0; i < 20; i++) seen.add((await get('/', { host: 'hello.gittix.test' })).json?.pod);
    assert(seen.size === 1 && seen.has(second.metadata.name), `Ingress answered from ${[...seen].join(', ')}`);
    const viaService = await runPod('svc-client', ['get', '-tries', '5', ...Array(10).fill(`http://hello.${ns}/`)]);
    assert(!viaService.logs.includes(`"pod":"${first.metadata.name}"`), 'the unready pod still got Service traffic');
    await toggle(true);
    await waitFor(
      'the endpoint to turn ready again',
      async () => (await endpoints('hello')).filter((e) => e.conditions?.ready).length === 2,
      { timeout: 30_000 },
    );
    await sleep(1500);
    seen.clear();
    for (let i = 0; i < 30; i++) seen.add((await get('/', { host: 'hello.gittix.test' })).json?.pod);
    assert(seen.size === 2, `after recovery only ${[...seen].join(', ')} answered`);
    return `unready ${first.metadata.name} got no traffic (Ingress and Service), then rejoined`;
  });

  await check('kubectl rollout restart replaces every pod, no request failing meanwhile', async () => {
    const before = new Set((await pods('hello')).map((p) => p.metadata.name));
    let requests = 0;
    const failures = [];
    let running = true;
    const load = (async () => {
      while (running) {
        requests++;
        try {
          const response = await get('/', { host: 'hello.gittix.test' });
          if (response.status !== 200) failures.push(`HTTP ${response.status}`);
        } catch (error) {
          failures.push(error.message);
        }
        await sleep(50);
      }
    })();
    await kubectlAsync(['-n', ns, 'rollout', 'restart', 'deployment/hello']);
    await kubectlAsync(['-n', ns, 'rollout', 'status', 'deployment/hello', '--timeout=180s']);
    await waitFor('the old pods to go', async () => (await pods('hello')).every((p) => !before.has(p.metadata.name)), {
      timeout: 60_000,
    });
    running = false;
    await load;
    const after = await pods('hello');
    assert(after.length === 2 && after.every(isReady), `after: ${after.map((p) => p.metadata.name).join(', ')}`);
    assert(
      failures.length === 0,
      `${failures.length} of ${requests} requests failed: ${[...new Set(failures)].join(', ')}`,
    );
    return `new pods ${after.map((p) => p.metadata.name).join(', ')}; ${requests} requests, 0 failed`;
  });

  await check('StatefulSet volumeClaimTemplate bound by local-path, volume removed with its claim', async () => {
    apply([
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'store', namespace: ns },
        spec: {
          serviceName: 'store',
          replicas: 1,
          selector: { matchLabels: { app: 'store' } },
          template: {
            metadata: { labels: { app: 'store' } },
            spec: {
              securityContext: restricted.pod,
              terminationGracePeriodSeconds: 1,
              containers: [
                {
                  name: 'echo',
                  image: images.echo,
                  imagePullPolicy: 'Never',
                  args: ['-listen', ':8080', '-name', 'store', '-ready-after', '0s', '-write', '/data/written-by-pod'],
                  readinessProbe: { httpGet: { path: '/readyz', port: 8080 }, periodSeconds: 1 },
                  securityContext: restricted.container,
                  volumeMounts: [{ name: 'data', mountPath: '/data' }],
                },
              ],
            },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: 'data' },
              spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '64Mi' } } },
            },
          ],
        },
      },
    ]);
    kubectl(['-n', ns, 'rollout', 'status', 'statefulset/store', '--timeout=120s']);
    const { json: claim } = await apiRequest('GET', `/api/v1/namespaces/${ns}/persistentvolumeclaims/data-store-0`);
    assert(claim.status?.phase === 'Bound', `claim ${claim.status?.phase}`);
    const { json: volume } = await apiRequest('GET', `/api/v1/persistentvolumes/${claim.spec.volumeName}`);
    const dir = volume.spec.hostPath.path;
    assert(fs.existsSync(path.join(dir, 'written-by-pod')), `the pod's file is not in ${dir}`);
    kubectl(['-n', ns, 'delete', 'statefulset', 'store', '--wait=true', '--timeout=60s']);
    kubectl(['-n', ns, 'delete', 'pvc', 'data-store-0', '--wait=true', '--timeout=60s']);
    await waitFor(
      'the volume to be deleted',
      async () => (await apiRequest('GET', `/api/v1/persistentvolumes/${volume.metadata.name}`)).status === 404,
      { timeout: 30_000 },
    );
    assert(!fs.existsSync(dir), `${dir} is still there`);
    return `${claim.spec.volumeName} (storageClass ${claim.spec.storageClassName}) at ${path.relative(paths.volumes, dir)}`;
  });

  if (!keep) kubectl(['delete', 'namespace', ns, '--wait=false']);
}

function kubectlResult(args, body) {
  try {
    return { ok: true, stdout: kubectl(args, { input: JSON.stringify(body) }), stderr: '' };
  } catch (error) {
    return { ok: false, stdout: '', stderr: error.message };
  }
}

try {
  await main();
} catch (error) {
  results.push({ name: 'smoke setup', ok: false });
  process.stdout.write(`✖ smoke setup: ${error instanceof GittixError ? error.message : error.stack}\n`);
}
closeApi();
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
process.stdout.write(`\nsmoke: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
if (failed > 0) {
  process.stderr.write(`gittix: ${failed} cluster smoke check(s) failed (see above; logs in ${paths.logs})\n`);
  process.exit(1);
}
