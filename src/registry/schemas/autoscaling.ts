// autoscaling kinds (k8s.io/api/autoscaling/v1 and v2), as served by Kubernetes 1.32: the Scale of
// the scale subresource, and HorizontalPodAutoscaler in both served versions (v2 is stored).
import { arr, described, int32, int64, keyedList, obj, pb, ptr, quantity, str, time, type ObjectSchema } from '../../api/schema.js';
import { kind, labelSelector } from './meta.js';

const AUTOSCALING = 'io.k8s.api.autoscaling.v1';
const V2 = 'io.k8s.api.autoscaling.v2';

export const scaleSpec = obj(`${AUTOSCALING}.ScaleSpec`, 'The desired scale of a resource.', {
  replicas: pb(1, int32('Desired number of instances of the scaled object.')),
});

export const scaleStatus = obj(`${AUTOSCALING}.ScaleStatus`, 'The current scale of a resource.', {
  replicas: pb(1, int32('Number of instances observed.')),
  selector: pb(2, str('Label query, in string form, over the pods that should match the replica count.')),
}, { required: ['replicas'] });

export const scale = kind('autoscaling', 'v1', 'Scale', AUTOSCALING, 'The scale subresource of a resource.', {
  spec: pb(2, described('Desired scale of the object.', scaleSpec)),
  status: pb(3, described('Current scale of the object, filled in by the server.', scaleStatus)),
});

// ---- HorizontalPodAutoscaler, autoscaling/v1 ----

const crossVersionObjectReference = (pkg: string): ObjectSchema =>
  obj(`${pkg}.CrossVersionObjectReference`, 'Identifies an object of any API version.', {
    apiVersion: pb(3, str('API version of the referent.')),
    kind: pb(1, str('Kind of the referent, e.g. Deployment.')),
    name: pb(2, str('Name of the referent.')),
  }, { required: ['kind', 'name'] });

export const hpaSpecV1 = obj(`${AUTOSCALING}.HorizontalPodAutoscalerSpec`, 'The desired behaviour of an autoscaler.', {
  maxReplicas: pb(3, int32('Upper limit of the number of pods; not less than minReplicas.')),
  minReplicas: pb(2, ptr(int32('Lower limit of the number of pods (default 1).'))),
  scaleTargetRef: pb(1, described('The object to scale, through its scale subresource.', crossVersionObjectReference(AUTOSCALING))),
  targetCPUUtilizationPercentage: pb(4, ptr(int32('Target average CPU utilization, as a percentage of the requested CPU, over all the pods.'))),
}, { required: ['scaleTargetRef', 'maxReplicas'] });

export const hpaStatusV1 = obj(`${AUTOSCALING}.HorizontalPodAutoscalerStatus`, 'The current state of an autoscaler.', {
  currentCPUUtilizationPercentage: pb(5, ptr(int32('Current average CPU utilization, as a percentage of the requested CPU, over all the pods.'))),
  currentReplicas: pb(3, int32('Current number of pods, as last seen by the autoscaler.')),
  desiredReplicas: pb(4, int32('Desired number of pods, as last computed by the autoscaler.')),
  lastScaleTime: pb(2, ptr(time('When the autoscaler last changed the number of pods.'))),
  observedGeneration: pb(1, ptr(int64('The generation last seen by the autoscaler.'))),
}, { required: ['currentReplicas', 'desiredReplicas'] });

export const horizontalPodAutoscalerV1 = kind('autoscaling', 'v1', 'HorizontalPodAutoscaler', AUTOSCALING, 'Scales a resource with a scale subresource between limits, on its CPU utilization.', {
  spec: pb(2, described('Desired behaviour of the autoscaler.', hpaSpecV1)),
  status: pb(3, described('Current state of the autoscaler.', hpaStatusV1)),
});

// ---- HorizontalPodAutoscaler, autoscaling/v2 ----

const crossVersionObjectReferenceV2 = crossVersionObjectReference(V2);

export const metricTarget = obj(`${V2}.MetricTarget`, 'The target value, average value or average utilization of a metric.', {
  averageUtilization: pb(4, ptr(int32('Target average utilization over the pods, as a percentage of their request (Resource metrics only).'))),
  averageValue: pb(3, ptr(quantity('Target average of the metric over the pods.'))),
  type: pb(1, str('Utilization, Value or AverageValue.')),
  value: pb(2, ptr(quantity('Target value of the metric.'))),
}, { required: ['type'] });

