// autoscaling/v1 HorizontalPodAutoscaler: the same stored objects as autoscaling/v2, in the older
// shape (pkg/apis/autoscaling/v1/conversion.go): targetCPUUtilizationPercentage is the v2 Resource
// metric for cpu with a Utilization target, currentCPUUtilizationPercentage its current value;
// the v2 conditions, behavior and other metrics ride in the autoscaling.alpha.kubernetes.io/
// conditions, /behavior and /metrics annotations (the metrics in v1's own MetricSpec shape). The
// current values of metrics other than cpu utilization (upstream's /current-metrics) are not kept.

import type { HorizontalPodAutoscalerBehavior, HorizontalPodAutoscalerCondition, HPAScalingRules, HorizontalPodAutoscalerSpec, HorizontalPodAutoscalerStatus, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2.js';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceDef } from '../resource.js';
import { specOf, specToFill, statusOf } from '../narrow.js';
import { horizontalPodAutoscalerV1 } from '../schemas/autoscaling.js';
import { cpuUtilization, defaultHpa, hpaCells, hpaColumns, horizontalpodautoscalers, validateHpaSpec, validateHpaUpdate } from './horizontalpodautoscalers.js';

const CONDITIONS = 'autoscaling.alpha.kubernetes.io/conditions';
const BEHAVIOR = 'autoscaling.alpha.kubernetes.io/behavior';
const METRICS = 'autoscaling.alpha.kubernetes.io/metrics';

interface SpecV1 {
  scaleTargetRef?: HorizontalPodAutoscalerSpec['scaleTargetRef'];
  minReplicas?: number;
  maxReplicas?: number;
  targetCPUUtilizationPercentage?: number;
}
interface StatusV1 {
  observedGeneration?: number;
  lastScaleTime?: string;
  currentReplicas?: number;
  desiredReplicas?: number;
  currentCPUUtilizationPercentage?: number;
}

const isCpu = (m: MetricSpec | MetricStatus): boolean => m.type === 'Resource' && m.resource?.name === 'cpu';
const isCpuUtilization = (m: MetricSpec): boolean => isCpu(m) && m.resource?.target?.averageUtilization !== undefined;

/** autoscaling/v1's MetricSpec, kept only in the metrics annotation (Go's JSON: fields in declared order). */
type MetricV1 = Record<string, unknown> & { type?: string };

/** Convert_autoscaling_MetricSpec_To_v1_MetricSpec. */
function metricToV1(m: MetricSpec): MetricV1 {
  const resource = (r: NonNullable<MetricSpec['resource']>, container?: string) =>
    compact({ name: r.name, targetAverageUtilization: r.target.averageUtilization, targetAverageValue: r.target.averageValue, container });
  return compact({
    type: m.type,
    object: m.object && compact({
      target: compact({ kind: m.object.describedObject.kind, name: m.object.describedObject.name, apiVersion: m.object.describedObject.apiVersion }),
      metricName: m.object.metric.name,
      targetValue: m.object.target.value ?? '0',
      selector: m.object.metric.selector,
      averageValue: m.object.target.averageValue,
    }),
    pods: m.pods && compact({ metricName: m.pods.metric.name, targetAverageValue: m.pods.target.averageValue ?? '0', selector: m.pods.metric.selector }),
    resource: m.resource && resource(m.resource),
    containerResource: m.containerResource && resource(m.containerResource, m.containerResource.container),
    external: m.external && compact({ metricName: m.external.metric.name, metricSelector: m.external.metric.selector, targetValue: m.external.target.value, targetAverageValue: m.external.target.averageValue }),
  });
}

/** Convert_v1_MetricSpec_To_autoscaling_MetricSpec. */
function metricToV2(m: MetricV1): MetricSpec {
  const o = m.object as Record<string, any> | undefined;
  const p = m.pods as Record<string, any> | undefined;
  const r = (m.resource ?? m.containerResource) as Record<string, any> | undefined;
  const e = m.external as Record<string, any> | undefined;
  const resource = r && {
    name: r.name,
    ...(m.containerResource ? { container: r.container } : {}),
    target: compact({ type: r.targetAverageUtilization === undefined ? 'AverageValue' : 'Utilization', averageUtilization: r.targetAverageUtilization, averageValue: r.targetAverageValue }),
  };
  return compact({
    type: m.type ?? '',
    object: o && {
      describedObject: o.target,
      metric: compact({ name: o.metricName, selector: o.selector }),
      target: compact({ type: o.averageValue === undefined ? 'Value' : 'AverageValue', value: o.targetValue && o.targetValue !== '0' ? o.targetValue : undefined, averageValue: o.averageValue }),
    },
    pods: p && { metric: compact({ name: p.metricName, selector: p.selector }), target: { type: 'AverageValue', averageValue: p.targetAverageValue } },
    resource: m.resource ? resource : undefined,
    containerResource: m.containerResource ? resource : undefined,
    external: e && {
      metric: compact({ name: e.metricName, selector: e.metricSelector }),
      target: compact({ type: e.targetValue === undefined ? 'AverageValue' : 'Value', value: e.targetValue, averageValue: e.targetAverageValue }),
    },
  } as MetricSpec);
}

/** Drops the keys whose value is undefined (Go's omitempty of unset fields). */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

function parseAnnotation<T>(text: string | undefined): T | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** autoscaling/v1 → autoscaling/v2 (the stored form), with v2's defaults as a read from storage applies them. */
export function toV2(obj: KubeObject): KubeObject {
  const spec = specOf<SpecV1>(obj);
  const status = statusOf<StatusV1>(obj);
  const { [CONDITIONS]: conditions, [BEHAVIOR]: behavior, [METRICS]: others, ...annotations } = obj.metadata.annotations ?? {};
  const cpu = spec.targetCPUUtilizationPercentage !== undefined ? [cpuUtilization(spec.targetCPUUtilizationPercentage)] : [];
  const metrics = [...(parseAnnotation<MetricV1[]>(others) ?? []).map(metricToV2), ...cpu];
  const metadata = compact({ ...obj.metadata, annotations: Object.keys(annotations).length ? annotations : undefined });
  const v2: KubeObject = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: compact<HorizontalPodAutoscalerSpec>({
      scaleTargetRef: spec.scaleTargetRef ?? { kind: '', name: '' },
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas ?? 0,
      metrics: metrics.length ? metrics : undefined,
      behavior: parseAnnotation<HorizontalPodAutoscalerBehavior>(behavior),
    }),
  };
  if (obj.status) {
    const current = status.currentCPUUtilizationPercentage;
    v2.status = compact<HorizontalPodAutoscalerStatus>({
      observedGeneration: status.observedGeneration,
      lastScaleTime: status.lastScaleTime,
      currentReplicas: status.currentReplicas || undefined, // omitempty in v2
      desiredReplicas: status.desiredReplicas ?? 0,
      currentMetrics: current !== undefined ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } }] : undefined,
      conditions: parseAnnotation<HorizontalPodAutoscalerCondition[]>(conditions),
    });
  }
  defaultHpa(v2);
  return v2;
}

