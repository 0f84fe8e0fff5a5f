// apps/v1 kinds: Deployment, ReplicaSet, DaemonSet, StatefulSet and ControllerRevision (k8s.io/api/apps/v1), as served by Kubernetes 1.32.
import { any, arr, bool, described, int32, int64, intOrString, keepZero, keyedList, obj, pb, ptr, str, time } from '../../api/schema.js';
import { persistentVolumeClaim, podTemplateSpec } from './core.js';
import { kind, labelSelector } from './meta.js';

const APPS = 'io.k8s.api.apps.v1';

// ---- Deployment ----

export const rollingUpdateDeployment = obj(`${APPS}.RollingUpdateDeployment`, 'Settings of a rolling update of a Deployment.', {
  maxSurge: pb(2, ptr(intOrString('How many pods may exist above the desired count during the update, as a number or a percentage (default 25%).'))),
  maxUnavailable: pb(1, ptr(intOrString('How many pods may be unavailable during the update, as a number or a percentage (default 25%).'))),
});

export const deploymentStrategy = obj(`${APPS}.DeploymentStrategy`, 'How a Deployment replaces its existing pods with new ones.', {
  rollingUpdate: pb(2, ptr(described('Rolling update settings, used only when type is RollingUpdate.', rollingUpdateDeployment))),
  type: pb(1, str('Recreate or RollingUpdate (the default).', { enum: ['Recreate', 'RollingUpdate'] })),
});

export const deploymentCondition = obj(`${APPS}.DeploymentCondition`, 'The state of a Deployment at one point in time.', {
  lastTransitionTime: pb(7, time('When the condition last went from one status to another.')),
  lastUpdateTime: pb(6, time('When the condition was last updated.')),
  message: pb(5, str('Human readable detail about the last transition.')),
  reason: pb(4, str('Machine readable reason for the last transition.')),
  status: pb(2, str('True, False or Unknown.')),
  type: pb(1, str('Kind of condition, e.g. Available or Progressing.')),
}, { required: ['type', 'status'] });

export const deploymentSpec = obj(`${APPS}.DeploymentSpec`, 'The desired behaviour of a Deployment.', {
  minReadySeconds: pb(5, int32('Seconds a new pod must stay ready, with no container crashing, before it counts as available (default 0).')),
  paused: pb(7, bool('Whether the Deployment is paused.')),
  progressDeadlineSeconds: pb(9, ptr(int32('Seconds the Deployment may go without progress before it is reported as failed (default 600).'))),
  replicas: pb(1, ptr(int32('Desired number of pods (default 1).'))),
  revisionHistoryLimit: pb(6, ptr(int32('How many old ReplicaSets to keep for rollback (default 10).'))),
  selector: pb(2, ptr(described('Selects the pods this Deployment manages; must match the labels of the pod template.', labelSelector))),
  strategy: pb(4, { ...described('How existing pods are replaced by new ones.', deploymentStrategy), patchStrategy: 'retainKeys' as const, keepZero: true }),
  template: pb(3, keepZero(described('The pods to create; its restartPolicy may only be Always.', podTemplateSpec))),
}, { required: ['selector', 'template'] });

export const deploymentStatus = obj(`${APPS}.DeploymentStatus`, 'The most recently observed state of a Deployment.', {
  availableReplicas: pb(4, int32('Non-terminating pods targeted by this Deployment that have been ready for at least minReadySeconds.')),
  collisionCount: pb(8, ptr(int32('Hash collision count, used by the controller to pick a unique name for the newest ReplicaSet.'))),
  conditions: pb(6, keyedList(deploymentCondition, 'type', 'Latest observations of the state of the Deployment.', { listType: 'map', listMapKeys: ['type'] })),
  observedGeneration: pb(1, int64('The generation last seen by the deployment controller.')),
  readyReplicas: pb(7, int32('Non-terminating pods targeted by this Deployment with a Ready condition.')),
  replicas: pb(2, int32('Non-terminating pods targeted by this Deployment, i.e. whose labels match the selector.')),
  unavailableReplicas: pb(5, int32('Pods still needed for the Deployment to reach full available capacity.')),
  updatedReplicas: pb(3, int32('Non-terminating pods targeted by this Deployment that run the desired template.')),
});

