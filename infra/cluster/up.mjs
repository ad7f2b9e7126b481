#!/usr/bin/env node
// Brings up a real one-node Kubernetes cluster on this machine, from the binaries
// scripts/cluster/build.sh makes: etcd, kube-apiserver (TLS, Node+RBAC
// authorization, PodSecurity admission), controller-manager, scheduler,
// containerd + runc, kubelet, CNI bridge networking, kube-proxy (iptables), CoreDNS,
// a local-path storage provisioner and Traefik as the Ingress / Gateway API controller.
//
//   node infra/cluster/up.mjs          (as root; a previous cluster is torn down first)
//   node infra/cluster/down.mjs        stops it and removes everything it made
//
// Every process runs detached, with its log in state/logs/ and its pid in
// state/pids.json. Pods live in network namespaces on the bridge gittix0 inside
// 198.18.0.0/15; iptables chains GITTIX-* keep their traffic on this machine.
// It ends with `the cluster is up: …`; deploy.mjs then deploys GitTix onto it
// (`npm run cluster:up` runs build.sh, images.mjs, this and deploy.mjs).
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import {
  GittixError,
  apiRequest,
  bin,
  binDir,
  ctr,
  fail,
  images,
  imagesDir,
  ingressTLS,
  isAlive,
  kubectl,
  kubeletSysctls,
  network,
  nodeName,
  paths,
  portInUse,
  ports,
  readPids,
  renderFile,
  run,
  say,
  startDetached,
  stateDir,
  sysctlGet,
  toolsDir,
  waitFor,
  writeHost,
  here,
} from './lib.mjs';
import { leftovers, teardown } from './down.mjs';

const started = Date.now();
const since = () => ((Date.now() - started) / 1000).toFixed(1);
const timings = {};
const mark = (what) => {
  timings[what] = Number(since());
  say(`${what} (${since()} s)`);
};

function preflight() {
  if (process.getuid?.() !== 0)
    throw new GittixError('up.mjs must run as root (it creates network interfaces, mounts and iptables rules)');
  const needed = [
    'etcd',
    'kube-apiserver',
    'kube-controller-manager',
    'kube-scheduler',
    'kubelet',
    'kube-proxy',
    'kubectl',
    'traefik',
  ];
  for (const name of needed)
    if (!fs.existsSync(bin(name))) throw new GittixError(`missing ${bin(name)}: run scripts/cluster/build.sh`);
  for (const name of ['pause', 'coredns', 'echo'])
    if (!fs.existsSync(path.join(imagesDir, `${name}.oci.tar`)))
      throw new GittixError(`missing the ${name} image in ${imagesDir}: run scripts/cluster/build.sh`);
  if (!fs.existsSync(path.join(toolsDir, 'crds', 'gateway-api', 'ORDER')))
    throw new GittixError('missing the Gateway API CRDs: run scripts/cluster/build.sh');
  const commands = {
    containerd: "install it with 'apt-get install containerd'",
    ctr: "install it with 'apt-get install containerd'",
    runc: "install it with 'apt-get install runc'",
    iptables: "install it with 'apt-get install iptables'",
    'iptables-restore': "install it with 'apt-get install iptables'",
    ip: "install it with 'apt-get install iproute2'",
    openssl: "install it with 'apt-get install openssl'",
    conntrack: "install it with 'apt-get install conntrack'",
    mount: "install it with 'apt-get install mount'",
  };
  for (const [command, hint] of Object.entries(commands))
    if (!run('sh', ['-c', `command -v ${command}`], { allowFail: true }).ok)
      throw new GittixError(`missing ${command}: ${hint}`);
  for (const plugin of ['bridge', 'host-local', 'loopback'])
    if (!fs.existsSync(path.join(cniBinDir(), plugin)))
      throw new GittixError(
        `missing the CNI plugin ${plugin} in ${cniBinDir()}: install it with 'apt-get install containernetworking-plugins'`,
      );
  if (!fs.existsSync('/proc/sys/net/bridge/bridge-nf-call-iptables'))
    throw new GittixError(
      'the kernel lacks br_netfilter (needed for Services between pods): run modprobe br_netfilter',
    );
}

function cniBinDir() {
  return process.env.GITTIX_CNI_BIN_DIR ?? '/usr/lib/cni';
}

