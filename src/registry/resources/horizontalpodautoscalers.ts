// autoscaling/v2 HorizontalPodAutoscaler, the stored version (autoscaling/v1 serves the same objects,
// horizontalpodautoscalers-v1.ts). Facts from pkg/apis/autoscaling/v2/defaults.go,
// pkg/apis/autoscaling/validation, pkg/registry/autoscaling/horizontalpodautoscaler and
// printHorizontalPodAutoscaler.
import type { HorizontalPodAutoscalerSpec, HorizontalPodAutoscalerStatus, HPAScalingRules, MetricSpec, MetricStatus, MetricTarget } from 'kubernetes-types/autoscaling/v2.js';
import { age } from '../../api/duration.js';
import { forbidden, invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { parseQuantity } from '../../api/quantity.js';
import { validateName } from '../../api/validation.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { specOf, specToFill, statusOf } from '../narrow.js';
import { horizontalPodAutoscalerV2 } from '../schemas/autoscaling.js';
import { nonNegative } from './workloads.js';

/** autoscaling.DefaultCPUUtilization. */
export const DEFAULT_CPU_UTILIZATION = 80;
const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;

const specOfHpa = (o: KubeObject) => specOf<HorizontalPodAutoscalerSpec>(o);

/** The cpu Resource metric kubectl autoscale and autoscaling/v1 ask for. */
export const cpuUtilization = (percent: number): MetricSpec => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: percent } } });

/** GenerateHPAScaleUpRules / GenerateHPAScaleDownRules: the given rules over the defaults. */
function scalingRules(given: HPAScalingRules | undefined, up: boolean): HPAScalingRules {
  const defaults: HPAScalingRules = up
    ? { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] }
    : { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };
  return {
    ...defaults,
    ...(given?.selectPolicy !== undefined ? { selectPolicy: given.selectPolicy } : {}),
    ...(given?.stabilizationWindowSeconds !== undefined ? { stabilizationWindowSeconds: given.stabilizationWindowSeconds } : {}),
    ...(given?.policies ? { policies: given.policies } : {}),
  };
}

/** SetDefaults_HorizontalPodAutoscaler (v2): minReplicas 1, 80% CPU, and behavior filled in when given. */
export function defaultHpa(o: KubeObject): void {
  const spec = specToFill<HorizontalPodAutoscalerSpec>(o);
  spec.minReplicas ??= 1;
  if (!spec.metrics?.length) spec.metrics = [cpuUtilization(DEFAULT_CPU_UTILIZATION)];
  if (spec.behavior) spec.behavior = { scaleUp: scalingRules(spec.behavior.scaleUp, true), scaleDown: scalingRules(spec.behavior.scaleDown, false) };
}

// ---- validation (pkg/apis/autoscaling/validation) ----

/** ValidateCrossVersionObjectReference. */
export function validateReference(ref: { kind?: string; name?: string } | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['kind', 'name'] as const) {
    const v = ref?.[key] ?? '';
    if (!v) errs.push(required(`${path}.${key}`));
    else errs.push(...validateName(v, 'path-segment', false).map((msg) => invalid(`${path}.${key}`, v, msg)));
  }
  return errs;
}

const positive = (q: string | undefined): boolean => (parseQuantity(q)?.num ?? 0n) > 0n;

function validateTarget(t: MetricTarget | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = t?.type ?? '';
  if (!type) errs.push(required(`${path}.type`, 'must specify a metric target type'));
  if (!['Utilization', 'Value', 'AverageValue'].includes(type)) errs.push(invalid(`${path}.type`, type, 'must be either Utilization, Value, or AverageValue'));
  if (t?.value !== undefined && !positive(t.value)) errs.push(invalid(`${path}.value`, t.value, 'must be positive'));
  if (t?.averageValue !== undefined && !positive(t.averageValue)) errs.push(invalid(`${path}.averageValue`, t.averageValue, 'must be positive'));
  if (t?.averageUtilization !== undefined && t.averageUtilization < 1) errs.push(invalid(`${path}.averageUtilization`, t.averageUtilization, 'must be greater than 0'));
  return errs;
}

