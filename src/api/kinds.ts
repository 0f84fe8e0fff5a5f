// The built-in kinds as TypeScript types, from the types-only package kubernetes-types (generated
// from Kubernetes' OpenAPI), each joined with KubeObject: its metadata is always there, and any
// field Badge stores that the package does not know stays readable. What the API returns is not
// checked against these types: they describe objects the server has validated.
import type {
  ConfigMap as K8sConfigMap,
  Endpoints as K8sEndpoints,
  Event as K8sEvent,
  LimitRange as K8sLimitRange,
  Namespace as K8sNamespace,
  Node as K8sNode,
  PersistentVolume as K8sPersistentVolume,
  PersistentVolumeClaim as K8sPersistentVolumeClaim,
  Pod as K8sPod,
  ReplicationController as K8sReplicationController,
  ResourceQuota as K8sResourceQuota,
  Secret as K8sSecret,
  Service as K8sService,
  ServiceAccount as K8sServiceAccount,
} from 'kubernetes-types/core/v1.js';
import type { ControllerRevision as K8sControllerRevision, DaemonSet as K8sDaemonSet, Deployment as K8sDeployment, ReplicaSet as K8sReplicaSet, StatefulSet as K8sStatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Scale as K8sScale } from 'kubernetes-types/autoscaling/v1.js';
import type { HorizontalPodAutoscaler as K8sHorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2.js';
import type { CronJob as K8sCronJob, Job as K8sJob } from 'kubernetes-types/batch/v1.js';
import type { CertificateSigningRequest as K8sCertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import type { Lease as K8sLease } from 'kubernetes-types/coordination/v1.js';
import type { EndpointSlice as K8sEndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { IngressClass as K8sIngressClass } from 'kubernetes-types/networking/v1.js';
import type { StorageClass as K8sStorageClass } from 'kubernetes-types/storage/v1.js';
import type { PodDisruptionBudget as K8sPodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { PriorityClass as K8sPriorityClass } from 'kubernetes-types/scheduling/v1.js';
import type { ClusterRole as K8sClusterRole, ClusterRoleBinding as K8sClusterRoleBinding, Role as K8sRole, RoleBinding as K8sRoleBinding } from 'kubernetes-types/rbac/v1.js';
import type { Time } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from './meta.js';

/** A kind's type as Badge reads it: the package's fields, and KubeObject's metadata. */
export type Kind<T> = Omit<T, 'metadata'> & KubeObject;

export type Namespace = Kind<K8sNamespace>;
export type ServiceAccount = Kind<K8sServiceAccount>;
export type Secret = Kind<K8sSecret>;
export type ConfigMap = Kind<K8sConfigMap>;
export type Pod = Kind<K8sPod>;
export type PersistentVolume = Kind<K8sPersistentVolume>;
export type PersistentVolumeClaim = Kind<K8sPersistentVolumeClaim>;
export type Service = Kind<K8sService>;
export type Endpoints = Kind<K8sEndpoints>;
export type Event = Kind<K8sEvent>;
export type Node = Kind<K8sNode>;
export type Deployment = Kind<K8sDeployment>;
export type ReplicaSet = Kind<K8sReplicaSet>;
export type ReplicationController = Kind<K8sReplicationController>;
export type DaemonSet = Kind<K8sDaemonSet>;
export type StatefulSet = Kind<K8sStatefulSet>;
export type ControllerRevision = Kind<K8sControllerRevision>;
export type Job = Kind<K8sJob>;
export type CronJob = Kind<K8sCronJob>;
export type HorizontalPodAutoscaler = Kind<K8sHorizontalPodAutoscaler>;
export type Scale = Kind<K8sScale>;
export type Role = Kind<K8sRole>;
export type ClusterRole = Kind<K8sClusterRole>;
export type RoleBinding = Kind<K8sRoleBinding>;
export type ClusterRoleBinding = Kind<K8sClusterRoleBinding>;
export type Lease = Kind<K8sLease>;
export type EndpointSlice = Kind<K8sEndpointSlice>;
export type PriorityClass = Kind<K8sPriorityClass>;
export type PodDisruptionBudget = Kind<K8sPodDisruptionBudget>;
export type IngressClass = Kind<K8sIngressClass>;
export type StorageClass = Kind<K8sStorageClass>;
export type ResourceQuota = Kind<K8sResourceQuota>;
export type LimitRange = Kind<K8sLimitRange>;
export type CertificateSigningRequest = Kind<K8sCertificateSigningRequest>;
/** kubernetes-types has no apiregistration.k8s.io: the type is written in api/apiservices.ts. */
export type { APIService } from './apiservices.js';

/**
 * A time written as unset. Go writes a zero metav1.Time as null (a condition's lastProbeTime, the
 * startedAt of a container that never started, an Event's eventTime); kubernetes-types types a
 * Time as a string only.
 */
export const ZERO_TIME = null as unknown as Time;
