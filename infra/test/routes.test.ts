// One route table, three routers: ingress-nginx in the cluster (infra/k8s/ingress.yaml,
// and the ticketing.dev copy in infra/k8s-dev), the Gateway API routes of the
// `gateway` profile (infra/k8s-gateway), and the local gateway of `npm start` and
// the containers (infra/local/routes.mjs reads the Ingress file). All must send a
// path to the same Service.
import { runEsmBridge } from './support/esm-bridge';
import { type HTTPRoute, type Ingress, loadManifests, named, ofKind } from './support/repo';

const ingresses = ofKind<Ingress>(loadManifests(), 'Ingress');
const httpRoutes = ofKind<HTTPRoute>(loadManifests(['infra/k8s-gateway']), 'HTTPRoute');

/**
 * How ingress-nginx routes with `use-regex`: every path becomes `location ~* "^<path>"`
 * (case-insensitive, anchored at the start), written longest path first; the first match wins.
 */
function nginxRoute(ingress: Ingress, urlPath: string): string | undefined {
  const paths = ingress.spec.rules.flatMap((r) => r.http.paths);
  const ordered = paths.map((p, i) => ({ p, i })).sort((a, b) => b.p.path.length - a.p.path.length || a.i - b.i);
  return ordered.find(({ p }) => new RegExp(`^${p.path}`, 'i').test(urlPath))?.p.backend.service.name;
}

/**
 * How a Gateway API controller routes an HTTPRoute's PathPrefix matches: a prefix
 * matches whole path segments, case-sensitively, and the longest matching prefix wins.
 */
function gatewayRoute(route: HTTPRoute, url: string): string | undefined {
  const pathname = new URL(url, 'http://x').pathname;
  const matches = route.spec.rules.flatMap((rule) =>
    rule.matches.map((m) => ({ prefix: m.path.value, service: rule.backendRefs[0]?.name })),
  );
  const fits = (prefix: string) =>
    prefix === '/' || pathname === prefix || pathname.startsWith(`${prefix.replace(/\/$/, '')}/`);
  return matches.filter((m) => fits(m.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0]?.service;
}

const expected: [string, string][] = [
  ['/api/users/signup', 'auth-srv'],
  ['/api/users/currentuser', 'auth-srv'],
  ['/api/users', 'auth-srv'],
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

describe('routing: the Ingresses, the HTTPRoutes and the local gateway agree', () => {
  const paths = [...expected.map(([p]) => p), '/API/Users/signin'];
  const gateway = runEsmBridge<({ service: string; port: number } | null)[]>('routes', paths);
  const route = named(httpRoutes, 'gittix');

  it.each(expected)('%s goes to %s', (urlPath, service) => {
    const i = paths.indexOf(urlPath);
    expect({
      cluster: nginxRoute(named(ingresses, 'ingress-srv'), urlPath),
      dev: nginxRoute(named(ingresses, 'ingress-dev'), urlPath),
      gatewayApi: gatewayRoute(route, urlPath),
      local: gateway[i]?.service,
      localPort: gateway[i]?.port,
    }).toEqual({ cluster: service, dev: service, gatewayApi: service, local: service, localPort: 3000 });
  });

  it('the one documented difference: nginx regex paths ignore case, Gateway API prefixes do not', () => {
    const i = paths.indexOf('/API/Users/signin');
    expect({
      cluster: nginxRoute(named(ingresses, 'ingress-srv'), '/API/Users/signin'),
      local: gateway[i]?.service,
      gatewayApi: gatewayRoute(route, '/API/Users/signin'),
    }).toEqual({ cluster: 'auth-srv', local: 'auth-srv', gatewayApi: 'client-srv' });
  });

  it('every HTTPRoute backend is a Service of infra/k8s on its port', () => {
    const services = ofKind<{ metadata: { name: string }; spec: { ports?: { port: number }[] } }>(
      loadManifests(['infra/k8s']),
      'Service',
    );
    for (const rule of route.spec.rules)
      for (const ref of rule.backendRefs)
        expect({
          ref: ref.name,
          exposed: !!services.find((s) => s.metadata.name === ref.name)?.spec.ports?.some((p) => p.port === ref.port),
        }).toEqual({ ref: ref.name, exposed: true });
  });
});
