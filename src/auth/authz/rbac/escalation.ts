// Escalation prevention: a user may only grant (in a role or through a binding) permissions it
// holds itself (component-helpers/auth/rbac/validation/policy_comparator.go, pkg/registry/rbac/...).
import type { PolicyRule } from './rules.js';

/** Breaks a rule into one rule per group × resource × verb (× name), then per URL × verb. */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const g of rule.apiGroups ?? []) {
    for (const r of rule.resources ?? []) {
      for (const v of rule.verbs ?? []) {
        if (rule.resourceNames?.length) for (const n of rule.resourceNames) out.push({ apiGroups: [g], resources: [r], resourceNames: [n], verbs: [v] });
        else out.push({ apiGroups: [g], resources: [r], verbs: [v] });
      }
    }
  }
  for (const u of rule.nonResourceURLs ?? []) for (const v of rule.verbs ?? []) out.push({ nonResourceURLs: [u], verbs: [v] });
  return out;
}

const hasAll = (owner: string[] | undefined, wanted: string[] | undefined) => {
  const o = owner ?? [];
  return o.includes('*') || (wanted ?? []).every((w) => o.includes(w));
};

function resourcesCovered(owner: string[] | undefined, wanted: string[] | undefined): boolean {
  const o = owner ?? [];
  if (o.includes('*')) return true;
  return (wanted ?? []).every((r) => o.includes(r) || (r.includes('/') && o.includes(`*/${r.slice(r.indexOf('/') + 1)}`)));
}

function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  if (!hasAll(owner.verbs, sub.verbs)) return false;
  if (!hasAll(owner.apiGroups, sub.apiGroups)) return false;
  if (!resourcesCovered(owner.resources, sub.resources)) return false;
  const names = sub.resourceNames ?? [];
  const ownerNames = owner.resourceNames ?? [];
  if (!names.length ? ownerNames.length > 0 : ownerNames.length > 0 && !names.every((n) => ownerNames.includes(n))) return false;
  return (sub.nonResourceURLs ?? []).every((u) => (owner.nonResourceURLs ?? []).some((x) => x === u || (x.endsWith('*') && u.startsWith(x.replace(/\*+$/, '')))));
}


/** Covers: whether the owner's rules include every permission of the servant's; what is missing. */
export function covers(owner: PolicyRule[], servant: PolicyRule[]): { covered: boolean; missing: PolicyRule[] } {
  const missing: PolicyRule[] = [];
  for (const rule of servant) for (const sub of breakdownRule(rule)) if (!owner.some((o) => ruleCovers(o, sub))) missing.push(sub);
  return { covered: missing.length === 0, missing };
}

/** CompactRules: simple rules (one group, one resource, at most one name) merge their verbs. */
export function compactRules(rules: PolicyRule[]): PolicyRule[] {
  const simple = new Map<string, PolicyRule>();
  const other: PolicyRule[] = [];
  for (const r of rules) {
    const isSimple = r.apiGroups?.length === 1 && r.resources?.length === 1 && (r.resourceNames?.length ?? 0) <= 1 && !r.nonResourceURLs?.length;
    if (!isSimple) {
      other.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups![0], r.resources![0], r.resourceNames?.[0] ?? null]);
    const existing = simple.get(key);
    // A rule that is never merged keeps its verbs as they were (even absent), as upstream's DeepCopy does.
    if (existing) existing.verbs = [...(existing.verbs ?? []), ...(r.verbs ?? [])];
    else simple.set(key, { ...r });
  }
  return [...other, ...simple.values()];
}
