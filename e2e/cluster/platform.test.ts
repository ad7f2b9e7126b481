import { lookup } from 'node:dns/promises';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildTicket, repoRoot } from '@gittix/testing';
import { MongoClient } from 'mongodb';
import { parseAllDocuments } from 'yaml';
import {
  agentFor,
  describeApiJourneys,
  listTicket,
  order,
  signUp,
  ticketStatus,
  type JourneyTarget,
  type RetryAfterPolicy,
} from '../support/api-journeys';
import { describeBrowserJourneys } from '../support/browser-journeys';
import {
  allPods,
  clusterMemoryMiB,
  deployed,
  eventTrail,
  inPodNetwork,
  isReady,
  kubectl,
  kubectlJson,
  kubectlResult,
  logsOf,
  natsChannel,
  natsMonitor,
  netnsOf,
  nodeImageLabels,
  pods,
  sleep,
  startTraffic,
  stateDir,
  until,
  untilReplaced,
  type Pod,
  type TrafficReport,
  type TrafficStep,
} from './cluster';

// GitTix on the project's one-node Kubernetes (infra/cluster), deployed as
// docs/cluster.md says (`npm run cluster:up`), driven the way a developer drives it:
// kubectl, the browser and the API at https://ticketing.dev through the Ingress
// controller (Traefik serving the `nginx` class), then the same journeys through the
// Gateway API profile. `npm run cluster:test` runs this file in a private mount
// namespace whose /etc/hosts maps ticketing.dev to 127.0.0.1 (docs/cluster.md step 4),
// and `.ci/run` runs that. The cluster's failures are tested for real: rollouts under
// traffic, a deleted database pod, two replicas sharing events, a pod losing its
// readiness.

const info = deployed();
const ca = readFileSync(info.ca, 'utf8');
/** The orders Deployment says 900 s; the tests set 20 s as a user would (kubectl set env). */
const expirationWindowSeconds = 20;
const target = (): JourneyTarget => ({ url: info.devUrl, ca, expirationWindowSeconds });
const report: string[] = [];
const figures: Record<string, unknown> = {};
/**
 * For the tests that follow a database pod's deletion: for a few seconds after a database pod
 * is replaced, a new connection to it is refused or hangs (kube-proxy has not yet programmed the
 * new endpoint), so a request can get the 503 with Retry-After that means "try again". The
 * tests retry as a client would, and the report lists every retry.
 */
const afterDatabaseFaults: RetryAfterPolicy = { tries: 3, onRetry: (what) => report.push(`  retried: ${what}`) };
/** The cluster's resident memory, sampled every 5 s while the tests run. */
let peakMemory = clusterMemoryMiB();
const sampler = setInterval(() => {
  const now = clusterMemoryMiB();
  if (now.total > peakMemory.total) peakMemory = now;
}, 5000);
sampler.unref();

interface Workload {
  kind: 'Deployment' | 'StatefulSet';
  metadata: { name: string; generation: number };
  spec: { replicas?: number; template: { spec: { containers: { image: string }[] } } };
  status?: { readyReplicas?: number; updatedReplicas?: number; observedGeneration?: number };
}

/** The Deployments and StatefulSets of infra/k8s and infra/k8s-dev, as the files declare them. */
function manifestWorkloads(): Workload[] {
  return ['infra/k8s', 'infra/k8s-dev'].flatMap((dir) =>
    readdirSync(path.join(repoRoot(), dir))
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) =>
        parseAllDocuments(readFileSync(path.join(repoRoot(), dir, f), 'utf8')).map((d) => d.toJS() as Workload),
      )
      .filter((w) => w?.kind === 'Deployment' || w?.kind === 'StatefulSet'),
  );
}

async function rolloutStatus(resource: string): Promise<void> {
  await kubectl(['rollout', 'status', resource, '--timeout=300s']);
}

/** Every ticket of a seller (all pages of GET /api/tickets?userId=). */
async function ticketsOf(sellerId: string): Promise<string[]> {
  const ids: string[] = [];
  let next: string | undefined = `/api/tickets?userId=${sellerId}&limit=100`;
  while (next) {
    const res = await agentFor(target()).get(next);
    expect(res.status).toBe(200);
    ids.push(...(res.body as { id: string }[]).map((t) => t.id));
    next = /<([^>]+)>;\s*rel="next"/.exec(String(res.headers.link ?? ''))?.[1];
  }
  return ids;
}

beforeAll(async () => {
  const { address } = await lookup('ticketing.dev', { family: 4 }).catch(() => ({ address: '(nothing)' }));
  if (address !== '127.0.0.1')
    throw new Error(
      `gittix: ticketing.dev resolves to ${address} here, not 127.0.0.1: run these tests with npm run cluster:test (it maps the name in a private /etc/hosts)`,
    );
  // What a user changes to watch an order expire, and because every journey's user
  // signs up from this one machine (50 sign-ups per address and hour by default).
  await kubectl(['set', 'env', 'deployment/orders-depl', `EXPIRATION_WINDOW_SECONDS=${expirationWindowSeconds}`]);
  await kubectl(['set', 'env', 'deployment/auth-depl', 'SIGNUPS_PER_IP_PER_HOUR=1000']);
  await rolloutStatus('deployment/orders-depl');
  await rolloutStatus('deployment/auth-depl');
}, 600_000);

