// The Kubernetes manifests (infra/k8s, infra/k8s-dev), proven without a cluster:
// schema validation offline (kubernetes-models) and the cross-checks that catch
// drift between objects (docs/architecture.md#tests, issue 7).
import { runEsmBridge } from './support/esm-bridge';
import {
  type Ingress,
  type KubeObject,
  type Service,
  type Workload,
  images,
  loadManifests,
  named,
  ofKind,
  onlyContainer,
  selects,
  services,
  servicesWithMongo,
  workloadsOf,
  yamlFiles,
} from './support/repo';

const manifests = loadManifests();
const workloads = workloadsOf(manifests);
const deployments = ofKind<Workload>(manifests, 'Deployment');
const statefulSets = ofKind<Workload>(manifests, 'StatefulSet');
const k8sServices = ofKind<Service>(manifests, 'Service');
/** The Services that front pods (an ExternalName Service, edge-srv, is a DNS alias). */
const podServices = k8sServices.filter((s) => s.spec.type !== 'ExternalName');
const ingresses = ofKind<Ingress>(manifests, 'Ingress');

/** Names a Service port may be reached by: its number and, if named, its name. */
const exposes = (service: Service, port: { number?: number; name?: string }): boolean =>
  service.spec.ports.some((p) => (port.number !== undefined ? p.port === port.number : p.name === port.name));

describe('Kubernetes manifests', () => {
  it('every file in infra/k8s and infra/k8s-dev parses into objects with apiVersion, kind and a name', () => {
    expect(yamlFiles('infra/k8s').length).toBeGreaterThan(0);
    expect(yamlFiles('infra/k8s-dev').length).toBeGreaterThan(0);
    for (const { file, object } of manifests) {
      expect({
        file,
        apiVersion: typeof object.apiVersion,
        kind: typeof object.kind,
        name: typeof object.metadata?.name,
      }).toEqual({
        file,
        apiVersion: 'string',
        kind: 'string',
        name: 'string',
      });
    }
  });

  it('every object validates against the Kubernetes schema (kubernetes-models, offline)', () => {
    const results = runEsmBridge<{ ok: boolean; error?: string }[]>(
      'validate',
      manifests.map((m) => m.object),
    );
    const failures = results.flatMap((result, i) => {
      const m = manifests[i];
      return result.ok || !m ? [] : [`${m.file} ${m.object.kind}/${m.object.metadata.name}: ${result.error}`];
    });
    expect(failures).toEqual([]);
  });

  it('no two objects share a kind and a name', () => {
    const keys = manifests.map((m) => `${m.object.kind}/${m.object.metadata.name}`);
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
  });

  it('no Secret is committed: secrets come from the documented kubectl commands', () => {
    expect(ofKind<KubeObject>(manifests, 'Secret')).toEqual([]);
  });

  it('every service and the client has a Deployment <name>-depl and a ClusterIP Service <name>-srv on port 3000', () => {
    for (const name of images) {
      const deployment = named(deployments, `${name}-depl`);
      const service = named(k8sServices, `${name}-srv`);
      expect({ name, type: service.spec.type ?? 'ClusterIP', ports: service.spec.ports.map((p) => p.port) }).toEqual({
        name,
        type: 'ClusterIP',
        ports: [3000],
      });
      expect(onlyContainer(deployment).image).toBe(`gittix/${name}`);
      expect(onlyContainer(deployment).ports?.map((p) => p.containerPort)).toEqual([3000]);
    }
  });
});