export const metricValueStatus = obj(`${V2}.MetricValueStatus`, 'The current value of a metric.', {
  averageUtilization: pb(3, ptr(int32('Current average utilization over the pods, as a percentage of their request.'))),
  averageValue: pb(2, ptr(quantity('Current average of the metric over the pods.'))),
  value: pb(1, ptr(quantity('Current value of the metric.'))),
});

export const metricIdentifier = obj(`${V2}.MetricIdentifier`, 'A metric, by name and selector.', {
  name: pb(1, str('Name of the metric.')),
  selector: pb(2, ptr(described('Narrows the metric down, passed to the metrics server.', labelSelector))),
}, { required: ['name'] });

const metricSource = (name: string, description: string, fields: Record<string, ObjectSchema | ReturnType<typeof str>>, required: string[]) =>
  obj(`${V2}.${name}`, description, fields, { required });

const target = pb(2, described('The target value of the metric.', metricTarget));
const current = pb(2, described('The current value of the metric.', metricValueStatus));
const metric = (n: number) => pb(n, described('The metric, by name and selector.', metricIdentifier));
const resourceName = pb(1, str('Name of the resource, e.g. cpu or memory.'));
const container = pb(3, str('Name of the container in the pods of the scale target.'));
const describedObject = (n: number) => pb(n, described('The object the metric describes.', crossVersionObjectReferenceV2));

export const resourceMetricSource = metricSource('ResourceMetricSource', 'Scales on a resource (from requests and limits) of each pod, averaged.', { name: resourceName, target }, ['name', 'target']);
export const containerResourceMetricSource = metricSource('ContainerResourceMetricSource', 'Scales on a resource of one container in each pod, averaged.', { container, name: resourceName, target }, ['name', 'target', 'container']);
export const podsMetricSource = metricSource('PodsMetricSource', 'Scales on a metric describing each pod, averaged.', { metric: metric(1), target }, ['metric', 'target']);
export const objectMetricSource = metricSource('ObjectMetricSource', 'Scales on a metric describing one object.', { describedObject: describedObject(1), metric: metric(3), target }, ['describedObject', 'target', 'metric']);
export const externalMetricSource = metricSource('ExternalMetricSource', 'Scales on a metric of something outside the cluster.', { metric: metric(1), target }, ['metric', 'target']);

export const resourceMetricStatus = metricSource('ResourceMetricStatus', 'The current value of a resource metric.', { current, name: resourceName }, ['name', 'current']);
export const containerResourceMetricStatus = metricSource('ContainerResourceMetricStatus', 'The current value of a container resource metric.', { container, current, name: resourceName }, ['name', 'current', 'container']);
export const podsMetricStatus = metricSource('PodsMetricStatus', 'The current value of a pods metric.', { current, metric: metric(1) }, ['metric', 'current']);
export const objectMetricStatus = metricSource('ObjectMetricStatus', 'The current value of an object metric.', { current, describedObject: describedObject(3), metric: metric(1) }, ['metric', 'current', 'describedObject']);
export const externalMetricStatus = metricSource('ExternalMetricStatus', 'The current value of an external metric.', { current, metric: metric(1) }, ['metric', 'current']);

const TYPE = 'ContainerResource, External, Object, Pods or Resource: which of the other fields is set.';

export const metricSpec = obj(`${V2}.MetricSpec`, 'One metric to scale on: its type, and that one source.', {
  containerResource: pb(7, ptr(described('A resource of one container in each pod.', containerResourceMetricSource))),
  external: pb(5, ptr(described('A metric of something outside the cluster.', externalMetricSource))),
  object: pb(2, ptr(described('A metric describing one object.', objectMetricSource))),
  pods: pb(3, ptr(described('A metric describing each pod, averaged.', podsMetricSource))),
  resource: pb(4, ptr(described('A resource of each pod, averaged.', resourceMetricSource))),
  type: pb(1, str(TYPE)),
}, { required: ['type'] });

