import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, waitFor } from '@gittix/testing';
import { parse, parseAllDocuments } from 'yaml';
import { agentFor, describeApiJourneys, listTicket, signUp, type JourneyTarget } from '../support/api-journeys';
import { describeBrowserJourneys } from '../support/browser-journeys';
import {
  buildImages,
  imageSpecs,
  runEngine,
  startContainerPlatform,
  tagOf,
  waitReady,
  type BuiltImages,
  type ContainerPlatform,
} from '../support/containers';

// The images as a cluster runs them: every image built from this clone with the
// machine's container engine, then the whole platform run from its runtime
// images, each container set up as its Deployment in infra/k8s declares, behind
// the local gateway using the cluster's routing rules. `.ci/run` runs this file
// (`npm run test:containers`); it is never skipped where a container engine can
// be had, and fails with the reason where it cannot.
const expirationWindowSeconds = 20;
interface Manifest {
  kind: string;
  metadata: { name: string };
  spec: { template: { spec: { containers: { image: string }[] } } };
}
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gittix-containers-'));
const report: string[] = [];
let built: BuiltImages | undefined;
let platform: ContainerPlatform | undefined;
const running = () => {
  if (!platform) throw new Error('the container platform did not start');
  return platform;
};
const target = (): JourneyTarget => ({ url: running().url, ca: running().ca, expirationWindowSeconds });

afterAll(async () => {
  await platform?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  if (report.length > 0) process.stdout.write(`\n${report.join('\n')}\n`);
}, 180_000);

describe('the images', () => {
  it('every image builds from this clone, runtime and dev targets', async () => {
    built = await buildImages();
    report.push(`images (${built.engine}), built in ${built.seconds.toFixed(1)} s:`);
    for (const row of built.rows)
      report.push(`  ${row.image} ${(row.bytes / 1e6).toFixed(1)} MB (${row.seconds.toFixed(1)} s)`);
    for (const [base, how] of Object.entries(built.bases)) report.push(`  base ${base}: ${how}`);
    expect(built.rows.map((r) => r.image).sort()).toEqual(
      imageSpecs()
        .flatMap((s) => [tagOf(s, 'runtime'), tagOf(s, 'dev')])
        .sort(),
    );
  }, 2_400_000);

  // The images infra/k8s runs; skaffold also builds gittix/stripe-mock, the Stripe API of
  // infra/k8s-dev, whose runtime code is stripe-stateful-mock itself.
  it.each(platformImageSpecs().map((s) => [s.name, s] as const))(
    'the %s runtime image holds runtime code only: no test harness, dev tools, TypeScript sources or tests',
    async (_name, spec) => {
      if (!built) throw new Error('the images were not built');
      const image = tagOf(spec, 'runtime');
      const run = (...args: string[]) =>
        runEngine(built?.command ?? { bin: 'podman', env: {} }, ['run', '--rm', '--network', 'none', ...args]);
      // Everything the image adds to its base lives in /app; the base's own npm is outside it.
      const files = (await run('--entrypoint', 'find', image, '/app')).split('\n').filter(Boolean);
      expect(files.length).toBeGreaterThan(100);
      const forbidden =
        /\/node_modules\/(jest|jest-[^/]+|@jest|supertest|mongodb-memory-server[^/]*|stripe-stateful-mock|typescript|ts-jest|eslint|prettier|@gittix\/testing)(\/|$)/;
      expect(files.filter((f) => forbidden.test(f))).toEqual([]);
      expect(files.filter((f) => /\.(ts|tsx|mts|cts)$/.test(f))).toEqual([]);
      expect(files.filter((f) => /\/(test|tests|__tests__|__test__)(\/|$)/.test(f))).toEqual([]);
      // No workspace's sources or tests: only compiled output (dist/, or Next's .next/).
      expect(files.filter((f) => /^\/app\/[a-z]+\/(src|test|app|components|lib)(\/|$)/.test(f))).toEqual([]);
      const packages = new Set(
        files.map((f) => /\/node_modules\/((?:@[^/]+\/)?[^/.][^/]*)$/.exec(f)?.[1]).filter(Boolean),
      );
      const kb = Number((await run('--entrypoint', 'du', image, '-sk', '/app')).split('\t')[0]);
      report.push(`${image}: /app is ${(kb / 1024).toFixed(1)} MB, ${packages.size} packages in node_modules`);
    },
    120_000,
  );
});

