import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PersistentVolume, PersistentVolumeClaim } from '../api/kinds.js';
import { R } from '../client/client.js';
import { defaultStorageClass } from '../admission/default-storage-class.js';
import { storageObjectInUseProtection } from '../admission/storage-object-in-use-protection.js';
import { localVolumes } from '../node/local-volumes.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { DEFAULT_CLASS, LOCAL_PROVISIONER, persistentVolumeController } from './persistent-volume.js';
import { volumeProtectionController } from './volume-protection.js';

const claim = (name: string, spec: Partial<NonNullable<PersistentVolumeClaim['spec']>> = {}): PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
});
const volume = (name: string, spec: Partial<NonNullable<PersistentVolume['spec']>> = {}, labels?: Record<string, string>): PersistentVolume => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name, labels },
  spec: { capacity: { storage: '2Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: `/tmp/${name}` }, storageClassName: 'manual', ...spec },
});

describe('the PersistentVolume controller and the local provisioner', () => {
  let t: TestCluster;
  const stops: (() => void)[] = [];
  const phaseOf = async (name: string) => (await t.client.get(R.persistentvolumeclaims, 'default', name)).status?.phase;
  const gone = async (ref: typeof R.persistentvolumes, name: string) => t.client.get(ref, '', name).then(() => false, () => true);

  before(async () => {
    t = await testCluster();
    t.admission.use(defaultStorageClass(t.client), storageObjectInUseProtection());
    const local = localVolumes(mkdtempSync(join(tmpdir(), 'badge-pv-')));
    for (const c of [persistentVolumeController({ client: t.client, informers: t.informers, recorder: t.recorder, nodeName: 'node-a', local }), volumeProtectionController({ client: t.client, informers: t.informers })]) {
      await c.start();
      stops.push(() => c.stop());
    }
  });
  after(async () => {
    stops.forEach((s) => s());
    await t.close();
  });

  it('makes the default StorageClass', async () => {
    const sc = await t.client.get(R.storageclasses, '', DEFAULT_CLASS);
    assert.equal(sc.provisioner, LOCAL_PROVISIONER);
    assert.equal(sc.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'], 'true');
  });

  it('binds a claim to the smallest Available volume that fits it, both ways', async () => {
    await t.client.create(R.persistentvolumes, '', volume('big', { capacity: { storage: '10Gi' } }));
    await t.client.create(R.persistentvolumes, '', volume('small'));
    await t.client.create(R.persistentvolumes, '', volume('other-class', { storageClassName: 'slow', capacity: { storage: '1Gi' } }));
    await t.until('Available volumes', async () => (await t.client.get(R.persistentvolumes, '', 'small')).status?.phase === 'Available');
    await t.client.create(R.persistentvolumeclaims, 'default', claim('pick', { storageClassName: 'manual' }));
    await t.until('the claim bound', async () => (await phaseOf('pick')) === 'Bound');
    const c = await t.client.get(R.persistentvolumeclaims, 'default', 'pick');
    assert.equal(c.spec?.volumeName, 'small');
    assert.deepEqual(c.status, { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '2Gi' } });
    assert.equal(c.metadata.annotations?.['pv.kubernetes.io/bind-completed'], 'yes');
    const pv = await t.until('the volume bound', async () => {
      const v = await t.client.get(R.persistentvolumes, '', 'small');
      return v.status?.phase === 'Bound' ? v : undefined;
    });
    assert.deepEqual([pv.spec?.claimRef?.namespace, pv.spec?.claimRef?.name, pv.spec?.claimRef?.uid], ['default', 'pick', c.metadata.uid]);
    assert.equal(pv.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
    // Retain: the claim gone, the volume is Released and kept.
    await t.client.delete(R.persistentvolumeclaims, 'default', 'pick');
    await t.until('the volume Released', async () => (await t.client.get(R.persistentvolumes, '', 'small')).status?.phase === 'Released');
  });

  it('provisions a directory volume for a claim of the default class, and deletes both with the claim', async () => {
    const created = await t.client.create(R.persistentvolumeclaims, 'default', claim('dynamic'));
    assert.equal(created.spec?.storageClassName, DEFAULT_CLASS);
    assert.deepEqual(created.metadata.finalizers, ['kubernetes.io/pvc-protection']);
    await t.until('the claim bound', async () => (await phaseOf('dynamic')) === 'Bound');
    const name = `pvc-${created.metadata.uid}`;
    const pv = await t.client.get(R.persistentvolumes, '', name);
    assert.equal(pv.spec?.persistentVolumeReclaimPolicy, 'Delete');
    assert.deepEqual(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms, [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-a'] }] }]);
    assert.deepEqual(pv.metadata.finalizers, ['kubernetes.io/pv-protection']);
    const path = pv.spec!.local!.path;
    assert.ok(existsSync(path));
    const events = await t.eventsFor('PersistentVolumeClaim', 'dynamic');
    assert.ok(events.some((e) => e.reason === 'ProvisioningSucceeded' && e.message === `Successfully provisioned volume ${name}`));
    await t.client.delete(R.persistentvolumeclaims, 'default', 'dynamic');
    await t.until('the volume and its directory gone', async () => !existsSync(path) && (await gone(R.persistentvolumes, name)));
  });

  it('keeps a claim a running pod uses until the pod is gone', async () => {
    await t.client.create(R.persistentvolumeclaims, 'default', claim('used'));
    await t.client.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'user' }, spec: { containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'used' } }] } });
    await t.client.delete(R.persistentvolumeclaims, 'default', 'used');
    await new Promise((r) => setTimeout(r, 200));
    assert.ok((await t.client.get(R.persistentvolumeclaims, 'default', 'used')).metadata.deletionTimestamp);
    await t.client.delete(R.pods, 'default', 'user', { gracePeriodSeconds: 0 });
    await t.until('the claim gone', async () => t.client.get(R.persistentvolumeclaims, 'default', 'used').then(() => false, () => true));
  });
});