describe('Services', () => {
  it('every Service selects the pods of exactly one Deployment or StatefulSet', () => {
    for (const service of podServices) {
      const selector = service.spec.selector ?? {};
      expect({ service: service.metadata.name, hasSelector: Object.keys(selector).length > 0 }).toEqual({
        service: service.metadata.name,
        hasSelector: true,
      });
      const matching = workloads.filter((w) => selects(selector, w.spec.template.metadata.labels));
      expect({ service: service.metadata.name, workloads: matching.map((w) => w.metadata.name) }).toEqual({
        service: service.metadata.name,
        workloads: [expect.any(String)],
      });
    }
  });

  it("every Service's targetPort is a port the selected container declares", () => {
    for (const service of podServices) {
      const workload = workloads.find((w) => selects(service.spec.selector ?? {}, w.spec.template.metadata.labels));
      if (!workload) throw new Error(`${service.metadata.name} selects no workload`);
      const declared = onlyContainer(workload).ports ?? [];
      for (const port of service.spec.ports) {
        const target = port.targetPort ?? port.port;
        const found = declared.some((p) =>
          typeof target === 'number' ? p.containerPort === target : p.name === target,
        );
        expect({ service: service.metadata.name, target, found }).toEqual({
          service: service.metadata.name,
          target,
          found: true,
        });
      }
    }
  });

  it("every workload's selector matches its own pod template (the API server rejects it otherwise)", () => {
    for (const w of workloads) {
      expect({
        workload: w.metadata.name,
        matches: selects(w.spec.selector.matchLabels, w.spec.template.metadata.labels),
      }).toEqual({
        workload: w.metadata.name,
        matches: true,
      });
    }
  });

  it('every StatefulSet is governed by a Service that exists and selects it', () => {
    expect(statefulSets.length).toBeGreaterThan(0);
    for (const set of statefulSets) {
      const service = named(k8sServices, set.spec.serviceName ?? '(no serviceName)');
      expect(selects(service.spec.selector ?? {}, set.spec.template.metadata.labels)).toBe(true);
    }
  });
});

describe('Ingress', () => {
  it('every Ingress backend names a Service that exists, on a port it exposes', () => {
    expect(ingresses.length).toBeGreaterThan(0);
    for (const ingress of ingresses) {
      for (const rule of ingress.spec.rules) {
        for (const p of rule.http.paths) {
          const { name, port } = p.backend.service;
          const service = k8sServices.find((s) => s.metadata.name === name);
          expect({
            ingress: ingress.metadata.name,
            path: p.path,
            service: name,
            exposed: !!service && exposes(service, port),
          }).toEqual({
            ingress: ingress.metadata.name,
            path: p.path,
            service: name,
            exposed: true,
          });
        }
      }
    }
  });

  it('the production Ingress (infra/k8s/ingress.yaml) routes the four API prefixes by regex, then the client catch-all last', () => {
    const ingress = named(ingresses, 'ingress-srv');
    const file = manifests.find((m) => m.object === (ingress as unknown as KubeObject))?.file;
    expect(file).toBe('infra/k8s/ingress.yaml');
    expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/use-regex']).toBe('true');
    expect(ingress.spec.rules).toHaveLength(1);
    // No host: it also serves the client's server-side calls to the controller's in-cluster name.
    expect(ingress.spec.rules[0]?.host).toBeUndefined();
    const paths = ingress.spec.rules[0]?.http.paths ?? [];
    expect(paths.map((p) => [p.path, p.pathType, p.backend.service.name, p.backend.service.port.number])).toEqual([
      ['/api/users/?(.*)', 'ImplementationSpecific', 'auth-srv', 3000],
      ['/api/tickets/?(.*)', 'ImplementationSpecific', 'tickets-srv', 3000],
      ['/api/orders/?(.*)', 'ImplementationSpecific', 'orders-srv', 3000],
      ['/api/payments/?(.*)', 'ImplementationSpecific', 'payments-srv', 3000],
      ['/?(.*)', 'ImplementationSpecific', 'client-srv', 3000],
    ]);
  });

  it('the dev Ingress (infra/k8s-dev) serves host ticketing.dev over TLS with exactly the production paths and backends', () => {
    const production = named(ingresses, 'ingress-srv');
    const dev = named(ingresses, 'ingress-dev');
    expect(dev.spec.ingressClassName).toBe('nginx');
    expect(dev.metadata.annotations?.['nginx.ingress.kubernetes.io/use-regex']).toBe('true');
    expect(dev.spec.rules.map((r) => r.host)).toEqual(['ticketing.dev']);
    expect(dev.spec.tls?.flatMap((t) => t.hosts ?? [])).toEqual(['ticketing.dev']);
    expect(dev.spec.rules[0]?.http.paths).toEqual(production.spec.rules[0]?.http.paths);
  });
});

