// PersistentVolumes and StorageClasses with the real kubectl: Badge's default StorageClass
// `standard` (`kubectl get storageclass` marks it), a claim bound through it by the local
// provisioner, a PersistentVolume and a StorageClass applied from YAML with their tables and
// `kubectl describe`, invalid objects refused with upstream's causes; and with the process runtime,
// a pod that writes into its claim, a second pod that reads it back, and the volume's directory
// removed with the claim (reclaim policy Delete).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../src/testing/eventually.js';
import { processRuntimeUnavailable, startBadge, type Badge } from './harness.js';

const row = (...cells: string[]) => new RegExp(`^${cells.join('\\s+')}\\s*$`, 'm');

const MANIFESTS = `apiVersion: v1
kind: PersistentVolume
metadata:
  name: manual
  labels:
    tier: slow
spec:
  capacity:
    storage: 2Gi
  accessModes: [ReadWriteOnce, ReadOnlyMany]
  storageClassName: manual
  hostPath:
    path: /tmp/badge-e2e-manual
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
provisioner: example.com/fast
reclaimPolicy: Retain
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
parameters:
  type: ssd
`;

describe('e2e: PersistentVolumes and StorageClasses with the real kubectl', () => {
  let b: Badge;
  let ok: (args: string[], stdin?: string) => Promise<string>;

  before(async () => {
    b = await startBadge();
    ok = (args, stdin) => b.ok(args, stdin);
  });
  after(() => b.close());

  it('has the default StorageClass standard, and prints classes as kubectl 1.32 does', async () => {
    await ok(['apply', '-f', '-'], MANIFESTS);
    const classes = await ok(['get', 'storageclass']);
    assert.match(classes, /^NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE$/m);
    assert.match(classes, row('fast', 'example.com/fast', 'Retain', 'WaitForFirstConsumer', 'true', '\\d+s'));
    assert.match(classes, row('standard \\(default\\)', 'badge.dev/local-path', 'Delete', 'Immediate', 'false', '\\d+s'));
    const described = await ok(['describe', 'storageclass', 'fast']);
    assert.match(described, /^Provisioner:\s+example.com\/fast$/m);
    assert.match(described, /^Parameters:\s+type=ssd$/m);
    assert.match(described, /^VolumeBindingMode:\s+WaitForFirstConsumer$/m);
  });

  it('prints a PersistentVolume Available, describes it, and binds a claim to it', async () => {
    await eventually(async () => (await ok(['get', 'pv', 'manual', '-o', 'jsonpath={.status.phase}'])) === 'Available', 'the volume Available');
    const table = await ok(['get', 'pv', 'manual', '-o', 'wide']);
    assert.match(table, /^NAME\s+CAPACITY\s+ACCESS MODES\s+RECLAIM POLICY\s+STATUS\s+CLAIM\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+REASON\s+AGE\s+VOLUMEMODE$/m);
    assert.match(table, row('manual', '2Gi', 'RWO,ROX', 'Retain', 'Available', 'manual', '<unset>', '\\d+s', 'Filesystem'));
    const described = await ok(['describe', 'pv', 'manual']);
    assert.match(described, /^Finalizers:\s+\[kubernetes.io\/pv-protection\]$/m);
    assert.match(described, /^Status:\s+Available$/m);
    assert.match(described, /^\s+Type:\s+HostPath \(bare host directory volume\)$/m);
    await ok(['apply', '-f', '-'], `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: by-hand
spec:
  storageClassName: manual
  accessModes: [ReadWriteOnce]
  selector:
    matchLabels:
      tier: slow
  resources:
    requests:
      storage: 1Gi
`);
    await eventually(async () => (await ok(['get', 'pvc', 'by-hand', '-o', 'jsonpath={.status.phase}'])) === 'Bound', 'the claim Bound');
    assert.match(await ok(['get', 'pvc', 'by-hand']), row('by-hand', 'Bound', 'manual', '2Gi', 'RWO,ROX', 'manual', '<unset>', '\\d+s'));
    assert.match(await ok(['get', 'pv', 'manual']), row('manual', '2Gi', 'RWO,ROX', 'Retain', 'Bound', 'default/by-hand', 'manual', '<unset>', '\\d+s'));
    const claim = JSON.parse(await ok(['get', 'pvc', 'by-hand', '-o', 'json']));
    assert.equal(claim.metadata.annotations['pv.kubernetes.io/bind-completed'], 'yes');
    assert.equal(claim.metadata.annotations['pv.kubernetes.io/bound-by-controller'], 'yes');
    assert.deepEqual(claim.metadata.finalizers, ['kubernetes.io/pvc-protection']);
    // Retain: the volume outlives its claim, Released.
    await ok(['delete', 'pvc', 'by-hand']);
    await eventually(async () => (await ok(['get', 'pv', 'manual', '-o', 'jsonpath={.status.phase}'])) === 'Released', 'the volume Released');
  });

  it('binds a claim without a class through the default class, provisioning a volume', async () => {
    await ok(['apply', '-f', '-'], `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
`);
    await eventually(async () => (await ok(['get', 'pvc', 'data', '-o', 'jsonpath={.status.phase}'])) === 'Bound', 'the claim Bound');
    const claim = JSON.parse(await ok(['get', 'pvc', 'data', '-o', 'json']));
    const pv = `pvc-${claim.metadata.uid}`;
    assert.equal(claim.spec.storageClassName, 'standard');
    assert.equal(claim.spec.volumeName, pv);
    assert.equal(claim.metadata.annotations['volume.kubernetes.io/storage-provisioner'], 'badge.dev/local-path');
    assert.match(await ok(['get', 'pvc', 'data']), row('data', 'Bound', pv, '1Gi', 'RWO', 'standard', '<unset>', '\\d+s'));
    assert.match(await ok(['get', 'pv', pv]), row(pv, '1Gi', 'RWO', 'Delete', 'Bound', 'default/data', 'standard', '<unset>', '\\d+s'));
    const volume = JSON.parse(await ok(['get', 'pv', pv, '-o', 'json']));
    assert.equal(volume.spec.local.path, `${b.dataDir}/volumes/${pv}`);
    assert.ok(existsSync(volume.spec.local.path));
    const events = await ok(['get', 'events', '--field-selector', 'involvedObject.name=data', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);
    assert.match(events, new RegExp(`^ProvisioningSucceeded: Successfully provisioned volume ${pv}$`, 'm'));
    await ok(['delete', 'pvc', 'data']);
    await eventually(async () => !existsSync(volume.spec.local.path) && (await b.kubectl(['get', 'pv', pv])).code === 1, 'the volume and its directory gone');
  });

  it('refuses invalid volumes and classes with upstream causes', async () => {
    const refused = async (manifest: string) => (await b.fails(['apply', '-f', '-'], manifest)).trim();
    assert.equal(
      await refused('apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: bad\nspec:\n  accessModes: [ReadWriteSometimes]\n  local:\n    path: /mnt/disk\n'),
      'The PersistentVolume "bad" is invalid: \n' +
        '* spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"\n' +
        '* spec.capacity: Required value\n' +
        '* spec.capacity: Unsupported value: core.ResourceList(nil): supported values: "storage"\n' +
        '* spec.nodeAffinity: Required value: Local volume requires node affinity',
    );
    assert.equal(
      await refused('apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: bad\nprovisioner: example.com/x\nreclaimPolicy: Recycle\nvolumeBindingMode: Later\n'),
      'The StorageClass "bad" is invalid: \n' +
        '* reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"\n' +
        '* volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
    );
    const r = await b.kubectl(['patch', 'storageclass', 'fast', '-p', '{"provisioner":"example.com/other"}']);
    assert.equal(r.stderr.trim(), 'The StorageClass "fast" is invalid: provisioner: Forbidden: updates to provisioner are forbidden.');
  });

  it('keeps a pod without a bound claim from being scheduled', async () => {
    await ok(['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata:
  name: orphan
spec:
  containers:
  - name: c
    image: busybox
  volumes:
  - name: v
    persistentVolumeClaim:
      claimName: nowhere
`);
    await eventually(async () => /persistentvolumeclaim "nowhere" not found/.test(await ok(['get', 'events', '--field-selector', 'involvedObject.name=orphan'])), 'a FailedScheduling event');
    const events = await ok(['get', 'events', '--field-selector', 'involvedObject.name=orphan', '-o', 'jsonpath={.items[*].message}']);
    assert.match(events, /0\/1 nodes are available: persistentvolumeclaim "nowhere" not found\. preemption: 0\/1 nodes are available: 1 Preemption is not helpful for scheduling\./);
  });
});

const unavailable = processRuntimeUnavailable();

describe('process runtime: data in a claim outlives its pods', { skip: unavailable, timeout: 180_000 }, () => {
  let b: Badge;
  let ok: (args: string[], stdin?: string) => Promise<string>;
  const pod = (name: string, command: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  restartPolicy: Never
  securityContext:
    runAsUser: 1000
  containers:
  - name: c
    image: busybox
    command: ["sh", "-c", ${JSON.stringify(command)}]
    volumeMounts:
    - name: data
      mountPath: /data
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: notes
`;

  before(async () => {
    b = await startBadge({ runtime: 'process' });
    ok = (args, stdin) => b.ok(args, stdin);
  });
  after(async () => {
    await b?.close();
  });

  it('a pod writes into its claim, a second pod reads it back, and the claim takes its directory with it', async () => {
    await ok(['apply', '-f', '-'], `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: notes
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 100Mi
`);
    await ok(['apply', '-f', '-'], pod('writer', 'echo kept > /data/note && ls -ld /data'));
    await eventually(async () => (await ok(['get', 'pod', 'writer', '-o', 'jsonpath={.status.phase}'])) === 'Succeeded', 'the writer done', 60_000);
    await ok(['apply', '-f', '-'], pod('reader', 'cat /data/note'));
    await eventually(async () => (await ok(['get', 'pod', 'reader', '-o', 'jsonpath={.status.phase}'])) === 'Succeeded', 'the reader done', 60_000);
    assert.equal(await ok(['logs', 'reader']), 'kept\n');
    const volumeName = await ok(['get', 'pvc', 'notes', '-o', 'jsonpath={.spec.volumeName}']);
    const path = `${b.dataDir}/volumes/${volumeName}`;
    assert.ok(existsSync(`${path}/note`));
    // The claim stays while a pod uses it (finished pods do not count), then goes with its volume.
    await ok(['delete', 'pod', 'writer', 'reader']);
    await ok(['delete', 'pvc', 'notes']);
    await eventually(async () => !existsSync(path) && (await b.kubectl(['get', 'pv', volumeName])).code === 1, 'the volume and its directory gone', 30_000);
  });
});