async function checkPorts() {
  const wanted = [
    ['127.0.0.1', ports.etcdClient, 'etcd'],
    ['127.0.0.1', ports.etcdPeer, 'etcd peer'],
    ['127.0.0.1', ports.etcdMetrics, 'etcd metrics'],
    [network.nodeIP, ports.apiserver, 'kube-apiserver'],
    ['127.0.0.1', ports.controllerManager, 'kube-controller-manager'],
    ['127.0.0.1', ports.scheduler, 'kube-scheduler'],
    [network.nodeIP, ports.kubelet, 'kubelet'],
    ['127.0.0.1', ports.kubeletHealthz, 'kubelet healthz'],
    ['127.0.0.1', ports.proxyHealthz, 'kube-proxy healthz'],
    ['127.0.0.1', ports.proxyMetrics, 'kube-proxy metrics'],
    ['0.0.0.0', ports.ingress, 'Traefik (set GITTIX_CLUSTER_PORT to use another)'],
    ['0.0.0.0', ports.ingressTLS, 'Traefik HTTPS (set GITTIX_CLUSTER_TLS_PORT to use another)'],
    ['127.0.0.1', ports.traefikAdmin, 'Traefik ping (set GITTIX_CLUSTER_ADMIN_PORT to use another)'],
  ];
  for (const [host, port, what] of wanted)
    if (await portInUse(host, port))
      throw new GittixError(`port ${host}:${port} (${what}) is in use by another process: stop it and re-run`);
}

// ---------------------------------------------------------------- host network

function setUpHostNetwork() {
  // What the kubelet will rewrite, so down.mjs can put it back.
  writeHost({ sysctls: Object.fromEntries(kubeletSysctls.map((key) => [key, sysctlGet(key)])) });
  run('ip', ['addr', 'add', `${network.nodeIP}/32`, 'dev', 'lo']);
  writeHost({ loAddress: `${network.nodeIP}/32` });
  run('ip', ['link', 'add', network.bridge, 'type', 'bridge']);
  writeHost({ bridge: network.bridge });
  run('ip', ['addr', 'add', `${network.podGateway}/${network.nodePodCIDR.split('/')[1]}`, 'dev', network.bridge]);
  run('ip', ['link', 'set', network.bridge, 'up']);
  installGuards();
}

/**
 * GITTIX-* chains, first in INPUT, FORWARD and OUTPUT: pods talk to each other, to
 * the node's addresses and to the host, and nothing to or from 198.18.0.0/15 is
 * routed anywhere else — including traffic that a Service rewrote (conntrack's
 * original destination). Re-run after kube-proxy has prepended its own jumps.
 */
function installGuards() {
  const { bridge, guardCIDR } = network;
  const reject = ['-j', 'REJECT'];
  const chains = {
    INPUT: [
      ['-i', 'lo', '-j', 'RETURN'],
      ['-i', bridge, '-j', 'RETURN'],
      ['-d', guardCIDR, '-j', 'DROP'],
      // Traefik's entry points listen on every IPv4 address (see templates/traefik.yaml.tmpl).
      ['-p', 'tcp', '--dport', String(ports.ingress), '-j', 'DROP'],
      ['-p', 'tcp', '--dport', String(ports.ingressTLS), '-j', 'DROP'],
    ],
    FORWARD: [
      ['-i', bridge, '-o', bridge, '-j', 'RETURN'],
      ['-i', bridge, ...reject],
      ['-o', bridge, ...reject],
      ['-d', guardCIDR, ...reject],
      ['-s', guardCIDR, ...reject],
      ['-m', 'conntrack', '--ctorigdst', guardCIDR, ...reject],
    ],
    OUTPUT: [
      ['-o', 'lo', '-j', 'RETURN'],
      ['-o', bridge, '-j', 'RETURN'],
      ['-d', guardCIDR, ...reject],
      ['-s', guardCIDR, ...reject],
      ['-m', 'conntrack', '--ctorigdst', guardCIDR, ...reject],
    ],
  };
  // Go listens dual-stack on 0.0.0.0, so Traefik's ports need the same guard over IPv6.
  const chains6 = {
    INPUT: [
      ['-i', 'lo', '-j', 'RETURN'],
      ['-i', bridge, '-j', 'RETURN'],
      ['-p', 'tcp', '--dport', String(ports.ingress), '-j', 'DROP'],
      ['-p', 'tcp', '--dport', String(ports.ingressTLS), '-j', 'DROP'],
    ],
  };
  for (const [tool, table] of [
    ['iptables', chains],
    ['ip6tables', chains6],
  ]) {
    for (const [builtin, rules] of Object.entries(table)) {
      const chain = `GITTIX-${builtin}`;
      run(tool, ['-w', '5', '-N', chain], { allowFail: true });
      run(tool, ['-w', '5', '-F', chain]);
      for (const rule of rules) run(tool, ['-w', '5', '-A', chain, ...rule]);
      while (run(tool, ['-w', '5', '-D', builtin, '-j', chain], { allowFail: true }).ok);
      run(tool, ['-w', '5', '-I', builtin, '1', '-j', chain]);
    }
  }
}