export const metricStatus = obj(`${V2}.MetricStatus`, 'The last read state of one metric.', {
  containerResource: pb(7, ptr(described('A resource of one container in each pod.', containerResourceMetricStatus))),
  external: pb(5, ptr(described('A metric of something outside the cluster.', externalMetricStatus))),
  object: pb(2, ptr(described('A metric describing one object.', objectMetricStatus))),
  pods: pb(3, ptr(described('A metric describing each pod, averaged.', podsMetricStatus))),
  resource: pb(4, ptr(described('A resource of each pod, averaged.', resourceMetricStatus))),
  type: pb(1, str(TYPE)),
}, { required: ['type'] });

export const hpaScalingPolicy = obj(`${V2}.HPAScalingPolicy`, 'A change the autoscaler may make within a period.', {
  periodSeconds: pb(3, int32('The window the policy holds for, 1 to 1800 seconds.')),
  type: pb(1, str('Pods or Percent.')),
  value: pb(2, int32('How many pods, or what percentage of them, may change; more than 0.')),
}, { required: ['type', 'value', 'periodSeconds'] });

export const hpaScalingRules = obj(`${V2}.HPAScalingRules`, 'How the autoscaler scales in one direction.', {
  policies: pb(2, arr(hpaScalingPolicy, 'The changes allowed (default: scale up by 4 pods or 100% in 15 s; scale down by 100% in 15 s).', { listType: 'atomic' })),
  selectPolicy: pb(1, ptr(str('Max, Min or Disabled: which policy applies (default Max).'))),
  stabilizationWindowSeconds: pb(3, ptr(int32('Seconds of past recommendations considered, 0 to 3600 (default 0 up, 300 down).'))),
});

export const hpaBehavior = obj(`${V2}.HorizontalPodAutoscalerBehavior`, 'How the autoscaler scales up and down.', {
  scaleDown: pb(2, ptr(described('Rules for scaling down.', hpaScalingRules))),
  scaleUp: pb(1, ptr(described('Rules for scaling up.', hpaScalingRules))),
});

export const hpaCondition = obj(`${V2}.HorizontalPodAutoscalerCondition`, 'The state of an autoscaler at one point in time.', {
  lastTransitionTime: pb(3, time('When the condition last went from one status to another.')),
  message: pb(5, str('Human readable detail about the last transition.')),
  reason: pb(4, str('Machine readable reason for the last transition.')),
  status: pb(2, str('True, False or Unknown.')),
  type: pb(1, str('AbleToScale, ScalingActive or ScalingLimited.')),
}, { required: ['type', 'status'] });

export const hpaSpecV2 = obj(`${V2}.HorizontalPodAutoscalerSpec`, 'The desired behaviour of an autoscaler.', {
  behavior: pb(5, ptr(described('How fast to scale up and down.', hpaBehavior))),
  maxReplicas: pb(3, int32('Upper limit of the number of pods; not less than minReplicas.')),
  metrics: pb(4, arr(metricSpec, 'The metrics to scale on; the largest replica count any of them asks for wins (default: 80% average CPU utilization).', { listType: 'atomic' })),
  minReplicas: pb(2, ptr(int32('Lower limit of the number of pods (default 1).'))),
  scaleTargetRef: pb(1, described('The object to scale, through its scale subresource.', crossVersionObjectReferenceV2)),
}, { required: ['scaleTargetRef', 'maxReplicas'] });

export const hpaStatusV2 = obj(`${V2}.HorizontalPodAutoscalerStatus`, 'The current state of an autoscaler.', {
  conditions: pb(6, keyedList(hpaCondition, 'type', 'What the autoscaler needs to scale its target, and whether it has it.', { listType: 'map', listMapKeys: ['type'] })),
  currentMetrics: pb(5, arr(metricStatus, 'The last read state of the metrics.', { listType: 'atomic' })),
  currentReplicas: pb(3, int32('Current number of pods, as last seen by the autoscaler.')),
  desiredReplicas: pb(4, int32('Desired number of pods, as last computed by the autoscaler.')),
  lastScaleTime: pb(2, ptr(time('When the autoscaler last changed the number of pods.'))),
  observedGeneration: pb(1, ptr(int64('The generation last seen by the autoscaler.'))),
}, { required: ['desiredReplicas'] });

export const horizontalPodAutoscalerV2 = kind('autoscaling', 'v2', 'HorizontalPodAutoscaler', V2, 'Scales a resource with a scale subresource between limits, on the metrics given.', {
  spec: pb(2, described('Desired behaviour of the autoscaler.', hpaSpecV2)),
  status: pb(3, described('Current state of the autoscaler.', hpaStatusV2)),
});