afterAll(() => {
  clearInterval(sampler);
  figures.peakMemoryMiB = peakMemory;
  report.push(
    `peak memory while testing: ${peakMemory.total} MiB RSS (cluster processes ${peakMemory.hosts}, shims ${peakMemory.shims}, containers ${peakMemory.containers})`,
  );
  if (report.length > 0) process.stdout.write(`\n${report.join('\n')}\n`);
  try {
    writeFileSync(path.join(stateDir, 'cluster-test-figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
  } catch {
    // the state folder is gone: nothing to keep the figures in
  }
});

describe('the platform on the cluster, deployed as docs/cluster.md says', () => {
  it('every Deployment and StatefulSet of infra/k8s and infra/k8s-dev is Ready, on the image loaded into the node (never pulled)', async () => {
    const declared = manifestWorkloads();
    expect(declared.length).toBeGreaterThanOrEqual(14);
    const live = await kubectlJson<{ items: Workload[] }>(['get', 'deployments,statefulsets']);
    for (const w of declared) {
      const found = live.items.find((l) => l.kind === w.kind && l.metadata.name === w.metadata.name);
      const want = found?.spec.replicas ?? 1;
      expect({ workload: w.metadata.name, ready: found?.status?.readyReplicas === want }).toEqual({
        workload: w.metadata.name,
        ready: true,
      });
    }
    const all = (await kubectlJson<{ items: Pod[] }>(['get', 'pods'])).items.filter(
      (p) => !p.metadata.deletionTimestamp,
    );
    for (const pod of all) {
      expect({ pod: pod.metadata.name, ready: isReady(pod) }).toEqual({ pod: pod.metadata.name, ready: true });
      for (const c of pod.spec.containers) expect(c.imagePullPolicy).toBe('IfNotPresent');
    }
    // The kubelet found every image on the node: no pull was ever attempted.
    const events = await kubectlJson<{ items: { reason: string; message: string }[] }>(['get', 'events']);
    expect(
      events.items.filter((e) => e.reason === 'Pulling' || (e.reason !== 'Pulled' && /pull/i.test(e.message))),
    ).toEqual([]);
    expect(events.items.some((e) => e.reason === 'Pulled' && /already present on machine/.test(e.message))).toBe(true);
    const t = info.timings;
    figures.deploy = {
      upToAllReadySeconds: t.upToAllReadySeconds,
      importSeconds: t.importSeconds,
      memory: info.memory,
    };
    report.push(
      `cluster:up → all ${declared.length} workloads Ready: ${t.upToAllReadySeconds} s (image import ${t.importSeconds.toFixed(1)} s); ` +
        `memory then ${info.memory.total} MiB RSS (cluster processes ${info.memory.hostTotal}, shims ${info.memory.shims}, containers ${info.memory.containers})`,
    );
  });

  it("mongo, nats-streaming and redis run the local stand-ins under the manifests' names, and the GitTix images sit on the Node stand-in; each is labelled so", async () => {
    const standIns = ['mongo:7.0.28', 'nats-streaming:0.25.6', 'redis:7.2.11-alpine'];
    const images = new Set(manifestWorkloads().flatMap((w) => w.spec.template.spec.containers.map((c) => c.image)));
    for (const image of standIns) expect(images).toContain(image);
    for (const image of standIns) {
      const labels = await nodeImageLabels(`docker.io/library/${image}`);
      expect({ image, standIn: labels['dev.gittix.stand-in'] }).toEqual({ image, standIn: 'true' });
      report.push(`${image}: ${labels['org.opencontainers.image.description']}`);
    }
    for (const image of [...images].filter((i) => i.startsWith('gittix/'))) {
      const labels = await nodeImageLabels(`docker.io/${image}:latest`);
      expect({ image, standInBase: labels['dev.gittix.stand-in'] }).toEqual({ image, standInBase: 'true' });
    }
  });

  it("the mongo stand-in (FerretDB) admits its secret's user only, and keeps its files on the pod's volume claim", async () => {
    const [mongo] = await pods('tickets-mongo');
    if (!mongo?.status.podIP) throw new Error('no tickets-mongo pod');
    const secret = await kubectlJson<{ data: Record<string, string> }>(['get', 'secret', 'tickets-mongo-secret']);
    const decode = (key: string) => Buffer.from(secret.data[key] ?? '', 'base64').toString();
    const url = (auth: string) =>
      `mongodb://${auth}${mongo.status.podIP}:27017/tickets?authSource=admin&directConnection=true&serverSelectionTimeoutMS=5000`;
    const attempt = async (auth: string) => {
      const client = new MongoClient(url(auth));
      try {
        return await client.db('tickets').listCollections().toArray();
      } finally {
        await client.close();
      }
    };
    const user = encodeURIComponent(decode('MONGO_USERNAME'));
    expect(user).toBe('tickets');
    await expect(attempt(`${user}:${encodeURIComponent(decode('MONGO_PASSWORD'))}@`)).resolves.toEqual(
      expect.any(Array),
    );
    await expect(attempt(`${user}:wrong-password@`)).rejects.toThrow(/auth/i);
    await expect(attempt('')).rejects.toThrow(/auth|unauthori[sz]ed/i);

    const claim = await kubectlJson<{ spec: { volumeName: string } }>(['get', 'pvc', 'data-tickets-mongo-0']);
    const volume = await kubectlJson<{ spec: { hostPath: { path: string } } }>(['get', 'pv', claim.spec.volumeName]);
    expect(readdirSync(volume.spec.hostPath.path).filter((f) => f.endsWith('.sqlite'))).toEqual(
      expect.arrayContaining(['admin.sqlite']),
    );
  });

  it('the namespace enforces PodSecurity `restricted`: a non-compliant pod is refused, and every running pod passes the level', async () => {
    const ns = await kubectlJson<{ metadata: { labels: Record<string, string> } }>(['get', 'namespace', 'default']);
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const rootPod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'psa-root' },
      spec: { containers: [{ name: 'c', image: 'gittix/auth', imagePullPolicy: 'IfNotPresent' }] },
    };
    const refused = await kubectlResult(['apply', '--dry-run=server', '-f', '-'], JSON.stringify(rootPod));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/violates PodSecurity "restricted:latest"/);
    // Setting the level again (a new version) makes the API server check every pod in the
    // namespace and warn about each that breaks it: none does.
    const recheck = await kubectlResult([
      'label',
      '--dry-run=server',
      '--overwrite',
      'namespace',
      'default',
      'pod-security.kubernetes.io/enforce=restricted',
      'pod-security.kubernetes.io/enforce-version=v1.34',
    ]);
    expect({ code: recheck.code, warnings: recheck.stderr.trim() }).toEqual({ code: 0, warnings: '' });
    // …and that check does speak up: a namespace holding a root pod is warned about.
    await kubectl(['create', 'namespace', 'psa-control']);
    try {
      await kubectl(['-n', 'psa-control', 'apply', '-f', '-'], JSON.stringify(rootPod));
      const control = await kubectlResult([
        'label',
        '--dry-run=server',
        '--overwrite',
        'namespace',
        'psa-control',
        'pod-security.kubernetes.io/enforce=restricted',
      ]);
      expect(control.stderr).toMatch(/psa-root: .*runAsNonRoot != true/);
    } finally {
      await kubectl(['delete', 'namespace', 'psa-control', '--wait=false']);
    }
    const all = (await kubectlJson<{ items: Pod[] }>(['get', 'pods'])).items;
    report.push(`PodSecurity restricted (enforce): ${all.length} pods in namespace default, none in violation`);
  });

  it('the address cluster:up prints, https://127.0.0.1:<port>, signs in; its http twin serves anonymous browsing, where a session cannot start', async () => {
    const printed: JourneyTarget = { url: info.url, ca, expirationWindowSeconds };
    const user = await signUp(printed, 'printed');
    expect(user.cookie).toMatch(/^session=/);
    const me = await user.agent.get('/api/users/currentuser');
    expect(me.body.currentUser?.id).toBe(user.id);

    const plain: JourneyTarget = { url: info.httpUrl, expirationWindowSeconds };
    const home = await agentFor(plain).get('/');
    expect(home.status).toBe(200);
    expect(home.headers['content-type']).toMatch(/text\/html/);
    expect((await agentFor(plain).get(`/api/tickets?limit=1`)).status).toBe(200);
    // The services mark the cookie secure in production and send it over https only.
    const agent = agentFor(plain);
    const signedUp = await agent.post('/api/users/signup').send({
      email: `plain-${Date.now()}@example.test`,
      password: 'a long enough password',
      username: 'plain',
    });
    expect(signedUp.status).toBe(201);
    expect(signedUp.headers['set-cookie']).toBeUndefined();
    expect((await agent.get('/api/users/currentuser')).body).toEqual({ currentUser: null });
    // http://ticketing.dev is redirected to https, as the dev Ingress has tls (ingress-nginx's ssl-redirect).
    const redirected = await agentFor(plain).get('/').set('Host', 'ticketing.dev').redirects(0);
    expect(redirected.status).toBe(308);
    expect(redirected.headers.location).toMatch(/^https:\/\/ticketing\.dev\//);
  });
});

