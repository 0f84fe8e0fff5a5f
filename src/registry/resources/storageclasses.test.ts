import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { storageclasses } from './storageclasses.js';
import { rejection, T0, testRegistry, type TestRegistry } from './testing.js';

const sc = (name: string, fields: Record<string, unknown>, annotations?: Record<string, string>): KubeObject => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name, annotations }, ...fields });

describe('storageclasses', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([storageclasses]);
  });
  after(() => t.close());

  it('defaults the reclaim policy and binding mode, and prints the default class as kubectl 1.32 does', async () => {
    const created = await t.store(storageclasses).create(t.ctx, '', sc('standard', { provisioner: 'badge.dev/local-path' }, { 'storageclass.kubernetes.io/is-default-class': 'true' }));
    assert.equal((created as { reclaimPolicy?: string }).reclaimPolicy, 'Delete');
    assert.equal((created as { volumeBindingMode?: string }).volumeBindingMode, 'Immediate');
    assert.deepEqual(storageclasses.table!.columns.map((c) => c.name), ['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age']);
    assert.deepEqual(storageclasses.table!.cells(created, T0), ['standard (default)', 'badge.dev/local-path', 'Delete', 'Immediate', false, '0s']);
    const beta = sc('beta', { provisioner: 'p', allowVolumeExpansion: true }, { 'storageclass.beta.kubernetes.io/is-default-class': 'true' });
    assert.deepEqual(storageclasses.table!.cells(beta, T0).slice(0, 5), ['beta (default)', 'p', 'Delete', 'Immediate', true]);
  });

  it('keeps the provisioner, parameters, reclaim policy and binding mode', async () => {
    const store = t.store(storageclasses);
    const created = await store.create(t.ctx, '', sc('fixed', { provisioner: 'example.com/a', parameters: { type: 'ssd' } }));
    const error = await rejection(store.update(t.ctx, '', 'fixed', { ...created, provisioner: 'example.com/b', parameters: {}, reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' } as KubeObject));
    assert.equal(
      error,
      'StorageClass.storage.k8s.io "fixed" is invalid: [parameters: Forbidden: updates to parameters are forbidden., provisioner: Forbidden: updates to provisioner are forbidden., reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden., volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable]',
    );
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['no provisioner', {}, 'provisioner: Required value'],
    ['a bad provisioner', { provisioner: 'a/b/c' }, "provisioner: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"],
    ['an unknown reclaim policy', { provisioner: 'p', reclaimPolicy: 'Recycle' }, 'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"'],
    ['an unknown binding mode', { provisioner: 'p', volumeBindingMode: 'Later' }, 'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"'],
    ['a topology without values', { provisioner: 'p', allowedTopologies: [{ matchLabelExpressions: [{ key: 'zone', values: [] }] }] }, 'allowedTopologies[0].matchLabelExpressions[0].values: Required value: must specify as least one value'],
  ];
  for (const [name, fields, message] of invalid) {
    it(`rejects ${name}`, async () => {
      assert.equal(await rejection(t.store(storageclasses).create(t.ctx, '', sc('bad', fields))), `StorageClass.storage.k8s.io "bad" is invalid: ${message}`);
    });
  }
});
