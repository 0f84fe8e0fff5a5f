// why: whether a subject may make a request, the chains that allow it, or, when it may not, the
// grants that come closest, what is missing, and the smallest Role and binding that would allow it.
import type { KubeObject } from '../api/meta.js';
import type { UserInfo } from '../api/user.js';
import { splitSaUsername } from '../auth/tokens/claims.js';
import { closestGrants, type CloseGrant } from '../auth/authz/rbac/closest.js';
import type { PolicyRule } from '../auth/authz/rbac/rules.js';
import type { AccessPolicy, Decision, Grant, Request } from './policy.js';

export interface Near {
  grant: Grant;
  /** Where it falls short: `resourceNames`, `namespace` (it allows the request in `namespace`), `verb`. */
  lacks: CloseGrant['lacks'];
  namespace?: string;
}

export interface WhyAnswer extends Decision {
  near: Near[];
  missing?: string;
  suggestion?: KubeObject[];
  /** For a ServiceAccount: its pods, and whether each mounts its token (pod › ServiceAccount › true). */
  pods?: { pod: string; tokenMounted: boolean }[];
}

export function why(policy: AccessPolicy, user: UserInfo, req: Request): WhyAnswer {
  const sa = splitSaUsername(user.username);
  const decision = { ...policy.decide(user, req), ...(sa ? { pods: policy.podsOf(sa.namespace, sa.name) } : {}) };
  if (decision.allowed) return { ...decision, near: [] };
  const near = closestGrants(policy.index, { ...req, user }).map(({ binding, subject, rule, lacks, namespace }) => ({
    grant: { binding, subject, rule, ruleIndex: policy.ruleIndex(binding, rule) },
    lacks,
    ...(namespace ? { namespace } : {}),
  }));
  return { ...decision, near, missing: describeMissing(req), suggestion: smallestGrant(user, req) };
}

export function describeMissing(req: Request): string {
  if (!req.isResourceRequest) return `no rule allows verb ${JSON.stringify(req.verb)} on the URL ${req.path} through a ClusterRoleBinding`;
  const res = req.subresource ? `${req.resource}/${req.subresource}` : req.resource;
  const where = req.namespace ? `in namespace ${req.namespace}` : 'cluster-wide';
  return `no rule allows verb ${JSON.stringify(req.verb)} on ${JSON.stringify(res)} (apiGroup ${JSON.stringify(req.apiGroup)})${req.name ? ` named ${JSON.stringify(req.name)}` : ''} ${where}`;
}

const RBAC = 'rbac.authorization.k8s.io';

/** The binding subject a user stands for. */
export function bindingSubject(user: UserInfo): Record<string, string> {
  const sa = splitSaUsername(user.username);
  if (sa) return { kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace };
  if (!user.username) return { kind: 'Group', apiGroup: RBAC, name: user.groups[0]! };
  return { kind: 'User', apiGroup: RBAC, name: user.username };
}

const dnsName = (s: string) => s.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 200);

/**
 * One rule for exactly this request: a Role and RoleBinding in the request's namespace, or a
 * ClusterRole and ClusterRoleBinding for cluster scope and URLs. resourceNames only where they
 * restrict (a named request other than create).
 */
export function smallestGrant(user: UserInfo, req: Request): KubeObject[] {
  const subject = bindingSubject(user);
  const what = req.isResourceRequest ? `${req.resource}${req.subresource ? `-${req.subresource}` : ''}` : 'nonresource';
  const name = dnsName(`${subject.name}-${req.verb}-${what}`);
  const rule: PolicyRule = req.isResourceRequest
    ? { apiGroups: [req.apiGroup], resources: [req.subresource ? `${req.resource}/${req.subresource}` : req.resource], ...(req.name && req.verb !== 'create' ? { resourceNames: [req.name] } : {}), verbs: [req.verb] }
    : { nonResourceURLs: [req.path], verbs: [req.verb] };
  const namespaced = req.isResourceRequest && req.namespace !== '';
  const metadata = namespaced ? { name, namespace: req.namespace } : { name };
  return [
    { apiVersion: `${RBAC}/v1`, kind: namespaced ? 'Role' : 'ClusterRole', metadata, rules: [rule] },
    { apiVersion: `${RBAC}/v1`, kind: namespaced ? 'RoleBinding' : 'ClusterRoleBinding', metadata, subjects: [subject], roleRef: { apiGroup: RBAC, kind: namespaced ? 'Role' : 'ClusterRole', name } },
  ];
}
