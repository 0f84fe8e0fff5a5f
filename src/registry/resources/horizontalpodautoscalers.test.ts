import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { cellsOf } from '../../server/table.js';
import { horizontalpodautoscalers } from './horizontalpodautoscalers.js';
import { horizontalpodautoscalersV1, toV1, toV2 } from './horizontalpodautoscalers-v1.js';
import { messageOf, rejection, testRegistry, type TestRegistry } from './testing.js';

type Obj = Record<string, any>;
const CPU_80 = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
const TARGET = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

const v2 = (spec: Obj = {}, name = 'web'): KubeObject => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name, namespace: 'default' },
  spec: { scaleTargetRef: TARGET, maxReplicas: 3, ...spec },
});

describe('horizontalpodautoscalers (autoscaling/v2, stored)', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([horizontalpodautoscalers, horizontalpodautoscalersV1]);
  });
  after(() => t.close());

  it('defaults minReplicas to 1 and the metrics to 80% cpu, and starts with desiredReplicas 0', async () => {
    const created = await t.store(horizontalpodautoscalers).create(t.ctx, 'default', v2());
    assert.deepEqual(created.spec, { scaleTargetRef: TARGET, minReplicas: 1, maxReplicas: 3, metrics: CPU_80 });
    assert.deepEqual(created.status, { desiredReplicas: 0 });
  });

  it('fills in a given behavior with the default rules', () => {
    const o = v2({ behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } });
    horizontalpodautoscalers.defaults!(o);
    assert.deepEqual((o.spec as Obj).behavior, {
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }], stabilizationWindowSeconds: 60 },
    });
  });

  const cases: [string, Obj, string][] = [
    ['minReplicas 0', { minReplicas: 0 }, '[spec.minReplicas: Invalid value: 0: must be greater than or equal to 1, spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas]'],
    ['maxReplicas below minReplicas', { minReplicas: 5 }, 'spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`'],
    ['maxReplicas 0', { maxReplicas: 0 }, '[spec.maxReplicas: Invalid value: 0: must be greater than 0, spec.maxReplicas: Invalid value: 0: must be greater than or equal to `minReplicas`]'],
    ['no scaleTargetRef kind or name', { scaleTargetRef: {} }, '[spec.scaleTargetRef.kind: Required value, spec.scaleTargetRef.name: Required value]'],
    ['a name with a slash', { scaleTargetRef: { kind: 'Deployment', name: 'a/b' } }, 'spec.scaleTargetRef.name: Invalid value: "a/b": may not contain \'/\''],
    [
      'a utilization of 0',
      { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0 } } }] },
      'spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0',
    ],
    [
      'a Pods metric given as resource (one source is set, so none is forbidden)',
      { metrics: [{ type: 'Pods', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
      'spec.metrics[0].pods: Required value: must populate information for the given metric source',
    ],
    [
      'a policy of 0 pods',
      { behavior: { scaleUp: { policies: [{ type: 'Pods', value: 0, periodSeconds: 15 }] } } },
      'spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero',
    ],
  ];
  for (const [name, spec, message] of cases) {
    it(`rejects ${name}`, () => {
      const o = v2(spec);
      horizontalpodautoscalers.defaults!(o);
      assert.equal(messageOf(horizontalpodautoscalers.validate!(o, t.ctx)), message);
    });
  }

  it('prints the printHorizontalPodAutoscaler cells', () => {
    const o = v2();
    o.metadata.creationTimestamp = '2024-05-01T10:00:00Z';
    horizontalpodautoscalers.defaults!(o);
    o.status = { currentReplicas: 2, desiredReplicas: 2 };
    assert.deepEqual(cellsOf(horizontalpodautoscalers, o, new Date('2024-05-01T10:00:30Z')), ['web', 'Deployment/web', 'cpu: <unknown>/80%', 1, 3, 2, '30s']);
    o.status = { currentReplicas: 2, desiredReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 42 } } }] };
    assert.equal(cellsOf(horizontalpodautoscalers, o, new Date())[2], 'cpu: 42%/80%');
    (o.spec as Obj).metrics = [...CPU_80, { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } }, CPU_80[0]];
    assert.equal(cellsOf(horizontalpodautoscalers, o, new Date())[2], 'cpu: 42%/80%, <unknown>/10 + 1 more...');
    assert.deepEqual(
      horizontalpodautoscalers.table!.columns.map((c) => c.name),
      ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age'],
    );
  });
});

