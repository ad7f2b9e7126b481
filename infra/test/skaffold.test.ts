// skaffold.yaml against the repository: every artifact has a Dockerfile and a
// manifest that uses its image, every sync rule matches real files, and the
// manifests it applies are the whole of infra/k8s and infra/k8s-dev. The six
// images of infra/k8s are the platform; an artifact whose image only infra/k8s-dev
// uses (gittix/stripe-mock) is a development tool.
import { existsSync } from 'node:fs';
import { parse } from 'yaml';
import {
  type Workload,
  globToRegExp,
  images,
  loadManifests,
  onlyContainer,
  readRepoFile,
  repoPath,
  walkFiles,
  workloadsOf,
  yamlFiles,
} from './support/repo';

interface SyncRule {
  src: string;
  dest: string;
  strip?: string;
}
interface Artifact {
  image: string;
  context?: string;
  docker?: { dockerfile?: string; target?: string; buildArgs?: Record<string, string> };
  sync?: { manual?: SyncRule[] };
}
interface SkaffoldConfig {
  apiVersion: string;
  kind: string;
  build: { artifacts: Artifact[]; local?: { push?: boolean } };
  manifests: { rawYaml: string[] };
  profiles?: { name: string; patches?: { op: string; path: string }[] }[];
}

const config = parse(readRepoFile('skaffold.yaml')) as SkaffoldConfig;
const imagesOf = (dirs?: readonly string[]) =>
  new Set(workloadsOf(loadManifests(dirs)).map((w: Workload) => onlyContainer(w).image));
const manifestImages = imagesOf();
const platformImages = imagesOf(['infra/k8s']);
/** The images of infra/k8s (the six), and the development-only ones of infra/k8s-dev. */
const artifacts = config.build.artifacts.filter((a) => platformImages.has(a.image));
const devArtifacts = config.build.artifacts.filter((a) => !platformImages.has(a.image));

/** The stage names a Dockerfile declares (`FROM … AS name`). */
const stagesOf = (dockerfile: string): string[] =>
  [...readRepoFile(dockerfile).matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => (m[1] ?? '').toLowerCase());