describeApiJourneys(target);

describeBrowserJourneys('cluster', target);

describe('kubectl rollout restart under steady traffic', () => {
  const rollouts: Record<string, unknown> = {};
  figures.rollouts = rollouts;

  /** One request to every web service in turn, as signed-in browsers send them, and a new ticket now and then. */
  function steps(cookie: string, label: string): TrafficStep[] {
    const read: TrafficStep[] = [
      { service: 'client', method: 'GET', path: '/', ok: [200] },
      { service: 'auth', method: 'GET', path: '/api/users/currentuser', cookie, ok: [200] },
      { service: 'tickets', method: 'GET', path: '/api/tickets?limit=5', ok: [200] },
      { service: 'orders', method: 'GET', path: '/api/orders', cookie, ok: [200] },
      { service: 'payments', method: 'GET', path: '/api/payments', cookie, ok: [200] },
    ];
    const write: TrafficStep = {
      service: 'tickets (writes)',
      method: 'POST',
      path: '/api/tickets',
      cookie,
      body: buildTicket({ title: `Rollout ${label}`, price: 12 }),
      ok: [201],
    };
    return [...read, ...read, write];
  }

  async function underTraffic(app: string, during: () => Promise<void> = async () => {}) {
    const deployment = `${app}-depl`;
    const seller = await signUp(target(), `roll-${app}`);
    const before = (await pods(app)).map((p) => p.metadata.name);
    const traffic = startTraffic({ url: target().url, ca }, steps(seller.cookie, app), { idPrefix: `rollout-${app}` });
    await sleep(3000); // steady before the restart
    const started = Date.now();
    let result: TrafficReport;
    try {
      await kubectl(['rollout', 'restart', `deployment/${deployment}`]);
      await Promise.all([
        (async () => {
          await rolloutStatus(`deployment/${deployment}`);
          await until(
            async () => (await allPods(app)).every((p) => !before.includes(p.metadata.name)),
            `the old ${app} pods to be gone`,
            120_000,
          );
        })(),
        during(),
      ]);
    } finally {
      const seconds = (Date.now() - started) / 1000;
      await sleep(3000); // and steady after it
      result = await traffic.stop();
      rollouts[app] = {
        rolloutSeconds: seconds,
        sent: result.sent,
        failed: result.failed,
        byService: result.byService,
      };
      report.push(
        `rollout restart ${deployment}: ${seconds.toFixed(1)} s; ${result.sent} requests in ${result.seconds.toFixed(0)} s, ${result.failed} failed` +
          ` (${Object.entries(result.byService)
            .map(([s, c]) => `${s} ${c.sent}/${c.failed}`)
            .join(', ')})`,
      );
    }
    const after = await pods(app);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((p) => !before.includes(p.metadata.name) && isReady(p))).toBe(true);
    expect({ failed: result.failed, failures: result.failures }).toEqual({ failed: 0, failures: [] });
    // No write was lost or made twice: the seller has exactly the tickets the POSTs created.
    const created = (result.created['tickets (writes)'] ?? []).map((t) => (t as { id: string }).id);
    expect(created.length).toBeGreaterThan(0);
    expect((await ticketsOf(seller.id)).sort()).toEqual([...new Set(created)].sort());
    return { result, after };
  }

  it.each(['auth', 'tickets', 'orders', 'payments'])(
    '%s: every pod replaced, 0 failed requests, and the new pod served the traffic',
    async (app) => {
      const { result, after } = await underTraffic(app);
      const service = app;
      expect(result.byService[service]?.sent).toBeGreaterThan(20);
      // The services log each request's X-Request-ID: the new pod took this test's requests.
      const ids = new Set(result.requestIds[service]);
      const logged = (await Promise.all(after.map((p) => logsOf(p.metadata.name))))
        .join('\n')
        .split('\n')
        .filter((line) => [...line.matchAll(/"requestId":"([^"]+)"/g)].some((m) => ids.has(m[1] ?? '')));
      expect(logged.length).toBeGreaterThan(0);
    },
    420_000,
  );

  it('client: every pod replaced, 0 failed page loads', async () => {
    const { result } = await underTraffic('client');
    expect(result.byService.client?.sent).toBeGreaterThan(20);
  }, 420_000);

  it('expiration: every pod replaced, 0 failed requests, and every order placed meanwhile still expires', async () => {
    const seller = await signUp(target(), 'roll-exp-seller');
    const buyers = await Promise.all([0, 1].map((i) => signUp(target(), `roll-exp-buyer${i}`)));
    const tickets: string[] = [];
    for (let i = 0; i < 6; i++) tickets.push(await listTicket(seller.agent));
    const orders: string[] = [];
    await underTraffic('expiration', async () => {
      // One order every ~2 s while the expiration pods are replaced.
      for (const [i, ticketId] of tickets.entries()) {
        const buyer = buyers[i % buyers.length];
        if (!buyer) throw new Error('no buyer');
        const res = await order(buyer.agent, ticketId);
        expect(res.status).toBe(201);
        orders.push(res.body.id as string);
        await sleep(2000);
      }
    });
    for (const [i, orderId] of orders.entries()) {
      const buyer = buyers[i % buyers.length];
      if (!buyer) throw new Error('no buyer');
      await until(
        async () => (await buyer.agent.get(`/api/orders/${orderId}`)).body.status === 'cancelled',
        `order ${orderId} to expire`,
        (expirationWindowSeconds + 60) * 1000,
        1000,
      );
    }
    for (const ticketId of tickets) expect(await ticketStatus(target(), ticketId)).toBe('available');
    report.push(`  expiration: ${orders.length} orders placed during its rollout, all ${orders.length} expired`);
  }, 600_000);
});

