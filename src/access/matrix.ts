// matrix: for one subject, which of the eight CRUD verbs it may use on each resource: the resources
// the policy knows (built in, from CRDs given, or the server's discovery) and any other its rules name.
import type { UserInfo } from '../api/user.js';
import type { AccessPolicy } from './policy.js';
import type { KnownResource } from './resources.js';

export const MATRIX_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'] as const;

export interface MatrixRow {
  resource: string;
  group: string;
  namespaced: boolean;
  verbs: Record<string, boolean>;
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
  return resources.map((k) => {
    const verbs: Record<string, boolean> = {};
    for (const verb of MATRIX_VERBS) {
      verbs[verb] = policy.decide(user, { verb, isResourceRequest: true, path: '', apiGroup: k.group, resource: k.resource, subresource: '', namespace: k.namespaced ? namespace : '', name: '' }).allowed;
    }
    return { resource: k.resource, group: k.group, namespaced: k.namespaced, verbs };
  });
}
