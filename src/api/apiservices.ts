// What the APIService resource, its controllers and the server's aggregation share: the type, the
// Available condition, and the priorities of the group versions Badge serves itself (Local
// APIServices), as kube-apiserver registers them (pkg/controlplane/apiserver/aggregator.go
// DefaultGenericAPIServicePriorities, merged with cmd/kube-apiserver/app/aggregator.go).
import type { KubeObject } from './meta.js';

export interface ServiceReference {
  namespace?: string;
  name?: string;
  port?: number;
}

export interface APIServiceCondition {
  type: string;
  status: string;
  lastTransitionTime?: string | null;
  reason?: string;
  message?: string;
}

export interface APIService extends KubeObject {
  spec?: {
    service?: ServiceReference | null;
    group?: string;
    version?: string;
    insecureSkipTLSVerify?: boolean;
    caBundle?: string;
    groupPriorityMinimum?: number;
    versionPriority?: number;
  };
  status?: { conditions?: APIServiceCondition[] };
}

export interface ApiServicePriority {
  group: number;
  version: number;
}

/**
 * The group versions kube-apiserver registers as Local APIServices, with their priorities; a
 * group version Badge serves that is not here gets no APIService (as upstream skips it). A group
 * Badge starts serving itself is one more line.
 */
export const BUILT_IN_PRIORITIES: Record<string, ApiServicePriority> = {
  v1: { group: 18000, version: 1 },
  'apps/v1': { group: 17800, version: 15 },
  'events.k8s.io/v1': { group: 17750, version: 15 },
  'events.k8s.io/v1beta1': { group: 17750, version: 5 },
  'authentication.k8s.io/v1': { group: 17700, version: 15 },
  'authentication.k8s.io/v1beta1': { group: 17700, version: 9 },
  'authentication.k8s.io/v1alpha1': { group: 17700, version: 1 },
  'authorization.k8s.io/v1': { group: 17600, version: 15 },
  'autoscaling/v1': { group: 17500, version: 15 },
  'autoscaling/v2': { group: 17500, version: 30 },
  'autoscaling/v2beta1': { group: 17500, version: 9 },
  'autoscaling/v2beta2': { group: 17500, version: 1 },
  'batch/v1': { group: 17400, version: 15 },
  'batch/v1beta1': { group: 17400, version: 9 },
  'batch/v2alpha1': { group: 17400, version: 9 },
  'certificates.k8s.io/v1': { group: 17300, version: 15 },
  'certificates.k8s.io/v1beta1': { group: 17300, version: 9 },
  'certificates.k8s.io/v1alpha1': { group: 17300, version: 1 },
  'networking.k8s.io/v1': { group: 17200, version: 15 },
  'networking.k8s.io/v1beta1': { group: 17200, version: 9 },
  'policy/v1': { group: 17100, version: 15 },
  'policy/v1beta1': { group: 17100, version: 9 },
  'rbac.authorization.k8s.io/v1': { group: 17000, version: 15 },
  'storage.k8s.io/v1': { group: 16800, version: 15 },
  'storage.k8s.io/v1beta1': { group: 16800, version: 9 },
  'storage.k8s.io/v1alpha1': { group: 16800, version: 1 },
  'apiextensions.k8s.io/v1': { group: 16700, version: 15 },
  'admissionregistration.k8s.io/v1': { group: 16700, version: 15 },
  'admissionregistration.k8s.io/v1beta1': { group: 16700, version: 12 },
  'admissionregistration.k8s.io/v1alpha1': { group: 16700, version: 9 },
  'scheduling.k8s.io/v1': { group: 16600, version: 15 },
  'coordination.k8s.io/v1': { group: 16500, version: 15 },
  'coordination.k8s.io/v1beta1': { group: 16500, version: 13 },
  'coordination.k8s.io/v1alpha2': { group: 16500, version: 12 },
  'node.k8s.io/v1': { group: 16300, version: 15 },
  'node.k8s.io/v1beta1': { group: 16300, version: 9 },
  'node.k8s.io/v1alpha1': { group: 16300, version: 1 },
  'discovery.k8s.io/v1': { group: 16200, version: 15 },
  'discovery.k8s.io/v1beta1': { group: 16200, version: 12 },
  'resource.k8s.io/v1beta2': { group: 16200, version: 15 },
  'resource.k8s.io/v1beta1': { group: 16200, version: 9 },
  'resource.k8s.io/v1alpha3': { group: 16200, version: 1 },
  'flowcontrol.apiserver.k8s.io/v1': { group: 16100, version: 21 },
  'flowcontrol.apiserver.k8s.io/v1beta3': { group: 16100, version: 18 },
  'internal.apiserver.k8s.io/v1alpha1': { group: 16000, version: 9 },
  'storagemigration.k8s.io/v1beta1': { group: 15800, version: 9 },
  // metrics-server's own APIService (manifests/base/apiservice.yaml), served here by the node agent's figures.
  'metrics.k8s.io/v1beta1': { group: 100, version: 100 },
};

/** What the CRD registration controller gives a custom resource's group version: below every built-in group. */
export const CRD_PRIORITY: ApiServicePriority = { group: 1000, version: 100 };

export const APIREGISTRATION_GROUP = 'apiregistration.k8s.io';

/** The common name of the client certificate the aggregation layer presents to the servers behind APIServices (kubeadm's). */
export const FRONT_PROXY_CLIENT = 'front-proxy-client';

/** kube-aggregator's autoregister label: `onstart` (built-in, synced at start) or `true` (kept in sync: CRDs). */
export const AUTOMANAGED_LABEL = 'kube-aggregator.kubernetes.io/automanaged';

/** "v1" for the core group, else "group/version". */
export const groupVersionKey = (group: string, version: string): string => (group ? `${group}/${version}` : version);

/** An APIService's name: `<version>.<group>` (`v1.` for the core group). */
export const apiServiceName = (group: string, version: string): string => `${version}.${group}`;

/** The APIService of a group version this server serves itself. */
export function localApiService(group: string, version: string, priority: ApiServicePriority, managed: 'onstart' | 'true'): APIService {
  return {
    apiVersion: `${APIREGISTRATION_GROUP}/v1`,
    kind: 'APIService',
    metadata: { name: apiServiceName(group, version), labels: { [AUTOMANAGED_LABEL]: managed } },
    spec: { service: null, group, version, groupPriorityMinimum: priority.group, versionPriority: priority.version },
  };
}

/** NewLocalAvailableAPIServiceCondition. */
export const localAvailable = (now: string): APIServiceCondition => ({
  type: 'Available',
  status: 'True',
  lastTransitionTime: now,
  reason: 'Local',
  message: 'Local APIServices are always available',
});

export const availableCondition = (s: APIService): APIServiceCondition | undefined => s.status?.conditions?.find((c) => c.type === 'Available');

export const isAvailable = (s: APIService): boolean => availableCondition(s)?.status === 'True';

/**
 * SetAPIServiceCondition: replaces the condition of its type; the transition time changes only
 * when the status does. Answers the new conditions.
 */
export function withCondition(conditions: APIServiceCondition[] | undefined, c: APIServiceCondition): APIServiceCondition[] {
  const old = conditions?.find((x) => x.type === c.type);
  if (!old) return [...(conditions ?? []), c];
  const next = old.status === c.status ? { ...c, lastTransitionTime: old.lastTransitionTime } : c;
  return (conditions ?? []).map((x) => (x === old ? next : x));
}
