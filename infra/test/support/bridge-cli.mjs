// kubernetes-models and the local gateway's route table (infra/local/routes.mjs) are
// ES modules, which Jest's CommonJS runtime cannot load. The tests run this script
// with Node instead: JSON in on stdin, JSON out on stdout.
//
//   node bridge-cli.mjs validate   [{ apiVersion, kind, … }, …] → [{ ok } | { ok: false, error }, …]
//   node bridge-cli.mjs routes     ["/api/users/signin", …]      → [{ service, port } | null, …]
import { readFileSync } from 'node:fs';

const [command] = process.argv.slice(2);
const input = JSON.parse(readFileSync(0, 'utf8'));

/** kubernetes-models/<group>/<version>/<Kind>; the core group is just "v1". */
async function validate(object) {
  const { apiVersion, kind } = object;
  let model;
  try {
    model = (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
  } catch {
    return { ok: false, error: `no schema for ${apiVersion} ${kind}` };
  }
  try {
    new model(object).validate();
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

async function routes(paths) {
  const { loadRoutes, routeFor } = await import('../../local/routes.mjs');
  const table = loadRoutes();
  return paths.map((p) => {
    const route = routeFor(table, p);
    return route ? { service: route.service, port: route.port } : null;
  });
}

const handlers = { validate: (objects) => Promise.all(objects.map(validate)), routes };
const handler = handlers[command];
if (!handler) {
  process.stderr.write(`usage: bridge-cli.mjs ${Object.keys(handlers).join('|')} < input.json\n`);
  process.exit(2);
}
process.stdout.write(JSON.stringify(await handler(input)));
