import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { cellsOf } from '../../server/table.js';
import { controllerrevisions } from './controllerrevisions.js';
import { rejection, testRegistry, type TestRegistry } from './testing.js';

const revision = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ControllerRevision',
  metadata: { name, namespace: 'default' },
  data: { spec: { template: { $patch: 'replace' } } },
  revision: 1,
  ...extra,
});

describe('controllerrevisions', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([controllerrevisions]);
  });
  after(() => t.close());

  it('requires data and a revision not below zero', async () => {
    const store = t.store(controllerrevisions);
    const noData = revision('no-data', { revision: -1 });
    delete noData.data;
    assert.equal(
      await rejection(store.create(t.ctx, 'default', noData)),
      'ControllerRevision.apps "no-data" is invalid: [data: Required value: data is mandatory, revision: Invalid value: -1: must be greater than or equal to 0]',
    );
  });

  it('keeps data immutable on update', async () => {
    const store = t.store(controllerrevisions);
    const created = await store.create(t.ctx, 'default', revision('frozen'));
    const relabelled = await store.update(t.ctx, 'default', 'frozen', { ...created, metadata: { ...created.metadata, labels: { a: 'b' } } });
    assert.deepEqual(relabelled.object.metadata.labels, { a: 'b' });
    assert.equal(
      await rejection(store.update(t.ctx, 'default', 'frozen', { ...relabelled.object, data: { a: 1 } })),
      'ControllerRevision.apps "frozen" is invalid: data: Invalid value: runtime.Unknown{TypeMeta:runtime.TypeMeta{APIVersion:"", Kind:""}, Raw:[]uint8{0x7b, 0x22, 0x61, 0x22, 0x3a, 0x31, 0x7d}, ContentEncoding:"", ContentType:"application/json"}: field is immutable',
    );
  });

  it('prints NAME, CONTROLLER, REVISION, AGE', () => {
    const o = revision('agent-5d9c8b7f4', { revision: 3 });
    o.metadata.creationTimestamp = '2024-05-01T10:00:00Z';
    const now = new Date('2024-05-01T10:00:30Z');
    assert.deepEqual(cellsOf(controllerrevisions, o, now), ['agent-5d9c8b7f4', '<none>', 3, '30s']);
    o.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'u', controller: true }];
    assert.equal(cellsOf(controllerrevisions, o, now)[1], 'daemonset.apps/agent');
    assert.deepEqual(controllerrevisions.table!.columns.map((c) => c.name), ['Name', 'Controller', 'Revision', 'Age']);
  });
});
