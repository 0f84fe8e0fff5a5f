// The kube-controller-manager's per-controller roles (plugin/pkg/auth/authorizer/rbac/
// bootstrappolicy/controller_policy.go, rendered in testdata/controller-roles.yaml) as they stand in
// Kubernetes 1.32 with the default feature gates, including the 1.32 patch releases that added
// `watch` for the WatchListClient informers (kubernetes#129201, #130405, backported as #129528,
// #130461). Each role is `system:controller:<name>` and is bound to the service account
// kube-system/<name>. Roles behind gates that 1.32 leaves off are absent: resource-claim-controller
// (DynamicResourceAllocation), service-cidrs-controller (MultiCIDRServiceAllocator),
// selinux-warning-controller (SELinuxChangePolicy), volumeattributesclass-protection-controller
// (VolumeAttributesClass), storage-version-garbage-collector (StorageVersionAPI) and
// storage-version-migrator-controller (StorageVersionMigrator).
//
// Only functions cross the import cycle with bootstrap-policy.ts, so either module may load first.
import { ADMISSION_REGISTRATION, APPS, AUTHORIZATION, AUTOSCALING, BATCH, CERTIFICATES, CORE, CUSTOM_METRICS, DISCOVERY, EXTENSIONS, EXTERNAL_METRICS, POLICY, RBAC_GROUP, READ, RESOURCE_METRICS, STORAGE, eventsRule, rule } from './bootstrap-policy.js';
import type { PolicyRule } from './rules.js';

export const CONTROLLER_SA_NAMESPACE = 'kube-system';

const ALL = '*';
const SIGNERS = ['kubernetes.io/legacy-unknown', 'kubernetes.io/kube-apiserver-client', 'kubernetes.io/kube-apiserver-client-kubelet', 'kubernetes.io/kubelet-serving'];