describe('skaffold.yaml', () => {
  it('uses the current config schema, builds locally without pushing', () => {
    expect(config.apiVersion).toBe('skaffold/v4beta14');
    expect(config.kind).toBe('Config');
    expect(config.build.local?.push).toBe(false);
  });

  it('has one artifact per image, gittix/<name>, built from the repository root', () => {
    expect(artifacts.map((a) => a.image).sort()).toEqual(images.map((name) => `gittix/${name}`).sort());
    expect(devArtifacts.map((a) => a.image)).toEqual(['gittix/stripe-mock']);
    for (const a of config.build.artifacts)
      expect({ image: a.image, context: a.context }).toEqual({ image: a.image, context: '.' });
  });

  it('the development-only artifact (the Stripe API) is used by infra/k8s-dev only, built from its own Dockerfile, one stage, no sync', () => {
    const devImages = imagesOf(['infra/k8s-dev']);
    for (const a of devArtifacts) {
      const dockerfile = a.docker?.dockerfile ?? 'Dockerfile';
      expect({
        image: a.image,
        usedByDev: devImages.has(a.image),
        usedByPlatform: platformImages.has(a.image),
      }).toEqual({ image: a.image, usedByDev: true, usedByPlatform: false });
      expect({ dockerfile, exists: existsSync(repoPath(dockerfile)), args: a.docker?.buildArgs }).toEqual({
        dockerfile: 'testing/stripe-mock/Dockerfile',
        exists: true,
        args: undefined,
      });
      // skaffold dev and run (and `npm run images`' dev tag) all build the one stage that runs.
      expect(a.docker?.target).toBe(stagesOf(dockerfile).at(-1));
      expect(a.sync).toBeUndefined();
    }
  });

  it("every artifact's Dockerfile exists and has the target skaffold dev builds", () => {
    for (const a of artifacts) {
      const dockerfile = a.docker?.dockerfile ?? 'Dockerfile';
      expect({ image: a.image, dockerfile, exists: existsSync(repoPath(dockerfile)) }).toEqual({
        image: a.image,
        dockerfile,
        exists: true,
      });
      // The services share the root Dockerfile, told which one by SERVICE; the client has its own.
      const name = a.image.replace('gittix/', '');
      if (name === 'client')
        expect({ dockerfile, args: a.docker?.buildArgs }).toEqual({ dockerfile: 'client/Dockerfile', args: undefined });
      else
        expect({ dockerfile, args: a.docker?.buildArgs }).toEqual({
          dockerfile: 'Dockerfile',
          args: { SERVICE: name },
        });
      expect(stagesOf(dockerfile)).toContain(a.docker?.target);
    }
  });

  it("every artifact's image is used by a manifest, and every gittix image in the manifests is an artifact", () => {
    for (const a of config.build.artifacts)
      expect({ image: a.image, used: manifestImages.has(a.image) }).toEqual({ image: a.image, used: true });
    const built = new Set(config.build.artifacts.map((a) => a.image));
    expect([...manifestImages].filter((image) => image.startsWith('gittix/') && !built.has(image))).toEqual([]);
  });

  it('every sync rule matches files that exist, lands them where the dev container works (/tmp/app), and skips nothing the image needs', () => {
    for (const a of artifacts) {
      const rules = a.sync?.manual ?? [];
      expect({ image: a.image, rules: rules.length > 0 }).toEqual({ image: a.image, rules: true });
      const workspace = a.image.replace('gittix/', '');
      const files = walkFiles(workspace);
      for (const rule of rules) {
        const matched = files.filter((f) => globToRegExp(rule.src).test(f));
        expect({ image: a.image, src: rule.src, matches: matched.length > 0 }).toEqual({
          image: a.image,
          src: rule.src,
          matches: true,
        });
        // The dev target copies the workspace to /tmp/app/<workspace> and watches it there.
        expect({ src: rule.src, dest: rule.dest, strip: rule.strip }).toEqual({
          src: rule.src,
          dest: '/tmp/app',
          strip: undefined,
        });
      }
      const dockerfile = workspace === 'client' ? 'client/Dockerfile' : 'Dockerfile';
      const copied = workspace === 'client' ? 'client' : '$SERVICE';
      expect(readRepoFile(dockerfile)).toContain(`cp -R /app/${copied} /tmp/app/${copied}`);
    }
  });

  it('the service sync rules cover every TypeScript source of the service', () => {
    for (const a of artifacts.filter((x) => x.image !== 'gittix/client')) {
      const workspace = a.image.replace('gittix/', '');
      const rules = (a.sync?.manual ?? []).map((r) => globToRegExp(r.src));
      const sourcesOf = walkFiles(workspace).filter((f) => f.startsWith(`${workspace}/src/`) && f.endsWith('.ts'));
      expect(sourcesOf.length).toBeGreaterThan(0);
      expect(sourcesOf.filter((f) => !rules.some((r) => r.test(f)))).toEqual([]);
    }
  });

  it('applies every manifest file of infra/k8s and infra/k8s-dev (and nothing else)', () => {
    const globs = config.manifests.rawYaml.map(globToRegExp);
    const files = [...yamlFiles('infra/k8s'), ...yamlFiles('infra/k8s-dev')];
    expect(files.filter((f) => !globs.some((g) => g.test(f)))).toEqual([]);
    expect(config.manifests.rawYaml).toEqual(['infra/k8s/*.yaml', 'infra/k8s-dev/*.yaml']);
  });

  it('the gateway profile applies every manifest of infra/k8s but the Ingress, and the Gateway API routes instead', () => {
    const gateway = config.profiles?.find((p) => p.name === 'gateway');
    const patch = (gateway?.patches ?? []).find((p) => p.path === '/manifests/rawYaml') as
      { op: string; value?: string[] } | undefined;
    expect(patch?.op).toBe('replace');
    const globs = (patch?.value ?? []).map(globToRegExp);
    const applied = (f: string) => globs.some((g) => g.test(f));
    expect(yamlFiles('infra/k8s').filter((f) => !applied(f))).toEqual(['infra/k8s/ingress.yaml']);
    // Of infra/k8s-dev, the Stripe API (the dev Ingress is what the Gateway replaces).
    expect(yamlFiles('infra/k8s-dev').filter((f) => !applied(f))).toEqual(['infra/k8s-dev/ingress.yaml']);
    expect(yamlFiles('infra/k8s-gateway').length).toBeGreaterThan(0);
    expect(yamlFiles('infra/k8s-gateway').filter((f) => !applied(f))).toEqual([]);
  });

  it('the production profile builds every Dockerfile default stage (it removes each dev target)', () => {
    const production = config.profiles?.find((p) => p.name === 'production');
    const removed = (production?.patches ?? []).filter((p) => p.op === 'remove').map((p) => p.path);
    const all = config.build.artifacts;
    expect(removed.sort()).toEqual(artifacts.map((a) => `/build/artifacts/${all.indexOf(a)}/docker/target`).sort());
  });
});
