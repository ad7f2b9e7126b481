// What the project's one-node cluster (infra/cluster) and the dev overlay rely on,
// checked without a cluster: the secrets docs/cluster.md creates cover what the
// manifests read, every third-party image has a stand-in recipe under the
// manifests' own name, and the Stripe API of infra/k8s-dev (gittix/stripe-mock) is
// what its manifest, its NetworkPolicy and its Dockerfile say. e2e/cluster runs it
// all for real (`npm run cluster:test`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type KubeObject,
  type Service,
  type Workload,
  loadManifests,
  named,
  ofKind,
  onlyContainer,
  readRepoFile,
  repoPath,
  workloadsOf,
} from './support/repo';

const manifests = loadManifests();
const workloads = workloadsOf(manifests);

/** docs/cluster.md step 3: secret name → the keys its `kubectl create secret generic` commands set. */
function documentedSecrets(): Map<string, Set<string>[]> {
  const docs = readRepoFile('docs/cluster.md');
  const start = docs.indexOf('## 3. Create the secrets');
  const end = docs.indexOf('\n## ', start + 1);
  const secrets = new Map<string, Set<string>[]>();
  for (const line of docs.slice(start, end).split('\n')) {
    const m = /^kubectl create secret generic (\S+) (.*)$/.exec(line.trim());
    if (!m?.[1] || !m[2]) continue;
    const keys = new Set([...m[2].matchAll(/--from-literal=([A-Z_]+)=/g)].map((k) => k[1] ?? ''));
    secrets.set(m[1], [...(secrets.get(m[1]) ?? []), keys]);
  }
  return secrets;
}

describe('the secrets docs/cluster.md creates (deploy.mjs runs those commands as written)', () => {
  it('create every secret and key a manifest reads; the last command for a secret (what deploy.mjs runs) too', () => {
    const secrets = documentedSecrets();
    expect(secrets.size).toBeGreaterThan(0);
    const refs = workloads.flatMap((w) =>
      (onlyContainer(w).env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef] : [])),
    );
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const variants = secrets.get(ref.name) ?? [];
      const last = variants.at(-1);
      // A required key must be in every variant; an optional one (STRIPE_API_BASE) where a variant needs it.
      const inEvery = variants.length > 0 && variants.every((keys) => keys.has(ref.key));
      expect({ secret: ref.name, key: ref.key, documented: ref.optional ? !!last : inEvery }).toEqual({
        secret: ref.name,
        key: ref.key,
        documented: true,
      });
    }
  });

  it("the offline stripe-secret (the last one, for a cluster without internet) points payments at infra/k8s-dev's stripe-mock-srv", () => {
    const docs = readRepoFile('docs/cluster.md');
    const lines = docs.split('\n').filter((l) => l.startsWith('kubectl create secret generic stripe-secret '));
    const offline = lines.at(-1) ?? '';
    const base = /--from-literal=STRIPE_API_BASE=(\S+)/.exec(offline)?.[1] ?? '';
    const url = new URL(base);
    const service = named(ofKind<Service>(manifests, 'Service'), url.hostname);
    expect(service.spec.ports.map((p) => p.port)).toContain(Number(url.port));
    expect(/--from-literal=STRIPE_SECRET_KEY=(sk|rk)_/.test(offline)).toBe(true);
  });
});

describe('the stand-ins of the one-node cluster (infra/cluster/stand-ins)', () => {
  const thirdParty = [...new Set(workloads.map((w) => onlyContainer(w).image).filter((i) => !i.startsWith('gittix/')))];
  const recipes = readdirSync(repoPath('infra', 'cluster', 'stand-ins'));

  it('every third-party image of the manifests has a recipe, whose Containerfile names that exact image and builds on the local Debian base', () => {
    expect(thirdParty.length).toBeGreaterThan(0);
    for (const image of thirdParty) {
      const repository = image.split(':')[0] ?? '';
      expect({ image, recipe: recipes.includes(repository) }).toEqual({ image, recipe: true });
      const containerfile = readRepoFile(`infra/cluster/stand-ins/${repository}/Containerfile`);
      expect(containerfile).toContain(`Local stand-in for \`${image}\``);
      expect(containerfile).toMatch(/^FROM localhost\/gittix\/stand-in-base:bookworm$/m);
    }
    expect(recipes.sort()).toEqual([...new Set(thirdParty.map((i) => i.split(':')[0]))].sort());
  });

  it("the mongo and redis stand-ins make the image's user with the uid the manifests run as, and take the manifests' arguments", () => {
    for (const [repository, program] of [
      ['mongo', 'mongod'],
      ['redis', 'redis-server'],
    ] as const) {
      const containerfile = readRepoFile(`infra/cluster/stand-ins/${repository}/Containerfile`);
      const users = workloads.filter((w) => onlyContainer(w).image.startsWith(`${repository}:`));
      expect(users.length).toBeGreaterThan(0);
      for (const w of users) {
        const uid = w.spec.template.spec.securityContext?.runAsUser;
        expect(containerfile).toContain(`--uid ${uid}`);
        expect(onlyContainer(w).args?.[0]).toBe(program);
      }
      expect(containerfile).toMatch(/^ENTRYPOINT \["docker-entrypoint\.sh"\]$/m);
      expect(containerfile).toContain(`CMD ["${program}"]`);
    }
  });
});