// ---------------------------------------------------------------- certificates

function openssl(args) {
  run('openssl', args);
}

function makePki() {
  const dir = paths.pki;
  fs.mkdirSync(path.join(dir, 'generated'), { recursive: true, mode: 0o700 });
  const file = (name) => path.join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.crt'),
    '-subj',
    '/CN=gittix-cluster-ca',
    '-days',
    '3650',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
  ]);
  // A second CA for the aggregation layer's front proxy (requestheader authentication),
  // as kubeadm keeps it: a certificate it signs makes the API server trust X-Remote-User.
  openssl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    file('front-proxy-ca.key'),
    '-out',
    file('front-proxy-ca.crt'),
    '-subj',
    '/CN=gittix-front-proxy-ca',
    '-days',
    '3650',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
  ]);
  // The service-account token signing pair (ES256).
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file('sa.key')]);
  openssl(['pkey', '-in', file('sa.key'), '-pubout', '-out', file('sa.pub')]);

  const { nodeIP, kubernetesServiceIP, clusterDomain } = network;
  const apiNames = [
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    `kubernetes.default.svc.${clusterDomain}`,
  ];
  const leaves = [
    { name: 'etcd-server', cn: 'gittix-etcd', san: ['IP:127.0.0.1', 'DNS:localhost'], usage: 'serverAuth,clientAuth' },
    { name: 'apiserver-etcd-client', cn: 'kube-apiserver-etcd-client', usage: 'clientAuth' },
    {
      name: 'apiserver',
      cn: 'kube-apiserver',
      san: [
        `IP:${nodeIP}`,
        'IP:127.0.0.1',
        `IP:${kubernetesServiceIP}`,
        'DNS:localhost',
        ...apiNames.map((n) => `DNS:${n}`),
      ],
      usage: 'serverAuth',
    },
    { name: 'apiserver-kubelet-client', cn: 'kube-apiserver-kubelet-client', o: 'system:masters', usage: 'clientAuth' },
    { name: 'admin', cn: 'gittix-admin', o: 'system:masters', usage: 'clientAuth' },
    { name: 'controller-manager', cn: 'system:kube-controller-manager', usage: 'clientAuth' },
    { name: 'scheduler', cn: 'system:kube-scheduler', usage: 'clientAuth' },
    { name: 'kube-proxy', cn: 'system:kube-proxy', usage: 'clientAuth' },
    { name: 'kubelet-client', cn: `system:node:${nodeName}`, o: 'system:nodes', usage: 'clientAuth' },
    { name: 'kubelet', cn: nodeName, san: [`IP:${nodeIP}`, `DNS:${nodeName}`], usage: 'serverAuth' },
    { name: 'traefik', cn: 'gittix:traefik', usage: 'clientAuth' },
    { name: 'local-path', cn: 'gittix:local-path', usage: 'clientAuth' },
    { name: 'front-proxy-client', cn: 'front-proxy-client', usage: 'clientAuth', ca: 'front-proxy-ca' },
  ];
  for (const leaf of leaves) {
    const ext = [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      `extendedKeyUsage=${leaf.usage}`,
      ...(leaf.san ? [`subjectAltName=${leaf.san.join(',')}`] : []),
    ];
    fs.writeFileSync(file(`${leaf.name}.ext`), ext.join('\n') + '\n');
    const subject = `/CN=${leaf.cn}${leaf.o ? `/O=${leaf.o}` : ''}`;
    openssl([
      'req',
      '-new',
      ...ec,
      '-keyout',
      file(`${leaf.name}.key`),
      '-out',
      file(`${leaf.name}.csr`),
      '-subj',
      subject,
    ]);
    openssl([
      'x509',
      '-req',
      '-in',
      file(`${leaf.name}.csr`),
      '-CA',
      file(`${leaf.ca ?? 'ca'}.crt`),
      '-CAkey',
      file(`${leaf.ca ?? 'ca'}.key`),
      '-set_serial',
      `0x${Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex')}`,
      '-days',
      '825',
      '-extfile',
      file(`${leaf.name}.ext`),
      '-out',
      file(`${leaf.name}.crt`),
    ]);
    fs.rmSync(file(`${leaf.name}.csr`));
    fs.rmSync(file(`${leaf.name}.ext`));
  }
  for (const name of fs.readdirSync(dir)) if (name.endsWith('.key')) fs.chmodSync(file(name), 0o600);
}

