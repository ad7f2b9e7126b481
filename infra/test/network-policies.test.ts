// The NetworkPolicies of infra/k8s, evaluated as Kubernetes does: a pod selected
// by any policy of a direction is isolated in that direction, and a connection
// is allowed only if the source's egress AND the destination's ingress allow it.
// The test computes who may reach whom, on which port, and compares that with
// the flows GitTix needs, nothing more.
import { type Workload, loadManifests, ofKind, workloadsOf } from './support/repo';

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}
interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: { protocol?: string; port?: number }[];
}
interface NetworkPolicy {
  metadata: { name: string };
  spec: { podSelector: LabelSelector; policyTypes: ('Ingress' | 'Egress')[]; ingress?: Rule[]; egress?: Rule[] };
}

/** Something that opens or accepts a connection: a pod (namespace and labels) or an address outside the cluster. */
interface Endpoint {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  ip?: string;
}

const manifests = loadManifests(['infra/k8s']);
const policies = ofKind<NetworkPolicy>(manifests, 'NetworkPolicy');
const ours = 'default';

function matches(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const value = labels[e.key];
    if (e.operator === 'In' && !(has && e.values?.includes(value ?? ''))) return false;
    if (e.operator === 'NotIn' && has && e.values?.includes(value ?? '')) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

const ipToNumber = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
function inCidr(ip: string, cidr: string): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipToNumber(base) / size) * size;
  return ipToNumber(ip) >= start && ipToNumber(ip) < start + size;
}

function peerMatches(peer: Peer, other: Endpoint): boolean {
  if (peer.ipBlock) {
    const ip = other.ip;
    return !!ip && inCidr(ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(ip, c));
  }
  if (!other.namespace) return false;
  const namespaceOk = peer.namespaceSelector
    ? matches(peer.namespaceSelector, { 'kubernetes.io/metadata.name': other.namespace })
    : other.namespace === ours;
  const podOk = peer.podSelector ? matches(peer.podSelector, other.labels ?? {}) : true;
  return namespaceOk && podOk;
}

function ruleAllows(rule: Rule, peers: Peer[] | undefined, other: Endpoint, port: number): boolean {
  const portOk = !rule.ports || rule.ports.some((p) => p.port === undefined || p.port === port);
  const peerOk = !peers || peers.length === 0 || peers.some((p) => peerMatches(p, other));
  return portOk && peerOk;
}

/** Whether one direction of `pod` lets the connection through (unisolated pods allow everything). */
function sideAllows(pod: Endpoint, direction: 'Ingress' | 'Egress', other: Endpoint, port: number): boolean {
  if (pod.namespace !== ours) return true; // another namespace's policies are not ours to check
  const selecting = policies.filter(
    (p) => p.spec.policyTypes.includes(direction) && matches(p.spec.podSelector, pod.labels ?? {}),
  );
  if (selecting.length === 0) return true;
  return selecting.some((p) =>
    (direction === 'Ingress' ? (p.spec.ingress ?? []) : (p.spec.egress ?? [])).some((rule) =>
      ruleAllows(rule, direction === 'Ingress' ? rule.from : rule.to, other, port),
    ),
  );
}

const allowed = (src: Endpoint, dst: Endpoint, port: number) =>
  sideAllows(src, 'Egress', dst, port) && sideAllows(dst, 'Ingress', src, port);

const pods: Endpoint[] = workloadsOf(manifests).map((w: Workload) => ({
  name: w.spec.template.metadata.labels.app ?? w.metadata.name,
  namespace: ours,
  labels: w.spec.template.metadata.labels,
}));
const nginx: Endpoint = {
  name: 'ingress-nginx',
  namespace: 'ingress-nginx',
  labels: { 'app.kubernetes.io/name': 'ingress-nginx' },
};
const traefik: Endpoint = { name: 'traefik', namespace: 'traefik', labels: { 'app.kubernetes.io/name': 'traefik' } };
const dns: Endpoint = { name: 'dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
const stripe: Endpoint = { name: 'stripe', ip: '52.4.1.9' };
const privateHost: Endpoint = { name: 'private-host', ip: '10.1.2.3' };
const endpoints = [...pods, nginx, traefik, dns, stripe, privateHost];
const ports = [53, 80, 443, 3000, 4222, 6379, 8000, 27017];

/** Every flow GitTix needs, as `source → destination:port`; everything else must be refused. */
const web = ['auth', 'tickets', 'orders', 'payments', 'client'];
const bus = ['auth', 'tickets', 'orders', 'payments', 'expiration'];
const needed = new Set([
  ...web.flatMap((app) => [`ingress-nginx → ${app}:3000`, `traefik → ${app}:3000`]),
  ...['ingress-nginx', 'traefik'].flatMap((edge) => [80, 443, 8000].map((port) => `client → ${edge}:${port}`)),
  ...['auth', 'tickets', 'orders', 'payments'].map((svc) => `${svc} → ${svc}-mongo:27017`),
  ...bus.map((svc) => `${svc} → nats:4222`),
  'expiration → expiration-redis:6379',
  ...['auth', 'orders', 'payments'].map((svc) => `${svc} → ratelimit-redis:6379`),
  'payments → stripe:443',
  ...pods.map((p) => `${p.name} → dns:53`),
]);

describe('NetworkPolicies (infra/k8s/network-policies.yaml)', () => {
  it('deny everything by default, in both directions, for every pod', () => {
    const deny = policies.find(
      (p) => Object.keys(p.spec.podSelector).length === 0 && !p.spec.ingress && !p.spec.egress,
    );
    expect(deny?.spec.policyTypes.sort()).toEqual(['Egress', 'Ingress']);
  });

  it('allow exactly the flows GitTix needs, and nothing else, between the pods, the controllers, DNS and the internet', () => {
    const actual: string[] = [];
    for (const src of endpoints)
      for (const dst of endpoints)
        for (const port of ports)
          if (src !== dst && allowed(src, dst, port)) actual.push(`${src.name} → ${dst.name}:${port}`);
    // Flows between endpoints outside the namespace are not governed here.
    const governed = actual.filter((flow) =>
      pods.some((p) => flow.startsWith(`${p.name} `) || flow.includes(`→ ${p.name}:`)),
    );
    expect(governed.filter((flow) => !needed.has(flow)).sort()).toEqual([]);
    expect([...needed].filter((flow) => !governed.includes(flow)).sort()).toEqual([]);
  });

  it('let no service reach another service or another service’s database', () => {
    const tickets = pods.find((p) => p.name === 'tickets');
    const authDb = pods.find((p) => p.name === 'auth-mongo');
    const orders = pods.find((p) => p.name === 'orders');
    if (!tickets || !authDb || !orders) throw new Error('the manifests lack tickets, orders or auth-mongo');
    expect(allowed(tickets, authDb, 27017)).toBe(false);
    expect(allowed(tickets, orders, 3000)).toBe(false);
    expect(allowed(orders, stripe, 443)).toBe(false);
  });
});