/** Controller name (the service account, and the role name without `system:controller:`) and its rules. */
export function controllerRoleRules(): { name: string; rules: PolicyRule[] }[] {
  const role = (name: string, ...rules: PolicyRule[]) => ({ name, rules });
  return [
    role(
      'attachdetach-controller',
      rule(['list', 'watch'], CORE, ['persistentvolumes', 'persistentvolumeclaims']),
      rule(READ, CORE, 'nodes'),
      rule(['patch', 'update'], CORE, 'nodes/status'),
      rule(['list', 'watch'], CORE, 'pods'),
      eventsRule(),
      rule(['get', 'create', 'delete', 'list', 'watch'], STORAGE, 'volumeattachments'),
      rule(READ, STORAGE, 'csidrivers'),
      rule(READ, STORAGE, 'csinodes'),
    ),
    role(
      'certificate-controller',
      rule(['get', 'list', 'watch', 'delete'], CERTIFICATES, 'certificatesigningrequests'),
      rule('update', CERTIFICATES, ['certificatesigningrequests/status', 'certificatesigningrequests/approval']),
      rule('approve', CERTIFICATES, 'signers', 'kubernetes.io/kube-apiserver-client-kubelet'),
      rule('sign', CERTIFICATES, 'signers', SIGNERS),
      rule('create', AUTHORIZATION, 'subjectaccessreviews'),
      eventsRule(),
    ),
    // must hold every permission on clusterroles to be able to write any aggregated rule
    role('clusterrole-aggregation-controller', rule(['escalate', 'get', 'list', 'watch', 'update', 'patch'], RBAC_GROUP, 'clusterroles')),
    role(
      'cronjob-controller',
      rule(['get', 'list', 'watch', 'update'], BATCH, 'cronjobs'),
      rule(['get', 'list', 'watch', 'create', 'update', 'delete', 'patch'], BATCH, 'jobs'),
      rule('update', BATCH, 'cronjobs/status'),
      rule('update', BATCH, 'cronjobs/finalizers'),
      rule(['list', 'watch', 'delete'], CORE, 'pods'),
      eventsRule(),
    ),
    role(
      'daemon-set-controller',
      rule(READ, [EXTENSIONS, APPS], 'daemonsets'),
      rule('update', [EXTENSIONS, APPS], 'daemonsets/status'),
      rule('update', [EXTENSIONS, APPS], 'daemonsets/finalizers'),
      rule(['list', 'watch'], CORE, 'nodes'),
      rule(['list', 'watch', 'create', 'delete', 'patch'], CORE, 'pods'),
      rule('create', CORE, 'pods/binding'),
      rule(['get', 'list', 'watch', 'create', 'delete', 'update', 'patch'], APPS, 'controllerrevisions'),
      eventsRule(),
    ),
    role(
      'deployment-controller',
      rule(['get', 'list', 'watch', 'update'], [EXTENSIONS, APPS], 'deployments'),
      rule('update', [EXTENSIONS, APPS], 'deployments/status'),
      rule('update', [EXTENSIONS, APPS], 'deployments/finalizers'),
      rule(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'], [APPS, EXTENSIONS], 'replicasets'),
      rule(['get', 'list', 'watch', 'update'], CORE, 'pods'),
      eventsRule(),
    ),
    role(
      'disruption-controller',
      rule(READ, [EXTENSIONS, APPS], 'deployments'),
      rule(READ, [APPS, EXTENSIONS], 'replicasets'),
      rule(READ, CORE, 'replicationcontrollers'),
      rule(READ, POLICY, 'poddisruptionbudgets'),
      rule(READ, APPS, 'statefulsets'),
      rule('update', POLICY, 'poddisruptionbudgets/status'),
      rule(['patch', 'update'], CORE, 'pods/status'),
      rule('get', ALL, '*/scale'),
      eventsRule(),
    ),
    role(
      'endpoint-controller',
      rule(READ, CORE, ['services', 'pods']),
      rule(['get', 'list', 'watch', 'create', 'update', 'delete'], CORE, 'endpoints'),
      rule('create', CORE, 'endpoints/restricted'),
      eventsRule(),
    ),
    role(
      'endpointslice-controller',
      rule(READ, CORE, ['services', 'pods', 'nodes']),
      // setting the service's finalizers lets it own the slices with blockOwnerDeletion=true
      rule('update', CORE, 'services/finalizers'),
      rule(['get', 'list', 'watch', 'create', 'update', 'delete'], DISCOVERY, 'endpointslices'),
      eventsRule(),
    ),
    role(
      'endpointslicemirroring-controller',
      rule(READ, CORE, ['services', 'endpoints']),
      rule('update', CORE, 'services/finalizers'),
      rule('update', CORE, 'endpoints/finalizers'),
      rule(['get', 'list', 'watch', 'create', 'update', 'delete'], DISCOVERY, 'endpointslices'),
      eventsRule(),
    ),
    role(
      'ephemeral-volume-controller',
      rule(READ, CORE, 'pods'),
      rule('update', CORE, 'pods/finalizers'),
      rule(['get', 'list', 'watch', 'create'], CORE, 'persistentvolumeclaims'),
      eventsRule(),
    ),
    role(
      'expand-controller',
      rule(['get', 'list', 'watch', 'update', 'patch'], CORE, 'persistentvolumes'),
      rule(['update', 'patch'], CORE, 'persistentvolumeclaims/status'),
      rule(READ, CORE, 'persistentvolumeclaims'),
      eventsRule(),
      // the in-tree portworx volume plugin
      rule('get', CORE, 'services'),
    ),
    // lists, watches, reads and updates any resource to follow owner references
    role('generic-garbage-collector', rule(['get', 'list', 'watch', 'patch', 'update', 'delete'], ALL, ALL), eventsRule()),
    role(
      'horizontal-pod-autoscaler',
      rule(READ, AUTOSCALING, 'horizontalpodautoscalers'),
      rule('update', AUTOSCALING, 'horizontalpodautoscalers/status'),
      rule(['get', 'update'], ALL, '*/scale'),
      rule(['list', 'watch'], CORE, 'pods'),
      // resource, custom and external metrics
      rule(['list', 'watch'], RESOURCE_METRICS, 'pods'),
      rule(READ, CUSTOM_METRICS, ALL),
      rule(READ, EXTERNAL_METRICS, ALL),
      eventsRule(),
    ),
    role(
      'job-controller',
      rule(['get', 'list', 'watch', 'update', 'patch'], BATCH, 'jobs'),
      rule('update', BATCH, 'jobs/status'),
      rule('update', BATCH, 'jobs/finalizers'),
      rule(['list', 'watch', 'create', 'delete', 'patch'], CORE, 'pods'),
      eventsRule(),
    ),
    role(
      'legacy-service-account-token-cleaner',
      rule('get', CORE, 'configmaps', 'kube-apiserver-legacy-service-account-token-tracking'),
      rule(['patch', 'delete'], CORE, 'secrets'),
    ),
    role(
      'namespace-controller',
      rule(['get', 'list', 'watch', 'delete'], CORE, 'namespaces'),
      rule('update', CORE, ['namespaces/finalize', 'namespaces/status']),
      rule(['get', 'list', 'watch', 'delete', 'deletecollection'], ALL, ALL),
    ),
    role(
      'node-controller',
      rule(['get', 'list', 'watch', 'update', 'delete', 'patch'], CORE, 'nodes'),
      rule(['patch', 'update'], CORE, 'nodes/status'),
      // marking pods not ready and deleting them
      rule(['patch', 'update'], CORE, 'pods/status'),
      rule(['list', 'watch', 'get', 'delete'], CORE, 'pods'),
      eventsRule(),
    ),
    role(
      'persistent-volume-binder',
      rule(['get', 'list', 'watch', 'update', 'create', 'delete'], CORE, 'persistentvolumes'),
      rule('update', CORE, 'persistentvolumes/status'),
      rule(['get', 'list', 'watch', 'update'], CORE, 'persistentvolumeclaims'),
      rule('update', CORE, 'persistentvolumeclaims/status'),
      rule(['list', 'watch', 'get', 'create', 'delete'], CORE, 'pods'),
      rule(READ, STORAGE, 'storageclasses'),
      rule(['list', 'watch'], CORE, 'nodes'),
      eventsRule(),
      // the recycler watches its pod's events
      rule('watch', CORE, 'events'),
      // the in-tree portworx volume plugin
      rule('get', CORE, 'services'),
    ),
    role('pod-garbage-collector', rule(['list', 'watch', 'delete'], CORE, 'pods'), rule(READ, CORE, 'nodes'), rule('patch', CORE, 'pods/status')),
    role('pv-protection-controller', rule(['get', 'list', 'watch', 'update'], CORE, 'persistentvolumes'), eventsRule()),
    role('pvc-protection-controller', rule(['get', 'list', 'watch', 'update'], CORE, 'persistentvolumeclaims'), rule(READ, CORE, 'pods'), eventsRule()),
    role(
      'replicaset-controller',
      rule(['get', 'list', 'watch', 'update'], [APPS, EXTENSIONS], 'replicasets'),
      rule('update', [APPS, EXTENSIONS], 'replicasets/status'),
      rule('update', [APPS, EXTENSIONS], 'replicasets/finalizers'),
      rule(['list', 'watch', 'patch', 'create', 'delete'], CORE, 'pods'),
      eventsRule(),
    ),
    role(
      'replication-controller',
      // 1.0 controllers needed get and update
      rule(['get', 'list', 'watch', 'update'], CORE, 'replicationcontrollers'),
      rule('update', CORE, 'replicationcontrollers/status'),
      rule('update', CORE, 'replicationcontrollers/finalizers'),
      rule(['list', 'watch', 'patch', 'create', 'delete'], CORE, 'pods'),
      eventsRule(),
    ),
    // quota counts anything, so it lists and watches everything
    role('resourcequota-controller', rule(['list', 'watch'], ALL, ALL), rule('update', CORE, 'resourcequotas/status'), eventsRule()),
    role('root-ca-cert-publisher', rule(['create', 'update'], CORE, 'configmaps'), eventsRule()),
    role('route-controller', rule(['list', 'watch'], CORE, 'nodes'), rule('patch', CORE, 'nodes/status'), eventsRule()),
    role('service-account-controller', rule('create', CORE, 'serviceaccounts'), eventsRule()),
    role('service-controller', rule(READ, CORE, 'services'), rule(['patch', 'update'], CORE, 'services/status'), rule(['list', 'watch'], CORE, 'nodes'), eventsRule()),
    role(
      'statefulset-controller',
      rule(['list', 'watch'], CORE, 'pods'),
      rule(READ, APPS, 'statefulsets'),
      rule('update', APPS, 'statefulsets/status'),
      rule('update', APPS, 'statefulsets/finalizers'),
      rule(['get', 'create', 'delete', 'update', 'patch'], CORE, 'pods'),
      rule(['get', 'create', 'delete', 'update', 'patch', 'list', 'watch'], APPS, 'controllerrevisions'),
      rule(['get', 'create', 'list', 'watch'], CORE, 'persistentvolumeclaims'),
      eventsRule(),
      // appended behind the StatefulSetAutoDeletePVC gate (GA and on in 1.32), hence after events
      rule(['update', 'delete'], CORE, 'persistentvolumeclaims'),
      rule('update', CORE, 'pods/finalizers'),
    ),
    role('ttl-after-finished-controller', rule(['get', 'list', 'watch', 'delete'], BATCH, 'jobs'), eventsRule()),
    role('ttl-controller', rule(['update', 'patch', 'list', 'watch'], CORE, 'nodes'), eventsRule()),
    role(
      'validatingadmissionpolicy-status-controller',
      rule(READ, ADMISSION_REGISTRATION, 'validatingadmissionpolicies'),
      rule(['get', 'patch', 'update'], ADMISSION_REGISTRATION, 'validatingadmissionpolicies/status'),
      eventsRule(),
    ),
  ];
}