/**
 * The ingress's default certificate and its CA (see lib.mjs ingressTLS), kept across
 * clusters: made once, the leaf again only if it is missing or no longer matches the CA.
 */
function makeIngressTLS() {
  const t = ingressTLS;
  fs.mkdirSync(t.dir, { recursive: true, mode: 0o700 });
  if (!fs.existsSync(t.ca) || !fs.existsSync(t.caKey)) {
    openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      t.caKey,
      '-out',
      t.ca,
      '-subj',
      '/CN=GitTix local cluster ingress CA',
      '-days',
      '3650',
      '-addext',
      'basicConstraints=critical,CA:TRUE,pathlen:0',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    fs.rmSync(t.cert, { force: true });
  }
  const valid =
    fs.existsSync(t.cert) &&
    fs.existsSync(t.key) &&
    run('openssl', ['verify', '-CAfile', t.ca, t.cert], { allowFail: true }).ok &&
    run('openssl', ['x509', '-checkend', String(30 * 86400), '-noout', '-in', t.cert], { allowFail: true }).ok;
  if (!valid) {
    const ext = path.join(t.dir, 'tls.ext');
    const csr = path.join(t.dir, 'tls.csr');
    const san = [...t.hosts.map((h) => `DNS:${h}`), ...t.ips.map((ip) => `IP:${ip}`)].join(',');
    fs.writeFileSync(
      ext,
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature',
        'extendedKeyUsage=serverAuth',
        `subjectAltName=${san}`,
        '',
      ].join('\n'),
    );
    openssl([
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      t.key,
      '-out',
      csr,
      '-subj',
      `/CN=${t.hosts[0]}`,
    ]);
    openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      t.ca,
      '-CAkey',
      t.caKey,
      '-set_serial',
      `0x${Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex')}`,
      '-days',
      '397',
      '-extfile',
      ext,
      '-out',
      t.cert,
    ]);
    fs.rmSync(ext);
    fs.rmSync(csr);
  }
  for (const file of [t.caKey, t.key]) fs.chmodSync(file, 0o600);
}

function kubeconfig(identity, user) {
  const b64 = (name) => fs.readFileSync(path.join(paths.pki, name)).toString('base64');
  const text = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: gittix',
    '    cluster:',
    `      server: https://${network.nodeIP}:${ports.apiserver}`,
    `      certificate-authority-data: ${b64('ca.crt')}`,
    'users:',
    `  - name: ${user}`,
    '    user:',
    `      client-certificate-data: ${b64(`${identity}.crt`)}`,
    `      client-key-data: ${b64(`${identity}.key`)}`,
    'contexts:',
    '  - name: gittix',
    '    context:',
    '      cluster: gittix',
    `      user: ${user}`,
    'current-context: gittix',
    '',
  ].join('\n');
  const file = identity === 'admin' ? paths.adminKubeconfig : path.join(paths.config, `${identity}.kubeconfig`);
  fs.writeFileSync(file, text, { mode: 0o600 });
  return file;
}

// ---------------------------------------------------------------- probes

/** GET over HTTP(S) on this machine; local health endpoints use self-signed serving certificates. */
function probe(url, { identity } = {}) {
  const client = url.startsWith('https:') ? https : http;
  const tls = identity
    ? {
        ca: fs.readFileSync(path.join(paths.pki, 'ca.crt')),
        cert: fs.readFileSync(path.join(paths.pki, `${identity}.crt`)),
        key: fs.readFileSync(path.join(paths.pki, `${identity}.key`)),
      }
    : { rejectUnauthorized: false };
  return new Promise((resolve, reject) => {
    const request = client.get(url, { ...tls, timeout: 5000 }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve(response.statusCode === 200 ? body || 'ok' : false));
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
  });
}

