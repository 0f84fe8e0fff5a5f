// policy/v1 Eviction (k8s.io/api/policy/v1) and meta/v1 DeleteOptions, as served by Kubernetes 1.32.
import { arr, bool, described, int64, obj, pb, ptr, str } from '../../api/schema.js';
import { kind, typeMeta } from './meta.js';

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