describe('horizontalpodautoscalers (autoscaling/v1, the same objects)', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([horizontalpodautoscalers, horizontalpodautoscalersV1]);
  });
  after(() => t.close());

  it('stores targetCPUUtilizationPercentage as a v2 cpu metric, and reads it back', async () => {
    const created = await t.store(horizontalpodautoscalersV1).create(t.ctx, 'default', {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'old' },
      spec: { scaleTargetRef: TARGET, maxReplicas: 4, targetCPUUtilizationPercentage: 50 },
    });
    assert.deepEqual(created.spec, { scaleTargetRef: TARGET, minReplicas: 1, maxReplicas: 4, targetCPUUtilizationPercentage: 50 });
    assert.deepEqual(created.status, { currentReplicas: 0, desiredReplicas: 0 });
    const stored = await t.store(horizontalpodautoscalers).get(t.ctx, 'default', 'old');
    assert.equal(stored.apiVersion, 'autoscaling/v2');
    assert.deepEqual((stored.spec as Obj).metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
  });

  it('keeps conditions and behavior in the alpha annotations, and the current cpu utilization', () => {
    const conditions = [{ type: 'AbleToScale', status: 'True', lastTransitionTime: '2024-05-01T10:00:00Z', reason: 'SucceededGetScale', message: 'the HPA controller was able to get the target\'s current scale' }];
    const o = v2({ minReplicas: 1, metrics: CPU_80, behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } } });
    o.status = { currentReplicas: 2, desiredReplicas: 2, conditions, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 30 } } }] };
    const old = toV1(o);
    assert.deepEqual(old.spec, { scaleTargetRef: TARGET, minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 80 });
    assert.deepEqual(old.status, { currentReplicas: 2, desiredReplicas: 2, currentCPUUtilizationPercentage: 30 });
    assert.equal(old.metadata.annotations!['autoscaling.alpha.kubernetes.io/conditions'], JSON.stringify(conditions));
    assert.equal(
      old.metadata.annotations!['autoscaling.alpha.kubernetes.io/behavior'],
      '{"scaleUp":{"policies":[{"type":"Pods","value":1,"periodSeconds":60}]}}',
    );
    const back = toV2(old);
    assert.equal(back.metadata.annotations, undefined);
    assert.deepEqual((back.status as Obj).conditions, conditions);
    assert.deepEqual((back.spec as Obj).behavior.scaleUp.policies, [{ type: 'Pods', value: 1, periodSeconds: 60 }]);
  });

  it('keeps the other metrics in the metrics annotation, in v1\'s shape, and brings them back', () => {
    const metrics = [
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } },
      { type: 'Pods', pods: { metric: { name: 'qps', selector: { matchLabels: { a: 'b' } } }, target: { type: 'AverageValue', averageValue: '10' } } },
      { type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: 'web' }, metric: { name: 'hits' }, target: { type: 'Value', value: '5' } } },
      { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '3' } } },
      { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 60 } } },
      ...CPU_80,
    ];
    const old = toV1(v2({ minReplicas: 1, metrics }));
    assert.equal((old.spec as Obj).targetCPUUtilizationPercentage, 80);
    assert.equal(
      old.metadata.annotations!['autoscaling.alpha.kubernetes.io/metrics'],
      '[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"100Mi"}},' +
        '{"type":"Pods","pods":{"metricName":"qps","targetAverageValue":"10","selector":{"matchLabels":{"a":"b"}}}},' +
        '{"type":"Object","object":{"target":{"kind":"Service","name":"web","apiVersion":"v1"},"metricName":"hits","targetValue":"5"}},' +
        '{"type":"External","external":{"metricName":"queue","targetAverageValue":"3"}},' +
        '{"type":"ContainerResource","containerResource":{"name":"cpu","targetAverageUtilization":60,"container":"app"}}]',
    );
    assert.deepEqual((toV2(old).spec as Obj).metrics, metrics);
  });

  it('checks the v2 form, with its paths', async () => {
    const bad = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'bad' }, spec: { scaleTargetRef: { kind: 'Deployment' }, minReplicas: 0, maxReplicas: 1 } };
    assert.equal(
      await rejection(t.store(horizontalpodautoscalersV1).create(t.ctx, 'default', bad)),
      'HorizontalPodAutoscaler.autoscaling "bad" is invalid: [spec.minReplicas: Invalid value: 0: must be greater than or equal to 1, spec.scaleTargetRef.name: Required value, spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas]',
    );
  });
});
