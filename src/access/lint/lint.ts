// Running the rules: every finding with its rule's id and name, suppressed where the object carries
// a `badge.dev/ignore-<ID>: "<reason>"` annotation (a reason is required), most severe first.
import type { AccessPolicy } from '../policy.js';
import { LintContext } from './context.js';
import { RBAC_RULES } from './rbac-rules.js';
import { SA_RULES } from './sa-rules.js';
import { RB015 } from './audit-rules.js';
import { describeRef, rank, type Finding, type LintRule, type Severity } from './types.js';

export const LINT_RULES: readonly LintRule[] = [...SA_RULES, ...RBAC_RULES, RB015].sort((a, b) => (a.id < b.id ? -1 : 1));

export const IGNORE_PREFIX = 'badge.dev/ignore-';

export interface LintResult {
  findings: Finding[];
  /** Suppression annotations without a reason (they suppress nothing). */
  warnings: string[];
}

export function lint(policy: AccessPolicy, source: string, rules: readonly LintRule[] = LINT_RULES): LintResult {
  const ctx = new LintContext(policy, source);
  const byRef = new Map(ctx.objects.map((o) => [describeRef({ kind: o.kind ?? '', namespace: o.metadata.namespace, name: o.metadata.name ?? '' }), o]));
  const findings: Finding[] = [];
  const warnings = new Set<string>();
  for (const rule of rules) {
    for (const raw of rule.check(ctx)) {
      const finding: Finding = { id: rule.id, name: rule.name, ...raw };
      const ref = describeRef(raw.object);
      const reason = byRef.get(ref)?.metadata.annotations?.[`${IGNORE_PREFIX}${rule.id}`];
      if (reason?.trim()) finding.suppressed = reason.trim();
      else if (reason !== undefined) warnings.add(`${ref}: annotation ${IGNORE_PREFIX}${rule.id} has no reason; the finding is not suppressed`);
      findings.push(finding);
    }
  }
  findings.sort((a, b) => rank(a.severity) - rank(b.severity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || describeRef(a.object).localeCompare(describeRef(b.object)));
  return { findings, warnings: [...warnings] };
}

/** Whether an unsuppressed finding is at or above `threshold`. */
export const failsAt = (findings: readonly Finding[], threshold: Severity) => findings.some((f) => !f.suppressed && rank(f.severity) <= rank(threshold));