describe('the platform from its runtime images', () => {
  beforeAll(async () => {
    platform = await startContainerPlatform({
      dataDir,
      env: {
        'orders-depl': { EXPIRATION_WINDOW_SECONDS: String(expirationWindowSeconds) },
        // Every journey's user signs up from this one machine (see e2e/support/platform.ts).
        'auth-depl': { SIGNUPS_PER_IP_PER_HOUR: '1000' },
      },
    });
  }, 600_000);

  it('runs a container for every Deployment of a GitTix image in infra/k8s (the others are infrastructure, on the host)', () => {
    const dir = path.join(repoRoot(), 'infra', 'k8s');
    const deployments = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => parseAllDocuments(readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS() as Manifest))
      .filter((m) => m?.kind === 'Deployment' && m.spec.template.spec.containers[0]?.image.startsWith('gittix/'))
      .map((m) => m.metadata.name);
    expect(deployments).toHaveLength(6);
    expect(
      running()
        .containers.map((c) => c.deployment)
        .sort(),
    ).toEqual(deployments.sort());
  });

  it("every Deployment's liveness, readiness and startup probe path and port answer 200", async () => {
    for (const container of running().containers) {
      for (const [kind, url] of Object.entries(container.probes)) {
        if (!url) continue;
        const res = await fetch(url);
        expect({ deployment: container.deployment, kind, url, status: res.status }).toEqual({
          deployment: container.deployment,
          kind,
          url,
          status: 200,
        });
      }
    }
  });

  it('every container runs as its manifest says: its uid, a read-only root, no capabilities, no new privileges, a writable emptyDir', async () => {
    for (const container of running().containers) {
      const out = await running().engine([
        'exec',
        container.containerName,
        'sh',
        '-c',
        'echo "uid=$(id -u)"; touch /probe 2>/dev/null && echo root=writable || echo root=read-only; ' +
          'grep -E "^(CapEff|NoNewPrivs):" /proc/self/status | tr -d "\\t "; touch /tmp/probe && echo tmp=writable',
      ]);
      const facts = Object.fromEntries(
        out
          .trim()
          .split('\n')
          .map((line) => line.split(/[=:]/) as [string, string]),
      );
      expect({ deployment: container.deployment, ...facts }).toEqual({
        deployment: container.deployment,
        uid: String(container.runAsUser),
        root: 'read-only',
        CapEff: '0000000000000000',
        NoNewPrivs: '1',
        tmp: 'writable',
      });
    }
  });

  describeApiJourneys(target);

  describeBrowserJourneys('containers', target);

  it('SIGTERM stops every container with exit code 0 within its grace period; started again, the data is still there', async () => {
    const { containers, engine } = running();
    const seller = await signUp(target(), 'keeper');
    const ticketId = await listTicket(seller.agent);

    const stopped = await Promise.all(
      containers.map(async (container) => {
        const started = Date.now();
        await engine(['stop', '-t', String(container.grace), container.containerName]);
        const seconds = (Date.now() - started) / 1000;
        const code = (await engine(['inspect', '--format', '{{.State.ExitCode}}', container.containerName])).trim();
        return { deployment: container.deployment, code, withinGrace: seconds < container.grace, seconds };
      }),
    );
    report.push(`SIGTERM to exit: ${stopped.map((s) => `${s.deployment} ${s.seconds.toFixed(1)} s`).join(', ')}`);
    expect(stopped.map(({ deployment, code, withinGrace }) => ({ deployment, code, withinGrace }))).toEqual(
      stopped.map((s) => ({ deployment: s.deployment, code: '0', withinGrace: true })),
    );

    await Promise.all(
      containers.map(async (container) => {
        await engine(['start', container.containerName]);
        await waitReady(container);
      }),
    );
    const again = agentFor(target());
    await again.post('/api/users/signin').send({ email: seller.email, password: seller.password }).expect(200);
    const ticket = await agentFor(target()).get(`/api/tickets/${ticketId}`);
    expect(ticket.status).toBe(200);
    expect(ticket.body.userId).toBe(seller.id);
  }, 300_000);
});

