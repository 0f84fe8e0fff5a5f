// Whether a pod fits a node, as the scheduler's filters and the DaemonSet controller decide it
// (component-helpers' scheduling/corev1: tolerations, node affinity and selectors).
import type { NodeSelectorRequirement, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { Node, Pod } from '../api/kinds.js';
import { TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE } from '../api/well-known.js';

/** Toleration.ToleratesTaint. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  const op = t.operator || 'Equal';
  const key = t.key ?? '';
  if (key !== taint.key && !(key === '' && op === 'Exists')) return false;
  return op === 'Exists' || (t.value ?? '') === (taint.value ?? '');
}

/** v1helper.TolerationsTolerateTaint. */
export const tolerates = (pod: Pod, taint: Taint): boolean => (pod.spec?.tolerations ?? []).some((t) => toleratesTaint(t, taint));

/**
 * The node's taints; a node that is not Ready and carries neither Ready taint of the node
 * lifecycle controller yet (it taints on its next look, or no controller manager leads) counts as
 * tainted with the one it will get, NoSchedule, as TaintNodesByCondition admission has a new node.
 */
export function taintsOf(node: Node): Taint[] {
  const taints = (node.spec?.taints ?? []).map((t) => ({ key: t.key ?? '', value: t.value ?? '', effect: t.effect ?? '' }));
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const readyTaint = (t: Taint) => t.effect === 'NoSchedule' && (t.key === TAINT_NODE_NOT_READY || t.key === TAINT_NODE_UNREACHABLE);
  if (ready?.status !== 'True' && !taints.some(readyTaint)) {
    taints.push({ key: ready?.status === 'False' ? TAINT_NODE_NOT_READY : TAINT_NODE_UNREACHABLE, value: '', effect: 'NoSchedule' });
  }
  return taints;
}

/** A NodeSelectorRequirement against the node's labels (or, for matchFields, its name). */
function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && /^-?\d+$/.test(value) && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && /^-?\d+$/.test(value) && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

/** nodeSelector and requiredDuringSchedulingIgnoredDuringExecution. */
export function matchesNodeAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  const selector = pod.spec?.nodeSelector;
  if (selector && Object.entries(selector).some(([k, v]) => labels[k] !== v)) return false;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  const terms = required.nodeSelectorTerms ?? [];
  return terms.some((term) => {
    const exprs = term.matchExpressions ?? [];
    const fields = term.matchFields ?? [];
    if (!exprs.length && !fields.length) return false;
    return exprs.every((r) => requirementMatches(r, labels[r.key ?? ''])) && fields.every((r) => r.key === 'metadata.name' && requirementMatches(r, node.metadata.name));
  });
}