describe('the Stripe API of infra/k8s-dev (gittix/stripe-mock)', () => {
  const deployment = named(ofKind<Workload>(loadManifests(['infra/k8s-dev']), 'Deployment'), 'stripe-mock');
  const container = onlyContainer(deployment);

  it('runs as uid 1000 on a read-only root with no capability, behind stripe-mock-srv:12111', () => {
    expect(container.image).toBe('gittix/stripe-mock');
    expect(deployment.spec.template.spec.securityContext?.runAsUser).toBe(1000);
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    const service = named(ofKind<Service>(manifests, 'Service'), 'stripe-mock-srv');
    expect(service.spec.selector).toEqual({ app: 'stripe-mock' });
    expect(service.spec.ports.map((p) => [p.port, p.targetPort])).toEqual([[12111, 'stripe']]);
    expect(container.ports).toEqual([{ name: 'stripe', containerPort: 12111 }]);
  });

  it('only payments may reach it, on 12111: its ingress policy and infra/k8s’s payments-to-stripe name the same pods and port', () => {
    interface Policy {
      metadata: { name: string };
      spec: {
        podSelector: { matchLabels?: Record<string, string> };
        policyTypes: string[];
        ingress?: { from: { podSelector?: { matchLabels?: Record<string, string> } }[]; ports: { port: number }[] }[];
        egress?: { to: { podSelector?: { matchLabels?: Record<string, string> } }[]; ports: { port: number }[] }[];
      };
    }
    const policies = ofKind<Policy>(manifests, 'NetworkPolicy');
    const ingress = named(policies, 'stripe-mock-ingress');
    expect(deployment.spec.template.metadata.labels.app).toBe('stripe-mock');
    expect(ingress.spec.podSelector.matchLabels).toEqual({ app: 'stripe-mock' });
    expect(ingress.spec.policyTypes).toEqual(['Ingress']);
    expect(ingress.spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { app: 'payments' } } }], ports: [{ protocol: 'TCP', port: 12111 }] },
    ]);
    const egress = named(policies, 'payments-to-stripe');
    const toMock = egress.spec.egress?.find((rule) =>
      rule.to.some((peer) => peer.podSelector?.matchLabels?.app === 'stripe-mock'),
    );
    expect(toMock?.ports.map((p) => p.port)).toEqual([12111]);
  });

  it('its image is built from the lockfile: stripe-stateful-mock and its own dependencies only, run by server.js as the node user', () => {
    const dockerfile = readRepoFile('testing/stripe-mock/Dockerfile');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^\nFROM node:\S+ AS runtime$/m);
    expect([...runtime.matchAll(/^COPY (.*)$/gm)].map((m) => m[1])).toEqual([
      '--from=deps /app/package.json ./',
      '--from=deps /app/node_modules node_modules/',
      'testing/stripe-mock/server.js ./',
    ]);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^CMD \["node", "server\.js"\]$/m);
    expect(dockerfile).toMatch(/npm ci --ignore-scripts --prefer-offline --omit=dev/);

    const out = mkdtempSync(path.join(os.tmpdir(), 'gittix-stripe-lock-'));
    try {
      const run = spawnSync(
        process.execPath,
        [
          repoPath('testing', 'stripe-mock', 'lockfile.mjs'),
          repoPath('package-lock.json'),
          'stripe-stateful-mock',
          out,
        ],
        { encoding: 'utf8' },
      );
      expect(run.status).toBe(0);
      const lock = JSON.parse(readFileSync(path.join(out, 'package-lock.json'), 'utf8')) as {
        packages: Record<string, { version?: string; integrity?: string; dev?: boolean }>;
      };
      const root = JSON.parse(readRepoFile('package-lock.json')) as {
        packages: Record<string, { version?: string; integrity?: string }>;
      };
      const picked = Object.keys(lock.packages).filter((k) => k !== '');
      expect(picked).toContain('node_modules/stripe-stateful-mock');
      expect(picked).toContain('node_modules/stripe-stateful-mock/node_modules/express');
      // Exactly the repository's entries (version and integrity), none of the workspace or its tools.
      for (const key of picked)
        expect({ key, version: lock.packages[key]?.version, integrity: lock.packages[key]?.integrity }).toEqual({
          key,
          version: root.packages[key]?.version,
          integrity: root.packages[key]?.integrity,
        });
      expect(picked.filter((k) => /node_modules\/(@gittix|jest|typescript|mongoose|mongodb)(\/|$)/.test(k))).toEqual(
        [],
      );
      expect(picked.length).toBeLessThan(200);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

it('the dev overlay holds the ticketing.dev Ingress and the Stripe API, nothing else', () => {
  const dev: KubeObject[] = loadManifests(['infra/k8s-dev']).map((m) => m.object);
  expect(dev.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
    [
      'Deployment/stripe-mock',
      'Ingress/ingress-dev',
      'NetworkPolicy/stripe-mock-ingress',
      'Service/stripe-mock-srv',
    ].sort(),
  );
});
