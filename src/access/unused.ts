// unused: the grants a subject holds (binding → role → rule, through its groups too) and, for each
// rule, which of its verb × resource (or verb × URL) combinations no request in the audit log used.
import type { UserInfo } from '../api/user.js';
import { compactString, ruleAllows, type PolicyRule } from '../auth/authz/rbac/rules.js';
import { distinctRequests, type AuditUse } from './audit-log.js';
import { AccessPolicy, type Grant, type Request } from './policy.js';
import { table } from './print.js';

/** Bootstrap ClusterRoleBindings every authenticated user (or every ServiceAccount) has. */
export const EVERYONE_BINDINGS = ['system:basic-user', 'system:discovery', 'system:public-info-viewer', 'system:service-account-issuer-discovery'];

const everyoneBinding = (g: Grant) => g.binding.kind === 'ClusterRoleBinding' && EVERYONE_BINDINGS.includes(g.binding.name) && g.binding.roleRef.name === g.binding.name;

/** Whether the bootstrap grants everybody has already allow a request (discovery, /version, …): audit2rbac leaves those out too. */
export function everyoneMay(user: UserInfo): (req: Request) => boolean {
  const bootstrap = new AccessPolicy([], { bootstrap: true });
  const known = new Map<string, boolean>();
  return (req) => {
    const key = JSON.stringify(req);
    let may = known.get(key);
    if (may === undefined) known.set(key, (may = bootstrap.decide(user, req).grants.some(everyoneBinding)));
    return may;
  };
}

export interface UnusedRow {
  binding: string;
  role: string;
  ruleIndex: number;
  rule: PolicyRule;
  /** `verb resource[.group]` or `verb /url`, as the rule names them. */
  used: string[];
  unused: string[];
}

interface Combination {
  label: string;
  rule: PolicyRule;
}

function combinations(rule: PolicyRule): Combination[] {
  const out: Combination[] = [];
  for (const verb of rule.verbs ?? []) {
    for (const url of rule.nonResourceURLs ?? []) out.push({ label: `${verb} ${url}`, rule: { verbs: [verb], nonResourceURLs: [url] } });
    for (const group of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        const [res, sub] = resource.split('/', 2) as [string, string | undefined];
        const label = `${verb} ${group ? `${res}.${group}` : res}${sub ? `/${sub}` : ''}`;
        out.push({ label, rule: { verbs: [verb], apiGroups: [group], resources: [resource], ...(rule.resourceNames?.length ? { resourceNames: rule.resourceNames } : {}) } });
      }
    }
  }
  return out;
}

const describeBinding = (g: Grant) => (g.binding.kind === 'RoleBinding' ? `RoleBinding/${g.binding.namespace}/${g.binding.name}` : `ClusterRoleBinding/${g.binding.name}`);
const describeRole = (g: Grant) => (g.binding.roleRef.kind === 'Role' ? `Role/${g.binding.namespace}/${g.binding.roleRef.name}` : `ClusterRole/${g.binding.roleRef.name}`);

/** Every grant of `user` (all namespaces the policy knows), deduplicated, bootstrap ones for everybody left out unless `all`. */
export function grantsOf(policy: AccessPolicy, user: UserInfo, all: boolean): Grant[] {
  const seen = new Map<string, Grant>();
  for (const namespace of ['', ...[...policy.namespaces].sort()]) {
    for (const g of policy.grants(user, { namespace }, () => true).grants) {
      if (!all && everyoneBinding(g)) continue;
      seen.set(`${describeBinding(g)}#${g.ruleIndex}`, g);
    }
  }
  return [...seen.values()];
}

/** Whether a request is one this grant's binding reaches: a RoleBinding only in its namespace. */
const inScope = (g: Grant, r: Request) => g.binding.kind === 'ClusterRoleBinding' || (r.isResourceRequest && r.namespace === g.binding.namespace);

export function unused(policy: AccessPolicy, user: UserInfo, uses: readonly AuditUse[], { all = false } = {}): UnusedRow[] {
  const requests = distinctRequests(uses);
  return grantsOf(policy, user, all)
    .map((g) => {
      const mine = requests.filter((r) => inScope(g, r));
      const [used, unusedOnes] = [[], []] as [string[], string[]];
      for (const c of combinations(g.rule)) (mine.some((r) => ruleAllows(r, c.rule)) ? used : unusedOnes).push(c.label);
      return { binding: describeBinding(g), role: describeRole(g), ruleIndex: g.ruleIndex, rule: g.rule, used, unused: unusedOnes };
    })
    .sort((a, b) => a.binding.localeCompare(b.binding) || a.ruleIndex - b.ruleIndex);
}

/** BINDING ROLE RULE UNUSED, `-` where every combination was used. */
export const unusedTable = (rows: UnusedRow[]) =>
  table(['BINDING', 'ROLE', 'RULE', 'UNUSED'], rows.map((r) => [r.binding, r.role, `${r.ruleIndex} ${compactString(r.rule)}`, r.unused.length ? r.unused.join(', ') : '-']));