export const deployment = kind('apps', 'v1', 'Deployment', APPS, 'Declarative updates for Pods and ReplicaSets.', {
  spec: pb(2, described('Desired behaviour of the Deployment.', deploymentSpec)),
  status: pb(3, described('Most recently observed status of the Deployment.', deploymentStatus)),
});

// ---- ReplicaSet ----

export const replicaSetCondition = obj(`${APPS}.ReplicaSetCondition`, 'The state of a ReplicaSet at one point in time.', {
  lastTransitionTime: pb(3, time('When the condition last went from one status to another.')),
  message: pb(5, str('Human readable detail about the last transition.')),
  reason: pb(4, str('Machine readable reason for the last transition.')),
  status: pb(2, str('True, False or Unknown.')),
  type: pb(1, str('Kind of condition, e.g. ReplicaFailure.')),
}, { required: ['type', 'status'] });

export const replicaSetSpec = obj(`${APPS}.ReplicaSetSpec`, 'The desired behaviour of a ReplicaSet.', {
  minReadySeconds: pb(4, int32('Seconds a new pod must stay ready, with no container crashing, before it counts as available (default 0).')),
  replicas: pb(1, ptr(int32('Desired number of pods (default 1).'))),
  selector: pb(2, ptr(described('Selects the pods counted against replicas; must match the labels of the pod template.', labelSelector))),
  template: pb(3, keepZero(described('The pods to create when too few replicas are running.', podTemplateSpec))),
}, { required: ['selector'] });

export const replicaSetStatus = obj(`${APPS}.ReplicaSetStatus`, 'The most recently observed state of a ReplicaSet.', {
  availableReplicas: pb(5, int32('Non-terminating pods of this ReplicaSet that have been ready for at least minReadySeconds.')),
  conditions: pb(6, keyedList(replicaSetCondition, 'type', 'Latest observations of the state of the ReplicaSet.', { listType: 'map', listMapKeys: ['type'] })),
  fullyLabeledReplicas: pb(2, int32('Non-terminating pods whose labels match those of the pod template.')),
  observedGeneration: pb(3, int64('The generation of the ReplicaSet last seen by its controller.')),
  readyReplicas: pb(4, int32('Non-terminating pods of this ReplicaSet with a Ready condition.')),
  replicas: pb(1, int32('Most recently observed number of non-terminating pods.')),
}, { required: ['replicas'] });

export const replicaSet = kind('apps', 'v1', 'ReplicaSet', APPS, 'Keeps a given number of pod replicas running at any time.', {
  spec: pb(2, described('Desired behaviour of the ReplicaSet.', replicaSetSpec)),
  status: pb(3, described('Most recently observed status of the ReplicaSet.', replicaSetStatus)),
});

// ---- DaemonSet ----

export const rollingUpdateDaemonSet = obj(`${APPS}.RollingUpdateDaemonSet`, 'Settings of a rolling update of a DaemonSet.', {
  maxSurge: pb(2, ptr(intOrString('How many nodes may run an updated pod beside the old one during the update, as a number or a percentage of the desired number (default 0).'))),
  maxUnavailable: pb(1, ptr(intOrString('How many nodes may be without an available pod during the update, as a number or a percentage of the desired number (default 1).'))),
});

export const daemonSetUpdateStrategy = obj(`${APPS}.DaemonSetUpdateStrategy`, 'How a DaemonSet replaces its existing pods with new ones.', {
  rollingUpdate: pb(2, ptr(described('Rolling update settings, used only when type is RollingUpdate.', rollingUpdateDaemonSet))),
  type: pb(1, str('RollingUpdate (the default) or OnDelete.', { enum: ['OnDelete', 'RollingUpdate'] })),
});

export const daemonSetCondition = obj(`${APPS}.DaemonSetCondition`, 'The state of a DaemonSet at one point in time.', {
  lastTransitionTime: pb(3, time('When the condition last went from one status to another.')),
  message: pb(5, str('Human readable detail about the last transition.')),
  reason: pb(4, str('Machine readable reason for the last transition.')),
  status: pb(2, str('True, False or Unknown.')),
  type: pb(1, str('Kind of condition.')),
}, { required: ['type', 'status'] });

