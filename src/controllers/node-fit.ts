// Whether a pod fits a node, as the scheduler's filters and the DaemonSet controller decide it
// (component-helpers' scheduling/corev1: tolerations, node affinity and selectors).
import type { NodeSelectorRequirement, Taint } from 'kubernetes-types/core/v1.js';
import type { Node, Pod } from '../api/kinds.js';

/** v1helper.TolerationsTolerateTaint. */
export function tolerates(pod: Pod, taint: Taint): boolean {
  return (pod.spec?.tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    const op = t.operator || 'Equal';
    const key = t.key ?? '';
    if (key !== taint.key && !(key === '' && op === 'Exists')) return false;
    return op === 'Exists' || (t.value ?? '') === (taint.value ?? '');
  });
}

/** The node's taints, with the one the node lifecycle controller puts on a node that is not Ready. */
export function taintsOf(node: Node): Taint[] {
  const taints = (node.spec?.taints ?? []).map((t) => ({ key: t.key ?? '', value: t.value ?? '', effect: t.effect ?? '' }));
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status !== 'True') {
    const key = ready?.status === 'False' ? 'node.kubernetes.io/not-ready' : 'node.kubernetes.io/unreachable';
    if (!taints.some((t) => t.key === key && t.effect === 'NoSchedule')) taints.push({ key, value: '', effect: 'NoSchedule' });
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
