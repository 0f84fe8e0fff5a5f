import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MetricSpec } from 'kubernetes-types/autoscaling/v2.js';
import type { Deployment, HorizontalPodAutoscaler } from '../api/kinds.js';
import { R } from '../client/client.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { hpaController, limitReplicas, MetricError, noMetricsApi, type MetricsSource } from './horizontal-pod-autoscaler.js';

const NO_METRICS = 'failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API';

const deployment = (name: string, replicas: number): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

const hpa = (name: string, target: string, minReplicas: number, maxReplicas: number): HorizontalPodAutoscaler => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas, maxReplicas },
});

/** A metrics source that always asks for `replicas`. */
const asking = (replicas: number): MetricsSource => ({
  replicasFor: async () => ({ replicas, name: 'cpu resource utilization (percentage of request)', status: { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 200 } } } }),
});

async function withController(t: TestCluster, metrics: MetricsSource | undefined, run: () => Promise<void>) {
  const c = hpaController({ client: t.client, informers: t.informers, clock: t.clock, recorder: t.recorder, resources: () => t.registry.served(), metrics, syncPeriodMs: 50 });
  await c.start();
  try {
    await run();
  } finally {
    c.stop();
  }
}

describe('the horizontal pod autoscaler controller', () => {
  let t: TestCluster;
  const replicasOf = async (name: string) => (await t.client.get(R.deployments, 'default', name)).spec?.replicas;
  const conditionsOf = async (name: string) => ((await t.client.get(R.horizontalpodautoscalers, 'default', name)).status?.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message]);

  before(async () => {
    t = await testCluster();
  });
  after(() => t.close());

  it('scales a target below minReplicas up, then reports that no metrics can be read', () =>
    withController(t, undefined, async () => {
      await t.client.create(R.deployments, 'default', deployment('web', 1));
      await t.client.create(R.horizontalpodautoscalers, 'default', hpa('web', 'web', 2, 3));
      await t.until('2 replicas', async () => (await replicasOf('web')) === 2);
      const conditions = await t.until('ScalingActive', async () => {
        const c = await conditionsOf('web');
        return c.some(([type]) => type === 'ScalingActive') ? c : undefined;
      });
      assert.deepEqual(conditions, [
        ['AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale"],
        ['ScalingActive', 'False', 'FailedGetResourceMetric', `the HPA was unable to compute the replica count: ${NO_METRICS}`],
      ]);
      const status = (await t.client.get(R.horizontalpodautoscalers, 'default', 'web')).status!;
      assert.deepEqual([status.currentReplicas, status.desiredReplicas, status.currentMetrics], [2, 2, [{ type: '' }]]);
      assert.ok(status.lastScaleTime);
      const events = await t.until('events', async () => {
        const e = await t.eventsFor('HorizontalPodAutoscaler', 'web');
        return e.length >= 3 ? e : undefined;
      });
      assert.deepEqual(
        events.map((e) => [e.type, e.reason, e.message, e.source?.component]),
        [
          ['Normal', 'SuccessfulRescale', 'New size: 2; reason: Current number of replicas below Spec.MinReplicas', 'horizontal-pod-autoscaler'],
          ['Warning', 'FailedGetResourceMetric', NO_METRICS, 'horizontal-pod-autoscaler'],
          ['Warning', 'FailedComputeMetricsReplicas', `invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${NO_METRICS}`, 'horizontal-pod-autoscaler'],
        ],
      );
    }));

  it('scales a target above maxReplicas down', () =>
    withController(t, undefined, async () => {
      await t.client.create(R.deployments, 'default', deployment('big', 5));
      await t.client.create(R.horizontalpodautoscalers, 'default', hpa('big', 'big', 1, 3));
      await t.until('3 replicas', async () => (await replicasOf('big')) === 3);
      const rescale = await t.until('the event', async () => (await t.eventsFor('HorizontalPodAutoscaler', 'big')).find((e) => e.reason === 'SuccessfulRescale'));
      assert.equal(rescale.message, 'New size: 3; reason: Current number of replicas above Spec.MaxReplicas');
    }));

  it('reports a target it cannot find', () =>
    withController(t, undefined, async () => {
      await t.client.create(R.horizontalpodautoscalers, 'default', hpa('lost', 'nope', 1, 3));
      const conditions = await t.until('AbleToScale', async () => ((await conditionsOf('lost')).length ? conditionsOf('lost') : undefined));
      assert.deepEqual(conditions, [['AbleToScale', 'False', 'FailedGetScale', 'the HPA controller was unable to get the target\'s current scale: deployments.apps "nope" not found']]);
      const other = hpa('odd', 'x', 1, 3);
      other.spec!.scaleTargetRef = { apiVersion: 'example.com/v1', kind: 'Widget', name: 'x' };
      await t.client.create(R.horizontalpodautoscalers, 'default', other);
      const odd = await t.until('AbleToScale', async () => ((await conditionsOf('odd')).length ? conditionsOf('odd') : undefined));
      assert.equal(odd[0]![3], 'the HPA controller was unable to get the target\'s current scale: no matches for kind "Widget" in group "example.com"');
    }));

  it('limits what the metrics ask for to maxReplicas (ScalingLimited)', () =>
    withController(t, asking(10), async () => {
      await t.client.create(R.deployments, 'default', deployment('busy', 1));
      await t.client.create(R.horizontalpodautoscalers, 'default', hpa('busy', 'busy', 1, 3));
      await t.until('3 replicas', async () => (await replicasOf('busy')) === 3);
      const conditions = await t.until('ScalingLimited', async () => {
        const c = await conditionsOf('busy');
        return c.some(([type]) => type === 'ScalingLimited') ? c : undefined;
      });
      assert.deepEqual(conditions.find(([type]) => type === 'ScalingLimited'), ['ScalingLimited', 'True', 'TooManyReplicas', 'the desired replica count is more than the maximum replica count']);
      assert.deepEqual(conditions.find(([type]) => type === 'ScalingActive'), ['ScalingActive', 'True', 'ValidMetricFound', 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)']);
      const rescale = await t.until('the event', async () => (await t.eventsFor('HorizontalPodAutoscaler', 'busy')).find((e) => e.reason === 'SuccessfulRescale'));
      assert.equal(rescale.message, 'New size: 3; reason: cpu resource utilization (percentage of request) above target');
    }));

  it('limits one step to double the replicas, or 4', () => {
    assert.deepEqual(limitReplicas(1, 10, 1, 20), [4, 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate']);
    assert.deepEqual(limitReplicas(5, 2, 3, 20), [3, 'TooFewReplicas', 'the desired replica count is less than the minimum replica count']);
    assert.deepEqual(limitReplicas(5, 7, 1, 20), [7, 'DesiredWithinRange', 'the desired count is within the acceptable range']);
  });

  it('words the custom metrics a cluster without a custom metrics API cannot read as upstream', async () => {
    const failure = async (metric: MetricSpec) => {
      const inDefault = { ...hpa('x', 'x', 1, 2), metadata: { name: 'x', namespace: 'default' } };
      const err = await noMetricsApi.replicasFor(inDefault, metric, {} as never, 'app=x').then(
        () => assert.fail('no metrics should be read'),
        (e: unknown) => e as MetricError,
      );
      return [err.reason, err.message, err.wrapped];
    };
    const custom = 'unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered';
    assert.deepEqual(await failure({ type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '1' } } }), [
      'FailedGetPodsMetric',
      `unable to get metric qps: ${custom}`,
      `failed to get pods metric value: unable to get metric qps: ${custom}`,
    ]);
    const object: MetricSpec = { type: 'Object', object: { metric: { name: 'hits' }, describedObject: { kind: 'Service', name: 'web' }, target: { type: 'Value', value: '1' } } };
    assert.deepEqual((await failure(object)).slice(0, 2), ['FailedGetObjectMetric', `unable to get metric hits: Service on default web/${custom}`]);
  });
});
