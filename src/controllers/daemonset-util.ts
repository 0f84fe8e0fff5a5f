// The pure parts of the DaemonSet controller (pkg/controller/daemon/util and update.go): the pods
// a DaemonSet makes for a node, whether a node should run one, which pods are up to date, the
// rolling-update numbers.
import type { DaemonSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Affinity, PodSpec, PodTemplateSpec, Toleration } from 'kubernetes-types/core/v1.js';
import type { DaemonSet, Node, Pod } from '../api/kinds.js';
import { DAEMONSET_TEMPLATE_GENERATION_ANNOTATION } from '../api/well-known.js';
import { valueFromIntOrPercent } from './deployment-util.js';
import { REVISION_HASH } from './history.js';
import { matchesNodeAffinity, taintsOf, tolerates } from './node-fit.js';

/** extensions.DaemonSetTemplateGenerationKey. */
const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

// ---- pods of a DaemonSet (pkg/controller/daemon/util) ----

const exists = (key: string, effect: string): Toleration => ({ key, operator: 'Exists', effect });

/** AddOrUpdateDaemonPodTolerations: daemon pods stay on nodes with problems, and go to unschedulable ones. */
function addDaemonTolerations(spec: PodSpec): void {
  const wanted = [
    exists('node.kubernetes.io/not-ready', 'NoExecute'),
    exists('node.kubernetes.io/unreachable', 'NoExecute'),
    exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
    ...(spec.hostNetwork ? [exists('node.kubernetes.io/network-unavailable', 'NoSchedule')] : []),
  ];
  const same = (a: Toleration, b: Toleration) => a.key === b.key && a.operator === b.operator && (a.value ?? '') === (b.value ?? '') && a.effect === b.effect;
  const tolerations = [...(spec.tolerations ?? [])];
  for (const t of wanted) if (!tolerations.some((x) => same(x, t))) tolerations.push(t);
  spec.tolerations = tolerations;
}

/** The template generation the DaemonSet carries (GetTemplateGeneration), if any. */
export function templateGeneration(ds: DaemonSet): string | undefined {
  return ds.metadata.annotations?.[DAEMONSET_TEMPLATE_GENERATION_ANNOTATION];
}

/** CreatePodTemplate: the DaemonSet's template with the daemon tolerations and the generation and hash labels. */
export function daemonPodTemplate(ds: DaemonSet, hash: string): PodTemplateSpec {
  const template: PodTemplateSpec = structuredClone(ds.spec?.template ?? {});
  template.spec ??= { containers: [] };
  addDaemonTolerations(template.spec);
  const labels = { ...template.metadata?.labels };
  const generation = templateGeneration(ds);
  if (generation !== undefined) labels[TEMPLATE_GENERATION_LABEL] = generation;
  if (hash) labels[REVISION_HASH] = hash;
  template.metadata = { ...template.metadata, labels };
  return template;
}

/** ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity becomes "the node named nodeName". */
export function nodeNameAffinity(affinity: Affinity | undefined, nodeName: string): Affinity {
  const required = { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] };
  return { ...affinity, nodeAffinity: { ...affinity?.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: required } };
}

/** GetTargetNodeName: the pod's node, or the one its node-name affinity names. */
export function targetNode(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    const field = term.matchFields?.find((f) => f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1);
    if (field) return field.values![0];
  }
  return undefined;
}

/**
 * NodeShouldRunDaemonPod: [should run, should continue running]. The node must match the
 * template's nodeName, nodeSelector and required affinity; a NoSchedule or NoExecute taint the pod
 * does not tolerate keeps new pods off, and only an untolerated NoExecute one evicts running pods.
 * (The node's taints as the scheduler counts them: see taintsOf.)
 */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): [boolean, boolean] {
  const template = daemonPodTemplate(ds, '');
  const pod: Pod = { metadata: {}, spec: template.spec };
  const nodeName = ds.spec?.template?.spec?.nodeName;
  if ((nodeName && nodeName !== node.metadata.name) || !matchesNodeAffinity(pod, node)) return [false, false];
  const untolerated = taintsOf(node).filter((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(pod, t));
  if (untolerated.length) return [false, !untolerated.some((t) => t.effect === 'NoExecute')];
  return [true, true];
}

/** IsPodUpdated: the pod has the current revision's hash, or the current template generation. */
export function isPodUpdated(pod: Pod, hash: string, generation: string | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  return (!!hash && labels[REVISION_HASH] === hash) || (generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === generation);
}

/** podByCreationTimestampAndPhase: scheduled pods first, then the oldest, then by name. */
export function byCreationAndPhase(a: Pod, b: Pod): number {
  if (!a.spec?.nodeName !== !b.spec?.nodeName) return a.spec?.nodeName ? -1 : 1;
  const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
  return ta - tb || (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0);
}

// ---- status and rolling updates (update.go) ----

/** The status as Go writes it: its omitempty counts left out when zero. */
export function withoutZeros(status: DaemonSetStatus): DaemonSetStatus {
  const s = { ...status };
  for (const k of ['observedGeneration', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'] as const) if (!s[k]) delete s[k];
  return s;
}

/** UnavailableCount: maxUnavailable of so many nodes, rounded up (0 unless RollingUpdate). */
export const unavailableCount = (ds: DaemonSet, desired: number): number =>
  ds.spec?.updateStrategy?.type === 'RollingUpdate' ? valueFromIntOrPercent(ds.spec.updateStrategy.rollingUpdate?.maxUnavailable, desired, true) : 0;
/** SurgeCount: maxSurge of so many nodes, rounded up (0 unless RollingUpdate). */
export const surgeCount = (ds: DaemonSet, desired: number): number =>
  ds.spec?.updateStrategy?.type === 'RollingUpdate' ? valueFromIntOrPercent(ds.spec.updateStrategy.rollingUpdate?.maxSurge, desired, true) : 0;

/** findUpdatedPodsOnNode: the node's new and old pod, or undefined when it has more than one of either. */
export function updatedPodsOn(ds: DaemonSet, onNode: Pod[], hash: string): { newPod?: Pod; oldPod?: Pod } | undefined {
  const found: { newPod?: Pod; oldPod?: Pod } = {};
  for (const pod of onNode) {
    if (pod.metadata.deletionTimestamp) continue;
    const which = isPodUpdated(pod, hash, templateGeneration(ds)) ? 'newPod' : 'oldPod';
    if (found[which]) return undefined;
    found[which] = pod;
  }
  return found;
}