async function nodeReady() {
  const { status, json } = await apiRequest('GET', `/api/v1/nodes/${nodeName}`);
  if (status !== 200) return false;
  return json.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

async function deploymentReady(namespace, name) {
  const { status, json } = await apiRequest('GET', `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`);
  if (status !== 200) return false;
  const want = json.spec.replicas ?? 1;
  return json.status?.readyReplicas >= want && json.status?.updatedReplicas >= want;
}

// ---------------------------------------------------------------- components

function values() {
  return {
    CONTAINERD_ROOT: path.join(paths.containerd, 'root'),
    CONTAINERD_STATE: path.join(paths.containerd, 'state'),
    CONTAINERD_SOCK: paths.containerdSock,
    PAUSE_IMAGE: images.pause,
    RUNC: run('sh', ['-c', 'command -v runc']).stdout.trim(),
    CNI_BIN_DIR: cniBinDir(),
    CNI_CONF_DIR: path.join(paths.cni, 'net.d'),
    CNI_IPAM_DIR: path.join(paths.cni, 'ipam'),
    BRIDGE: network.bridge,
    NODE_POD_CIDR: network.nodePodCIDR,
    POD_RANGE_START: network.podRangeStart,
    POD_RANGE_END: network.podRangeEnd,
    POD_GATEWAY: network.podGateway,
    NODE_IP: network.nodeIP,
    NODE_NAME: nodeName,
    KUBELET_PORT: ports.kubelet,
    KUBELET_HEALTHZ_PORT: ports.kubeletHealthz,
    PKI: paths.pki,
    DNS_SERVICE_IP: network.dnsServiceIP,
    CLUSTER_DOMAIN: network.clusterDomain,
    CLUSTER_CIDR: network.clusterCIDR,
    RESOLV_CONF: path.join(paths.config, 'resolv.conf'),
    POD_LOGS_DIR: path.join(paths.kubelet, 'pod-logs'),
    KUBELET_ROOT: path.join(paths.kubelet, 'root'),
    KUBECONFIG: path.join(paths.config, 'kube-proxy.kubeconfig'),
    PROXY_HEALTHZ_PORT: ports.proxyHealthz,
    PROXY_METRICS_PORT: ports.proxyMetrics,
    INGRESS_PORT: ports.ingress,
    INGRESS_TLS_PORT: ports.ingressTLS,
    ADMIN_PORT: ports.traefikAdmin,
    TRAEFIK_DYNAMIC: path.join(paths.config, 'traefik-dynamic.yaml'),
    LOGS_DIR: paths.logs,
    INGRESS_CA: ingressTLS.ca,
    INGRESS_CERT: ingressTLS.cert,
    INGRESS_KEY: ingressTLS.key,
    COREDNS_IMAGE: fs.readFileSync(path.join(imagesDir, 'coredns.ref'), 'utf8').trim(),
  };
}

function writeConfig(name, text) {
  const file = path.join(paths.config, name);
  fs.writeFileSync(file, text);
  return file;
}

async function startEtcd() {
  const pki = (name) => path.join(paths.pki, name);
  const record = startDetached('etcd', bin('etcd'), [
    '--name=gittix',
    `--data-dir=${paths.etcd}`,
    `--listen-client-urls=https://127.0.0.1:${ports.etcdClient}`,
    `--advertise-client-urls=https://127.0.0.1:${ports.etcdClient}`,
    `--listen-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
    `--initial-cluster=gittix=http://127.0.0.1:${ports.etcdPeer}`,
    '--initial-cluster-state=new',
    `--listen-metrics-urls=http://127.0.0.1:${ports.etcdMetrics}`,
    `--cert-file=${pki('etcd-server.crt')}`,
    `--key-file=${pki('etcd-server.key')}`,
    `--trusted-ca-file=${pki('ca.crt')}`,
    '--client-cert-auth',
    '--log-level=warn',
  ]);
  await waitFor(
    'etcd',
    async () =>
      /"health":"true"/.test(
        await probe(`https://127.0.0.1:${ports.etcdClient}/health`, { identity: 'apiserver-etcd-client' }),
      ),
    { process: record, timeout: 30_000 },
  );
}

async function startApiserver() {
  const pki = (name) => path.join(paths.pki, name);
  const record = startDetached('kube-apiserver', bin('kube-apiserver'), [
    `--bind-address=${network.nodeIP}`,
    `--advertise-address=${network.nodeIP}`,
    `--secure-port=${ports.apiserver}`,
    `--cert-dir=${pki('generated')}`,
    `--tls-cert-file=${pki('apiserver.crt')}`,
    `--tls-private-key-file=${pki('apiserver.key')}`,
    `--client-ca-file=${pki('ca.crt')}`,
    `--etcd-servers=https://127.0.0.1:${ports.etcdClient}`,
    `--etcd-cafile=${pki('ca.crt')}`,
    `--etcd-certfile=${pki('apiserver-etcd-client.crt')}`,
    `--etcd-keyfile=${pki('apiserver-etcd-client.key')}`,
    `--service-cluster-ip-range=${network.serviceCIDR}`,
    `--service-account-issuer=https://kubernetes.default.svc.${network.clusterDomain}`,
    `--service-account-key-file=${pki('sa.pub')}`,
    `--service-account-signing-key-file=${pki('sa.key')}`,
    '--authorization-mode=Node,RBAC',
    // On top of the default set (which already holds PodSecurity): NodeRestriction for the kubelet's identity.
    '--enable-admission-plugins=NodeRestriction,PodSecurity',
    // The aggregation layer (and the controller-manager's and scheduler's delegated
    // authentication, which read this CA from kube-system/extension-apiserver-authentication).
    `--requestheader-client-ca-file=${pki('front-proxy-ca.crt')}`,
    '--requestheader-allowed-names=front-proxy-client',
    '--requestheader-username-headers=X-Remote-User',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    `--proxy-client-cert-file=${pki('front-proxy-client.crt')}`,
    `--proxy-client-key-file=${pki('front-proxy-client.key')}`,
    `--kubelet-client-certificate=${pki('apiserver-kubelet-client.crt')}`,
    `--kubelet-client-key=${pki('apiserver-kubelet-client.key')}`,
    `--kubelet-certificate-authority=${pki('ca.crt')}`,
    '--kubelet-preferred-address-types=InternalIP,Hostname',
    '--anonymous-auth=true', // RBAC lets anonymous see only /healthz, /livez, /readyz, /version
    '--profiling=false',
    '--event-ttl=1h',
    '--v=1',
  ]);
  await waitFor('kube-apiserver', async () => (await apiRequest('GET', '/readyz')).status === 200, {
    process: record,
    timeout: 90_000,
  });
}

async function startControlPlane() {
  const pki = (name) => path.join(paths.pki, name);
  const cmKubeconfig = kubeconfig('controller-manager', 'system:kube-controller-manager');
  const cm = startDetached('kube-controller-manager', bin('kube-controller-manager'), [
    `--kubeconfig=${cmKubeconfig}`,
    `--authentication-kubeconfig=${cmKubeconfig}`,
    `--authorization-kubeconfig=${cmKubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${ports.controllerManager}`,
    `--cert-dir=${pki('generated')}`,
    '--leader-elect=false',
    '--cluster-name=gittix',
    '--allocate-node-cidrs=true',
    `--cluster-cidr=${network.clusterCIDR}`,
    '--node-cidr-mask-size=24',
    `--service-cluster-ip-range=${network.serviceCIDR}`,
    `--root-ca-file=${pki('ca.crt')}`,
    `--service-account-private-key-file=${pki('sa.key')}`,
    '--use-service-account-credentials=true',
    `--cluster-signing-cert-file=${pki('ca.crt')}`,
    `--cluster-signing-key-file=${pki('ca.key')}`,
    '--configure-cloud-routes=false',
    '--profiling=false',
    '--v=1',
  ]);
  const schedKubeconfig = kubeconfig('scheduler', 'system:kube-scheduler');
  const sched = startDetached('kube-scheduler', bin('kube-scheduler'), [
    `--kubeconfig=${schedKubeconfig}`,
    `--authentication-kubeconfig=${schedKubeconfig}`,
    `--authorization-kubeconfig=${schedKubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${ports.scheduler}`,
    `--cert-dir=${pki('generated')}`,
    '--leader-elect=false',
    '--profiling=false',
    '--v=1',
  ]);
  await waitFor('kube-controller-manager', () => probe(`https://127.0.0.1:${ports.controllerManager}/healthz`), {
    process: cm,
    timeout: 60_000,
  });
  await waitFor('kube-scheduler', () => probe(`https://127.0.0.1:${ports.scheduler}/healthz`), {
    process: sched,
    timeout: 60_000,
  });
}

async function startContainerd(v) {
  for (const dir of [v.CONTAINERD_ROOT, v.CONTAINERD_STATE, v.CNI_CONF_DIR, v.CNI_IPAM_DIR])
    fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(v.CNI_CONF_DIR, '10-gittix.conflist'), renderFile('cni.conflist.tmpl', v));
  const config = writeConfig('containerd.toml', renderFile('containerd.toml.tmpl', v));
  const record = startDetached('containerd', '/usr/bin/containerd', ['--config', config]);
  await waitFor('containerd', () => fs.existsSync(paths.containerdSock) && ctr(['version'], { allowFail: true }).ok, {
    process: record,
    timeout: 30_000,
  });
  for (const name of ['pause', 'coredns', 'echo']) {
    const archive = path.join(imagesDir, `${name}.oci.tar`);
    ctr(['images', 'import', archive]);
  }
  const listed = ctr(['images', 'ls', '-q']).stdout;
  for (const ref of [images.pause, v.COREDNS_IMAGE, images.echo])
    if (!listed.split('\n').includes(ref))
      throw new GittixError(`containerd did not import ${ref} (images: ${listed.trim().split('\n').join(', ')})`);
}

