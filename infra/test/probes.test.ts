// The probe paths in the manifests are routes the processes really serve.
import { createLogger } from '@gittix/common/core';
import { createHttpApp } from '@gittix/common/http';
import { defaultStopTimeoutMs } from '@gittix/common/service';
import request from 'supertest';
import { existsSync, readdirSync } from 'node:fs';
import {
  type Workload,
  images,
  loadManifests,
  named,
  ofKind,
  onlyContainer,
  readRepoFile,
  repoPath,
  services,
} from './support/repo';

const deployments = ofKind<Workload>(loadManifests(), 'Deployment');

/** Every httpGet path a workload's probes use. */
const probePaths = (name: string): string[] => {
  const c = onlyContainer(named(deployments, `${name}-depl`));
  return [c.startupProbe, c.livenessProbe, c.readinessProbe].flatMap((p) => (p?.httpGet ? [p.httpGet.path] : []));
};

/** The TypeScript sources of a service (src/, without tests). */
const sources = (svc: string): string => {
  const dir = repoPath(svc, 'src');
  if (!existsSync(dir)) throw new Error(`${svc}/src does not exist`);
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.includes('__test__'))
    .map((f) => readRepoFile(`${svc}/src/${f}`))
    .join('\n');
};

describe('probe routes', () => {
  describe("common's createHttpApp, which the HTTP services are built on", () => {
    let ready = false;
    const app = createHttpApp({
      logger: createLogger({ service: 'probe-test', level: 'silent', pretty: false }),
      jwtKey: 'probe-test-key-0123456789',
      cookieSecure: false,
      isReady: () => ready,
    });

    it('answers GET /healthz with 200 whatever the connections', async () => {
      ready = false;
      await request(app).get('/healthz').expect(200);
    });

    it('answers GET /readyz with 503 until the database and bus are connected, then 200', async () => {
      ready = false;
      await request(app).get('/readyz').expect(503);
      ready = true;
      await request(app).get('/readyz').expect(200);
    });
  });

  it.each(services)('%s serves /healthz and /readyz (run by runService, whose app is createHttpApp)', (svc) => {
    expect(probePaths(svc).sort()).toEqual(['/healthz', '/healthz', '/readyz']);
    const code = sources(svc);
    const viaCommon = /\b(createHttpApp|runService)\s*\(/.test(code);
    const own = code.includes("'/healthz'") && code.includes("'/readyz'");
    expect({ svc, servesProbes: viaCommon || own }).toEqual({ svc, servesProbes: true });
  });

  it('the client serves /healthz from its own route (client/app/healthz/route.ts)', () => {
    expect(images).toContain('client');
    expect([...new Set(probePaths('client'))]).toEqual(['/healthz']);
    expect(readRepoFile('client/app/healthz/route.ts')).toMatch(/export (async )?function GET\b/);
  });
});

describe('stopping in the cluster', () => {
  /** A service's own stop limit, from its ServiceSpec (src/service.ts). */
  const stopLimitMs = (svc: string): number => {
    const exported = jest.requireActual<Record<string, { stopTimeoutMs?: number }>>(repoPath(svc, 'src', 'service.ts'));
    const spec = exported[`${svc}Service`];
    if (!spec) throw new Error(`${svc}/src/service.ts exports no ${svc}Service`);
    return spec.stopTimeoutMs ?? defaultStopTimeoutMs;
  };

  it.each(services)(
    '%s: the grace period outlasts its own stop limit, so a rollout never cuts a clean stop short',
    (svc) => {
      const grace = named(deployments, `${svc}-depl`).spec.template.spec.terminationGracePeriodSeconds;
      expect(grace).toBeDefined();
      expect((grace ?? 0) * 1000).toBeGreaterThan(stopLimitMs(svc));
    },
  );

  it("payments' grace period covers a Stripe call in flight (its stop limit is the longest)", () => {
    expect(stopLimitMs('payments')).toBeGreaterThan(defaultStopTimeoutMs);
    expect(named(deployments, 'payments-depl').spec.template.spec.terminationGracePeriodSeconds).toBe(30);
  });

  it('NATS Streaming syncs its file store on every flush, so an acknowledged publish survives a kill', () => {
    const nats = onlyContainer(named(ofKind<Workload>(loadManifests(), 'StatefulSet'), 'nats'));
    expect(nats.args).toEqual(expect.arrayContaining(['-st', 'FILE', '--file_sync=true']));
  });
});