describe('a deleted database pod comes back with its data', () => {
  it('all four MongoDB pods deleted at once: each StatefulSet brings its pod back on the same claim, and every record is there', async () => {
    const seller = await signUp(target(), 'db-seller');
    const buyer = await signUp(target(), 'db-buyer');
    const ticketId = await listTicket(seller.agent, 31);
    const orderId = (await order(buyer.agent, ticketId)).body.id as string;
    const paid = await buyer.agent.post('/api/payments').send({ orderId, token: 'tok_visa' });
    expect(paid.status).toBe(201);
    await until(
      async () => (await buyer.agent.get(`/api/orders/${orderId}`)).body.status === 'complete',
      'the order to complete',
      20_000,
    );

    const sets = ['auth-mongo', 'tickets-mongo', 'orders-mongo', 'payments-mongo'];
    const before = new Map<string, { uid: string; volume: string }>();
    for (const set of sets) {
      const [pod] = await pods(set);
      const claim = await kubectlJson<{ spec: { volumeName: string } }>(['get', 'pvc', `data-${set}-0`]);
      before.set(set, { uid: pod?.metadata.uid ?? '', volume: claim.spec.volumeName });
    }
    const started = Date.now();
    await kubectl(['delete', 'pod', ...sets.map((s) => `${s}-0`), '--wait=false']);
    for (const set of sets) await untilReplaced(set, before.get(set)?.uid);
    const back = (Date.now() - started) / 1000;
    for (const app of ['auth', 'tickets', 'orders', 'payments'])
      await until(async () => (await pods(app)).every(isReady), `${app} to be ready again`, 120_000, 1000);
    const recovered = (Date.now() - started) / 1000;
    for (const set of sets) {
      const claim = await kubectlJson<{ spec: { volumeName: string } }>(['get', 'pvc', `data-${set}-0`]);
      expect({ set, volume: claim.spec.volumeName }).toEqual({ set, volume: before.get(set)?.volume });
    }

    // auth: the seller signs in with the password of before; tickets, orders, payments: the records are there.
    const again = agentFor(target());
    await until(
      async () =>
        (await again.post('/api/users/signin').send({ email: seller.email, password: seller.password })).status === 200,
      'the seller to sign in',
      60_000,
      1000,
    );
    const ticket = await agentFor(target()).get(`/api/tickets/${ticketId}`);
    expect({ status: ticket.status, userId: ticket.body.userId, price: ticket.body.price }).toEqual({
      status: 200,
      userId: seller.id,
      price: 31,
    });
    expect((await buyer.agent.get(`/api/orders/${orderId}`)).body.status).toBe('complete');
    const payments = await buyer.agent.get('/api/payments');
    expect(JSON.stringify(payments.body)).toContain(orderId);
    // And they take new writes.
    expect(await listTicket(seller.agent)).toMatch(/^[0-9a-f]{24}$/);
    figures.databaseDeletion = { podsBackSeconds: back, servicesReadySeconds: recovered };
    report.push(
      `4 MongoDB pods deleted: back and Ready in ${back.toFixed(1)} s, services ready ${recovered.toFixed(1)} s; data intact`,
    );
  }, 600_000);

  it("sign-ups the moment auth's database pod is back: each is created, or told 503 with Retry-After and created when tried again as told; none is lost or made twice", async () => {
    const [before] = await pods('auth-mongo');
    await kubectl(['delete', 'pod', 'auth-mongo-0', '--wait=false']);
    await untilReplaced('auth-mongo', before?.metadata.uid, 250);
    // Rounds of 4 at once: a round needs new pooled connections, the ones a new endpoint may refuse.
    const retries: string[] = [];
    const policy: RetryAfterPolicy = { tries: 3, onRetry: (what) => retries.push(what) };
    const users: Awaited<ReturnType<typeof signUp>>[] = [];
    for (let round = 0; round < 5; round++)
      users.push(...(await Promise.all([0, 1, 2, 3].map((i) => signUp(target(), `db-back${round}${i}`, policy)))));
    // Each account is there once, with its password: it signs in.
    for (const user of users) {
      const res = await agentFor(target())
        .post('/api/users/signin')
        .send({ email: user.email, password: user.password });
      expect({ email: user.email, status: res.status, id: res.body.id }).toEqual({
        email: user.email,
        status: 200,
        id: user.id,
      });
    }
    report.push(
      `auth-mongo-0 replaced: ${users.length} sign-ups from the moment it was Ready, all created; ${retries.length} told 503 + Retry-After first`,
    );
  }, 300_000);

  it("expiration's Redis pod deleted while an order waits: the delayed job is back from its append-only file, and expires the order on time", async () => {
    const seller = await signUp(target(), 'redis-seller', afterDatabaseFaults);
    const buyer = await signUp(target(), 'redis-buyer', afterDatabaseFaults);
    const ticketId = await listTicket(seller.agent);
    const ordered = await order(buyer.agent, ticketId);
    expect(ordered.status).toBe(201);
    const orderId = ordered.body.id as string;
    const expiresAt = Date.parse(ordered.body.expiresAt as string);
    // The Bull job of the order (one per order, keyed by its id), as redis-cli shows it.
    const job = async () => {
      const exists = await kubectl([
        'exec',
        'expiration-redis-0',
        '--',
        'redis-cli',
        'EXISTS',
        `bull:order:expiration:${orderId}`,
      ]);
      const delayed = await kubectl([
        'exec',
        'expiration-redis-0',
        '--',
        'redis-cli',
        'ZSCORE',
        'bull:order:expiration:delayed',
        orderId,
      ]);
      return exists.trim() === '1' && delayed.trim() !== '';
    };
    await until(job, 'expiration to schedule the order', 10_000);
    await sleep(1500); // appendfsync everysec: on disk within a second
    const [redis] = await pods('expiration-redis');
    await kubectl(['delete', 'pod', 'expiration-redis-0', '--wait=true', '--timeout=120s']);
    await untilReplaced('expiration-redis', redis?.metadata.uid);
    expect(await job()).toBe(true);
    // Where this order's events stopped: the channels, and the pods' warnings and lines naming the order or ticket.
    const trail = () =>
      eventTrail({
        apps: ['expiration', 'orders', 'tickets'],
        ids: [orderId, ticketId],
        channels: ['expiration:complete', 'order:cancelled'],
        sinceMs: expiresAt - 60_000,
      });
    const explained = async <T>(wait: Promise<T>): Promise<T> => {
      try {
        return await wait;
      } catch (error) {
        throw new Error(`${error instanceof Error ? error.message : String(error)}\n${await trail()}`, {
          cause: error,
        });
      }
    };
    // Expired by that job, on time: the orders service's own back-stop would cancel it only a minute late.
    await explained(
      until(
        async () => (await buyer.agent.get(`/api/orders/${orderId}`)).body.status === 'cancelled',
        'the order to expire',
        Math.max(0, expiresAt - Date.now()) + 15_000,
        500,
      ),
    );
    const cancelledAt = Date.now();
    const late = (cancelledAt - expiresAt) / 1000;
    // Released by tickets on order:cancelled, normally a moment after the order says cancelled; within one
    // redelivery (ackWait 10 s) if the first delivery failed. A slow release shows its trail in the report.
    await explained(
      until(
        async () => {
          const res = await agentFor(target()).get(`/api/tickets/${ticketId}`);
          if (res.body.status !== 'available') throw new Error(`GET ticket: ${res.status} ${JSON.stringify(res.body)}`);
          return true;
        },
        'the ticket to be released',
        30_000,
        250,
      ),
    );
    const released = (Date.now() - cancelledAt) / 1000;
    report.push(
      `expiration-redis-0 deleted with an order waiting: the job came back, the order expired ${late.toFixed(1)} s ` +
        `after its time, its ticket released ${released.toFixed(1)} s later`,
    );
    if (released > 5) report.push(await trail());
  }, 300_000);
});

