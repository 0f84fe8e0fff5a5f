import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { accessModesString, canonicalQuantity, persistentvolumeclaims } from './persistentvolumeclaims.js';
import { rejection, T0, testRegistry, type TestRegistry } from './testing.js';

const claim = (name: string, spec: Record<string, unknown>, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) },
  spec,
});
const basic = (extra: Record<string, unknown> = {}) => ({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...extra });

describe('persistentvolumeclaims', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([persistentvolumeclaims]);
  });
  after(() => t.close());

  it('starts Pending with a Filesystem volume mode, and prints its table row', async () => {
    const created = await t.store(persistentvolumeclaims).create(t.ctx, 'default', { ...claim('data', basic({ storageClassName: 'standard', volumeAttributesClassName: 'gold' })), status: { phase: 'Bound' } });
    assert.deepEqual(created.status, { phase: 'Pending' });
    assert.equal((created.spec as { volumeMode: string }).volumeMode, 'Filesystem');
    // VolumeAttributesClass is a disabled beta feature in 1.32: the field is dropped.
    assert.equal((created.spec as { volumeAttributesClassName?: string }).volumeAttributesClassName, undefined);
    assert.deepEqual(persistentvolumeclaims.table!.cells(created, T0), ['data', 'Pending', '', '', '', 'standard', '<unset>', '0s', 'Filesystem']);
    assert.deepEqual(
      persistentvolumeclaims.table!.columns.map((c) => `${c.name}:${c.priority}`),
      ['Name:0', 'Status:0', 'Volume:0', 'Capacity:0', 'Access Modes:0', 'StorageClass:0', 'VolumeAttributesClass:0', 'Age:0', 'VolumeMode:1'],
    );
  });

  it('prints a bound claim from its status', () => {
    const bound = { ...claim('b', basic({ volumeName: 'pv-1', volumeMode: 'Block' }), { 'volume.beta.kubernetes.io/storage-class': 'legacy' }), status: { phase: 'Bound', capacity: { storage: '2048Mi' }, accessModes: ['ReadWriteOnce', 'ReadOnlyMany'] } };
    assert.deepEqual(persistentvolumeclaims.table!.cells(bound, T0).slice(1, 7), ['Bound', 'pv-1', '2Gi', 'RWO,ROX', 'legacy', '<unset>']);
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['no access modes', { resources: { requests: { storage: '1Gi' } } }, 'spec.accessModes: Required value: at least 1 access mode is required'],
    ['no storage request', { accessModes: ['ReadWriteOnce'] }, 'spec.resources[storage]: Required value'],
    ['a zero request', basic({ resources: { requests: { storage: '0Gi' } } }), 'spec.resources[storage]: Invalid value: "0": must be greater than zero'],
    [
      'an unknown access mode',
      basic({ accessModes: ['ReadWriteAll'] }),
      'spec.accessModes: Unsupported value: "ReadWriteAll": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
    ],
    ['ReadWriteOncePod with another mode', basic({ accessModes: ['ReadWriteOncePod', 'ReadOnlyMany'] }), 'spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes'],
    ['an unknown volume mode', basic({ volumeMode: 'Raw' }), 'spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem"'],
    [
      'a data source of the core group that is not a claim',
      basic({ dataSourceRef: { kind: 'Secret', name: 's' } }),
      `[spec.dataSource: Invalid value: "Secret": must be 'PersistentVolumeClaim' when referencing the default apiGroup, spec.dataSourceRef: Invalid value: "Secret": must be 'PersistentVolumeClaim' when referencing the default apiGroup]`,
    ],
  ];
  for (const [name, spec, message] of invalid) {
    it(`rejects ${name}`, async () => {
      assert.equal(await rejection(t.store(persistentvolumeclaims).create(t.ctx, 'default', claim('bad', spec))), `PersistentVolumeClaim "bad" is invalid: ${message}`);
    });
  }

  it('keeps dataSource and dataSourceRef in step', async () => {
    const created = await t.store(persistentvolumeclaims).create(t.ctx, 'default', claim('clone', basic({ dataSource: { kind: 'PersistentVolumeClaim', name: 'data' } })));
    assert.deepEqual((created.spec as { dataSourceRef: unknown }).dataSourceRef, { kind: 'PersistentVolumeClaim', name: 'data' });
  });

  it('fixes the spec of a pending claim, lets a bound claim grow', async () => {
    const store = t.store(persistentvolumeclaims);
    const setSpec = (name: string, change: Record<string, unknown>) =>
      store.guaranteedUpdate(t.ctx, 'default', name, (cur) => ({ ...cur, spec: { ...(cur.spec as object), ...change } }));
    const refused = await rejection(setSpec('data', { resources: { requests: { storage: '2Gi' } } }));
    assert.ok(
      refused.startsWith('PersistentVolumeClaim "data" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n'),
      refused,
    );
    assert.match(refused, /- \tResources: \{"requests":\{"storage":"1Gi"\}\},\n\+ \tResources: \{"requests":\{"storage":"2Gi"\}\},/);
    const named = await setSpec('data', { volumeName: 'pv-9' });
    assert.equal((named.spec as { volumeName: string }).volumeName, 'pv-9');
    await store.update(t.ctx, 'default', 'data', { ...named, status: { phase: 'Bound', capacity: { storage: '1Gi' } } }, { subresource: 'status' });
    const grown = await setSpec('data', { resources: { requests: { storage: '3Gi' } } });
    assert.deepEqual((grown.spec as { resources: unknown }).resources, { requests: { storage: '3Gi' } });
    assert.equal(
      await rejection(setSpec('data', { resources: { requests: { storage: '1Gi' } } })),
      'PersistentVolumeClaim "data" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than status.capacity',
    );
    assert.equal(
      await rejection(setSpec('data', { volumeMode: 'Block' })),
      'PersistentVolumeClaim "data" is invalid: [spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n  core.PersistentVolumeClaimSpec{\n  \t... // 5 identical fields\n- \tVolumeMode: "Filesystem",\n+ \tVolumeMode: "Block",\n  \t... // 3 identical fields\n  }\n, volumeMode: Invalid value: "Block": field is immutable]',
    );
  });

  it('checks writes through /status with the status rules', async () => {
    const store = t.store(persistentvolumeclaims);
    const cur = await store.get(t.ctx, 'default', 'clone');
    const { object } = await store.update(t.ctx, 'default', 'clone', { ...cur, status: { phase: 'Bound', capacity: { storage: '1024Mi' }, accessModes: ['ReadWriteOnce'] } }, { subresource: 'status' });
    assert.deepEqual(object.status, { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] });
    assert.equal(
      await rejection(store.update(t.ctx, 'default', 'clone', { ...object, status: { phase: 'Bound', capacity: { storage: '-1Gi' } } }, { subresource: 'status' })),
      'PersistentVolumeClaim "clone" is invalid: status.capacity[storage]: Invalid value: -1073741824: must be a valid resource quantity',
    );
  });

  it('writes quantities in canonical form', () => {
    const cases: [string, string][] = [
      ['1Gi', '1Gi'],
      ['1024Mi', '1Gi'],
      ['1536Mi', '1536Mi'],
      ['1.5Gi', '1536Mi'],
      ['100', '100'],
      ['1000', '1k'],
      ['1500', '1500'],
      ['0.5', '500m'],
      ['1e3', '1e3'],
      ['1000Ki', '1000Ki'],
      ['512', '512'],
      ['100m', '100m'],
      ['0Gi', '0'],
      ['12e6', '12e6'],
    ];
    for (const [input, want] of cases) assert.equal(canonicalQuantity(input), want, input);
    assert.equal(accessModesString(['ReadWriteOncePod', 'ReadWriteMany', 'ReadWriteMany']), 'RWX,RWOP');
  });
});
