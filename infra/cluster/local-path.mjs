#!/usr/bin/env node
// The local cluster's storage provisioner (started detached by up.mjs): for every
// pending claim of a StorageClass whose provisioner is gittix.local/local-path it
// makes a folder under state/volumes/ and a hostPath PersistentVolume pre-bound to
// the claim; once a claim is deleted and its volume Released, it removes both.
//
// Why not a pool of pre-made volumes: a pool runs dry after a few namespace
// deletions (Released volumes are never reused) and caps the claims' count; this
// loop is ~100 lines, needs no image, and the binding itself is still done by the
// controller-manager's PersistentVolume controller, as with any external
// provisioner. It polls every 2 s with its own identity (RBAC gittix:local-path).
import fs from 'node:fs';
import path from 'node:path';
import { apiRequest, paths, sleep } from './lib.mjs';

const PROVISIONER = 'gittix.local/local-path';
const log = (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
const api = (method, url, body) => apiRequest(method, url, body, { identity: 'local-path' });

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'])
  process.on(signal, () => {
    stopping = true;
  });

async function ourClasses() {
  const { status, json } = await api('GET', '/apis/storage.k8s.io/v1/storageclasses');
  if (status !== 200) throw new Error(`listing StorageClasses: HTTP ${status}`);
  return new Set(json.items.filter((c) => c.provisioner === PROVISIONER).map((c) => c.metadata.name));
}

async function provision(classes) {
  const { status, json } = await api('GET', '/api/v1/persistentvolumeclaims');
  if (status !== 200) throw new Error(`listing claims: HTTP ${status}`);
  for (const claim of json.items) {
    const { namespace, name, uid, deletionTimestamp } = claim.metadata;
    if (claim.status?.phase !== 'Pending' || claim.spec.volumeName || deletionTimestamp) continue;
    if (!classes.has(claim.spec.storageClassName)) continue;
    if (claim.spec.volumeMode === 'Block') {
      log(`skipping ${namespace}/${name}: block volumes are not supported`);
      continue;
    }
    const volume = `pvc-${uid}`;
    const dir = path.join(paths.volumes, `${namespace}_${name}_${volume}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.chmodSync(dir, 0o777); // any pod uid may write, as with upstream local-path
    const created = await api('POST', '/api/v1/persistentvolumes', {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: volume, annotations: { 'pv.kubernetes.io/provisioned-by': PROVISIONER } },
      spec: {
        capacity: { storage: claim.spec.resources?.requests?.storage ?? '1Gi' },
        accessModes: claim.spec.accessModes ?? ['ReadWriteOnce'],
        volumeMode: 'Filesystem',
        persistentVolumeReclaimPolicy: 'Delete',
        storageClassName: claim.spec.storageClassName,
        hostPath: { path: dir, type: 'DirectoryOrCreate' },
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace, name, uid },
      },
    });
    if (created.status === 201) log(`provisioned ${volume} at ${dir} for ${namespace}/${name}`);
    else if (created.status !== 409)
      log(`could not create ${volume} for ${namespace}/${name}: HTTP ${created.status} ${created.text}`);
  }
}

async function reclaim() {
  const { status, json } = await api('GET', '/api/v1/persistentvolumes');
  if (status !== 200) throw new Error(`listing volumes: HTTP ${status}`);
  for (const volume of json.items) {
    if (volume.metadata.annotations?.['pv.kubernetes.io/provisioned-by'] !== PROVISIONER) continue;
    if (volume.status?.phase !== 'Released' || volume.spec.persistentVolumeReclaimPolicy !== 'Delete') continue;
    const dir = volume.spec.hostPath?.path;
    if (dir && dir.startsWith(paths.volumes + path.sep)) fs.rmSync(dir, { recursive: true, force: true });
    const deleted = await api('DELETE', `/api/v1/persistentvolumes/${volume.metadata.name}`);
    if (deleted.status === 200 || deleted.status === 202) log(`deleted ${volume.metadata.name} and ${dir}`);
  }
}

fs.mkdirSync(paths.volumes, { recursive: true });
log(`watching claims for ${PROVISIONER}, volumes in ${paths.volumes}`);
let lastError = '';
while (!stopping) {
  try {
    const classes = await ourClasses();
    await provision(classes);
    await reclaim();
    if (!fs.existsSync(path.join(paths.volumes, '.ready'))) fs.writeFileSync(path.join(paths.volumes, '.ready'), '');
    lastError = '';
  } catch (error) {
    if (error.message !== lastError) log(`error: ${error.message}`);
    lastError = error.message;
  }
  for (let i = 0; i < 20 && !stopping; i++) await sleep(100);
}
log('stopped');
process.exit(0);