async function startNode(v) {
  fs.mkdirSync(v.KUBELET_ROOT, { recursive: true });
  fs.mkdirSync(v.POD_LOGS_DIR, { recursive: true });
  fs.writeFileSync(v.RESOLV_CONF, '# pods of the local cluster get no host name server (see infra/cluster/up.mjs)\n');
  const kubeletConfig = writeConfig('kubelet.yaml', renderFile('kubelet.yaml.tmpl', v));
  const kubelet = startDetached('kubelet', bin('kubelet'), [
    `--config=${kubeletConfig}`,
    `--kubeconfig=${kubeconfig('kubelet-client', `system:node:${nodeName}`)}`,
    `--root-dir=${v.KUBELET_ROOT}`,
    `--hostname-override=${nodeName}`,
    `--node-ip=${network.nodeIP}`,
    '--v=1',
  ]);
  kubeconfig('kube-proxy', 'system:kube-proxy');
  const proxyConfig = writeConfig('kube-proxy.yaml', renderFile('kube-proxy.yaml.tmpl', v));
  const proxy = startDetached('kube-proxy', bin('kube-proxy'), [`--config=${proxyConfig}`, '--v=1']);
  await waitFor('node Ready', nodeReady, { process: kubelet, timeout: 120_000, interval: 500 });
  mark(`node ${nodeName} Ready`);
  await waitFor('kube-proxy', () => probe(`http://127.0.0.1:${ports.proxyHealthz}/healthz`), {
    process: proxy,
    timeout: 60_000,
  });
  // kube-proxy prepends its jumps on its first full sync (and later only re-adds a missing
  // one): once they are all there, put ours first again.
  await waitFor(
    "kube-proxy's iptables rules",
    () =>
      Object.entries({ INPUT: 'KUBE-EXTERNAL-SERVICES', FORWARD: 'KUBE-FORWARD', OUTPUT: 'KUBE-SERVICES' }).every(
        ([chain, jump]) => run('iptables', ['-w', '5', '-S', chain]).stdout.includes(`-j ${jump}`),
      ),
    { process: proxy, timeout: 60_000 },
  );
  installGuards();
}

