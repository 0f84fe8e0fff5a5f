// What an aggregated ClusterRole holds: the rules of every other ClusterRole its selectors match,
// in role-name order, without duplicates (the aggregation controller's computation, shared by the
// controller and the access analysis).
import type { ClusterRole } from './kinds.js';
import type { PolicyRule } from 'kubernetes-types/rbac/v1.js';
import { deepEqual } from './meta.js';
import { selectorObjectMatches } from './labels.js';

export const aggregationSelectors = (o: ClusterRole) => o.aggregationRule?.clusterRoleSelectors ?? null;

/** The rules of `role` as the controller computes them from `all` ClusterRoles, or undefined when it aggregates none. */
export function aggregatedRules(role: ClusterRole, all: readonly ClusterRole[]): PolicyRule[] | undefined {
  const selectors = aggregationSelectors(role);
  if (!selectors) return undefined;
  const sorted = [...all].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  const rules: PolicyRule[] = [];
  for (const selector of selectors) {
    for (const other of sorted) {
      if (other.metadata.name === role.metadata.name || !selectorObjectMatches(selector, other.metadata.labels)) continue;
      for (const r of other.rules ?? []) if (!rules.some((x) => deepEqual(x, r))) rules.push(r);
    }
  }
  return rules;
}
