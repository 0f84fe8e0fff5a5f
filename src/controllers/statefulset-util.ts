// The pure parts of the StatefulSet controller (pkg/controller/statefulset/stateful_set_utils.go):
// pod identities `<set>-<ordinal>`, the claims a pod gets from the volumeClaimTemplates and the
// volumes that mount them, and the status Go writes.
import type { StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { PodTemplateSpec, Volume } from 'kubernetes-types/core/v1.js';
import type { PersistentVolumeClaim, Pod, StatefulSet } from '../api/kinds.js';
import { podFromTemplate } from './controller-utils.js';
import { REVISION_HASH } from './history.js';

/** apps.StatefulSetPodNameLabel. */
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** apps.PodIndexLabel. */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

const ORDINAL_NAME = /^(.*)-(\d+)$/;

/** getParentNameAndOrdinal: the set a pod name belongs to and its ordinal; ordinal -1 when the name has none. */
export function parentAndOrdinal(pod: Pod): [string, number] {
  const m = ORDINAL_NAME.exec(pod.metadata.name ?? '');
  return m ? [m[1]!, Number(m[2])] : ['', -1];
}

/** isMemberOf: the pod's name is `<set>-<ordinal>`. */
export const isMemberOf = (set: StatefulSet, pod: Pod): boolean => parentAndOrdinal(pod)[0] === set.metadata.name;

export const startOrdinal = (set: StatefulSet): number => set.spec?.ordinals?.start ?? 0;
export const replicasOf = (set: StatefulSet): number => set.spec?.replicas ?? 1;

/** The revision (a ControllerRevision's name) a pod was made from. */
export const podRevision = (pod: Pod): string | undefined => pod.metadata.labels?.[REVISION_HASH];

/** getPersistentVolumeClaimName: `<template>-<set>-<ordinal>`. */
export const claimName = (set: StatefulSet, template: string, ordinal: number): string => `${template}-${set.metadata.name}-${ordinal}`;

/**
 * getPersistentVolumeClaims: the claims of the pod with this ordinal, by template name: the
 * template's metadata and spec, named for the pod, labelled with the selector's matchLabels.
 */
export function claimsFor(set: StatefulSet, ordinal: number): Map<string, PersistentVolumeClaim> {
  const claims = new Map<string, PersistentVolumeClaim>();
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    const name = t.metadata?.name ?? '';
    claims.set(name, {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: claimName(set, name, ordinal),
        namespace: set.metadata.namespace,
        labels: { ...t.metadata?.labels, ...set.spec?.selector?.matchLabels },
        ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      },
      spec: structuredClone(t.spec),
    });
  }
  return claims;
}

/**
 * newStatefulSetPod: the template's pod named `<set>-<ordinal>`, with its identity (hostname,
 * the governing Service as subdomain, the pod-name and pod-index labels), the revision's hash label,
 * and a volume mounting each of its claims in place of any volume of the same name.
 */
export function newStatefulSetPod(set: StatefulSet, template: PodTemplateSpec, revision: string, ordinal: number, ownerRef: OwnerReference): Pod {
  const pod = podFromTemplate(template, set, ownerRef);
  const name = `${set.metadata.name}-${ordinal}`;
  delete pod.metadata.generateName;
  pod.metadata.name = name;
  pod.metadata.labels = { ...pod.metadata.labels, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_HASH]: revision };
  const spec = pod.spec ?? { containers: [] };
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  const claims = claimsFor(set, ordinal);
  const mounted: Volume[] = [...claims].map(([volume, claim]) => ({ name: volume, persistentVolumeClaim: { claimName: claim.metadata.name! } }));
  spec.volumes = [...mounted, ...(spec.volumes ?? []).filter((v) => !claims.has(v.name))];
  if (!spec.volumes.length) delete spec.volumes;
  pod.spec = spec;
  return pod;
}

/** isRunningAndReady. */
export const isRunningAndReady = (pod: Pod): boolean => pod.status?.phase === 'Running' && !!pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

/** The status as Go writes it: replicas and availableReplicas always, the other counts and revisions only when set. */
export function withoutEmpty(status: StatefulSetStatus): StatefulSetStatus {
  const s = { ...status };
  for (const k of ['observedGeneration', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'currentRevision', 'updateRevision'] as const) if (!s[k]) delete s[k];
  return s;
}
