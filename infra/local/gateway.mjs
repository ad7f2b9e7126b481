// The one-origin gateway of `npm start`: routes like the cluster Ingress, using
// http-proxy-middleware (a maintained proxy) rather than a hand-written one.
import http from 'node:http';
import https from 'node:https';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { routeFor } from './routes.mjs';

/**
 * Serves the gateway on 127.0.0.1 and, where the machine has it, ::1 — both are
 * `localhost`, and browsers may pick either; nothing listens beyond loopback.
 * `listen` names other addresses instead (the container platform adds its
 * network's gateway address, where the client's server-side calls arrive).
 * @param {{ routes: import('./routes.mjs').Route[], targets: Record<string, string>, port?: number,
 *           listen?: Array<{ host: string, port: number, tls?: { key: string, cert: string } }>, log: (line: string) => void }} options
 *   targets maps a Kubernetes Service name (auth-srv …) to a local URL.
 * @returns {Promise<{ close(): Promise<void> }>}
 */
export async function startGateway({ routes, targets, port, listen, log }) {
  const { handler, agent } = createHandler({ routes, targets, log });
  const servers = [];
  if (listen) {
    for (const address of listen) servers.push(await listenOn(handler, address.port, address.host, address.tls));
  } else {
    servers.push(await listenOn(handler, port, '127.0.0.1'));
    const v6 = await listenOn(handler, port, '::1').catch(() => undefined);
    if (v6) servers.push(v6);
  }
  return {
    close: () =>
      Promise.all(
        servers.map(
          (server) =>
            new Promise((resolve) => {
              server.close(() => resolve(undefined));
              server.closeAllConnections();
            }),
        ),
      ).then(() => agent.destroy()),
  };
}

function listenOn(handler, port, host, tls) {
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

/** @param {{ routes: import('./routes.mjs').Route[], targets: Record<string, string>, log: (line: string) => void }} options */
function createHandler({ routes, targets, log }) {
  // Upstream connections are kept open and reused, as ingress-nginx's upstream
  // keepalive does: a new TCP connection per request cost more than the proxying.
  // With a `timeout`, Node also honours the upstream's `Keep-Alive: timeout=…`
  // hint and closes an idle connection a second before the upstream would, so
  // no request is ever sent on a connection the upstream is closing.
  const agent = new http.Agent({
    keepAlive: true,
    keepAliveMsecs: 1000,
    timeout: 30_000,
    maxSockets: 256,
    maxFreeSockets: 64,
  });
  const proxy = createProxyMiddleware({
    // The handler below has routed the request already (once per request).
    router: (req) => req.gittixTarget,
    agent,
    // Any target; `router` decides. Keeps the Host header like ingress-nginx does.
    target: 'http://127.0.0.1:9',
    changeOrigin: false,
    xfwd: true,
    proxyTimeout: 30_000,
    on: {
      error: (err, req, res) => {
        const route = req.gittixRoute;
        log(`gateway: ${req.method} ${req.url} → ${route?.service ?? '?'} failed: ${err.message}`);
        if (res instanceof http.ServerResponse && !res.headersSent) {
          res.writeHead(502, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              errors: [{ message: `${route?.service ?? 'service'} is not reachable right now; try again in a moment` }],
            }),
          );
        } else {
          res.destroy?.();
        }
      },
    },
  });

  const handler = (req, res) => {
    // As ingress-nginx does without trusted upstreams: the forwarding headers are
    // this hop's own (the peer's address, the scheme it used), never the client's.
    for (const header of ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'forwarded'])
      delete req.headers[header];
    const route = routeFor(routes, new URL(req.url ?? '/', 'http://gateway').pathname);
    if (!route || !targets[route.service]) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'Route not found' }] }));
      return;
    }
    req.gittixRoute = route;
    req.gittixTarget = targets[route.service];
    proxy(req, res, (err) => {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: err ? 'Gateway error' : 'Route not found' }] }));
    });
  };
  return { handler, agent };
}