describe('tickets and orders at two replicas', () => {
  beforeAll(async () => {
    // As a user scales them; debug logs show each event an orders pod handles.
    await kubectl(['scale', 'deployment/tickets-depl', 'deployment/orders-depl', '--replicas=2']);
    await kubectl(['set', 'env', 'deployment/orders-depl', 'LOG_LEVEL=debug']);
    await rolloutStatus('deployment/tickets-depl');
    await rolloutStatus('deployment/orders-depl');
    // Terminating pods included: an old orders pod still draining would take events at info level.
    await until(
      async () => (await allPods('orders')).length === 2 && (await allPods('tickets')).length === 2,
      'two pods each, none terminating',
      120_000,
    );
  }, 600_000);

  afterAll(async () => {
    await kubectl(['scale', 'deployment/tickets-depl', 'deployment/orders-depl', '--replicas=1']);
    await kubectl(['set', 'env', 'deployment/orders-depl', 'LOG_LEVEL=info']);
    await rolloutStatus('deployment/tickets-depl');
    await rolloutStatus('deployment/orders-depl');
  }, 600_000);

  it('each pod has its own NATS client id (its pod name), and the two pods of a service share one durable queue group', async () => {
    const tickets = (await pods('tickets')).map((p) => p.metadata.name).sort();
    const orders = (await pods('orders')).map((p) => p.metadata.name).sort();
    const clients = await natsMonitor<{ clients: { id: string }[] }>('/streaming/clientsz?limit=1024');
    const ids = clients.clients.map((c) => c.id);
    for (const pod of [...tickets, ...orders]) expect(ids).toContain(pod);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [channel, members] of [
      ['order:created', tickets],
      ['ticket:created', orders],
    ] as const) {
      const subs = (await natsChannel(channel)).subscriptions ?? [];
      const ours = subs.filter((s) => members.includes(s.client_id));
      expect(ours.map((s) => s.client_id).sort()).toEqual(members);
      expect(new Set(ours.map((s) => s.queue_name)).size).toBe(1);
      expect(ours.every((s) => s.is_durable && s.queue_name.includes(':'))).toBe(true);
    }
  });

  it('each event is handled once per service: every ticket:created by one orders pod, every order:created by one tickets pod, both pods sharing the work', async () => {
    const count = 16;
    const tickets = (await pods('tickets')).map((p) => p.metadata.name);
    const orders = (await pods('orders')).map((p) => p.metadata.name);
    const sellers = await Promise.all([0, 1].map((i) => signUp(target(), `scale-seller${i}`, afterDatabaseFaults)));
    const buyers = await Promise.all([0, 1, 2, 3].map((i) => signUp(target(), `scale-buyer${i}`, afterDatabaseFaults)));

    // Tickets listed through the ingress (both tickets pods serve them): each published once.
    const createdBefore = (await natsChannel('ticket:created')).last_seq;
    const ticketIds: string[] = [];
    for (let i = 0; i < count; i++) {
      const seller = sellers[i % sellers.length];
      if (!seller) throw new Error('no seller');
      ticketIds.push(await listTicket(seller.agent, 10 + i));
    }
    await until(
      async () => (await natsChannel('ticket:created')).last_seq >= createdBefore + count,
      'the events',
      30_000,
    );
    await sleep(2000); // any second publication (an outbox sweep racing another) would land by now
    expect((await natsChannel('ticket:created')).last_seq - createdBefore).toBe(count);

    // Orders one at a time; after each, NATS says which member of tickets' queue group it went to.
    const deliveredTo: Record<string, number> = Object.fromEntries(tickets.map((t) => [t, 0]));
    let lastSeq = (await natsChannel('order:created')).last_seq;
    for (const [i, ticketId] of ticketIds.entries()) {
      const buyer = buyers[i % buyers.length];
      if (!buyer) throw new Error('no buyer');
      const res = await order(buyer.agent, ticketId);
      expect(res.status).toBe(201);
      const previous = lastSeq;
      const seq = await until(
        async () => {
          const now = (await natsChannel('order:created')).last_seq;
          return now > previous && now;
        },
        'the order:created event',
        10_000,
        100,
      );
      expect(seq).toBe(previous + 1);
      lastSeq = seq;
      const members = await until(
        async () => {
          const subs = ((await natsChannel('order:created')).subscriptions ?? []).filter((s) =>
            tickets.includes(s.client_id),
          );
          return subs.some((s) => s.last_sent >= seq) && subs.every((s) => s.pending_count === 0) && subs;
        },
        `order:created #${seq} to be handled by tickets`,
        20_000,
        200,
      );
      const got = members.filter((s) => s.last_sent === seq).map((s) => s.client_id);
      expect({ seq, deliveredTo: got.length }).toEqual({ seq, deliveredTo: 1 });
      const first = got[0];
      if (first) deliveredTo[first] = (deliveredTo[first] ?? 0) + 1;
    }
    for (const ticketId of ticketIds)
      await until(async () => (await ticketStatus(target(), ticketId)) === 'reserved', `${ticketId} reserved`, 20_000);

    // The orders pods' debug lines: which pod applied which ticket:created.
    const handled: Record<string, string[]> = {};
    for (const pod of orders) {
      for (const line of (await logsOf(pod)).split('\n')) {
        if (!line.includes('"msg":"event handled"')) continue;
        const entry = JSON.parse(line) as { subject?: string; id?: string; outcome?: string };
        if (entry.subject !== 'ticket:created' || entry.outcome !== 'applied' || !entry.id) continue;
        if (ticketIds.includes(entry.id)) (handled[entry.id] ??= []).push(pod);
      }
    }
    expect(Object.keys(handled).sort()).toEqual([...ticketIds].sort());
    expect(Object.entries(handled).filter(([, by]) => by.length !== 1)).toEqual([]);
    const perOrdersPod = orders.map((pod) => Object.values(handled).filter((by) => by[0] === pod).length);
    expect(perOrdersPod.every((n) => n > 0)).toBe(true);
    expect(Object.values(deliveredTo).every((n) => n > 0)).toBe(true);
    figures.scaled = { events: count, ticketCreatedPerOrdersPod: perOrdersPod, orderCreatedPerTicketsPod: deliveredTo };
    report.push(
      `2 replicas: ${count} ticket:created → orders pods ${perOrdersPod.join(' + ')}; ${count} order:created → tickets pods ` +
        `${Object.values(deliveredTo).join(' + ')}; each once`,
    );
  }, 300_000);

  it('the readiness probe gates traffic: a tickets pod cut off from NATS turns unready and gets no request until it is ready again', async () => {
    // Two ready pods, each with its network on the node (a pod just started may not show it yet).
    const [cut, other] = await until(
      async () => {
        const ready = (await pods('tickets')).filter(isReady);
        return ready.length === 2 && ready.every((p) => p.status.podIP && netnsOf(p.status.podIP)) && ready;
      },
      'two ready tickets pods with their networks',
      60_000,
      500,
    );
    if (!cut?.status.podIP || !other) throw new Error('two tickets pods expected');
    const ip = cut.status.podIP;
    const requests = async (prefix: string, n: number) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const id = `${prefix}-${i}`;
        ids.push(id);
        const res = await agentFor(target()).get('/api/tickets?limit=1').set('X-Request-ID', id);
        expect(res.status).toBe(200);
      }
      return ids;
    };
    const servedBy = async (pod: string, ids: string[]) => {
      const log = await logsOf(pod);
      return ids.filter((id) => log.includes(`"requestId":"${id}"`)).length;
    };

    // Both ready: the Ingress sends to both.
    const warm = await requests(`gate-both-${Date.now()}`, 20);
    expect(await servedBy(cut.metadata.name, warm)).toBeGreaterThan(0);

    // A network fault for that pod alone: its connections to NATS are reset and refused.
    const rule = ['-p', 'tcp', '--dport', '4222', '-j', 'REJECT', '--reject-with', 'tcp-reset'];
    inPodNetwork(ip, ['iptables', '-I', 'OUTPUT', ...rule]);
    let cutAt = Date.now();
    try {
      await until(
        async () => {
          const [pod] = (await pods('tickets')).filter((p) => p.metadata.name === cut.metadata.name);
          return pod && !isReady(pod);
        },
        `${cut.metadata.name} to turn unready`,
        45_000,
        500,
      );
      const unreadyAfter = (Date.now() - cutAt) / 1000;
      const slices = await kubectlJson<{
        items: { endpoints?: { addresses: string[]; conditions: { ready?: boolean } }[] }[];
      }>(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=tickets-srv']);
      const endpoint = slices.items.flatMap((s) => s.endpoints ?? []).find((e) => e.addresses.includes(ip));
      expect(endpoint?.conditions.ready).toBe(false);
      await sleep(1000); // Traefik takes the EndpointSlice change
      const whileUnready = await requests(`gate-unready-${Date.now()}`, 30);
      expect(await servedBy(cut.metadata.name, whileUnready)).toBe(0);
      expect(await servedBy(other.metadata.name, whileUnready)).toBe(whileUnready.length);
      report.push(
        `readiness: ${cut.metadata.name} unready ${unreadyAfter.toFixed(1)} s after losing NATS; 0 of 30 requests reached it`,
      );
    } finally {
      inPodNetwork(ip, ['iptables', '-D', 'OUTPUT', ...rule]);
      cutAt = Date.now();
    }
    await until(
      async () => {
        const [pod] = (await pods('tickets')).filter((p) => p.metadata.name === cut.metadata.name);
        return pod && isReady(pod);
      },
      `${cut.metadata.name} to be ready again`,
      90_000,
      500,
    );
    const readyAgainAfter = (Date.now() - cutAt) / 1000;
    await sleep(1000);
    const back = await requests(`gate-back-${Date.now()}`, 30);
    expect(await servedBy(cut.metadata.name, back)).toBeGreaterThan(0);
    // It recovered on its own: the same container, never restarted by its liveness probe.
    const [after] = (await pods('tickets')).filter((p) => p.metadata.name === cut.metadata.name);
    expect(after?.status.containerStatuses?.[0]?.restartCount).toBe(cut.status.containerStatuses?.[0]?.restartCount);
    report.push(`  ready again ${readyAgainAfter.toFixed(1)} s after the fault ended, and served again`);
  }, 300_000);
});

