// Every Deployment sets what its service's config schema requires: the test reads
// each service's `configSchema` (src/config.ts) instead of copying the list, so a
// new required variable fails here before it fails a pod at start.
import { existsSync } from 'node:fs';
import {
  type EnvVar,
  type ServiceName,
  type Workload,
  loadManifests,
  named,
  ofKind,
  onlyContainer,
  readRepoFile,
  repoPath,
  services,
} from './support/repo';

const deployments = ofKind<Workload>(loadManifests(), 'Deployment');

/** The part of a zod object schema these checks use. */
interface FieldSchema {
  safeParse(value: unknown): { success: boolean };
}
interface ConfigSchema {
  shape: Record<string, FieldSchema>;
}

const isConfigSchema = (value: unknown): value is ConfigSchema =>
  typeof value === 'object' &&
  value !== null &&
  'shape' in value &&
  typeof value.shape === 'object' &&
  value.shape !== null &&
  Object.values(value.shape).every(
    (field: unknown) => typeof (field as FieldSchema | undefined)?.safeParse === 'function',
  );

/** Loads `<svc>/src/config.ts` through ts-jest; a missing file fails loudly, never skips. */
function loadSchema(svc: ServiceName): ConfigSchema {
  const file = repoPath(svc, 'src', 'config.ts');
  if (!existsSync(file)) {
    throw new Error(`${svc}/src/config.ts does not exist: the ${svc}-depl environment cannot be checked against it`);
  }
  const mod = jest.requireActual<Record<string, unknown>>(file);
  const schema = mod.configSchema;
  if (!isConfigSchema(schema)) throw new Error(`${svc}/src/config.ts does not export a zod object as configSchema`);
  return schema;
}

/** Required = neither optional nor defaulted: the field rejects an absent value. */
const requiredKeys = (schema: ConfigSchema): string[] =>
  Object.entries(schema.shape)
    .filter(([, field]) => !field.safeParse(undefined).success)
    .map(([key]) => key)
    .sort();

const envOf = (svc: string): EnvVar[] => onlyContainer(named(deployments, `${svc}-depl`)).env ?? [];

describe.each(services)('%s-depl environment against the service config schema (src/config.ts)', (svc) => {
  it('sets every variable the config schema requires', () => {
    const schema = loadSchema(svc);
    const set = envOf(svc).map((e) => e.name);
    expect(requiredKeys(schema).filter((key) => !set.includes(key))).toEqual([]);
  });

  it('sets only variables the config schema knows (a typo would be silently ignored)', () => {
    const schema = loadSchema(svc);
    expect(
      envOf(svc)
        .filter((e) => !(e.name in schema.shape))
        .map((e) => e.name),
    ).toEqual([]);
  });

  it('gives every literal value in a form the schema accepts', () => {
    const schema = loadSchema(svc);
    const invalid = envOf(svc)
      .filter(
        (e) => e.value !== undefined && e.name in schema.shape && !schema.shape[e.name]?.safeParse(e.value).success,
      )
      .map((e) => `${e.name}=${e.value}`);
    expect(invalid).toEqual([]);
  });

  it('takes NATS_CLIENT_ID from the pod name (unique per process), and a pod name passes the schema', () => {
    const schema = loadSchema(svc);
    const field = schema.shape.NATS_CLIENT_ID;
    if (!field) return; // this service does not use the bus
    expect(envOf(svc).find((e) => e.name === 'NATS_CLIENT_ID')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
    expect(field.safeParse(`${svc}-depl-5d8f9c7b6d-x2x7q`).success).toBe(true);
  });

  it('sets the port the probes and the Service use', () => {
    expect(envOf(svc).find((e) => e.name === 'PORT')?.value).toBe('3000');
  });
});

describe('client-depl environment against client/lib/env.ts', () => {
  it('passes the checks `next start` runs (API_BASE_URL is required where SSR runs)', () => {
    const env = Object.fromEntries(envOf('client').flatMap((e) => (e.value === undefined ? [] : [[e.name, e.value]])));
    const mod = jest.requireActual<{
      parseEnv?: (source: Record<string, string>, options: { requireApiBaseUrl: boolean }) => unknown;
    }>(repoPath('client', 'lib', 'env.ts'));
    if (typeof mod.parseEnv !== 'function') throw new Error('client/lib/env.ts does not export parseEnv');
    expect(() => mod.parseEnv?.(env, { requireApiBaseUrl: true })).not.toThrow();
    expect(env.API_BASE_URL).toBe('http://edge-srv');
  });
});

describe('secrets', () => {
  const refs = deployments.flatMap((d) =>
    (onlyContainer(d).env ?? []).flatMap((e) =>
      e.valueFrom?.secretKeyRef ? [{ env: e.name, ...e.valueFrom.secretKeyRef }] : [],
    ),
  );
  const doc = readRepoFile('docs/cluster.md');

  it('come only from the documented secrets: the JWT key, Stripe, the NATS token and one user per database', () => {
    expect([...new Set(refs.map((r) => `${r.name}/${r.key}${r.optional ? ' (optional)' : ''}`))].sort()).toEqual([
      'auth-mongo-secret/MONGO_PASSWORD',
      'auth-mongo-secret/MONGO_USERNAME',
      'jwt-secret/JWT_KEY',
      'nats-secret/NATS_TOKEN',
      'orders-mongo-secret/MONGO_PASSWORD',
      'orders-mongo-secret/MONGO_USERNAME',
      'payments-mongo-secret/MONGO_PASSWORD',
      'payments-mongo-secret/MONGO_USERNAME',
      'stripe-secret/STRIPE_API_BASE (optional)',
      'stripe-secret/STRIPE_SECRET_KEY',
      'tickets-mongo-secret/MONGO_PASSWORD',
      'tickets-mongo-secret/MONGO_USERNAME',
    ]);
  });

  it('give each database its own user, and each service only its own database user', () => {
    for (const svc of ['auth', 'tickets', 'orders', 'payments']) {
      const own = refs.filter(
        (r) => r.name.endsWith('-mongo-secret') && envOf(svc).some((e) => e.valueFrom?.secretKeyRef?.name === r.name),
      );
      expect({ svc, secrets: [...new Set(own.map((r) => r.name))] }).toEqual({ svc, secrets: [`${svc}-mongo-secret`] });
    }
  });

  it('every secretKeyRef is created by a `kubectl create secret generic` command in docs/cluster.md', () => {
    for (const ref of refs) {
      const command = new RegExp(`kubectl create secret generic ${ref.name}\\b[^\\n]*--from-literal=${ref.key}=`);
      expect({ secret: `${ref.name}/${ref.key}`, documented: command.test(doc) }).toEqual({
        secret: `${ref.name}/${ref.key}`,
        documented: true,
      });
    }
  });

  it('every variable a Deployment sets is in the table of docs/cluster.md', () => {
    const names = new Set(deployments.flatMap((d) => (onlyContainer(d).env ?? []).map((e) => e.name)));
    expect([...names].filter((name) => !doc.includes(`\`${name}\``))).toEqual([]);
  });
});
