// --explain-forbidden: the text of the Warning a Forbidden reply from the authorizer gets, naming
// the user's closest grant (its own bindings only: what SelfSubjectRulesReview already tells it)
// and the `kubectl access why` command that explains the denial.
import { shq } from '../api/shell.js';
import type { Attributes } from '../auth/authz/authorizer.js';
import { closestGrants, type CloseGrant } from '../auth/authz/rbac/closest.js';
import type { PolicyIndex } from '../auth/authz/rbac/policy-index.js';
import { SA_PREFIX } from '../auth/tokens/claims.js';

/** Other namespaces searched for the same grant, at most (see closestGrants). */
const MAX_NAMESPACES = 8;
/** resourceNames shown, at most. */
const MAX_NAMES = 5;

/** The resource as the access CLI names it: `pods`, `deployments.apps`, `pods/log`; or the URL. */
const target = (a: Attributes) => (a.isResourceRequest ? `${a.resource}${a.apiGroup ? `.${a.apiGroup}` : ''}${a.subresource ? `/${a.subresource}` : ''}` : a.path);

/** The access CLI's SUBJECT: `system:serviceaccount:NS:NAME` or `user:NAME`. */
const subjectOf = (username: string) => (username.startsWith(SA_PREFIX) ? username : `user:${username}`);

/** `kubectl access why SUBJECT VERB RESOURCE [NAME] [-n NS]`, each word quoted for the shell where it needs it. */
export function whyCommand(a: Attributes): string {
  const words = ['kubectl', 'access', 'why', subjectOf(a.user.username), a.verb, target(a)];
  if (a.isResourceRequest && a.name) words.push(a.name);
  if (a.isResourceRequest && a.namespace) words.push('-n', a.namespace);
  return words.map(shq).join(' ');
}

const names = (list: string[]) => (list.length > MAX_NAMES ? `${list.slice(0, MAX_NAMES).join(', ')} and ${list.length - MAX_NAMES} more` : list.join(', '));

/** How a grant falls short of the request. */
function describe(g: CloseGrant, a: Attributes): string {
  const b = g.binding;
  const binding = b.kind === 'RoleBinding' ? `RoleBinding ${b.namespace}/${b.name}` : `ClusterRoleBinding ${b.name}`;
  const role = b.roleRef.kind === 'Role' ? `Role ${b.namespace}/${b.roleRef.name}` : `ClusterRole ${b.roleRef.name}`;
  if (g.lacks === 'namespace') return `${binding} → ${role} allows it in namespace ${g.namespace}`;
  const where = !a.isResourceRequest ? '' : b.kind === 'RoleBinding' ? ` in namespace ${b.namespace}` : ' cluster-wide';
  const named = g.rule.resourceNames?.length ? ` only for names ${names(g.rule.resourceNames)}` : '';
  if (g.lacks === 'resourceNames') return `${binding} → ${role} allows ${a.verb} on ${target(a)}${where}${named}`;
  return `${binding} → ${role} allows ${(g.rule.verbs ?? []).join(', ')} on ${target(a)}${where}${named}, not ${a.verb}`;
}

/** The Warning text for a request the authorizer denied: its closest grant, or that none comes close, and the command. */
export function forbiddenWarning(index: PolicyIndex, a: Attributes): string {
  const [closest] = closestGrants(index, a, MAX_NAMESPACES);
  const where = !a.isResourceRequest ? '' : a.namespace ? ` in namespace ${a.namespace}` : ' cluster-wide';
  const what = closest ? `closest grant: ${describe(closest, a)}` : `no grant comes close: nothing bound to ${a.user.username} or its groups allows any verb on ${target(a)}${where}`;
  return `${what}; details: ${whyCommand(a)}`;
}
