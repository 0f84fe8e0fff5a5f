// The grants that come closest to a request RBAC does not allow: the user's rules on the same
// resource (other verbs, or other names), and the same request allowed in other namespaces. Only
// bindings that name the user or one of its groups are read, so the answer tells a subject nothing
// about anyone else's grants. `badge access why` and the server's --explain-forbidden share it.
import type { Attributes } from '../authorizer.js';
import type { Binding, PolicyIndex, Subject } from './policy-index.js';
import { apiGroupMatches, nonResourceURLMatches, resourceMatches, resourceNameMatches, ruleAllows, verbMatches, type PolicyRule } from './rules.js';

export interface CloseGrant {
  binding: Binding;
  subject: Subject;
  rule: PolicyRule;
  /**
   * Where it falls short: `resourceNames` (the verb, on other names), `namespace` (allows the
   * request in `namespace`), `verb` (other verbs on the same resource). Closest first, in that order.
   */
  lacks: 'resourceNames' | 'namespace' | 'verb';
  namespace?: string;
}

const RANK: Record<CloseGrant['lacks'], number> = { resourceNames: 0, namespace: 1, verb: 2 };

/** Whether a rule is about the request's resource (group, resource, subresource) or URL, whatever its verbs and names. */
const sameResource = (a: Omit<Attributes, 'apiVersion'>, rule: PolicyRule) =>
  a.isResourceRequest ? apiGroupMatches(rule, a.apiGroup) && resourceMatches(rule, a.subresource ? `${a.resource}/${a.subresource}` : a.resource, a.subresource) : nonResourceURLMatches(rule, a.path);

/**
 * The grants closest to a denied request, closest first. For a namespaced request, the other
 * namespaces searched are the first `maxNamespaces` (in name order) where a RoleBinding names the
 * user or one of its groups, found through the policy index: the work is that of at most
 * `maxNamespaces + 1` authorization decisions, however large the policy.
 */
export function closestGrants(index: PolicyIndex, a: Omit<Attributes, 'apiVersion'>, maxNamespaces = Infinity): CloseGrant[] {
  const found: CloseGrant[] = [];
  index.visit(a.user, a.namespace, (source, rule) => {
    if (source && rule && sameResource(a, rule)) found.push({ ...source, rule, lacks: verbMatches(rule, a.verb) && !resourceNameMatches(rule, a.name) ? 'resourceNames' : 'verb' });
    return true;
  });
  if (a.isResourceRequest && a.namespace) {
    // One more than wanted, as the request's own namespace may be among them.
    for (const ns of index.namespacesBinding(a.user, maxNamespaces + 1).filter((n) => n !== a.namespace).slice(0, maxNamespaces)) {
      index.visitRoleBindings(a.user, ns, (source, rule) => {
        if (source && rule && ruleAllows(a, rule)) found.push({ ...source, rule, lacks: 'namespace', namespace: ns });
        return true;
      });
    }
  }
  return found.sort((x, y) => RANK[x.lacks] - RANK[y.lacks]);
}