function applyManifests(v) {
  const dir = path.join(paths.config, 'manifests');
  fs.mkdirSync(dir, { recursive: true });
  const apply = (files) =>
    kubectl([
      'apply',
      '--server-side',
      '--force-conflicts',
      '--field-manager=gittix-up',
      ...files.flatMap((file) => ['-f', file]),
    ]);
  const rendered = ['coredns.yaml', 'ingress.yaml'].map((name) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, renderFile(`${name}.tmpl`, v));
    return file;
  });
  // Gateway API CRDs, standard channel, in the order the release lists them (server-side:
  // the HTTPRoute CRD is too big for client-side apply's last-applied annotation).
  const crds = path.join(toolsDir, 'crds', 'gateway-api');
  const order = fs.readFileSync(path.join(crds, 'ORDER'), 'utf8').split('\n').filter(Boolean);
  apply([
    path.join(here, 'manifests', 'rbac.yaml'),
    path.join(here, 'manifests', 'storage.yaml'),
    ...rendered,
    ...order.map((name) => path.join(crds, name)),
  ]);
  kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/gatewayclasses.gateway.networking.k8s.io']);
  apply([path.join(here, 'manifests', 'gateway.yaml')]);
}

async function startTraefik(v) {
  const traefikKubeconfig = kubeconfig('traefik', 'gittix:traefik');
  writeConfig('traefik-dynamic.yaml', renderFile('traefik-dynamic.yaml.tmpl', v));
  const config = writeConfig('traefik.yaml', renderFile('traefik.yaml.tmpl', v));
  const record = startDetached('traefik', bin('traefik'), [`--configfile=${config}`], {
    env: { KUBECONFIG: traefikKubeconfig },
  });
  await waitFor('Traefik', () => probe(`http://127.0.0.1:${ports.traefikAdmin}/ping`), {
    process: record,
    timeout: 60_000,
  });
}

