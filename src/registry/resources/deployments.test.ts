import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { cellsOf } from '../../server/table.js';
import { deployments } from './deployments.js';
import { clone, messageOf, rejection, testRegistry, type TestRegistry } from './testing.js';

const ctxOf = (t: TestRegistry) => t.ctx;

function myApp(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'my-app', namespace: 'default' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'my-app' } },
      template: { metadata: { labels: { app: 'my-app' } }, spec: { serviceAccountName: 'my-app-sa', containers: [{ name: 'app', image: 'nginx:1.25' }] } },
    },
  };
}

const validate = (o: KubeObject) => messageOf(deployments.validate!(o, undefined as never));

describe('deployments', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([deployments]);
  });
  after(() => t.close());

  it('defaults a Deployment as apps/v1 does', () => {
    const o = myApp();
    delete (o.spec as { replicas?: number }).replicas;
    deployments.defaults!(o);
    const spec = o.spec as Record<string, unknown>;
    assert.equal(spec.replicas, 1);
    assert.deepEqual(spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.equal(spec.revisionHistoryLimit, 10);
    assert.equal(spec.progressDeadlineSeconds, 600);
    const recreate = myApp();
    (recreate.spec as Record<string, unknown>).strategy = { type: 'Recreate' };
    deployments.defaults!(recreate);
    assert.deepEqual((recreate.spec as Record<string, unknown>).strategy, { type: 'Recreate' });
  });

  it('creates with generation 1 and an empty status, and bumps generation on spec and annotation changes', async () => {
    const store = t.store(deployments);
    const created = await store.create(ctxOf(t), 'default', myApp());
    assert.equal(created.metadata.generation, 1);
    assert.deepEqual(created.status, {});
    const scaled = await store.guaranteedUpdate(ctxOf(t), 'default', 'my-app', (cur) => ({ ...cur, spec: { ...(cur.spec as object), replicas: 4 } }));
    assert.equal(scaled.metadata.generation, 2);
    const annotated = await store.guaranteedUpdate(ctxOf(t), 'default', 'my-app', (cur) => ({ ...cur, metadata: { ...cur.metadata, annotations: { a: 'b' } } }));
    assert.equal(annotated.metadata.generation, 3);
    const labelled = await store.guaranteedUpdate(ctxOf(t), 'default', 'my-app', (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { a: 'b' } } }));
    assert.equal(labelled.metadata.generation, 3);
    const status = await store.update(ctxOf(t), 'default', 'my-app', { ...labelled, status: { replicas: 9 } });
    assert.deepEqual(status.object.status, {}, 'the main resource ignores status');
  });

  const invalidCases: { name: string; change: (o: KubeObject) => void; message: string }[] = [
    { name: 'negative replicas', change: (o) => ((o.spec as Record<string, unknown>).replicas = -1), message: 'spec.replicas: Invalid value: -1: must be greater than or equal to 0' },
    {
      name: 'restartPolicy OnFailure',
      change: (o) => (((o.spec as { template: { spec: Record<string, unknown> } }).template.spec.restartPolicy = 'OnFailure')),
      message: 'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
    },
    {
      name: 'activeDeadlineSeconds',
      change: (o) => (((o.spec as { template: { spec: Record<string, unknown> } }).template.spec.activeDeadlineSeconds = 5)),
      message: 'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
    },
    {
      name: 'selector not matching the template',
      change: (o) => ((o.spec as Record<string, unknown>).selector = { matchLabels: { app: 'other' } }),
      message: 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"my-app"}: `selector` does not match template `labels`',
    },
    {
      name: 'no selector',
      change: (o) => delete (o.spec as Record<string, unknown>).selector,
      message: '[spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"my-app"}: `selector` does not match template `labels`]',
    },
    {
      name: 'empty selector',
      change: (o) => ((o.spec as Record<string, unknown>).selector = {}),
      message: 'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    },
    {
      name: 'bad selector operator',
      change: (o) => ((o.spec as Record<string, unknown>).selector = { matchExpressions: [{ key: 'app', operator: 'Near', values: ['x'] }] }),
      message:
        '[spec.selector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator, spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"Near", Values:[]string{"x"}}}}: invalid label selector]',
    },
    {
      name: 'both surge and unavailable zero',
      change: (o) => ((o.spec as Record<string, unknown>).strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }),
      message: 'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0',
    },
    {
      name: 'Recreate with rollingUpdate',
      change: (o) => ((o.spec as Record<string, unknown>).strategy = { type: 'Recreate', rollingUpdate: {} }),
      message: "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
    },
    {
      name: 'progress deadline not above minReadySeconds',
      change: (o) => Object.assign(o.spec as object, { minReadySeconds: 600 }),
      message: 'spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds',
    },
  ];
  for (const c of invalidCases) {
    it(`rejects ${c.name}`, () => {
      const o = myApp();
      c.change(o);
      deployments.defaults!(o);
      assert.equal(validate(o), c.message);
    });
  }

  it('refuses a changed selector on update with the apps/v1 message', async () => {
    const store = t.store(deployments);
    const o = myApp();
    o.metadata.name = 'immutable';
    await store.create(ctxOf(t), 'default', o);
    const changed = clone(o);
    (changed.spec as Record<string, unknown>).selector = { matchLabels: { app: 'my-app', tier: 'web' } };
    ((changed.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels).tier = 'web';
    assert.equal(
      await rejection(store.update(ctxOf(t), 'default', 'immutable', changed)),
      'Deployment.apps "immutable" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"my-app", "tier":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
  });

  it('prints the printDeployment cells, wide ones included', () => {
    const o = myApp();
    o.metadata.creationTimestamp = '2024-05-01T10:00:00Z';
    o.status = { readyReplicas: 1, updatedReplicas: 2, availableReplicas: 1 };
    const now = new Date('2024-05-01T10:05:30Z');
    assert.deepEqual(cellsOf(deployments, o, now), ['my-app', '1/3', 2, 1, '5m30s', 'app', 'nginx:1.25', 'app=my-app']);
    const two = clone(o);
    (two.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers.push({ name: 'side', image: 'busybox' });
    (two.spec as Record<string, unknown>).selector = { matchLabels: { app: 'my-app' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] };
    assert.deepEqual(cellsOf(deployments, two, now).slice(5), ['app,side', 'nginx:1.25,busybox', 'app=my-app,tier in (a,b)']);
    assert.deepEqual(
      deployments.table!.columns.map((c) => [c.name, c.type, c.priority]),
      [['Name', 'string', 0], ['Ready', 'string', 0], ['Up-to-date', 'string', 0], ['Available', 'string', 0], ['Age', 'string', 0], ['Containers', 'string', 1], ['Images', 'string', 1], ['Selector', 'string', 1]],
    );
  });

  it('serves the scale subresource', async () => {
    const store = t.store(deployments);
    const o = myApp();
    o.metadata.name = 'scaled';
    const created = await store.create(ctxOf(t), 'default', o);
    const scale = deployments.subresources!.scale!;
    const s = { ctx: ctxOf(t), namespace: 'default', name: 'scaled', query: new URLSearchParams(), dryRun: false, store, registry: t.registry, warnings: [] };
    const got = await scale.get!(s);
    assert.deepEqual(got, {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: 'scaled', namespace: 'default', uid: created.metadata.uid, resourceVersion: created.metadata.resourceVersion, creationTimestamp: created.metadata.creationTimestamp,
        // The owners of the Deployment's .spec.replicas, as owners of the Scale's (scalehandler ToSubresource).
        managedFields: [{ manager: 'unknown', operation: 'Update', apiVersion: 'autoscaling/v1', time: created.metadata.creationTimestamp, fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }],
      },
      spec: { replicas: 3 },
      status: { replicas: 0, selector: 'app=my-app' },
    });
    const updated = await scale.update!(s, { ...got, spec: { replicas: 5 } });
    assert.equal((updated.spec as { replicas: number }).replicas, 5);
    const after = await store.get(ctxOf(t), 'default', 'scaled');
    assert.equal((after.spec as { replicas: number }).replicas, 5);
    assert.equal(after.metadata.generation, 2);
    assert.equal(
      await rejection(scale.update!(s, { ...got, metadata: { name: 'scaled' }, spec: { replicas: -1 } })),
      'Scale.autoscaling "scaled" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
    assert.equal(
      await rejection(scale.update!(s, { ...got, spec: { replicas: 2 } })),
      'Operation cannot be fulfilled on deployments.apps "scaled": the object has been modified; please apply your changes to the latest version and try again',
    );
    const zero = await scale.update!(s, { ...got, metadata: { name: 'scaled' }, spec: {} });
    assert.deepEqual(zero.spec, {}, 'replicas 0 is omitted from ScaleSpec');
  });
});
