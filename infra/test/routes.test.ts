// One route table, two routers: ingress-nginx in the cluster (infra/k8s/ingress.yaml,
// and the ticketing.dev copy in infra/k8s-dev) and the local gateway of `npm start`
// (infra/local/routes.mjs reads the same file). Both must send a path to the same service.
import { runEsmBridge } from './support/esm-bridge';
import { type Ingress, loadManifests, named, ofKind } from './support/repo';

const ingresses = ofKind<Ingress>(loadManifests(), 'Ingress');

/**
 * How ingress-nginx routes with `use-regex`: every path becomes `location ~* "^<path>"`
 * (case-insensitive, anchored at the start), written longest path first; the first match wins.
 */
function nginxRoute(ingress: Ingress, urlPath: string): string | undefined {
  const paths = ingress.spec.rules.flatMap((r) => r.http.paths);
  const ordered = paths.map((p, i) => ({ p, i })).sort((a, b) => b.p.path.length - a.p.path.length || a.i - b.i);
  return ordered.find(({ p }) => new RegExp(`^${p.path}`, 'i').test(urlPath))?.p.backend.service.name;
}

const expected: [string, string][] = [
  ['/api/users/signup', 'auth-srv'],
  ['/api/users/currentuser', 'auth-srv'],
  ['/api/users', 'auth-srv'],
  ['/API/Users/signin', 'auth-srv'],
  ['/api/tickets', 'tickets-srv'],
  ['/api/tickets/', 'tickets-srv'],
  ['/api/tickets/665f1c2e9b1e8a0012345678', 'tickets-srv'],
  ['/api/tickets?userId=abc&limit=10', 'tickets-srv'],
  ['/api/orders', 'orders-srv'],
  ['/api/orders/665f1c2e9b1e8a0012345678', 'orders-srv'],
  ['/api/payments', 'payments-srv'],
  ['/', 'client-srv'],
  ['/tickets/new', 'client-srv'],
  ['/orders/665f1c2e9b1e8a0012345678', 'client-srv'],
  ['/auth/signin?next=%2Forders', 'client-srv'],
  ['/_next/static/chunks/main.js', 'client-srv'],
  ['/healthz', 'client-srv'],
  ['/api', 'client-srv'],
];

describe('routing: cluster Ingress and the local gateway agree', () => {
  const paths = expected.map(([p]) => p);
  const gateway = runEsmBridge<({ service: string; port: number } | null)[]>('routes', paths);

  it.each(expected)('%s goes to %s', (urlPath, service) => {
    const i = paths.indexOf(urlPath);
    expect({
      cluster: nginxRoute(named(ingresses, 'ingress-srv'), urlPath),
      dev: nginxRoute(named(ingresses, 'ingress-dev'), urlPath),
      local: gateway[i]?.service,
      localPort: gateway[i]?.port,
    }).toEqual({ cluster: service, dev: service, local: service, localPort: 3000 });
  });
});
