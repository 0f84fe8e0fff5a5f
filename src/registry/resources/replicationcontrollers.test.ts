import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { cellsOf } from '../../server/table.js';
import { replicationcontrollers } from './replicationcontrollers.js';
import { clone, messageOf, rejection, testRegistry, type TestRegistry } from './testing.js';

type Spec = { replicas?: number; selector?: Record<string, string>; minReadySeconds?: number; template?: { metadata: { labels?: Record<string, string> }; spec: Record<string, unknown> } };
const spec = (o: KubeObject) => o.spec as Spec;

function web(name = 'web'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name, namespace: 'default' },
    spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } } },
  };
}

describe('replicationcontrollers', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([replicationcontrollers]);
  });
  after(() => t.close());

  it('defaults replicas to 1, the selector and labels to the template labels, and starts with status.replicas 0', async () => {
    const created = await t.store(replicationcontrollers).create(t.ctx, 'default', web());
    assert.equal(spec(created).replicas, 1);
    assert.deepEqual(spec(created).selector, { app: 'web' });
    assert.deepEqual(created.metadata.labels, { app: 'web' });
    assert.deepEqual(created.status, { replicas: 0 });
    assert.equal(created.metadata.generation, 1);
  });

  it('keeps a selector and labels it was given', () => {
    const o = web();
    o.metadata.labels = { mine: 'yes' };
    spec(o).selector = { app: 'web' };
    spec(o).template!.metadata.labels = { app: 'web', tier: 'x' };
    replicationcontrollers.defaults!(o);
    assert.deepEqual([o.metadata.labels, spec(o).selector], [{ mine: 'yes' }, { app: 'web' }]);
  });

  const cases: { name: string; change: (o: KubeObject) => void; message: string }[] = [
    { name: 'negative replicas', change: (o) => (spec(o).replicas = -2), message: 'spec.replicas: Invalid value: -2: must be greater than or equal to 0' },
    { name: 'negative minReadySeconds', change: (o) => (spec(o).minReadySeconds = -1), message: 'spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0' },
    { name: 'restartPolicy Never', change: (o) => (spec(o).template!.spec.restartPolicy = 'Never'), message: 'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"' },
    {
      name: 'template labels the selector does not match',
      change: (o) => (spec(o).selector = { app: 'other' }),
      message: 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: selector does not match labels in spec.template',
    },
    { name: 'no selector and no template', change: (o) => delete spec(o).template, message: '[spec.selector: Required value, spec.template: Required value]' },
    {
      name: 'activeDeadlineSeconds',
      change: (o) => (spec(o).template!.spec.activeDeadlineSeconds = 5),
      message: 'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicationController is not Supported',
    },
    {
      name: 'a writable GCE disk shared by 2 replicas',
      change: (o) => {
        spec(o).replicas = 2;
        spec(o).template!.spec.volumes = [{ name: 'd', gcePersistentDisk: { pdName: 'disk' } }];
      },
      message: 'spec.template.spec.volumes[0].gcePersistentDisk.readOnly: Invalid value: false: must be true for replicated pods > 1; GCE PD can only be mounted on multiple machines if it is read-only',
    },
  ];
  for (const c of cases) {
    it(`rejects ${c.name}`, () => {
      const o = web();
      c.change(o);
      replicationcontrollers.defaults!(o);
      assert.equal(messageOf(replicationcontrollers.validate!(o, t.ctx)), c.message);
    });
  }

  it('checks status updates as ValidateReplicationControllerStatus does', async () => {
    const store = t.store(replicationcontrollers);
    const o = await store.create(t.ctx, 'default', web('counted'));
    const bad = { ...o, status: { replicas: 1, readyReplicas: 2, availableReplicas: 3 } };
    assert.equal(
      await rejection(store.update(t.ctx, 'default', 'counted', bad, { subresource: 'status' })),
      'ReplicationController "counted" is invalid: [status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas, status.availableReplicas: Invalid value: 3: cannot be greater than status.replicas, status.availableReplicas: Invalid value: 3: cannot be greater than readyReplicas]',
    );
  });

  it('lets the selector change', async () => {
    const store = t.store(replicationcontrollers);
    const o = await store.create(t.ctx, 'default', web('moved'));
    const changed = clone(o);
    spec(changed).selector = { app: 'web', tier: 'a' };
    assert.match(await rejection(store.update(t.ctx, 'default', 'moved', changed)), /selector does not match labels in spec\.template/);
    spec(changed).template!.metadata.labels = { app: 'web', tier: 'a' };
    const updated = await store.update(t.ctx, 'default', 'moved', changed);
    assert.deepEqual(spec(updated.object).selector, { app: 'web', tier: 'a' });
  });

  it('selects on status.replicas and prints the printReplicationController cells', () => {
    const o = web();
    o.metadata.creationTimestamp = '2024-05-01T10:00:00Z';
    o.status = { replicas: 2, readyReplicas: 1 };
    replicationcontrollers.defaults!(o);
    assert.equal(replicationcontrollers.fields!['status.replicas']!(o), '2');
    assert.deepEqual(cellsOf(replicationcontrollers, o, new Date('2024-05-01T12:00:00Z')), ['web', 1, 2, 1, '120m', 'nginx', 'nginx:1.25', 'app=web']);
    assert.deepEqual(
      replicationcontrollers.table!.columns.map((c) => [c.name, c.type, c.priority]),
      [['Name', 'string', 0], ['Desired', 'integer', 0], ['Current', 'integer', 0], ['Ready', 'integer', 0], ['Age', 'string', 0], ['Containers', 'string', 1], ['Images', 'string', 1], ['Selector', 'string', 1]],
    );
  });

  it('scales through the scale subresource, its selector the map as a string', async () => {
    const store = t.store(replicationcontrollers);
    await store.create(t.ctx, 'default', web('scaled'));
    const s = { ctx: t.ctx, namespace: 'default', name: 'scaled', query: new URLSearchParams(), dryRun: false, store, registry: t.registry, warnings: [] };
    const scale = replicationcontrollers.subresources!.scale!;
    const got = await scale.get!(s);
    assert.deepEqual([got.spec, got.status], [{ replicas: 1 }, { replicas: 0, selector: 'app=web' }]);
    await scale.update!(s, { ...got, metadata: { name: 'scaled' }, spec: { replicas: 3 } });
    assert.equal(spec(await store.get(t.ctx, 'default', 'scaled')).replicas, 3);
  });
});