function validateIdentifier(id: { name?: string } | undefined, path: string): FieldError[] {
  const name = id?.name ?? '';
  if (!name) return [required(`${path}.name`, 'must specify a metric name')];
  return validateName(name, 'path-segment', false).map((msg) => invalid(`${path}.name`, name, msg));
}

/** A Resource or ContainerResource source's target: a utilization or an average value, not both. */
function utilizationOrAverage(t: MetricTarget | undefined, path: string): FieldError[] {
  const errs = validateTarget(t, path);
  if (t?.averageUtilization === undefined && t?.averageValue === undefined) errs.push(required(`${path}.averageUtilization`, 'must set either a target raw value or a target utilization'));
  if (t?.averageUtilization !== undefined && t?.averageValue !== undefined) errs.push(forbidden(`${path}.averageValue`, 'may not set both a target raw value and a target utilization'));
  return errs;
}

type Source = keyof Omit<MetricSpec, 'type'>;

/** Each source's own checks (validateObjectSource, validateExternalSource, …). */
const sourceChecks: Record<Source, (m: MetricSpec, path: string) => FieldError[]> = {
  object: ({ object: s }, path) => {
    const errs = [...validateReference(s?.describedObject, `${path}.describedObject`), ...validateIdentifier(s?.metric, `${path}.metric`), ...validateTarget(s?.target, `${path}.target`)];
    if (s?.target?.value === undefined && s?.target?.averageValue === undefined) errs.push(required(`${path}.target.averageValue`, 'must set either a target value or averageValue'));
    return errs;
  },
  external: ({ external: s }, path) => {
    const errs = [...validateIdentifier(s?.metric, `${path}.metric`), ...validateTarget(s?.target, `${path}.target`)];
    if (s?.target?.value === undefined && s?.target?.averageValue === undefined) errs.push(required(`${path}.target.averageValue`, 'must set either a target value for metric or a per-pod target'));
    if (s?.target?.value !== undefined && s?.target?.averageValue !== undefined) errs.push(forbidden(`${path}.target.value`, 'may not set both a target value for metric and a per-pod target'));
    return errs;
  },
  pods: ({ pods: s }, path) => {
    const errs = [...validateIdentifier(s?.metric, `${path}.metric`), ...validateTarget(s?.target, `${path}.target`)];
    if (s?.target?.averageValue === undefined) errs.push(required(`${path}.target.averageValue`, 'must specify a positive target averageValue'));
    return errs;
  },
  resource: ({ resource: s }, path) => [...(s?.name ? [] : [required(`${path}.name`, 'must specify a resource name')]), ...utilizationOrAverage(s?.target, `${path}.target`)],
  containerResource: ({ containerResource: s }, path) => [
    ...(s?.name ? [] : [required(`${path}.name`, 'must specify a resource name')]),
    ...(s?.container ? [] : [required(`${path}.container`, 'must specify a container')]),
    ...utilizationOrAverage(s?.target, `${path}.target`),
  ],
};

/** The order upstream looks at the sources in. */
const SOURCES: Source[] = ['object', 'external', 'pods', 'resource', 'containerResource'];
const TYPES: Record<string, Source> = { Object: 'object', Pods: 'pods', Resource: 'resource', External: 'external', ContainerResource: 'containerResource' };
const SUPPORTED_TYPES = Object.keys(TYPES).sort();

