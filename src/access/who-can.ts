// who-can: every subject a request is allowed for, each with the binding → role → rule that grants
// it; groups that stand for ServiceAccounts are expanded into those ServiceAccounts.
import { ruleAllows } from '../auth/authz/rbac/rules.js';
import type { Binding, Subject } from '../auth/authz/rbac/policy-index.js';
import { SYSTEM_MASTERS } from '../api/user.js';
import type { AccessPolicy, Request } from './policy.js';

export interface WhoCanRow {
  binding: Pick<Binding, 'kind' | 'name' | 'namespace' | 'roleRef'>;
  subject: Subject;
  /** For a ServiceAccount found through a group: the group. */
  via?: string;
  ruleIndex: number;
  /** Set on the row of system:masters, which the authorizer allows before and without RBAC (no binding, role nor rule). */
  authorizer?: string;
  /** For a ServiceAccount: its pods, and whether each mounts its token. */
  pods?: { pod: string; tokenMounted: boolean }[];
}

export interface WhoCanQuery {
  request: Omit<Request, 'namespace'>;
  /** Namespace of the request; undefined for every namespace (-A); '' for cluster scope. */
  namespace: string | undefined;
}

/** The rows, ClusterRoleBindings first, then RoleBindings by namespace and name; system:masters first of all. */
export function whoCan(policy: AccessPolicy, { request, namespace }: WhoCanQuery): WhoCanRow[] {
  const rows: WhoCanRow[] = [{ binding: { kind: 'ClusterRoleBinding', name: '(authorizer)', namespace: '', roleRef: { kind: '', name: '' } }, subject: { kind: 'Group', name: SYSTEM_MASTERS }, ruleIndex: -1, authorizer: `the group ${SYSTEM_MASTERS} bypasses RBAC` }];
  // The rules each role has that match, worked out once per role.
  const matching = new Map<string, number[]>();
  const matchesOf = (b: Binding): number[] => {
    const cacheKey = `${b.roleRef.kind}/${b.roleRef.kind === 'Role' ? b.namespace : ''}/${b.roleRef.name}`;
    let found = matching.get(cacheKey);
    if (!found) {
      const { rules = [] } = policy.index.roleRules(b.roleRef, b.namespace);
      found = [];
      for (let i = 0; i < rules.length; i++) if (ruleAllows(request, rules[i]!)) found.push(i);
      matching.set(cacheKey, found);
    }
    return found;
  };
  // A RoleBinding grants only in its namespace, and never cluster-scoped resources nor URLs.
  const roleBindingsApply = request.isResourceRequest && namespace !== '';
  const matched: [Binding, number][] = [];
  for (const b of policy.index.allBindings()) {
    if (b.kind === 'RoleBinding' && !(roleBindingsApply && (namespace === undefined || b.namespace === namespace))) continue;
    const found = matchesOf(b);
    if (found.length) matched.push([b, found[0]!]);
  }
  const order = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  matched.sort(([a], [b]) => (a.kind === b.kind ? 0 : a.kind === 'ClusterRoleBinding' ? -1 : 1) || order(a.namespace, b.namespace) || order(a.name, b.name));
  for (const [b, ruleIndex] of matched) {
    for (const s of b.subjects) {
      const subject = s.kind === 'ServiceAccount' && !s.namespace ? { ...s, namespace: b.namespace } : s;
      const row: WhoCanRow = { binding: b, subject, ruleIndex };
      if (subject.kind === 'ServiceAccount') row.pods = policy.podsOf(subject.namespace!, subject.name);
      rows.push(row);
      if (subject.kind !== 'Group') continue;
      for (const sa of policy.serviceAccountsIn(subject.name)) {
        const { namespace: ns, name } = sa.metadata;
        rows.push({ binding: b, subject: { kind: 'ServiceAccount', name: name!, namespace: ns! }, via: subject.name, ruleIndex, pods: policy.podsOf(ns!, name!) });
      }
    }
  }
  return rows;
}
