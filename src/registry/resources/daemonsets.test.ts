import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { cellsOf } from '../../server/table.js';
import { daemonsets } from './daemonsets.js';
import { clone, messageOf, rejection, testRegistry, type TestRegistry } from './testing.js';

type Obj = Record<string, any>;

function agent(name = 'agent'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'fluentd:v1' }] } },
    },
  };
}

const spec = (o: KubeObject) => o.spec as Obj;
const validate = (o: KubeObject) => messageOf(daemonsets.validate!(o, undefined as never));

describe('daemonsets', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([daemonsets]);
  });
  after(() => t.close());

  it('defaults a DaemonSet as apps/v1 does', () => {
    const o = agent();
    daemonsets.defaults!(o);
    assert.deepEqual(spec(o).updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    assert.equal(spec(o).revisionHistoryLimit, 10);
    assert.equal(spec(o).template.spec.restartPolicy, 'Always');
    const onDelete = agent();
    spec(onDelete).updateStrategy = { type: 'OnDelete' };
    daemonsets.defaults!(onDelete);
    assert.deepEqual(spec(onDelete).updateStrategy, { type: 'OnDelete' });
  });

  it('creates with generation 1, template generation 1 and the four status counts', async () => {
    const store = t.store(daemonsets);
    const sent = agent('created');
    sent.metadata.annotations = { [`deprecated.daemonset.template.generation`]: '7' };
    const created = await store.create(t.ctx, 'default', sent);
    assert.equal(created.metadata.generation, 1);
    assert.deepEqual(created.metadata.annotations, { 'deprecated.daemonset.template.generation': '1' });
    assert.deepEqual(created.status, { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 });
  });

  it('moves the template generation with the template, and only then', async () => {
    const store = t.store(daemonsets);
    await store.create(t.ctx, 'default', agent('gen'));
    const image = await store.guaranteedUpdate(t.ctx, 'default', 'gen', (cur) => {
      const o = clone(cur);
      spec(o).template.spec.containers[0].image = 'fluentd:v2';
      return o;
    });
    assert.equal(image.metadata.generation, 2);
    assert.equal(image.metadata.annotations?.['deprecated.daemonset.template.generation'], '2');
    const limit = await store.guaranteedUpdate(t.ctx, 'default', 'gen', (cur) => ({ ...cur, spec: { ...(cur.spec as object), revisionHistoryLimit: 3 } }));
    assert.equal(limit.metadata.generation, 3);
    assert.equal(limit.metadata.annotations?.['deprecated.daemonset.template.generation'], '2');
    // The client's value is not taken: apps/v1 keeps the generation the server counts.
    const bumped = clone(limit);
    bumped.metadata.annotations = { 'deprecated.daemonset.template.generation': '5' };
    const kept = await store.update(t.ctx, 'default', 'gen', bumped);
    assert.equal(kept.object.metadata.annotations?.['deprecated.daemonset.template.generation'], '2');
    const dropped = clone(kept.object);
    delete dropped.metadata.annotations;
    const replaced = await store.update(t.ctx, 'default', 'gen', dropped);
    assert.equal(replaced.object.metadata.annotations?.['deprecated.daemonset.template.generation'], '2');
  });

  const invalidCases: { name: string; change: (o: KubeObject) => void; message: string }[] = [
    {
      name: 'no selector',
      change: (o) => delete spec(o).selector,
      message: 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"agent"}: `selector` does not match template `labels`',
    },
    {
      name: 'a selector not matching the template',
      change: (o) => (spec(o).selector = { matchLabels: { app: 'other' } }),
      message: 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"agent"}: `selector` does not match template `labels`',
    },
    {
      name: 'an empty selector',
      change: (o) => (spec(o).selector = {}),
      message: 'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset',
    },
    {
      name: 'restartPolicy OnFailure',
      change: (o) => (spec(o).template.spec.restartPolicy = 'OnFailure'),
      message: 'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
    },
    {
      name: 'activeDeadlineSeconds',
      change: (o) => (spec(o).template.spec.activeDeadlineSeconds = 5),
      message: 'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported',
    },
    {
      name: 'both maxSurge and maxUnavailable',
      change: (o) => (spec(o).updateStrategy = { rollingUpdate: { maxSurge: '10%' } }),
      message: 'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"10%"}: may not be set when maxUnavailable is non-zero',
    },
    {
      name: 'neither maxSurge nor maxUnavailable',
      change: (o) => (spec(o).updateStrategy = { rollingUpdate: { maxUnavailable: 0 } }),
      message: 'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
    },
    {
      name: 'an unknown strategy',
      change: (o) => (spec(o).updateStrategy = { type: 'Recreate' }),
      message: 'spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:"Recreate", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: "RollingUpdate", "OnDelete"',
    },
    {
      name: 'negative numbers',
      change: (o) => Object.assign(spec(o), { minReadySeconds: -1, revisionHistoryLimit: -2 }),
      message: '[spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0, spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0]',
    },
  ];
  for (const c of invalidCases) {
    it(`rejects ${c.name}`, () => {
      const o = agent();
      c.change(o);
      daemonsets.defaults!(o);
      assert.equal(validate(o), c.message);
    });
  }

  it('refuses a changed selector, and status counts below zero', async () => {
    const store = t.store(daemonsets);
    const created = await store.create(t.ctx, 'default', agent('immutable'));
    const changed = clone(created);
    spec(changed).selector = { matchLabels: { app: 'agent', tier: 'node' } };
    spec(changed).template.metadata.labels.tier = 'node';
    assert.equal(
      await rejection(store.update(t.ctx, 'default', 'immutable', changed)),
      'DaemonSet.apps "immutable" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"agent", "tier":"node"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
    const status = { ...created, status: { ...(created.status as object), numberReady: -1 } };
    assert.equal(
      await rejection(store.update(t.ctx, 'default', 'immutable', status, { subresource: 'status' })),
      'DaemonSet.apps "immutable" is invalid: status.numberReady: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it('prints the printDaemonSet cells, wide ones included', () => {
    const o = agent();
    o.metadata.creationTimestamp = '2024-05-01T10:00:00Z';
    o.status = { desiredNumberScheduled: 3, currentNumberScheduled: 2, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 1 };
    const now = new Date('2024-05-01T10:05:30Z');
    assert.deepEqual(cellsOf(daemonsets, o, now), ['agent', 3, 2, 1, 2, 1, '<none>', '5m30s', 'agent', 'fluentd:v1', 'app=agent']);
    spec(o).template.spec.nodeSelector = { 'kubernetes.io/os': 'linux', disk: 'ssd' };
    assert.equal(cellsOf(daemonsets, o, now)[6], 'disk=ssd,kubernetes.io/os=linux');
    assert.deepEqual(
      daemonsets.table!.columns.map((c) => [c.name, c.type, c.priority]),
      [
        ['Name', 'string', 0], ['Desired', 'integer', 0], ['Current', 'integer', 0], ['Ready', 'integer', 0], ['Up-to-date', 'integer', 0], ['Available', 'integer', 0],
        ['Node Selector', 'string', 0], ['Age', 'string', 0], ['Containers', 'string', 1], ['Images', 'string', 1], ['Selector', 'string', 1],
      ],
    );
  });
});
