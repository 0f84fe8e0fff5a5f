// apps/v1 kinds: Deployment and ReplicaSet (k8s.io/api/apps/v1), as served by Kubernetes 1.32.
import { bool, described, int32, int64, intOrString, keepZero, keyedList, obj, pb, ptr, str, time } from '../../api/schema.js';
import { podTemplateSpec } from './core.js';
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
