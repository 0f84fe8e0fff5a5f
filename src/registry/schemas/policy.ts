// policy/v1 PodDisruptionBudget and Eviction (k8s.io/api/policy/v1) and meta/v1 DeleteOptions, as
// served by Kubernetes 1.32.
import { arr, bool, described, int32, int64, intOrString, keyedList, mapOf, obj, pb, ptr, str, time } from '../../api/schema.js';
import { condition, kind, labelSelector, typeMeta } from './meta.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const POLICY = 'io.k8s.api.policy.v1';

export const preconditions = obj(`${META}.Preconditions`, 'Conditions that must hold before an operation is carried out.', {
  resourceVersion: pb(2, ptr(str('The resourceVersion the object must have.'))),
  uid: pb(1, ptr(str('The UID the object must have.'))),
});

/** DeleteOptions carries TypeMeta (no protobuf numbers) like a kind, but is not served on its own. */
export const deleteOptions = obj(`${META}.DeleteOptions`, 'Options for a delete request.', {
  apiVersion: typeMeta.apiVersion!,
  dryRun: pb(5, arr(str(), 'When present, changes are not persisted; the only accepted value is All.', { listType: 'atomic' })),
  gracePeriodSeconds: pb(1, ptr(int64('Seconds before the object is deleted; 0 means now, unset the default of its type.'))),
  ignoreStoreReadErrorWithClusterBreakingPotential: pb(6, ptr(bool('Force-delete an object that cannot be read from storage, skipping finalizers and preconditions; may break the cluster.'))),
  kind: typeMeta.kind!,
  orphanDependents: pb(3, ptr(bool('Deprecated, use propagationPolicy: whether dependents are orphaned instead of deleted.'))),
  preconditions: pb(2, described('Must hold for the delete to go ahead, or a 409 Conflict is returned.', preconditions)),
  propagationPolicy: pb(4, ptr(str('Whether and how dependents are garbage collected: Orphan, Background or Foreground.'))),
});

export const eviction = kind('policy', 'v1', 'Eviction', POLICY, 'Evicts a pod from its node, subject to disruption budgets; created as the pods/eviction subresource.', {
  deleteOptions: pb(2, described('Options for the deletion of the pod.', deleteOptions)),
});

export const podDisruptionBudgetSpec = obj(`${POLICY}.PodDisruptionBudgetSpec`, 'The desired bounds on disruptions of a set of pods.', {
  maxUnavailable: pb(3, ptr(intOrString('At most this many selected pods (a number or a percentage of the expected pods) may be unavailable after an eviction; excludes minAvailable.'))),
  minAvailable: pb(1, ptr(intOrString('At least this many selected pods (a number or a percentage of the expected pods) must stay available after an eviction; excludes maxUnavailable.'))),
  selector: pb(2, { ...ptr(described('The pods the budget covers; an empty selector selects every pod of the namespace, a null one none.', labelSelector)), patchStrategy: 'replace' as const }),
  unhealthyPodEvictionPolicy: pb(4, ptr(str('When running but not ready pods may be evicted: IfHealthyBudget (the default) or AlwaysAllow.', { enum: ['AlwaysAllow', 'IfHealthyBudget'] }))),
});

export const podDisruptionBudgetStatus = obj(`${POLICY}.PodDisruptionBudgetStatus`, 'The most recently observed state of a PodDisruptionBudget.', {
  conditions: pb(7, keyedList(condition, 'type', 'Conditions of the budget; DisruptionAllowed tells whether an eviction may go ahead.', { listType: 'map', listMapKeys: ['type'] })),
  currentHealthy: pb(4, int32('Current number of healthy pods.')),
  desiredHealthy: pb(5, int32('Minimum desired number of healthy pods.')),
  disruptedPods: pb(2, mapOf(time(), 'Pods whose eviction was accepted but not yet seen by the disruption controller, with the time of the eviction.')),
  disruptionsAllowed: pb(3, int32('Number of pod disruptions currently allowed.')),
  expectedPods: pb(6, int32('Total number of pods counted by this budget.')),
  observedGeneration: pb(1, int64('The generation last seen by the disruption controller.')),
}, { required: ['currentHealthy', 'desiredHealthy', 'disruptionsAllowed', 'expectedPods'] });

export const podDisruptionBudget = kind('policy', 'v1', 'PodDisruptionBudget', POLICY, 'The maximum disruption a collection of pods may suffer.', {
  spec: pb(2, described('Desired behaviour of the PodDisruptionBudget.', podDisruptionBudgetSpec)),
  status: pb(3, described('Most recently observed status of the PodDisruptionBudget.', podDisruptionBudgetStatus)),
});
