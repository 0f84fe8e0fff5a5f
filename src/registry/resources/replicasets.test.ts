import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { cellsOf } from '../../server/table.js';
import { replicasets } from './replicasets.js';
import { clone, messageOf, rejection, testRegistry, type TestRegistry } from './testing.js';

function web(name = 'web'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } },
    },
  };
}

describe('replicasets', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([replicasets]);
  });
  after(() => t.close());

  it('defaults replicas to 1 and starts with status.replicas 0', async () => {
    const created = await t.store(replicasets).create(t.ctx, 'default', web());
    assert.equal((created.spec as { replicas: number }).replicas, 1);
    assert.deepEqual(created.status, { replicas: 0 });
    assert.equal(created.metadata.generation, 1);
  });

  const cases: { name: string; change: (o: KubeObject) => void; message: string }[] = [
    { name: 'negative replicas', change: (o) => ((o.spec as Record<string, unknown>).replicas = -2), message: 'spec.replicas: Invalid value: -2: must be greater than or equal to 0' },
    { name: 'negative minReadySeconds', change: (o) => ((o.spec as Record<string, unknown>).minReadySeconds = -1), message: 'spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0' },
    {
      name: 'restartPolicy Never',
      change: (o) => (((o.spec as { template: { spec: Record<string, unknown> } }).template.spec.restartPolicy = 'Never')),
      message: 'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    },
    {
      name: 'an empty selector (the message says deployment, as upstream)',
      change: (o) => ((o.spec as Record<string, unknown>).selector = {}),
      message: 'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    },
    {
      name: 'template labels the selector does not match',
      change: (o) => ((o.spec as { template: { metadata: Record<string, unknown> } }).template.metadata.labels = { app: 'other', tier: 'x' }),
      message: 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"other", "tier":"x"}: `selector` does not match template `labels`',
    },
  ];
  for (const c of cases) {
    it(`rejects ${c.name}`, () => {
      const o = web();
      c.change(o);
      replicasets.defaults!(o);
      assert.equal(messageOf(replicasets.validate!(o, t.ctx)), c.message);
    });
  }

  it('keeps the selector immutable', async () => {
    const store = t.store(replicasets);
    const o = await store.create(t.ctx, 'default', web('frozen'));
    const changed = clone(o);
    (changed.spec as Record<string, unknown>).selector = { matchLabels: {}, matchExpressions: [{ key: 'app', operator: 'Exists' }] };
    assert.equal(
      await rejection(store.update(t.ctx, 'default', 'frozen', changed)),
      'ReplicaSet.apps "frozen" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"Exists", Values:[]string(nil)}}}: field is immutable',
    );
  });

  it('selects on status.replicas and prints the printReplicaSet cells', async () => {
    const o = web();
    o.metadata.creationTimestamp = '2024-05-01T10:00:00Z';
    o.status = { replicas: 2, readyReplicas: 1 };
    replicasets.defaults!(o);
    assert.equal(replicasets.fields!['status.replicas']!(o), '2');
    assert.deepEqual(cellsOf(replicasets, o, new Date('2024-05-01T12:00:00Z')), ['web', 1, 2, 1, '120m', 'nginx', 'nginx:1.25', 'app=web']);
    const none = clone(o);
    (none.spec as Record<string, unknown>).selector = {};
    assert.equal(cellsOf(replicasets, none, new Date()).at(-1), '<none>');
    assert.deepEqual(
      replicasets.table!.columns.map((c) => [c.name, c.type, c.priority]),
      [['Name', 'string', 0], ['Desired', 'integer', 0], ['Current', 'integer', 0], ['Ready', 'integer', 0], ['Age', 'string', 0], ['Containers', 'string', 1], ['Images', 'string', 1], ['Selector', 'string', 1]],
    );
  });

  it('scales through the scale subresource', async () => {
    const store = t.store(replicasets);
    await store.create(t.ctx, 'default', web('scaled'));
    const s = { ctx: t.ctx, namespace: 'default', name: 'scaled', query: new URLSearchParams(), dryRun: false, store, registry: t.registry, warnings: [] };
    const scale = replicasets.subresources!.scale!;
    const got = await scale.get!(s);
    assert.deepEqual([got.spec, got.status], [{ replicas: 1 }, { replicas: 0, selector: 'app=web' }]);
    await scale.update!(s, { ...got, metadata: { name: 'scaled' }, spec: { replicas: 4 } });
    assert.equal(((await store.get(t.ctx, 'default', 'scaled')).spec as { replicas: number }).replicas, 4);
    const dry = await scale.update!({ ...s, dryRun: true }, { ...got, metadata: { name: 'scaled' }, spec: { replicas: 7 } });
    assert.equal((dry.spec as { replicas: number }).replicas, 7);
    assert.equal(((await store.get(t.ctx, 'default', 'scaled')).spec as { replicas: number }).replicas, 4, 'dry run stores nothing');
  });
});
