// The audit-log halves of the lint rules (`lint --audit-log`): RB015 (a ClusterRoleBinding of only
// namespaced rules used in few namespaces), RB016's unused-permission (a rule its subjects never
// used in the window) and SA002's token never used (no request with a pod-bound token of the
// ServiceAccount). Without a log RB015 finds nothing and RB016 and SA002 check what they check.
import type { Binding } from '../../auth/authz/rbac/policy-index.js';
import { compactString, ruleAllows, type PolicyRule } from '../../auth/authz/rbac/rules.js';
import { saUsername } from '../../auth/tokens/claims.js';
import { tokenMounted } from '../policy.js';
import type { AuditUse } from '../audit-log.js';
import { bindingText, chain, objectText, roleText, subjectsText, type LintContext } from './context.js';
import { refOf, type LintRule, type RawFinding } from './types.js';

/** RB015's limit: use in at most this many namespaces is better served by RoleBindings. */
export const FEW_NAMESPACES = 3;
const POD_NAME = 'authentication.kubernetes.io/pod-name';

/** Whether a use was made by one of the binding's subjects (a ServiceAccount, user or group member). */
const bySubject = (b: Binding, u: AuditUse) =>
  b.subjects.some((s) => (s.kind === 'Group' ? u.groups.includes(s.name) : s.kind === 'ServiceAccount' ? u.username === saUsername(s.namespace || b.namespace, s.name) : u.username === s.name));

/** The uses a binding's rule could have allowed: its subjects', in its namespace for a RoleBinding. */
const usesOf = (b: Binding, rule: PolicyRule, uses: readonly AuditUse[]) =>
  uses.filter((u) => bySubject(b, u) && (b.kind === 'ClusterRoleBinding' || (u.request.isResourceRequest && u.request.namespace === b.namespace)) && ruleAllows(u.request, rule));

const namespacedOnly = (ctx: LintContext, rule: PolicyRule) =>
  !rule.nonResourceURLs?.length && (rule.resources ?? []).every((r) => r !== '*' && !r.startsWith('*/') && (rule.apiGroups ?? []).every((g) => ctx.namespaced(g, r.split('/')[0]!)));

function rb015(ctx: LintContext, uses: readonly AuditUse[]): RawFinding[] {
  const out: RawFinding[] = [];
  for (const { object, binding, rules } of ctx.bindings()) {
    if (binding.kind !== 'ClusterRoleBinding' || !rules?.length || !rules.every((rule) => namespacedOnly(ctx, rule))) continue;
    const used = rules.flatMap((rule) => usesOf(binding, rule, uses));
    const namespaces = [...new Set(used.map((u) => u.request.namespace))].sort();
    // Unused is RB016's; a cluster-wide request (a list across namespaces) needs the ClusterRoleBinding.
    if (!namespaces.length || namespaces.includes('') || namespaces.length > FEW_NAMESPACES) continue;
    out.push({
      severity: 'low',
      object: refOf(object),
      message: `grants ${roleText(binding)} (namespaced rules only) to ${subjectsText(binding)} cluster-wide, used in ${namespaces.length} namespace(s) in the audit window: ${namespaces.join(', ')}`,
      provenance: [`${bindingText(binding)} → ${roleText(binding)}`, ...namespaces.map((ns) => `${used.filter((u) => u.request.namespace === ns).length} request(s) in ${ns}`)],
    });
  }
  return out;
}

function unusedPermission(ctx: LintContext, uses: readonly AuditUse[]): RawFinding[] {
  const out: RawFinding[] = [];
  for (const { object, binding, rules } of ctx.bindings()) {
    (rules ?? []).forEach((rule, ruleIndex) => {
      if (usesOf(binding, rule, uses).length) return;
      out.push({
        severity: 'info',
        object: refOf(object),
        message: `unused-permission: rule ${ruleIndex} ${compactString(rule)} of ${roleText(binding)} was not used by ${subjectsText(binding)} in the audit window`,
        provenance: [chain({ object, binding, ruleIndex, rule })],
      });
    });
  }
  return out;
}

function tokenNeverUsed(ctx: LintContext, uses: readonly AuditUse[]): RawFinding[] {
  const out: RawFinding[] = [];
  for (const w of ctx.workloads()) {
    const ns = w.object.metadata.namespace!;
    if (w.serviceAccount === 'default' || !tokenMounted({ metadata: w.object.metadata, spec: w.spec }, ctx.policy.serviceAccount(ns, w.serviceAccount))) continue;
    const username = saUsername(ns, w.serviceAccount);
    // A pod's requests carry its name; a workload's pods have generated names, so any pod of the ServiceAccount counts.
    const used = uses.some((u) => u.user.username === username && u.user.extra?.[POD_NAME]?.length && (w.object.kind !== 'Pod' || u.user.extra[POD_NAME]!.includes(w.object.metadata.name!)));
    if (used) continue;
    out.push({
      severity: 'low',
      object: refOf(w.object),
      message: `mounts the token of ${ns}/${w.serviceAccount}, which no request in the audit window used from a pod`,
      provenance: [`${objectText(w.object)} → ServiceAccount ${ns}/${w.serviceAccount}`],
    });
  }
  return out;
}

export const RB015: LintRule = {
  id: 'RB015',
  name: 'prefer-role-over-clusterrole',
  severity: 'low',
  description: `With --audit-log: a ClusterRoleBinding whose role has only namespaced rules, used in the audit window in 1 to ${FEW_NAMESPACES} namespaces and never cluster-wide. A ClusterRole bound through RoleBindings and roles with cluster-scoped rules or URLs are never flagged; without an audit log nothing is.`,
  fix: 'Bind the ClusterRole with a RoleBinding in each namespace used instead (`badge access suggest` writes them), and delete the ClusterRoleBinding.',
  check: () => [],
};

/**
 * The rules with their audit halves over `uses` (every subject's requests in the window): RB015
 * checks, RB016 adds unused-permission findings, SA002 (a mounted token) asks whether it was used
 * rather than whether bindings grant it anything.
 */
export function withAudit(rules: readonly LintRule[], uses: readonly AuditUse[]): LintRule[] {
  return rules.map((rule) => {
    if (rule.id === 'RB015') return { ...rule, check: (ctx) => rb015(ctx, uses) };
    if (rule.id === 'RB016') return { ...rule, check: (ctx) => [...rule.check(ctx), ...unusedPermission(ctx, uses)] };
    if (rule.id === 'SA002') return { ...rule, check: (ctx) => tokenNeverUsed(ctx, uses) };
    return rule;
  });
}