/** Go's JSON of a condition, its fields in their declared order. */
const conditionJson = (c: HorizontalPodAutoscalerCondition) => compact({ type: c.type, status: c.status, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message });

/** Go's JSON of scaling rules, their fields in their declared order. */
const rulesJson = (r: HPAScalingRules | undefined) =>
  r && compact({ stabilizationWindowSeconds: r.stabilizationWindowSeconds, selectPolicy: r.selectPolicy, policies: r.policies?.map((p) => ({ type: p.type, value: p.value, periodSeconds: p.periodSeconds })) });

/** autoscaling/v2 (the stored form) → autoscaling/v1. */
export function toV1(obj: KubeObject): KubeObject {
  const spec = specOf<HorizontalPodAutoscalerSpec>(obj);
  const status = statusOf<HorizontalPodAutoscalerStatus>(obj);
  const annotations: Record<string, string> = { ...obj.metadata.annotations };
  if (status.conditions?.length) annotations[CONDITIONS] = JSON.stringify(status.conditions.map(conditionJson));
  const others = (spec.metrics ?? []).filter((m) => !isCpuUtilization(m));
  if (others.length) annotations[METRICS] = JSON.stringify(others.map(metricToV1));
  if (spec.behavior) annotations[BEHAVIOR] = JSON.stringify(compact({ scaleUp: rulesJson(spec.behavior.scaleUp), scaleDown: rulesJson(spec.behavior.scaleDown) }));
  const cpu = spec.metrics?.find(isCpuUtilization);
  const currentCpu = status.currentMetrics?.find((m) => isCpu(m) && m.resource?.current?.averageUtilization !== undefined);
  const v1: KubeObject = {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: compact({ ...obj.metadata, annotations: Object.keys(annotations).length ? annotations : undefined }),
    spec: compact<SpecV1>({ scaleTargetRef: spec.scaleTargetRef, minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas, targetCPUUtilizationPercentage: cpu?.resource?.target?.averageUtilization }),
  };
  if (obj.status) {
    v1.status = compact<StatusV1>({
      observedGeneration: status.observedGeneration,
      lastScaleTime: status.lastScaleTime,
      currentReplicas: status.currentReplicas ?? 0,
      desiredReplicas: status.desiredReplicas ?? 0,
      currentCPUUtilizationPercentage: currentCpu?.resource?.current?.averageUtilization,
    });
  }
  return v1;
}

/** Checked in the v2 form, as upstream validates the internal one. */
const inV2 = (o: KubeObject) => toV2(structuredClone(o));

export const horizontalpodautoscalersV1: ResourceDef = {
  group: 'autoscaling',
  version: 'v1',
  kind: 'HorizontalPodAutoscaler',
  resource: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  shortNames: ['hpa'],
  categories: ['all'],
  namespaced: true,
  schema: horizontalPodAutoscalerV1,
  hasStatus: true,
  storedAs: { def: () => horizontalpodautoscalers, toStored: toV2, fromStored: toV1 },
  defaults(o) {
    specToFill<SpecV1>(o).minReplicas ??= 1;
  },
  prepareForCreate(o) {
    o.status = { currentReplicas: 0, desiredReplicas: 0 };
  },
  validate: (o) => validateHpaSpec(inV2(o)),
  validateUpdate: (o, old, _ctx, subresource) => validateHpaUpdate(inV2(o), inV2(old), subresource),
  table: { columns: hpaColumns, cells: (o, now) => hpaCells(inV2(o), now) },
};
