// The horizontal pod autoscaler controller (pkg/controller/podautoscaler/horizontal.go): every sync
// period it reads an autoscaler's target through its scale subresource, keeps the replica count
// within minReplicas and maxReplicas, asks a MetricsSource what the metrics want, writes the
// count back through the scale subresource, and reports the AbleToScale, ScalingActive and
// ScalingLimited conditions and the events upstream records. Badge serves no metrics API yet:
// `noMetricsApi` fails every metric as upstream does when the metrics API returns nothing.
// Not here yet: the downscale stabilization window and the behavior rules, which only matter once
// a MetricsSource answers.
import type { HorizontalPodAutoscalerCondition, HorizontalPodAutoscalerStatus, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2.js';
import type { Clock } from '../api/clock.js';
import type { HorizontalPodAutoscaler, Scale } from '../api/kinds.js';
import { deepEqual, formatTime } from '../api/meta.js';
import { R, type Client, type ResourceRef, type ServedResource } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { waitForSync } from '../client/informer.js';
import { keyOf } from '../client/object-cache.js';
import { WorkQueue } from '../client/queue.js';
import { splitKey } from './controller-utils.js';
import type { EventRecorder, EventType } from './events.js';

const HPA_CONTROLLER = 'horizontal-pod-autoscaler';
/** --horizontal-pod-autoscaler-sync-period. */
const SYNC_PERIOD_MS = 15_000;
/** calculateScaleUpLimit: at most double, or 4, in one step. */
const SCALE_UP_LIMIT_FACTOR = 2;
const SCALE_UP_LIMIT_MINIMUM = 4;

/** What one metric asks for: a replica count, the metric's current state, and its name for messages. */
export interface MetricProposal {
  replicas: number;
  status: MetricStatus;
  name: string;
}

/** A metric that could not be read: its condition reason, and the text upstream wraps it in. */
export class MetricError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    /** computeReplicasForMetric's error, e.g. `failed to get cpu resource metric value: …`. */
    readonly wrapped: string,
  ) {
    super(message);
  }
}

/** Where the autoscaler reads metrics: one call per metric of the spec. */
export interface MetricsSource {
  replicasFor(hpa: HorizontalPodAutoscaler, metric: MetricSpec, scale: Scale, selector: string): Promise<MetricProposal>;
}

const NO_RESOURCE_METRICS = 'no metrics returned from resource metrics API';
const NO_CUSTOM_METRICS = 'unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered';

/**
 * No metrics API: each metric fails with the errors upstream's computeReplicasForMetric gives then
 * (the resource metrics API answering nothing, no custom metrics API registered, no external metrics
 * API; an External metric's selector is not printed as Go's %+v would).
 */
export const noMetricsApi: MetricsSource = {
  async replicasFor(hpa, m) {
    const ns = hpa.metadata.namespace ?? '';
    switch (m.type) {
      case 'Resource':
      case 'ContainerResource': {
        const source = m.type === 'Resource' ? m.resource : m.containerResource;
        const name = source?.name ?? '';
        const message = `failed to get ${name} ${source?.target?.averageValue !== undefined ? 'usage' : 'utilization'}: unable to get metrics for resource ${name}: ${NO_RESOURCE_METRICS}`;
        return m.type === 'Resource'
          ? fail('FailedGetResourceMetric', message, `failed to get ${name} resource metric value: ${message}`)
          : fail('FailedGetContainerResourceMetric', message, `failed to get ${name} container metric value: ${message}`);
      }
      case 'Pods': {
        const message = `unable to get metric ${m.pods?.metric?.name ?? ''}: ${NO_CUSTOM_METRICS}`;
        return fail('FailedGetPodsMetric', message, `failed to get pods metric value: ${message}`);
      }
      case 'Object': {
        const o = m.object?.describedObject;
        const message = `unable to get metric ${m.object?.metric?.name ?? ''}: ${o?.kind ?? ''} on ${ns} ${o?.name ?? ''}/${NO_CUSTOM_METRICS}`;
        return fail('FailedGetObjectMetric', message, `failed to get object metric value: ${message}`);
      }
      default: {
        const name = m.external?.metric?.name ?? '';
        const message = `unable to get external metric ${ns}/${name}/nil: unable to fetch metrics from external metrics API: the server could not find the requested resource (get ${name}.external.metrics.k8s.io)`;
        return fail('FailedGetExternalMetric', message, `failed to get ${name} external metric value: ${message}`);
      }
    }
  },
};

function fail(reason: string, message: string, wrapped: string): never {
  throw new MetricError(reason, message, wrapped);
}