describe('workloads', () => {
  it('every container has CPU and memory requests and limits', () => {
    for (const w of workloads) {
      const { resources } = onlyContainer(w);
      expect({
        workload: w.metadata.name,
        requests: Object.keys(resources?.requests ?? {}).sort(),
        limits: Object.keys(resources?.limits ?? {}).sort(),
      }).toEqual({
        workload: w.metadata.name,
        requests: ['cpu', 'memory'],
        limits: ['cpu', 'memory'],
      });
    }
  });

  it('every pod runs as a non-root numeric user, without privilege escalation or capabilities, on a read-only root filesystem', () => {
    for (const w of workloads) {
      const pod = w.spec.template.spec.securityContext ?? {};
      const container = onlyContainer(w).securityContext ?? {};
      expect({
        workload: w.metadata.name,
        runAsNonRoot: pod.runAsNonRoot ?? container.runAsNonRoot,
        // `USER node` in an image is a name; the kubelet can only verify a number.
        nonRootUid: (pod.runAsUser ?? container.runAsUser ?? 0) > 0,
        allowPrivilegeEscalation: container.allowPrivilegeEscalation,
        readOnlyRootFilesystem: container.readOnlyRootFilesystem,
        drop: container.capabilities?.drop,
        add: container.capabilities?.add,
      }).toEqual({
        workload: w.metadata.name,
        runAsNonRoot: true,
        nonRootUid: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        drop: ['ALL'],
        add: undefined,
      });
    }
  });

  it('every volume mount names a declared volume or volume claim template', () => {
    for (const w of workloads) {
      const declared = [
        ...(w.spec.template.spec.volumes ?? []).map((v) => v.name),
        ...(w.spec.volumeClaimTemplates ?? []).map((t) => t.metadata.name),
      ];
      for (const mount of onlyContainer(w).volumeMounts ?? []) {
        expect({ workload: w.metadata.name, mount: mount.name, declared: declared.includes(mount.name) }).toEqual({
          workload: w.metadata.name,
          mount: mount.name,
          declared: true,
        });
      }
    }
  });

  it('every container pulls its image only if the node lacks it (IfNotPresent): gittix/<name> means :latest, whose default is Always', () => {
    // A cluster that is given its images (kind load, skaffold's local build, the project's
    // one-node cluster with no registry) must run them as given, never try a registry first.
    expect(workloads.length).toBeGreaterThan(0);
    for (const w of workloads) {
      const { image, imagePullPolicy } = onlyContainer(w);
      expect({ workload: w.metadata.name, image, imagePullPolicy }).toEqual({
        workload: w.metadata.name,
        image,
        imagePullPolicy: 'IfNotPresent',
      });
    }
  });

  it('every third-party image is pinned to a version (no latest, no bare major)', () => {
    for (const w of workloads) {
      const { image } = onlyContainer(w);
      if (image.startsWith('gittix/')) continue; // built and tagged by skaffold
      expect({
        workload: w.metadata.name,
        image,
        pinned: /:(\d+\.\d+[\w.-]*)(@sha256:[0-9a-f]{64})?$/.test(image),
      }).toEqual({
        workload: w.metadata.name,
        image,
        pinned: true,
      });
    }
  });

  it('the services and the client probe liveness on /healthz and readiness on /readyz (the client: its /healthz route)', () => {
    for (const name of images) {
      const container = onlyContainer(named(deployments, `${name}-depl`));
      expect({
        name,
        startup: container.startupProbe?.httpGet?.path,
        liveness: container.livenessProbe?.httpGet?.path,
        readiness: container.readinessProbe?.httpGet?.path,
      }).toEqual({
        name,
        startup: '/healthz',
        liveness: '/healthz',
        readiness: name === 'client' ? '/healthz' : '/readyz',
      });
    }
  });
});

