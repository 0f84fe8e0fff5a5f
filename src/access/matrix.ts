// matrix: for one subject, which of the eight CRUD verbs it may use on each resource: the resources
// the policy knows (built in, from CRDs given, or the server's discovery) and any other its rules
// name. A verb allowed only for some names (rules with resourceNames) is partial, with those names.
import type { UserInfo } from '../api/user.js';
import { ruleAllows } from '../auth/authz/rbac/rules.js';
import type { AccessPolicy } from './policy.js';
import type { KnownResource } from './resources.js';

export const MATRIX_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'] as const;

export interface MatrixRow {
  resource: string;
  group: string;
  namespaced: boolean;
  verbs: Record<string, boolean>;
  /** Verbs not allowed for every name but for these (by resourceNames). */
  partial?: Record<string, string[]>;
}

export function matrix(policy: AccessPolicy, user: UserInfo, namespace: string): MatrixRow[] {
  const resources: KnownResource[] = [...policy.resources.resources];
  // Resources the subject's rules name that the table lacks (custom resources).
  for (const { rule } of policy.grants(user, { namespace }, () => true).grants) {
    for (const res of rule.resources ?? []) {
      if (res.includes('*') || res.includes('/')) continue;
      for (const group of rule.apiGroups ?? []) {
        if (group !== '*' && !resources.some((k) => k.resource === res && k.group === group)) resources.push({ resource: res, group, namespaced: true });
      }
    }
  }
  resources.sort((a, b) => a.resource.localeCompare(b.resource) || a.group.localeCompare(b.group));
  // The subject's rules that list names, in the namespace and at cluster scope.
  const named = (ns: string) => policy.grants(user, { namespace: ns }, (rule) => !!rule.resourceNames?.length).grants.map((g) => g.rule);
  const namedRules = { namespaced: named(namespace), cluster: named('') };
  return resources.map((k) => {
    const verbs: Record<string, boolean> = {};
    const partial: Record<string, string[]> = {};
    for (const verb of MATRIX_VERBS) {
      const req = { verb, isResourceRequest: true, path: '', apiGroup: k.group, resource: k.resource, subresource: '', namespace: k.namespaced ? namespace : '', name: '' };
      verbs[verb] = policy.allows(user, req);
      // Names never narrow create (the name is not known when RBAC decides) nor deletecollection.
      if (verbs[verb] || verb === 'create' || verb === 'deletecollection') continue;
      const names = new Set<string>();
      for (const rule of k.namespaced ? namedRules.namespaced : namedRules.cluster) for (const name of rule.resourceNames!) if (ruleAllows({ ...req, name }, rule)) names.add(name);
      if (names.size) partial[verb] = [...names].sort();
    }
    return { resource: k.resource, group: k.group, namespaced: k.namespaced, verbs, ...(Object.keys(partial).length ? { partial } : {}) };
  });
}
