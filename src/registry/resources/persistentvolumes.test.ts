import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { persistentvolumes } from './persistentvolumes.js';
import { rejection, T0, testRegistry, type TestRegistry } from './testing.js';

const pv = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name }, spec });
const BASE = { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] };
const AFFINITY = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n'] }] }] } };

describe('persistentvolumes', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([persistentvolumes]);
  });
  after(() => t.close());

  it('defaults the reclaim policy, volume mode and hostPath type, starts Pending, and prints as kubectl 1.32 does', async () => {
    const created = await t.store(persistentvolumes).create(t.ctx, '', pv('disk', { ...BASE, capacity: { storage: '2048Mi' }, hostPath: { path: '/mnt/disk' }, claimRef: { namespace: 'ns', name: 'c' } }));
    assert.deepEqual(created.spec, { capacity: { storage: '2Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/mnt/disk', type: '' }, claimRef: { namespace: 'ns', name: 'c' }, persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' });
    assert.deepEqual(created.status, { phase: 'Pending', lastPhaseTransitionTime: '2024-05-01T10:00:00Z' });
    assert.deepEqual(persistentvolumes.table!.columns.map((c) => c.name), ['Name', 'Capacity', 'Access Modes', 'Reclaim Policy', 'Status', 'Claim', 'StorageClass', 'VolumeAttributesClass', 'Reason', 'Age', 'VolumeMode']);
    assert.deepEqual(persistentvolumes.table!.cells(created, T0), ['disk', '2Gi', 'RWO', 'Retain', 'Pending', 'ns/c', '', '<unset>', '', '0s', 'Filesystem']);
    assert.equal(persistentvolumes.fields!.name!(created), 'disk');
  });

  it('stamps a new phase with lastPhaseTransitionTime, and keeps the source immutable', async () => {
    const store = t.store(persistentvolumes);
    const created = await store.create(t.ctx, '', pv('phases', { ...BASE, nfs: { server: 's', path: '/e' } }));
    t.clock.advance(5000);
    const available = (await store.update(t.ctx, '', 'phases', { ...created, status: { phase: 'Available' } }, { subresource: 'status' })).object;
    assert.deepEqual(available.status, { phase: 'Available', lastPhaseTransitionTime: '2024-05-01T10:00:05Z' });
    const labelled = (await store.update(t.ctx, '', 'phases', { ...available, metadata: { ...available.metadata, labels: { a: 'b' } } })).object;
    assert.equal((labelled.status as { lastPhaseTransitionTime: string }).lastPhaseTransitionTime, '2024-05-01T10:00:05Z');
    const error = await rejection(store.update(t.ctx, '', 'phases', { ...labelled, spec: { ...(labelled.spec as object), nfs: { server: 'other', path: '/e' } } }));
    assert.match(error, /^PersistentVolume "phases" is invalid: spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation\n/);
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['no source', BASE, 'spec: Required value: must specify a volume type'],
    ['no capacity nor access modes', { hostPath: { path: '/x' } }, '[spec.accessModes: Required value, spec.capacity: Required value, spec.capacity: Unsupported value: core.ResourceList(nil): supported values: "storage"]'],
    ['a capacity of zero', { ...BASE, capacity: { storage: '0' }, hostPath: { path: '/x' } }, 'spec.capacity[storage]: Invalid value: "0": must be greater than zero'],
    ['two sources', { ...BASE, hostPath: { path: '/x' }, nfs: { server: 's', path: '/e' } }, 'spec.nfs: Forbidden: may not specify more than 1 volume type'],
    ['a local volume without node affinity', { ...BASE, local: { path: '/mnt/disk' } }, 'spec.nodeAffinity: Required value: Local volume requires node affinity'],
    ['a local path with ..', { ...BASE, local: { path: '/mnt/../etc' }, nodeAffinity: AFFINITY }, "spec.local.path: Invalid value: \"/mnt/../etc\": must not contain '..'"],
    ['node affinity without required', { ...BASE, local: { path: '/mnt' }, nodeAffinity: {} }, 'spec.nodeAffinity.required: Required value: must specify required node constraints'],
    ['an unknown reclaim policy', { ...BASE, hostPath: { path: '/x' }, persistentVolumeReclaimPolicy: 'Keep' }, 'spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain"'],
    ['an unknown volume mode', { ...BASE, hostPath: { path: '/x' }, volumeMode: 'Raw' }, 'spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem"'],
    ['a csi volume without handle', { ...BASE, csi: { driver: 'csi.example.com' } }, 'spec.csi.volumeHandle: Required value'],
    ['a bad class name', { ...BASE, hostPath: { path: '/x' }, storageClassName: 'Fast' }, "spec.storageClassName: Invalid value: \"Fast\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
    ['recycling /', { ...BASE, hostPath: { path: '/' }, persistentVolumeReclaimPolicy: 'Recycle' }, "spec.persistentVolumeReclaimPolicy: Forbidden: may not be 'recycle' for a hostPath mount of '/'"],
  ];
  for (const [name, spec, message] of invalid) {
    it(`rejects ${name}`, async () => {
      assert.equal(await rejection(t.store(persistentvolumes).create(t.ctx, '', pv('bad', spec))), `PersistentVolume "bad" is invalid: ${message}`);
    });
  }
});
