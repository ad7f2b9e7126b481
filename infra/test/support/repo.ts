import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The repository root (this file is infra/test/support/repo.ts). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

export const repoPath = (...parts: string[]): string => path.join(repoRoot, ...parts);

export const readRepoFile = (relative: string): string => readFileSync(repoPath(relative), 'utf8');

/** The workspaces that ship as images, and the four with a database of their own. */
export const services = ['auth', 'tickets', 'orders', 'payments', 'expiration'] as const;
export type ServiceName = (typeof services)[number];
export const images = [...services, 'client'] as const;
export const servicesWithMongo = ['auth', 'tickets', 'orders', 'payments'] as const;

/** The folders skaffold applies (skaffold.yaml `manifests.rawYaml`). */
export const manifestDirs = ['infra/k8s', 'infra/k8s-dev'] as const;

// The slice of the Kubernetes object model these tests read. kubernetes-models
// validates the full schema (see manifests.test.ts); these types only make the
// cross-checks readable.
export interface Metadata {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string };
    configMapKeyRef?: { name: string; key: string };
  };
}
export interface Probe {
  httpGet?: { path: string; port: number | string };
  tcpSocket?: { port: number | string };
  exec?: { command: string[] };
}
export interface Container {
  name: string;
  image: string;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  args?: string[];
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    runAsNonRoot?: boolean;
    runAsUser?: number;
    capabilities?: { drop?: string[]; add?: string[] };
  };
  volumeMounts?: { name: string; mountPath: string }[];
}
export interface PodSpec {
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; runAsGroup?: number; fsGroup?: number };
  containers: Container[];
  volumes?: { name: string }[];
}
export interface Workload {
  apiVersion: string;
  kind: 'Deployment' | 'StatefulSet';
  metadata: Metadata;
  spec: {
    replicas?: number;
    serviceName?: string;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
    volumeClaimTemplates?: { metadata: { name: string }; spec: unknown }[];
  };
}
export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
}
export interface Service {
  apiVersion: string;
  kind: 'Service';
  metadata: Metadata;
  spec: { type?: string; externalName?: string; selector?: Record<string, string>; ports: ServicePort[] };
}
export interface IngressPath {
  path: string;
  pathType: string;
  backend: { service: { name: string; port: { number?: number; name?: string } } };
}
export interface Ingress {
  apiVersion: string;
  kind: 'Ingress';
  metadata: Metadata;
  spec: {
    ingressClassName?: string;
    tls?: { hosts?: string[]; secretName?: string }[];
    rules: { host?: string; http: { paths: IngressPath[] } }[];
  };
}
/** Gateway API (gateway.networking.k8s.io/v1): the parts the routing tests read. */
export interface HTTPRoute {
  apiVersion: string;
  kind: 'HTTPRoute';
  metadata: Metadata;
  spec: {
    parentRefs: { name: string }[];
    rules: { matches: { path: { type: string; value: string } }[]; backendRefs: { name: string; port: number }[] }[];
  };
}
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: Metadata;
  [field: string]: unknown;
}

export interface LoadedManifest {
  /** Repository-relative path of the file. */
  file: string;
  /** Position of the document in the file, from 0. */
  index: number;
  object: KubeObject;
}

/** Every YAML file of a folder, sorted. */
export function yamlFiles(dir: string): string[] {
  return readdirSync(repoPath(dir))
    .filter((name) => /\.ya?ml$/.test(name) && statSync(repoPath(dir, name)).isFile())
    .sort()
    .map((name) => `${dir}/${name}`);
}

/** Parses every document of every manifest file; throws with the file name on a YAML error. */
export function loadManifests(dirs: readonly string[] = manifestDirs): LoadedManifest[] {
  const loaded: LoadedManifest[] = [];
  for (const file of dirs.flatMap(yamlFiles)) {
    parseAllDocuments(readRepoFile(file)).forEach((doc, index) => {
      if (doc.errors.length > 0) throw new Error(`${file} (document ${index + 1}): ${doc.errors[0]?.message}`);
      const object: unknown = doc.toJS();
      if (object === null || object === undefined) return; // an empty document (trailing ---)
      loaded.push({ file, index, object: object as KubeObject });
    });
  }
  return loaded;
}

export const ofKind = <T>(manifests: LoadedManifest[], kind: string): T[] =>
  manifests.filter((m) => m.object.kind === kind).map((m) => m.object as unknown as T);

export const workloadsOf = (manifests: LoadedManifest[]): Workload[] => [
  ...ofKind<Workload>(manifests, 'Deployment'),
  ...ofKind<Workload>(manifests, 'StatefulSet'),
];

/** The one object of a kind with a name; throws a readable error when it is missing. */
export function named<T extends { metadata: Metadata }>(objects: T[], name: string): T {
  const found = objects.find((o) => o.metadata.name === name);
  if (!found) throw new Error(`no object named ${name} (have: ${objects.map((o) => o.metadata.name).join(', ')})`);
  return found;
}

/** The single container of a workload (every GitTix pod runs one). */
export function onlyContainer(workload: Workload): Container {
  const [container, ...rest] = workload.spec.template.spec.containers;
  if (!container || rest.length > 0) throw new Error(`${workload.metadata.name}: expected exactly one container`);
  return container;
}

/** True when every label of `selector` is on `labels`. */
export const selects = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

/** Matches a path against a glob with `*` (within a segment) and `**` (any depth), as skaffold does. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob.charAt(i);
    if (char === '*' && glob.charAt(i + 1) === '*') {
      // `**/` matches zero or more folders; a trailing `**` anything.
      if (glob.charAt(i + 2) === '/') {
        source += '(?:[^/]+/)*';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Every file under a folder (repository-relative), skipping node_modules and build output. */
export function walkFiles(dir: string): string[] {
  const skip = new Set(['node_modules', 'dist', '.next', '.git']);
  const out: string[] = [];
  const visit = (relative: string) => {
    for (const entry of readdirSync(repoPath(relative), { withFileTypes: true })) {
      if (skip.has(entry.name)) continue;
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) visit(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  visit(dir);
  return out;
}
