// Escalation prevention on Roles, ClusterRoles and both kinds of binding (the policybased
// storage of pkg/registry/rbac): a user may write only what it could already do, unless it may
// `escalate` (roles) or `bind` (bindings), or is in system:masters.
import { forbidden, notFound } from '../api/errors.js';
import { deepEqual, type KubeObject } from '../api/meta.js';
import type { AdmissionAttributes, AdmissionPlugin } from './chain.js';
import type { Authorizer } from '../auth/authz/authorizer.js';
import type { RbacAuthorizer } from '../auth/authz/rbac/authorizer.js';
import { compactRules, covers } from '../auth/authz/rbac/escalation.js';
import type { PolicyIndex, RoleRef } from '../auth/authz/rbac/policy-index.js';
import { compactString, type PolicyRule } from '../auth/authz/rbac/rules.js';
import { SYSTEM_MASTERS, type UserInfo } from '../api/user.js';
import { goQuoteList } from '../api/go-quote.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const FULL_AUTHORITY: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

/** IsOnlyMutatingGCFields: the update changes nothing but ownerReferences and finalizers. */
function onlyGcFields(obj: KubeObject, old: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { ownerReferences: _o, finalizers: _f, selfLink: _s, resourceVersion: _r, managedFields: _m, ...meta } = o.metadata;
    return { ...o, metadata: meta };
  };
  return deepEqual(strip(obj), strip(old));
}

const hasAggregationRule = (o: KubeObject | undefined) => !!((o?.aggregationRule as { clusterRoleSelectors?: unknown[] } | undefined)?.clusterRoleSelectors?.length);

export function rbacEscalation(authorizer: Authorizer, rbac: RbacAuthorizer, index: PolicyIndex): AdmissionPlugin {
  /** ConfirmNoEscalation: the user's own RBAC rules in `namespace` cover `rules`, or the error text. */
  function escalation(user: UserInfo, namespace: string, rules: PolicyRule[]): string | undefined {
    const owner = rbac.rulesFor(user, namespace);
    const { covered, missing } = covers(owner.rules, rules);
    if (covered) return undefined;
    const lines = [...new Set(compactRules(missing).map(compactString))].sort().join('\n');
    let msg = `user ${JSON.stringify(user.username)} (groups=${goQuoteList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines}`;
    if (owner.errors.length) msg += `; resolution errors: [${owner.errors.join(' ')}]`;
    return msg;
  }

  const allowed = async (user: UserInfo, verb: string, resource: string, name: string, namespace: string, apiGroup = RBAC_GROUP) =>
    (await authorizer.authorize({ user, verb, isResourceRequest: true, path: '', apiGroup, apiVersion: '*', resource, subresource: '', namespace, name })).decision === 'allow';

  async function checkRole(a: AdmissionAttributes, user: UserInfo): Promise<void> {
    const obj = a.object!;
    const gr = { group: RBAC_GROUP, resource: a.resource.resource };
    if (await allowed(user, 'escalate', a.resource.resource, a.operation === 'CREATE' ? '' : a.name, a.namespace)) return;
    if (a.operation === 'UPDATE' && onlyGcFields(obj, a.oldObject!)) return;
    if (a.resource.resource === 'clusterroles' && (hasAggregationRule(obj) || hasAggregationRule(a.oldObject)) && escalation(user, '', FULL_AUTHORITY)) {
      throw forbidden(gr, obj.metadata.name!, 'must have cluster-admin privileges to use the aggregationRule');
    }
    const err = escalation(user, a.namespace, (obj.rules as PolicyRule[] | undefined) ?? []);
    if (err) throw forbidden(gr, obj.metadata.name!, err);
  }

  async function checkBinding(a: AdmissionAttributes, user: UserInfo): Promise<void> {
    const obj = a.object!;
    const namespace = a.resource.resource === 'rolebindings' ? a.namespace : '';
    if (a.operation === 'UPDATE' && onlyGcFields(obj, a.oldObject!)) return;
    const ref = obj.roleRef as RoleRef;
    const roleResource = ref.kind === 'ClusterRole' ? 'clusterroles' : ref.kind === 'Role' ? 'roles' : undefined;
    if (roleResource && (await allowed(user, 'bind', roleResource, ref.name, namespace, ref.apiGroup ?? ''))) return;
    const { rules, error } = index.roleRules(ref, namespace);
    if (error) {
      throw ref.kind === 'ClusterRole' || ref.kind === 'Role'
        ? notFound({ group: RBAC_GROUP, resource: ref.kind.toLowerCase() }, ref.name)
        : forbidden({ group: RBAC_GROUP, resource: a.resource.resource }, obj.metadata.name!, error);
    }
    const err = escalation(user, namespace, rules!);
    if (err) throw forbidden({ group: RBAC_GROUP, resource: a.resource.resource }, obj.metadata.name!, err);
  }

  return {
    name: 'RBACEscalation',
    async admit(a) {
      if (a.resource.group !== RBAC_GROUP || (a.operation !== 'CREATE' && a.operation !== 'UPDATE') || a.subresource) return;
      const user = a.ctx.user;
      if (user.groups.includes(SYSTEM_MASTERS)) return;
      if (a.resource.resource === 'roles' || a.resource.resource === 'clusterroles') return checkRole(a, user);
      if (a.resource.resource === 'rolebindings' || a.resource.resource === 'clusterrolebindings') return checkBinding(a, user);
    },
  };
}