describe('the dev target, as skaffold dev runs it', () => {
  interface SyncRule {
    src: string;
    dest: string;
  }
  const skaffold = parse(readFileSync(path.join(repoRoot(), 'skaffold.yaml'), 'utf8')) as {
    build: { artifacts: Array<{ image: string; sync: { manual: SyncRule[] } }> };
  };

  beforeAll(async () => {
    // The same data, with auth and the client from their dev images (the others stay runtime).
    await platform?.stop();
    platform = await startContainerPlatform({ dataDir, dev: ['auth', 'client'] });
  }, 600_000);

  /** Copies a changed file to where skaffold's sync rule puts it in the running container, as skaffold does: tar through exec. */
  async function sync(app: string, file: string, change: (text: string) => string): Promise<void> {
    const rule = skaffold.build.artifacts
      .find((a) => a.image === `gittix/${app}`)
      ?.sync.manual.find((r) => globMatches(r.src, file));
    if (!rule) throw new Error(`no sync rule of gittix/${app} covers ${file}`);
    const staging = mkdtempSync(path.join(os.tmpdir(), 'gittix-sync-'));
    try {
      mkdirSync(path.join(staging, path.dirname(file)), { recursive: true });
      writeFileSync(path.join(staging, file), change(readFileSync(path.join(repoRoot(), file), 'utf8')));
      const archive = spawnSync('tar', ['-c', '-C', staging, file]).stdout;
      const container = running().containers.find((c) => c.app === app);
      if (!container) throw new Error(`no ${app} container`);
      await running().engine(['exec', '-i', container.containerName, 'tar', '-x', '-m', '-C', rule.dest], archive);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }

  it('a .ts file synced into the auth dev container is recompiled, and the restarted service answers with it', async () => {
    // A route no limit guards (sign-in would soon answer 429 to a test polling it).
    const marker = `synced ${Date.now()}`;
    await sync('auth', 'auth/src/routes/current-user.ts', (text) =>
      text.replace('res.status(200).json({', `res.status(200).json({ synced: '${marker}',`),
    );
    await waitFor(
      async () => (await agentFor(target()).get('/api/users/currentuser')).body.synced === marker,
      'the synced route from the restarted auth service',
      120_000,
    );
  }, 180_000);

  it('a component synced into the client dev container is served by next dev', async () => {
    const marker = `This page was synced at ${Date.now()}`;
    await sync('client', 'client/components/status-views.tsx', (text) =>
      text.replace('This page does not exist, or what it showed has been removed.', marker),
    );
    await waitFor(
      async () => (await agentFor(target()).get('/no-such-page')).text.includes(marker),
      'next dev to serve the synced component',
      240_000,
    );
  }, 300_000);
});

/** The skaffold artifacts whose image a workload of infra/k8s runs. */
function platformImageSpecs() {
  const dir = path.join(repoRoot(), 'infra', 'k8s');
  const used = new Set(
    readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => parseAllDocuments(readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS() as Manifest))
      .filter((m) => m?.kind === 'Deployment' || m?.kind === 'StatefulSet')
      .flatMap((m) => m.spec.template.spec.containers.map((c) => c.image)),
  );
  return imageSpecs().filter((s) => used.has(s.image));
}

/** skaffold's sync globs: `**` any folders, `*` within one. */
function globMatches(glob: string, file: string): boolean {
  const pattern = glob
    .split('**/')
    .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
    .join('(?:.*/)?');
  return new RegExp(`^${pattern}$`).test(file);
}