export interface HpaControllerDeps {
  client: Client;
  informers: InformerFactory;
  clock: Clock;
  recorder: EventRecorder;
  /** The served resources, to find the resource of a scale target's kind. */
  resources: () => ServedResource[];
  metrics?: MetricsSource;
  syncPeriodMs?: number;
}

type Conditions = HorizontalPodAutoscalerCondition[];

/** convertDesiredReplicasWithRules: the count within the limits, and the ScalingLimited reason and message. */
export function limitReplicas(current: number, desired: number, min: number, max: number): [number, string, string] {
  const scaleUpLimit = Math.max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM);
  const [maximum, reason, message] =
    max > scaleUpLimit
      ? [scaleUpLimit, 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate']
      : [max, 'TooManyReplicas', 'the desired replica count is more than the maximum replica count'];
  if (desired < min) return [min, 'TooFewReplicas', 'the desired replica count is less than the minimum replica count'];
  if (desired > maximum) return [maximum, reason, message];
  return [desired, 'DesiredWithinRange', 'the desired count is within the acceptable range'];
}

export function hpaController({ client, informers, clock, recorder, resources, metrics = noMetricsApi, syncPeriodMs = SYNC_PERIOD_MS }: HpaControllerDeps) {
  const hpas = informers.forResource(R.horizontalpodautoscalers);
  const queue = new WorkQueue(HPA_CONTROLLER, reconcile, 5, 30_000);
  /** One pending resync per autoscaler (upstream re-adds each key once per sync period). */
  const resyncs = new Map<string, NodeJS.Timeout>();
  const event = (hpa: HorizontalPodAutoscaler, type: EventType, reason: string, message: string) => void recorder.record(hpa, type, reason, message, HPA_CONTROLLER);

  /** setCondition: a new status or an unseen type gets the transition time now. */
  function setCondition(conditions: Conditions, type: string, status: string, reason: string, message: string): void {
    let c = conditions.find((x) => x.type === type);
    if (!c) conditions.push((c = { type, status: '' }));
    if (c.status !== status) c.lastTransitionTime = formatTime(clock.now());
    Object.assign(c, { status, reason, message });
  }

  /** The served resource of a scale target (RESTMappings of its group and kind; its own version first). */
  function resourceOf(apiVersion: string, kind: string): ResourceRef {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    const candidates = resources().filter((r) => r.group === group && r.kind === kind);
    const found = candidates.find((r) => r.version === version) ?? candidates[0];
    if (!found) throw new Error(`no matches for kind "${kind}" in group "${group}"`);
    return found;
  }

  async function reconcile(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const hpa = hpas.get(ns, name);
    if (!hpa || hpa.metadata.deletionTimestamp) return;
    try {
      await reconcileAutoscaler(structuredClone(hpa));
    } finally {
      resyncLater(key);
    }
  }

  function resyncLater(key: string): void {
    if (resyncs.has(key)) return;
    const t = setTimeout(() => {
      resyncs.delete(key);
      queue.add(key);
    }, syncPeriodMs);
    t.unref();
    resyncs.set(key, t);
  }

  async function reconcileAutoscaler(hpa: HorizontalPodAutoscaler): Promise<void> {
    const original: HorizontalPodAutoscalerStatus = structuredClone(hpa.status ?? { desiredReplicas: 0 });
    let status: HorizontalPodAutoscalerStatus = structuredClone(original);
    const conditions = (status.conditions ??= []);
    /** setStatus: what the controller last saw and wanted (other fields, observedGeneration, are dropped as upstream drops them). */
    const setStatus = (currentReplicas: number, desiredReplicas: number, currentMetrics: MetricStatus[] | undefined, rescaled = false) => {
      const lastScaleTime = rescaled ? formatTime(clock.now()) : status.lastScaleTime;
      status = { currentReplicas, desiredReplicas, conditions, ...(lastScaleTime ? { lastScaleTime } : {}), ...(currentMetrics ? { currentMetrics } : {}) };
    };
    const spec = hpa.spec!;
    const ns = hpa.metadata.namespace ?? '';
    const target = spec.scaleTargetRef;

    let ref: ResourceRef;
    let scale: Scale;
    try {
      ref = resourceOf(target.apiVersion ?? '', target.kind);
      scale = (await client.getSubresource(ref, ns, target.name, 'scale')) as Scale;
    } catch (err) {
      const message = (err as Error).message;
      event(hpa, 'Warning', 'FailedGetScale', message);
      setCondition(conditions, 'AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${message}`);
      return writeStatus(hpa, original, status);
    }
    setCondition(conditions, 'AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
    const current = scale.spec?.replicas ?? 0;
    const min = spec.minReplicas ?? 1;
    const max = spec.maxReplicas;

    let desired: number;
    let reason = '';
    let metricStatuses: MetricStatus[] | undefined;
    if (current === 0 && min !== 0) {
      setCondition(conditions, 'ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
      desired = 0;
    } else if (current > max) {
      [desired, reason] = [max, 'Current number of replicas above Spec.MaxReplicas'];
    } else if (current < min) {
      [desired, reason] = [min, 'Current number of replicas below Spec.MinReplicas'];
    } else {
      const proposal = await replicasForMetrics(hpa, scale, conditions);
      metricStatuses = proposal.statuses;
      if ('error' in proposal) {
        setStatus(current, status.desiredReplicas, metricStatuses);
        await writeStatus(hpa, original, status);
        event(hpa, 'Warning', 'FailedComputeMetricsReplicas', proposal.error);
        return;
      }
      if (proposal.replicas > current) reason = `${proposal.name} above target`;
      if (proposal.replicas < current) reason = 'All metrics below target';
      setCondition(conditions, 'AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
      const [limited, limitReason, limitMessage] = limitReplicas(current, proposal.replicas, min, max);
      setCondition(conditions, 'ScalingLimited', limited === proposal.replicas ? 'False' : 'True', limitReason, limitMessage);
      desired = limited;
    }

    if (desired !== current) {
      try {
        await client.updateSubresource(ref, ns, target.name, 'scale', { ...scale, spec: { ...scale.spec, replicas: desired } });
      } catch (err) {
        const message = (err as Error).message;
        event(hpa, 'Warning', 'FailedRescale', `New size: ${desired}; reason: ${reason}; error: ${message}`);
        setCondition(conditions, 'AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${message}`);
        setStatus(current, status.desiredReplicas, metricStatuses);
        return writeStatus(hpa, original, status);
      }
      setCondition(conditions, 'AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`);
      event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`);
    }
    setStatus(current, desired, metricStatuses, desired !== current);
    await writeStatus(hpa, original, status);
  }

  /** computeReplicasForMetrics: the largest count the metrics ask for, or the first metric's error when all fail. */
  async function replicasForMetrics(
    hpa: HorizontalPodAutoscaler,
    scale: Scale,
    conditions: Conditions,
  ): Promise<{ statuses?: MetricStatus[]; replicas: number; name: string } | { statuses?: MetricStatus[]; error: string }> {
    const selector = scale.status?.selector ?? '';
    if (!selector) {
      event(hpa, 'Warning', 'SelectorRequired', 'selector is required');
      setCondition(conditions, 'ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector");
      return { error: 'selector is required' };
    }
    const specs = hpa.spec?.metrics ?? [];
    // Upstream's statuses start as zero values, which stay for the metrics that fail.
    const statuses: MetricStatus[] = specs.map(() => ({ type: '' }) as MetricStatus);
    let best: MetricProposal | undefined;
    const failures: MetricError[] = [];
    for (const [i, m] of specs.entries()) {
      try {
        const p = await metrics.replicasFor(hpa, m, scale, selector);
        statuses[i] = p.status;
        if (!best || p.replicas > best.replicas) best = p;
      } catch (err) {
        if (!(err instanceof MetricError)) throw err;
        event(hpa, 'Warning', err.reason, err.message);
        failures.push(err);
      }
    }
    if (!best || (failures.length && best.replicas < (scale.spec?.replicas ?? 0))) {
      // Defaulting gives every autoscaler a metric, so with no proposal there is a failure.
      const first = failures[0]!;
      setCondition(conditions, 'ScalingActive', 'False', first.reason, `the HPA was unable to compute the replica count: ${first.message}`);
      return { statuses, error: `invalid metrics (${failures.length} invalid out of ${specs.length}), first error is: ${first.wrapped}` };
    }
    setCondition(conditions, 'ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${best.name}`);
    return { statuses, replicas: best.replicas, name: best.name };
  }

  /** updateStatusIfNeeded. */
  async function writeStatus(hpa: HorizontalPodAutoscaler, original: HorizontalPodAutoscalerStatus, status: HorizontalPodAutoscalerStatus): Promise<void> {
    if (deepEqual(original, status)) return;
    await client.mutate(R.horizontalpodautoscalers, hpa.metadata.namespace ?? '', hpa.metadata.name!, (cur) => (cur.metadata.uid === hpa.metadata.uid ? { ...cur, status } : cur), 'status');
  }

  return {
    async start() {
      informers.start();
      await waitForSync(hpas);
      hpas.on({ add: (o) => queue.add(keyOf(o)), update: (old, o) => !deepEqual(old.spec, o.spec) && queue.add(keyOf(o)) });
    },
    stop() {
      queue.stop();
      for (const t of resyncs.values()) clearTimeout(t);
      resyncs.clear();
    },
  };
}
