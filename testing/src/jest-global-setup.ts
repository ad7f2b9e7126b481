import { startInfra, type Infra, type InfraPart } from './infra';

declare global {
  var __GITTIX_INFRA__: Infra | undefined;
}

/**
 * Jest globalSetup: starts the servers listed in the project's
 * `globals.gittixInfra` once for the whole run and exports their URLs as
 * environment variables, which the test workers inherit.
 */
export default async function globalSetup(
  _globalConfig: unknown,
  projectConfig: { globals?: Record<string, unknown> },
): Promise<void> {
  const parts = (projectConfig.globals?.gittixInfra ?? ['mongo']) as InfraPart[];
  const started = Date.now();
  const infra = await startInfra(parts);
  globalThis.__GITTIX_INFRA__ = infra;
  Object.assign(process.env, infra.env);
  const summary = Object.values(infra.servers)
    .map((s) => `${s.name} ${s.url}`)
    .join(', ');
  process.stdout.write(`\ngittix test infra (${Date.now() - started} ms): ${summary}\n`);
}