async function startLocalPath() {
  const record = startDetached('local-path', process.execPath, [path.join(here, 'local-path.mjs')]);
  await waitFor('the local-path provisioner', () => fs.existsSync(path.join(paths.volumes, '.ready')), {
    process: record,
    timeout: 30_000,
  });
}

async function main() {
  preflight();
  const previous = leftovers();
  if (readPids().some(isAlive) || previous.length > 0) {
    say('a previous cluster is (partly) up: tearing it down first…');
    const left = await teardown({ quiet: true });
    if (left.length > 0) throw new GittixError(`could not clean up the previous cluster: ${left.join('; ')}`);
  }
  // A fresh cluster every time; the logs of the last one move to logs.previous/.
  const previousLogs = path.join(stateDir, 'logs.previous');
  fs.rmSync(previousLogs, { recursive: true, force: true });
  if (fs.existsSync(paths.logs)) fs.renameSync(paths.logs, previousLogs);
  for (const entry of fs.existsSync(stateDir) ? fs.readdirSync(stateDir) : [])
    if (entry !== 'logs.previous') fs.rmSync(path.join(stateDir, entry), { recursive: true, force: true });
  for (const dir of [stateDir, paths.logs, paths.config, paths.volumes]) fs.mkdirSync(dir, { recursive: true });

  setUpHostNetwork();
  await checkPorts();
  makePki();
  makeIngressTLS();
  kubeconfig('admin', 'gittix-admin');
  mark('certificates and host network ready');
  const v = values();

  await startEtcd();
  mark('etcd ready');
  await startApiserver();
  mark('kube-apiserver ready');
  await startControlPlane();
  mark('controller-manager and scheduler ready');
  await startContainerd(v);
  mark('containerd ready, images imported');
  await startNode(v);
  applyManifests(v);
  mark('cluster add-ons applied');
  await startLocalPath();
  await startTraefik(v);
  mark('Traefik and the local-path provisioner ready');
  await waitFor('CoreDNS', () => deploymentReady('kube-system', 'coredns'), { timeout: 120_000, interval: 500 });
  mark('CoreDNS Ready');
  fs.writeFileSync(
    path.join(stateDir, 'timings.json'),
    JSON.stringify({ startedAt: started, ...timings }, null, 2) + '\n',
  );
  say(`kubectl: KUBECONFIG=${paths.adminKubeconfig} ${path.join(binDir, 'kubectl')} get pods -A`);
  say(`logs: ${paths.logs}; stop with: node infra/cluster/down.mjs`);
  // GitTix itself is deployed by deploy.mjs (npm run cluster:up runs both), which prints
  // the `GitTix is up at …` line; this one names the cluster's front door.
  say(`the cluster is up: ingress at http://127.0.0.1:${ports.ingress} and https://127.0.0.1:${ports.ingressTLS}`);
}

main().catch((error) => {
  if (error instanceof GittixError) {
    const [first, ...rest] = error.message.split('\n');
    if (rest.length) process.stderr.write(rest.join('\n') + '\n');
    fail(`${first} (logs in ${paths.logs}; clean up with: node infra/cluster/down.mjs)`);
  }
  process.stderr.write(`${error.stack}\n`);
  fail(
    `up.mjs failed unexpectedly: ${error.message} (logs in ${paths.logs}; clean up with: node infra/cluster/down.mjs)`,
  );
});
