#!/usr/bin/env node
// `npm run start:containers`: the whole platform from its images, each container
// set up as its Deployment in infra/k8s declares (see platform.mjs), behind the
// local gateway at https://localhost:${PORT:-3000} (TLS with a self-signed
// certificate kept in the data folder, as the dev Ingress serves ticketing.dev). Build the images first with
// `npm run images`. Ctrl-C stops and removes the containers.
//
//   --data DIR              where the infrastructure keeps its data (default .data/containers)
//   --dev auth,client       run these apps from their dev image (skaffold dev's target)
//   --env orders-depl:EXPIRATION_WINDOW_SECONDS=20   extra environment for one Deployment
//   --json                  also print one line `gittix-containers {…}` describing the containers
import path from 'node:path';
import { parseArgs } from 'node:util';
import { containerEngine, repoRoot } from './engine.mjs';
import { probePort, startContainerPlatform } from './platform.mjs';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: path.join(repoRoot, '.data', 'containers') },
    dev: { type: 'string', default: '' },
    env: { type: 'string', multiple: true, default: [] },
    json: { type: 'boolean', default: false },
  },
});
const env = {};
for (const entry of values.env) {
  const match = /^([\w-]+):([A-Z_][A-Z0-9_]*)=(.*)$/.exec(entry);
  if (!match) {
    process.stderr.write(`gittix: --env takes <deployment>:<NAME>=<value> (got '${entry}')\n`);
    process.exit(2);
  }
  (env[match[1]] ??= {})[match[2]] = match[3];
}
const say = (line) => process.stdout.write(`${'containers'.padEnd(10)}│ ${line}\n`);

let platform;
let stopping = false;
const stop = async (signal) => {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping the containers and the infrastructure…`);
  await platform?.stop();
  say('stopped');
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

const started = Date.now();
try {
  platform = await startContainerPlatform({
    dataDir: path.resolve(values.data),
    port: Number(process.env.PORT ?? 3000),
    env,
    dev: values.dev ? values.dev.split(',') : [],
    log: say,
  });
} catch (err) {
  process.stderr.write(`gittix: ${err.message.replace(/^gittix: /, '')}\n`);
  process.exit(1);
}
say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (values.json) {
  const engine = containerEngine();
  const described = platform.containers.map(({ deployment, ip, podName, containerName }) => {
    const probe = (kind) => {
      const get = deployment.container[kind]?.httpGet;
      return get ? `http://${ip}:${probePort(deployment.container, get.port)}${get.path}` : undefined;
    };
    return {
      deployment: deployment.name,
      app: deployment.app,
      containerName,
      podName,
      ip,
      grace: deployment.grace,
      runAsUser: deployment.container.securityContext?.runAsUser ?? deployment.podSpec.securityContext?.runAsUser,
      probes: { liveness: probe('livenessProbe'), readiness: probe('readinessProbe'), startup: probe('startupProbe') },
    };
  });
  const engineEnv = engine.env.CONTAINERS_CONF ? { CONTAINERS_CONF: engine.env.CONTAINERS_CONF } : {};
  process.stdout.write(
    `gittix-containers ${JSON.stringify({ url: platform.url, certificate: platform.certificate, engine: { bin: engine.bin, env: engineEnv }, containers: described })}\n`,
  );
}
process.stdout.write(`\nGitTix is up at ${platform.url}\n\n`);