/** validateMetricSpec: a known type, its source set, and no other. */
function validateMetric(m: MetricSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = m.type ?? '';
  if (!type) errs.push(required(`${path}.type`, 'must specify a metric source type'));
  if (!TYPES[type]) errs.push(notSupported(`${path}.type`, type, SUPPORTED_TYPES));
  const present = SOURCES.filter((s) => m[s] !== undefined && m[s] !== null);
  if (present[0]) errs.push(...sourceChecks[present[0]](m, `${path}.${present[0]}`));
  const expected = TYPES[type];
  if (expected && !present.includes(expected)) errs.push(required(`${path}.${expected}`, 'must populate information for the given metric source'));
  if (!expected) errs.push(notSupported(`${path}.type`, type, SUPPORTED_TYPES));
  if (present.length !== 1) for (const s of present.filter((p) => p !== expected)) errs.push(forbidden(`${path}.${s}`, 'must populate the given metric source only'));
  return errs;
}

function validateRules(rules: HPAScalingRules | undefined, path: string): FieldError[] {
  if (!rules) return [];
  const errs: FieldError[] = [];
  const window = rules.stabilizationWindowSeconds;
  if (window !== undefined && window < 0) errs.push(invalid(`${path}.stabilizationWindowSeconds`, window, 'must be greater than or equal to zero'));
  if (window !== undefined && window > MAX_STABILIZATION_WINDOW_SECONDS) errs.push(invalid(`${path}.stabilizationWindowSeconds`, window, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`));
  if (rules.selectPolicy !== undefined && !['Disabled', 'Max', 'Min'].includes(rules.selectPolicy)) errs.push(notSupported(`${path}.selectPolicy`, rules.selectPolicy, ['Disabled', 'Max', 'Min']));
  if (!rules.policies?.length) errs.push(required(`${path}.policies`, 'must specify at least one Policy'));
  (rules.policies ?? []).forEach((p, i) => {
    const at = `${path}.policies[${i}]`;
    if (p.type !== 'Pods' && p.type !== 'Percent') errs.push(notSupported(`${at}.type`, p.type ?? '', ['Percent', 'Pods']));
    if ((p.value ?? 0) <= 0) errs.push(invalid(`${at}.value`, p.value ?? 0, 'must be greater than zero'));
    if ((p.periodSeconds ?? 0) <= 0) errs.push(invalid(`${at}.periodSeconds`, p.periodSeconds ?? 0, 'must be greater than zero'));
    if ((p.periodSeconds ?? 0) > MAX_PERIOD_SECONDS) errs.push(invalid(`${at}.periodSeconds`, p.periodSeconds, `must be less than or equal to ${MAX_PERIOD_SECONDS}`));
  });
  return errs;
}

/** validateHorizontalPodAutoscalerSpec; minReplicas may be 0 only where the object already had it (HPAScaleToZero is off). */
export function validateHpaSpec(o: KubeObject, minReplicasLowerBound = 1): FieldError[] {
  const spec = specOfHpa(o);
  const errs: FieldError[] = [];
  const min = spec.minReplicas;
  const max = spec.maxReplicas ?? 0;
  if (min !== undefined && min < minReplicasLowerBound) errs.push(invalid('spec.minReplicas', min, `must be greater than or equal to ${minReplicasLowerBound}`));
  if (max < 1) errs.push(invalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (min !== undefined && max < min) errs.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  errs.push(...validateReference(spec.scaleTargetRef, 'spec.scaleTargetRef'));
  const metrics = spec.metrics ?? [];
  metrics.forEach((m, i) => errs.push(...validateMetric(m, `spec.metrics[${i}]`)));
  if (min === 0 && !metrics.some((m) => m.type === 'Object' || m.type === 'External')) {
    errs.push(forbidden('spec.metrics', 'must specify at least one Object or External metric to support scaling to zero replicas'));
  }
  errs.push(...validateRules(spec.behavior?.scaleUp, 'spec.behavior.scaleUp'), ...validateRules(spec.behavior?.scaleDown, 'spec.behavior.scaleDown'));
  return errs;
}

/** ValidateHorizontalPodAutoscalerUpdate, or ValidateHorizontalPodAutoscalerStatusUpdate for /status. */
export function validateHpaUpdate(o: KubeObject, old: KubeObject, subresource: string): FieldError[] {
  if (subresource === 'status') {
    const status = statusOf<HorizontalPodAutoscalerStatus>(o);
    return [...nonNegative(status.currentReplicas, 'status.currentReplicas'), ...nonNegative(status.desiredReplicas, 'status.desiredReplicas')];
  }
  return validateHpaSpec(o, specOfHpa(old).minReplicas === 0 ? 0 : 1);
}

// ---- table (printHorizontalPodAutoscaler) ----

/** formatHPAMetrics: each metric's current/target, at most two, then how many more. */
export function formatHpaMetrics(specs: MetricSpec[], statuses: MetricStatus[]): string {
  if (!specs.length) return '<none>';
  const shown = specs.map((spec, i) => {
    const status = statuses[i];
    const unknown = '<unknown>';
    switch (spec.type) {
      case 'External':
      case 'Object': {
        const t = (spec.type === 'External' ? spec.external : spec.object)?.target;
        const c = (spec.type === 'External' ? status?.external : status?.object)?.current;
        if (t?.averageValue !== undefined) return `${c?.averageValue ?? unknown}/${t.averageValue} (avg)`;
        return `${c ? (c.value ?? '0') : unknown}/${t?.value ?? '0'}`;
      }
      case 'Pods':
        return `${status?.pods ? (status.pods.current?.averageValue ?? '0') : unknown}/${spec.pods?.target?.averageValue ?? '0'}`;
      case 'Resource':
      case 'ContainerResource': {
        const source = spec.type === 'Resource' ? spec.resource : spec.containerResource;
        const current = spec.type === 'Resource' ? status?.resource : status?.containerResource;
        const t = source?.target;
        if (t?.averageValue !== undefined) return `${source?.name}: ${current ? (current.current?.averageValue ?? '0') : unknown}/${t.averageValue}`;
        const now = current?.current?.averageUtilization;
        return `${source?.name}: ${now !== undefined ? `${now}%` : unknown}/${t?.averageUtilization !== undefined ? `${t.averageUtilization}%` : '<auto>'}`;
      }
      default:
        return '<unknown type>';
    }
  });
  return shown.length > 2 ? `${shown.slice(0, 2).join(', ')} + ${shown.length - 2} more...` : shown.join(', ');
}

export function hpaCells(o: KubeObject, now: Date): unknown[] {
  const spec = specOfHpa(o);
  const status = statusOf<HorizontalPodAutoscalerStatus>(o);
  const ref = `${spec.scaleTargetRef?.kind ?? ''}/${spec.scaleTargetRef?.name ?? ''}`;
  const minPods = spec.minReplicas ?? '<unset>';
  return [o.metadata.name, ref, formatHpaMetrics(spec.metrics ?? [], status.currentMetrics ?? []), minPods, spec.maxReplicas ?? 0, status.currentReplicas ?? 0, age(o.metadata.creationTimestamp, now)];
}

export const hpaColumns = [
  nameColumn,
  column('Reference', 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.'),
  column(
    'Targets',
    'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond. If not set, the default metric will be set to 80% average CPU utilization.',
  ),
  column(
    'MinPods',
    'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available.',
  ),
  column('MaxPods', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.'),
  column('Replicas', 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'),
  ageColumn,
];

export const horizontalpodautoscalers: ResourceDef = {
  group: 'autoscaling',
  version: 'v2',
  kind: 'HorizontalPodAutoscaler',
  resource: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  shortNames: ['hpa'],
  categories: ['all'],
  namespaced: true,
  schema: horizontalPodAutoscalerV2,
  hasStatus: true,
  defaults: defaultHpa,
  prepareForCreate(o) {
    // HorizontalPodAutoscalerStatus.desiredReplicas is not omitempty.
    o.status = { desiredReplicas: 0 };
  },
  validate: (o) => validateHpaSpec(o),
  validateUpdate: (o, old, _ctx, subresource) => validateHpaUpdate(o, old, subresource),
  table: { columns: hpaColumns, cells: hpaCells },
};