describe('backing servers', () => {
  it.each(servicesWithMongo)(
    '%s has its own MongoDB: a StatefulSet with a volume claim on /data/db and a Service on 27017',
    (svc) => {
      const set = named(statefulSets, `${svc}-mongo`);
      const container = onlyContainer(set);
      expect(container.image).toMatch(/^mongo:7\.\d+\.\d+$/);
      const claims = (set.spec.volumeClaimTemplates ?? []).map((t) => t.metadata.name);
      expect(container.volumeMounts?.filter((m) => claims.includes(m.name)).map((m) => m.mountPath)).toEqual([
        '/data/db',
      ]);
      expect(named(k8sServices, `${svc}-mongo-srv`).spec.ports.map((p) => p.port)).toEqual([27017]);
    },
  );

  it('NATS Streaming runs cluster id ticketing with a file store on a volume claim, monitoring on 8222, Service nats-srv on 4222 and 8222', () => {
    const set = named(statefulSets, 'nats');
    const container = onlyContainer(set);
    expect(container.image).toBe('nats-streaming:0.25.6');
    const args = container.args ?? [];
    const after = (flag: string) => args[args.indexOf(flag) + 1];
    expect([after('-cid'), after('-st'), after('-m'), after('-p')]).toEqual(['ticketing', 'FILE', '8222', '4222']);
    const claims = (set.spec.volumeClaimTemplates ?? []).map((t) => t.metadata.name);
    const dataMounts = (container.volumeMounts ?? []).filter((m) => claims.includes(m.name)).map((m) => m.mountPath);
    expect(dataMounts).toHaveLength(1);
    expect(`${after('--dir')}/`.startsWith(`${dataMounts[0]}/`)).toBe(true);
    expect(
      named(k8sServices, 'nats-srv')
        .spec.ports.map((p) => p.port)
        .sort(),
    ).toEqual([4222, 8222]);
  });

  it('Redis keeps an append-only file on a volume claim, Service expiration-redis-srv on 6379', () => {
    const set = named(statefulSets, 'expiration-redis');
    const container = onlyContainer(set);
    expect(container.image).toMatch(/^redis:7\.2\.\d+-alpine/);
    const args = container.args ?? [];
    expect(args[args.indexOf('--appendonly') + 1]).toBe('yes');
    const claims = (set.spec.volumeClaimTemplates ?? []).map((t) => t.metadata.name);
    expect(container.volumeMounts?.filter((m) => claims.includes(m.name)).map((m) => m.mountPath)).toEqual([
      args[args.indexOf('--dir') + 1],
    ]);
    expect(named(k8sServices, 'expiration-redis-srv').spec.ports.map((p) => p.port)).toEqual([6379]);
  });

  it('every URL a Deployment is given points at a Service that exists, on a port it exposes', () => {
    const urls = deployments.flatMap((d) =>
      (onlyContainer(d).env ?? []).flatMap((e) =>
        e.value && /^[a-z]+:\/\//.test(e.value) ? [{ d: d.metadata.name, e: e.name, url: new URL(e.value) }] : [],
      ),
    );
    expect(urls.length).toBeGreaterThan(0);
    for (const { d, e, url } of urls) {
      const [name] = url.hostname.split('.');
      const service = k8sServices.find((s) => s.metadata.name === name);
      if (service?.spec.type === 'ExternalName') {
        // edge-srv: an alias of the ingress controller installed by docs/cluster.md, whose Service listens on 80.
        expect({ d, e, host: url.hostname, port: url.port, alias: service.spec.externalName }).toEqual({
          d,
          e,
          host: 'edge-srv',
          port: '',
          alias: 'ingress-nginx-controller.ingress-nginx.svc.cluster.local',
        });
        continue;
      }
      const port = Number(url.port);
      expect({
        d,
        e,
        host: url.hostname,
        exposed: !!service && service.spec.ports.some((p) => p.port === port),
      }).toEqual({
        d,
        e,
        host: url.hostname,
        exposed: true,
      });
    }
  });

  it.each(servicesWithMongo)('%s talks to its own database only', (svc) => {
    const env = onlyContainer(named(deployments, `${svc}-depl`)).env ?? [];
    expect(env.find((e) => e.name === 'MONGO_URL')?.value).toMatch(new RegExp(`^mongodb://${svc}-mongo-srv:27017/`));
  });

  it('services without a database of their own get no MONGO_URL', () => {
    for (const svc of services.filter((s) => !(servicesWithMongo as readonly string[]).includes(s))) {
      expect(onlyContainer(named(deployments, `${svc}-depl`)).env?.map((e) => e.name)).not.toContain('MONGO_URL');
    }
  });
});
