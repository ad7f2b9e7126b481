// The gateway's route table, read from the cluster Ingress (infra/k8s/ingress.yaml)
// so `npm start` and the cluster route by the same rules: one source of truth.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const ingressFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'k8s', 'ingress.yaml');

/**
 * @typedef {{ path: string, pattern: RegExp, service: string, port: number }} Route
 */

/**
 * Parses the Ingress manifests into routes in the order ingress-nginx applies
 * them: with `use-regex`, each path becomes an nginx `location ~* "^<path>"`
 * (case-insensitive, anchored at the start), and ingress-nginx writes longer
 * paths first, so the catch-all `/?(.*)` comes last.
 * @param {string} [file]
 * @returns {Route[]}
 */
export function loadRoutes(file = ingressFile) {
  const routes = [];
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const manifest = doc.toJS();
    if (manifest?.kind !== 'Ingress') continue;
    for (const rule of manifest.spec?.rules ?? []) {
      for (const p of rule.http?.paths ?? []) {
        const service = p.backend?.service;
        if (!service?.name) continue;
        routes.push({
          path: p.path,
          pattern: new RegExp(`^${p.path}`, 'i'),
          service: service.name,
          port: service.port?.number ?? 80,
        });
      }
    }
  }
  if (routes.length === 0) throw new Error(`gittix: no Ingress paths found in ${file}`);
  // Stable sort: longest path first, as ingress-nginx orders its locations.
  return routes
    .map((route, index) => ({ route, index }))
    .sort((a, b) => b.route.path.length - a.route.path.length || a.index - b.index)
    .map(({ route }) => route);
}

/**
 * The service (Kubernetes Service name) that serves a request path, or undefined.
 * @param {Route[]} routes
 * @param {string} urlPath
 */
export function routeFor(routes, urlPath) {
  return routes.find((route) => route.pattern.test(urlPath));
}
