import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { cellsOf } from '../../server/table.js';
import { statefulsets } from './statefulsets.js';
import { clone, messageOf, rejection, testRegistry, type TestRegistry } from './testing.js';

type Obj = Record<string, any>;

function web(name = 'web'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default' },
    spec: {
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  };
}

const spec = (o: KubeObject) => o.spec as Obj;
const validate = (o: KubeObject) => messageOf(statefulsets.validate!(o, undefined as never));

describe('statefulsets', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([statefulsets]);
  });
  after(() => t.close());

  it('defaults a StatefulSet as apps/v1 does in 1.32', () => {
    const o = web();
    statefulsets.defaults!(o);
    const s = spec(o);
    assert.equal(s.replicas, 1);
    assert.equal(s.podManagementPolicy, 'OrderedReady');
    assert.deepEqual(s.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    assert.deepEqual(s.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
    assert.equal(s.revisionHistoryLimit, 10);
    assert.equal(s.template.spec.restartPolicy, 'Always');
    assert.equal(s.volumeClaimTemplates[0].spec.volumeMode, 'Filesystem');
    assert.deepEqual(s.volumeClaimTemplates[0].status, { phase: 'Pending' });
    const onDelete = web();
    spec(onDelete).updateStrategy = { type: 'OnDelete' };
    statefulsets.defaults!(onDelete);
    assert.deepEqual(spec(onDelete).updateStrategy, { type: 'OnDelete' });
  });

  it('creates with generation 1 and the status Go writes', async () => {
    const created = await t.store(statefulsets).create(t.ctx, 'default', web('created'));
    assert.equal(created.metadata.generation, 1);
    assert.deepEqual(created.status, { replicas: 0, availableReplicas: 0 });
  });

  it('takes only a DNS label as name', async () => {
    assert.equal(
      await rejection(t.store(statefulsets).create(t.ctx, 'default', web('web.v1'))),
      'StatefulSet.apps "web.v1" is invalid: metadata.name: Invalid value: "web.v1": must not contain dots',
    );
  });

  const invalidCases: { name: string; change: (o: KubeObject) => void; message: string }[] = [
    {
      name: 'no selector',
      change: (o) => delete spec(o).selector,
      // A nil selector selects nothing, so the template's labels do not match it either.
      message: '[spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`]',
    },
    {
      name: 'a selector not matching the template',
      change: (o) => (spec(o).selector = { matchLabels: { app: 'other' } }),
      message: 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    },
    {
      name: 'an empty selector',
      change: (o) => (spec(o).selector = {}),
      message: 'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset',
    },
    {
      name: 'restartPolicy OnFailure',
      change: (o) => (spec(o).template.spec.restartPolicy = 'OnFailure'),
      message: 'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
    },
    {
      name: 'activeDeadlineSeconds',
      change: (o) => (spec(o).template.spec.activeDeadlineSeconds = 5),
      message: 'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported',
    },
    {
      name: 'an unknown podManagementPolicy',
      change: (o) => (spec(o).podManagementPolicy = 'Random'),
      message: "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'",
    },
    {
      name: 'an unknown strategy',
      change: (o) => (spec(o).updateStrategy = { type: 'Recreate' }),
      message: "spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:\"Recreate\", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'",
    },
    {
      name: 'rollingUpdate with OnDelete',
      change: (o) => (spec(o).updateStrategy = { type: 'OnDelete', rollingUpdate: { partition: 1 } }),
      message: "spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:1, MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'",
    },
    {
      name: 'maxUnavailable 0 and a negative partition',
      change: (o) => (spec(o).updateStrategy = { rollingUpdate: { partition: -1, maxUnavailable: 0 } }),
      message: '[spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0, spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: cannot be 0]',
    },
    {
      name: 'an unknown retention policy',
      change: (o) => (spec(o).persistentVolumeClaimRetentionPolicy = { whenScaled: 'Keep' }),
      message: 'spec.persistentVolumeClaimRetentionPolicy.whenScaled: Unsupported value: "Keep": supported values: "Delete", "Retain"',
    },
    {
      name: 'negative numbers',
      change: (o) => Object.assign(spec(o), { replicas: -1, minReadySeconds: -2, ordinals: { start: -3 } }),
      message: '[spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.ordinals.start: Invalid value: -3: must be greater than or equal to 0, spec.minReadySeconds: Invalid value: -2: must be greater than or equal to 0]',
    },
  ];
  for (const c of invalidCases) {
    it(`rejects ${c.name}`, () => {
      const o = web();
      c.change(o);
      statefulsets.defaults!(o);
      assert.equal(validate(o), c.message);
    });
  }

  it('lets replicas, template and the strategy change, and refuses other spec fields with upstream message', async () => {
    const store = t.store(statefulsets);
    const created = await store.create(t.ctx, 'default', web('update'));
    const ok = clone(created);
    Object.assign(spec(ok), { replicas: 3, minReadySeconds: 5, revisionHistoryLimit: 2, updateStrategy: { type: 'OnDelete' } });
    spec(ok).template.spec.containers[0].image = 'nginx:1.28';
    const updated = await store.update(t.ctx, 'default', 'update', ok);
    assert.equal(updated.object.metadata.generation, 2);
    const bad = clone(updated.object);
    spec(bad).serviceName = 'other';
    assert.equal(
      await rejection(store.update(t.ctx, 'default', 'update', bad)),
      "StatefulSet.apps \"update\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    );
    const status = { ...updated.object, status: { replicas: 1, readyReplicas: 2 } };
    assert.equal(
      await rejection(store.update(t.ctx, 'default', 'update', status, { subresource: 'status' })),
      'StatefulSet.apps "update" is invalid: status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas',
    );
  });

  it('prints the printStatefulSet cells, wide ones included', () => {
    const o = web();
    o.metadata.creationTimestamp = '2024-05-01T10:00:00Z';
    spec(o).replicas = 3;
    o.status = { replicas: 2, readyReplicas: 1 };
    assert.deepEqual(cellsOf(statefulsets, o, new Date('2024-05-01T10:05:30Z')), ['web', '1/3', '5m30s', 'nginx', 'nginx:1.27']);
    assert.deepEqual(statefulsets.table!.columns.map((c) => [c.name, c.priority]), [['Name', 0], ['Ready', 0], ['Age', 0], ['Containers', 1], ['Images', 1]]);
  });
});