describe('the Gateway API profile (infra/k8s-gateway), served by the same Traefik', () => {
  beforeAll(async () => {
    // As `skaffold dev -p gateway` deploys: infra/k8s without its Ingress, infra/k8s-gateway
    // instead (its edge-srv points the client's server-side calls at Traefik's Service).
    await kubectl(['delete', 'ingress', 'ingress-srv', 'ingress-dev']);
    await kubectl(['apply', '-f', path.join(repoRoot(), 'infra', 'k8s-gateway')]);
    // The HTTPS listener docs/cluster.md says to add for real use (the session cookie is
    // secure), with the ingress's certificate as a Secret.
    const dir = path.dirname(info.ca);
    await kubectl([
      'create',
      'secret',
      'tls',
      'ticketing-dev-tls',
      `--cert=${path.join(dir, 'tls.crt')}`,
      `--key=${path.join(dir, 'tls.key')}`,
    ]);
    const port = Number(new URL(info.url).port);
    const listener = {
      name: 'https',
      protocol: 'HTTPS',
      port,
      tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'ticketing-dev-tls' }] },
      allowedRoutes: { namespaces: { from: 'Same' } },
    };
    await kubectl([
      'patch',
      'gateway',
      'gittix',
      '--type=json',
      '-p',
      JSON.stringify([{ op: 'add', path: '/spec/listeners/-', value: listener }]),
    ]);
    await until(
      async () => {
        const gw = await kubectlJson<{ status?: { conditions?: { type: string; status: string }[] } }>([
          'get',
          'gateway',
          'gittix',
        ]);
        return gw.status?.conditions?.some((c) => c.type === 'Programmed' && c.status === 'True');
      },
      'the Gateway to be programmed',
      60_000,
    );
    await until(
      async () => (await agentFor(target()).get('/api/users/currentuser')).status === 200,
      'the HTTPRoute to answer on https',
      60_000,
    );
  }, 300_000);

  it('Traefik serves the HTTPRoute on both listeners and no Ingress route is left', async () => {
    const routers = (await (await fetch('http://127.0.0.1:8481/api/http/routers')).json()) as {
      name: string;
      provider: string;
      status: string;
      entryPoints: string[];
    }[];
    const gateway = routers.filter((r) => r.provider === 'kubernetesgateway');
    expect(gateway.length).toBeGreaterThan(0);
    expect(gateway.every((r) => r.status === 'enabled')).toBe(true);
    expect(new Set(gateway.flatMap((r) => r.entryPoints))).toEqual(new Set(['web', 'websecure']));
    expect(routers.filter((r) => r.provider === 'kubernetesingressnginx')).toEqual([]);
    const route = await kubectlJson<{ status: { parents: { conditions: { type: string; status: string }[] }[] } }>([
      'get',
      'httproute',
      'gittix',
    ]);
    expect(route.status.parents[0]?.conditions.find((c) => c.type === 'Accepted')?.status).toBe('True');
    // The client's server-side calls go to the Gateway now, through edge-srv.
    const edge = await kubectlJson<{ spec: { externalName: string } }>(['get', 'service', 'edge-srv']);
    expect(edge.spec.externalName).toBe('traefik.traefik.svc.cluster.local');
    expect((await agentFor({ url: info.httpUrl, expirationWindowSeconds }).get('/')).status).toBe(200);
  });

  describeApiJourneys(target);

  describeBrowserJourneys('cluster-gateway', target);
});