export const daemonSetSpec = obj(`${APPS}.DaemonSetSpec`, 'The desired behaviour of a DaemonSet.', {
  minReadySeconds: pb(4, int32('Seconds a new pod must stay ready, with no container crashing, before it counts as available (default 0).')),
  revisionHistoryLimit: pb(6, ptr(int32('How many old ControllerRevisions to keep for rollback (default 10).'))),
  selector: pb(1, ptr(described('Selects the pods this DaemonSet manages; must match the labels of the pod template.', labelSelector))),
  template: pb(2, keepZero(described('The pod to run on every eligible node; its restartPolicy may only be Always.', podTemplateSpec))),
  updateStrategy: pb(3, keepZero(described('How existing pods are replaced by new ones.', daemonSetUpdateStrategy))),
}, { required: ['selector', 'template'] });

export const daemonSetStatus = obj(`${APPS}.DaemonSetStatus`, 'The most recently observed state of a DaemonSet.', {
  collisionCount: pb(9, ptr(int32('Hash collision count, used by the controller to pick a unique name for the newest ControllerRevision.'))),
  conditions: pb(10, keyedList(daemonSetCondition, 'type', 'Latest observations of the state of the DaemonSet.', { listType: 'map', listMapKeys: ['type'] })),
  currentNumberScheduled: pb(1, int32('Nodes that run at least one daemon pod and are supposed to.')),
  desiredNumberScheduled: pb(3, int32('Nodes that should run the daemon pod (including those that do).')),
  numberAvailable: pb(7, int32('Nodes that should run the daemon pod and run one that is available (ready for at least minReadySeconds).')),
  numberMisscheduled: pb(2, int32('Nodes that run the daemon pod but are not supposed to.')),
  numberReady: pb(4, int32('Nodes that should run the daemon pod and run one with a Ready condition.')),
  numberUnavailable: pb(8, int32('Nodes that should run the daemon pod and run none that is available.')),
  observedGeneration: pb(5, int64('The generation last seen by the daemon set controller.')),
  updatedNumberScheduled: pb(6, int32('Nodes that run the updated daemon pod.')),
}, { required: ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'] });

export const daemonSet = kind('apps', 'v1', 'DaemonSet', APPS, 'Runs one copy of a pod on every eligible node.', {
  spec: pb(2, described('Desired behaviour of the DaemonSet.', daemonSetSpec)),
  status: pb(3, described('Most recently observed status of the DaemonSet.', daemonSetStatus)),
});

// ---- ControllerRevision ----

export const controllerRevision = kind('apps', 'v1', 'ControllerRevision', APPS, 'An immutable snapshot of state data, kept by a controller (DaemonSet, StatefulSet) for updates and rollbacks.', {
  data: pb(2, any('The state data (for a DaemonSet, a patch holding its pod template).')),
  revision: pb(3, int64('The revision of the state represented by data.')),
}, { required: ['revision'] });

// ---- StatefulSet ----

export const rollingUpdateStatefulSetStrategy = obj(`${APPS}.RollingUpdateStatefulSetStrategy`, 'Settings of a rolling update of a StatefulSet.', {
  maxUnavailable: pb(2, ptr(intOrString('How many pods may be unavailable during the update, as a number or a percentage (alpha feature MaxUnavailableStatefulSet; default 1).'))),
  partition: pb(1, ptr(int32('Pods with an ordinal at or above the partition are updated; those below keep their revision (default 0).'))),
});

export const statefulSetUpdateStrategy = obj(`${APPS}.StatefulSetUpdateStrategy`, 'How a StatefulSet replaces its existing pods with new ones.', {
  rollingUpdate: pb(2, ptr(described('Rolling update settings, used only when type is RollingUpdate.', rollingUpdateStatefulSetStrategy))),
  type: pb(1, str('RollingUpdate (the default) or OnDelete.', { enum: ['OnDelete', 'RollingUpdate'] })),
});

export const statefulSetPersistentVolumeClaimRetentionPolicy = obj(`${APPS}.StatefulSetPersistentVolumeClaimRetentionPolicy`, 'What happens to the claims made from volumeClaimTemplates.', {
  whenDeleted: pb(1, str('Retain (the default) or Delete: what happens to the claims when the StatefulSet is deleted.')),
  whenScaled: pb(2, str('Retain (the default) or Delete: what happens to the claims of pods removed by a scale-down.')),
});

export const statefulSetOrdinals = obj(`${APPS}.StatefulSetOrdinals`, 'The numbering of the replicas of a StatefulSet.', {
  start: pb(1, int32('The number of the first replica (default 0).')),
});

export const statefulSetCondition = obj(`${APPS}.StatefulSetCondition`, 'The state of a StatefulSet at one point in time.', {
  lastTransitionTime: pb(3, time('When the condition last went from one status to another.')),
  message: pb(5, str('Human readable detail about the last transition.')),
  reason: pb(4, str('Machine readable reason for the last transition.')),
  status: pb(2, str('True, False or Unknown.')),
  type: pb(1, str('Kind of condition.')),
}, { required: ['type', 'status'] });

export const statefulSetSpec = obj(`${APPS}.StatefulSetSpec`, 'The desired behaviour of a StatefulSet.', {
  minReadySeconds: pb(9, int32('Seconds a new pod must stay ready, with no container crashing, before it counts as available (default 0).')),
  ordinals: pb(11, ptr(described('The numbering of the replicas.', statefulSetOrdinals))),
  persistentVolumeClaimRetentionPolicy: pb(10, ptr(described('What happens to the claims made from volumeClaimTemplates.', statefulSetPersistentVolumeClaimRetentionPolicy))),
  podManagementPolicy: pb(6, str('OrderedReady (the default: one pod at a time, in order) or Parallel.')),
  replicas: pb(1, ptr(int32('Desired number of pods (default 1).'))),
  revisionHistoryLimit: pb(8, ptr(int32('How many old ControllerRevisions to keep for rollback (default 10).'))),
  selector: pb(2, ptr(described('Selects the pods this StatefulSet manages; must match the labels of the pod template.', labelSelector))),
  serviceName: pb(5, str('The Service that governs the pods: each pod gets the DNS name <pod>.<serviceName>.')),
  template: pb(3, keepZero(described('The pods to create; its restartPolicy may only be Always.', podTemplateSpec))),
  updateStrategy: pb(7, keepZero(described('How existing pods are replaced by new ones.', statefulSetUpdateStrategy))),
  volumeClaimTemplates: pb(4, arr(persistentVolumeClaim, 'Claims each pod gets, named <template>-<statefulset>-<ordinal> and mounted as the volume of the same name.', { listType: 'atomic' })),
}, { required: ['selector', 'template'] });

export const statefulSetStatus = obj(`${APPS}.StatefulSetStatus`, 'The most recently observed state of a StatefulSet.', {
  availableReplicas: keepZero(pb(11, int32('Pods of this StatefulSet that have been ready for at least minReadySeconds.'))),
  collisionCount: pb(9, ptr(int32('Hash collision count, used by the controller to pick a unique name for the newest ControllerRevision.'))),
  conditions: pb(10, keyedList(statefulSetCondition, 'type', 'Latest observations of the state of the StatefulSet.', { listType: 'map', listMapKeys: ['type'] })),
  currentReplicas: pb(4, int32('Pods created at the currentRevision.')),
  currentRevision: pb(6, str('The revision the pods below the update revision\'s ordinals run.')),
  observedGeneration: pb(1, int64('The generation last seen by the StatefulSet controller.')),
  readyReplicas: pb(3, int32('Pods of this StatefulSet with a Ready condition.')),
  replicas: pb(2, int32('Pods created by the StatefulSet controller.')),
  updateRevision: pb(7, str('The revision the pods are updated to.')),
  updatedReplicas: pb(5, int32('Pods created at the updateRevision.')),
}, { required: ['replicas'] });

export const statefulSet = kind('apps', 'v1', 'StatefulSet', APPS, 'Runs pods with stable identities and storage.', {
  spec: pb(2, described('Desired behaviour of the StatefulSet.', statefulSetSpec)),
  status: pb(3, described('Most recently observed status of the StatefulSet.', statefulSetStatus)),
});
