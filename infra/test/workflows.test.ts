// The publishing workflow (.github/workflows/images.yml) against skaffold.yaml: it
// must build the same six artifacts as the images infra/k8s runs (Dockerfile and
// build arguments), from their runtime stage, tag them with the commit SHA, and take
// credentials from secrets. skaffold's development-only artifacts (the Stripe API of
// infra/k8s-dev) are never published.
import { parse } from 'yaml';
import { loadManifests, onlyContainer, readRepoFile, workloadsOf } from './support/repo';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | boolean>;
}
interface Workflow {
  on: { push?: { branches?: string[] } };
  jobs: Record<
    string,
    { strategy: { matrix: { include: Array<{ name: string; dockerfile: string; service: string }> } }; steps: Step[] }
  >;
}
interface Skaffold {
  build: { artifacts: Array<{ image: string; docker: { dockerfile: string; buildArgs?: Record<string, string> } }> };
}

const workflow = parse(readRepoFile('.github/workflows/images.yml')) as Workflow;
const skaffold = parse(readRepoFile('skaffold.yaml')) as Skaffold;
const job = workflow.jobs.publish;
if (!job) throw new Error('images.yml has no publish job');

describe('.github/workflows/images.yml', () => {
  it('runs on pushes to main', () => {
    expect(workflow.on.push?.branches).toEqual(['main']);
  });

  it('builds exactly the artifacts of skaffold.yaml that infra/k8s runs, each from its Dockerfile with its build arguments', () => {
    const platformImages = new Set(workloadsOf(loadManifests(['infra/k8s'])).map((w) => onlyContainer(w).image));
    const published = job.strategy.matrix.include.map((m) => ({
      image: `gittix/${m.name}`,
      dockerfile: m.dockerfile,
      buildArgs: m.service ? { SERVICE: m.service } : undefined,
    }));
    const built = skaffold.build.artifacts
      .filter((a) => platformImages.has(a.image))
      .map((a) => ({
        image: a.image,
        dockerfile: a.docker.dockerfile,
        buildArgs: a.docker.buildArgs,
      }));
    expect(published).toEqual(built);
    expect(published).toHaveLength(6);
    expect(published.map((p) => p.image)).not.toContain('gittix/stripe-mock');
  });

  it('builds the runtime stage (no target), tags it with the commit SHA and pushes that tag', () => {
    const build = job.steps.find((s) => s.uses?.startsWith('docker/build-push-action'));
    expect(build?.with?.target).toBeUndefined();
    expect(build?.with?.context).toBe('.');
    expect(build?.with?.file).toBe('${{ matrix.dockerfile }}');
    expect(String(build?.with?.tags)).toMatch(/:\$\{\{ github\.sha \}\}$/);
    const push = job.steps.find((s) => s.run?.includes('docker push'));
    expect(push?.run).toContain('${{ github.sha }}');
  });

  it('logs in with repository secrets and refuses a stand-in base image', () => {
    const login = job.steps.find((s) => s.uses?.startsWith('docker/login-action'));
    expect(login?.with?.username).toBe('${{ secrets.DOCKERHUB_USERNAME }}');
    expect(login?.with?.password).toBe('${{ secrets.DOCKERHUB_TOKEN }}');
    const names = job.steps.map((s) => s.name ?? s.uses ?? '');
    const guard = names.findIndex((n) => n.includes('stand-in'));
    const push = names.findIndex((n) => n.startsWith('Push'));
    expect(guard).toBeGreaterThan(-1);
    expect(guard).toBeLessThan(push);
  });
});
