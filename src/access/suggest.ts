// suggest: the least-privilege RBAC objects that allow exactly what a subject did in an audit log.
// Namespaced use in one namespace gives a Role and RoleBinding there; the same use in several
// namespaces a ClusterRole bound by a RoleBinding in each of them (never a ClusterRoleBinding);
// cluster-scoped resources, cluster-wide use and URLs a ClusterRole and ClusterRoleBinding. Each
// rule keeps the requests it came from, printed as comments above it.
import type { KubeObject } from '../api/meta.js';
import type { UserInfo } from '../api/user.js';
import type { PolicyRule } from '../auth/authz/rbac/rules.js';
import { distinctRequests, type AuditUse } from './audit-log.js';
import { AccessPolicy, type Request } from './policy.js';
import { describeResource, BUILT_IN_RESOURCES } from './resources.js';
import { bindingSubject } from './why.js';
import { yaml } from '../api/yaml.js';
import { SA_PREFIX } from '../auth/tokens/claims.js';

const RBAC = 'rbac.authorization.k8s.io';
const VERB_ORDER = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
const MAX_NOTES = 10;
const MAX_NAMES = 5;

/** A rule and the requests it came from, one line each. */
export interface NotedRule {
  rule: PolicyRule;
  notes: string[];
}

export interface SuggestedObject {
  object: KubeObject;
  /** For a Role or ClusterRole: the provenance of each rule, in the order of `rules`. */
  notes?: string[][];
}

/** The default name: `badge-suggest:NS:NAME` for a ServiceAccount, `badge-suggest:USER` for a user. */
export function suggestName(user: UserInfo): string {
  const who = user.username.startsWith(SA_PREFIX) ? user.username.slice(SA_PREFIX.length) : user.username;
  return `badge-suggest:${who}`.replace(/[/%]/g, '-').slice(0, 253);
}

/** What the same requests had in common: one rule's worth of use. */
interface Use {
  group: string;
  resource: string;
  verb: string;
  path: string;
  /** Namespace → the names used there ('' for an unnamed request) and the uses. */
  byNamespace: Map<string, { names: Set<string>; uses: AuditUse[] }>;
}

/** Whether the resource is namespaced: the built-in table says, else whether the request had a namespace. */
const namespacedResource = (req: Request) => BUILT_IN_RESOURCES.get(req.apiGroup, req.resource)?.namespaced ?? req.namespace !== '';

function combined(req: Pick<Request, 'resource' | 'subresource'>) {
  return req.subresource ? `${req.resource}/${req.subresource}` : req.resource;
}

function note(namespace: string, names: Set<string>, uses: AuditUse[]): string {
  const r = uses[0]!.request;
  const what = r.isResourceRequest ? describeResource({ group: r.apiGroup, resource: r.resource, subresource: r.subresource }) : r.path;
  const named = [...names].filter(Boolean).sort();
  const where = !r.isResourceRequest ? '' : namespace ? ` in ${namespace}` : namespacedResource(r) ? ' in all namespaces' : '';
  const forbidden = uses.filter((u) => u.decision === 'forbid').length;
  const earliest = uses.reduce((min, u) => (u.time < min ? u.time : min), Infinity);
  const first = earliest < Infinity ? `, first ${new Date(earliest).toISOString()}` : '';
  const shown = named.length > MAX_NAMES ? `${named.slice(0, MAX_NAMES).join(',')},… (${named.length} names)` : named.join(',');
  return `${r.verb} ${what}${named.length ? ` ${shown}` : ''}${names.has('') && named.length ? ' (and unnamed)' : ''}${where}: ${uses.length} request${uses.length === 1 ? '' : 's'}${forbidden ? ` (${forbidden} forbidden then)` : ''}${first}, e.g. ${uses[0]!.requestURI}`;
}

/** Rules of one role merged: verbs of the same resource and names, then resources of the same verbs and names; sorted, apiGroup first. */
export function compact(rules: NotedRule[]): NotedRule[] {
  const merge = (list: NotedRule[], keyOf: (r: PolicyRule) => string, field: 'verbs' | 'resources' | 'nonResourceURLs') => {
    const out = new Map<string, NotedRule>();
    for (const r of list) {
      const key = keyOf(r.rule);
      const seen = out.get(key);
      if (!seen) out.set(key, { rule: { ...r.rule }, notes: [...r.notes] });
      else {
        if (seen.rule[field]) seen.rule[field] = [...new Set([...seen.rule[field]!, ...r.rule[field]!])];
        seen.notes.push(...r.notes);
      }
    }
    return [...out.values()];
  };
  const k = (r: PolicyRule, without: keyof PolicyRule) => JSON.stringify({ ...r, [without]: undefined });
  let out = merge(rules, (r) => k(r, 'verbs'), 'verbs');
  for (const r of out) r.rule.verbs = sortVerbs(r.rule.verbs!);
  out = merge(out, (r) => (r.resources ? k(r, 'resources') : JSON.stringify(r)), 'resources');
  out = merge(out, (r) => (r.nonResourceURLs ? k(r, 'nonResourceURLs') : JSON.stringify(r)), 'nonResourceURLs');
  for (const r of out) {
    if (r.rule.resources) r.rule.resources.sort();
    if (r.rule.nonResourceURLs) r.rule.nonResourceURLs.sort();
  }
  const sortKey = (r: PolicyRule) => (r.nonResourceURLs ? `\u{10ffff}${r.nonResourceURLs.join(',')}` : `${r.apiGroups![0]}\u0000${r.resources!.join(',')}\u0000${(r.resourceNames ?? []).join(',')}`);
  return out.sort((a, b) => (sortKey(a.rule) < sortKey(b.rule) ? -1 : sortKey(a.rule) > sortKey(b.rule) ? 1 : 0));
}

const sortVerbs = (verbs: string[]) =>
  [...verbs].sort((a, b) => {
    const [i, j] = [VERB_ORDER.indexOf(a), VERB_ORDER.indexOf(b)];
    return i >= 0 && j >= 0 ? i - j : i >= 0 ? -1 : j >= 0 ? 1 : a.localeCompare(b);
  });

/**
 * The objects allowing every use (of `user`), and nothing beyond: checked with the engine, which
 * must allow each use over these objects alone (it throws when one is not).
 */
export function suggest(user: UserInfo, uses: readonly AuditUse[], name = suggestName(user)): SuggestedObject[] {
  const byRule = new Map<string, Use>();
  for (const u of uses) {
    const r = u.request;
    const key = JSON.stringify([r.isResourceRequest, r.apiGroup, combined(r), r.path, r.verb]);
    let use = byRule.get(key);
    if (!use) byRule.set(key, (use = { group: r.apiGroup, resource: combined(r), verb: r.verb, path: r.path, byNamespace: new Map() }));
    const ns = r.isResourceRequest && namespacedResource(r) ? r.namespace : '';
    let at = use.byNamespace.get(ns);
    if (!at) use.byNamespace.set(ns, (at = { names: new Set(), uses: [] }));
    at.names.add(r.name);
    at.uses.push(u);
  }
  // Where each rule goes: '' the cluster role; one namespace its Role; several, a ClusterRole bound in each.
  const roles = new Map<string, NotedRule[]>();
  for (const use of byRule.values()) {
    const namespaces = [...use.byNamespace.keys()].sort();
    // A cluster-wide use covers its namespaced uses too: one ClusterRoleBinding rule for all.
    const place = namespaces.includes('') ? '' : namespaces.join(',');
    const names = new Set([...use.byNamespace.values()].flatMap((a) => [...a.names]));
    const rule: PolicyRule = use.path
      ? { nonResourceURLs: [use.path], verbs: [use.verb] }
      : { apiGroups: [use.group], resources: [use.resource], ...(names.has('') ? {} : { resourceNames: [...names].sort() }), verbs: [use.verb] };
    const notes = namespaces.map((ns) => note(ns, use.byNamespace.get(ns)!.names, use.byNamespace.get(ns)!.uses));
    roles.set(place, [...(roles.get(place) ?? []), { rule, notes }]);
  }
  const subject = bindingSubject(user);
  const meta = (n: string, namespace?: string) => ({
    name: n,
    ...(namespace ? { namespace } : {}),
    labels: { 'badge.dev/generated': 'true' },
    annotations: { 'badge.dev/suggested-for': user.username },
  });
  const role = (kind: string, n: string, rules: NotedRule[], namespace?: string): SuggestedObject => {
    const compacted = compact(rules);
    const notes = compacted.map((r) => (r.notes.length > MAX_NOTES ? [...r.notes.slice(0, MAX_NOTES), `… and ${r.notes.length - MAX_NOTES} more`] : r.notes));
    return { object: { apiVersion: `${RBAC}/v1`, kind, metadata: meta(n, namespace), rules: compacted.map((r) => r.rule) }, notes };
  };
  const binding = (kind: string, n: string, roleKind: string, roleName: string, namespace?: string): SuggestedObject => ({
    object: { apiVersion: `${RBAC}/v1`, kind, metadata: meta(n, namespace), subjects: [subject], roleRef: { apiGroup: RBAC, kind: roleKind, name: roleName } },
  });
  const places = [...roles.keys()].sort();
  const shared = places.filter((p) => p.includes(','));
  const sharedName = (p: string) => (shared.length === 1 ? `${name}:shared` : `${name}:shared-${shared.indexOf(p) + 1}`);
  const out: SuggestedObject[] = [];
  for (const p of places) if (p && !p.includes(',')) out.push(role('Role', name, roles.get(p)!, p));
  if (roles.has('')) out.push(role('ClusterRole', name, roles.get('')!));
  for (const p of shared) out.push(role('ClusterRole', sharedName(p), roles.get(p)!));
  const roleBindings: [string, SuggestedObject][] = [];
  for (const p of places) if (p && !p.includes(',')) roleBindings.push([p, binding('RoleBinding', name, 'Role', name, p)]);
  for (const p of shared) for (const ns of p.split(',')) roleBindings.push([ns, binding('RoleBinding', sharedName(p), 'ClusterRole', sharedName(p), ns)]);
  out.push(...roleBindings.sort((a, b) => a[0].localeCompare(b[0])).map(([, b]) => b));
  if (roles.has('')) out.push(binding('ClusterRoleBinding', name, 'ClusterRole', name));
  check(user, uses, out);
  return out;
}

/** Every use must be allowed by the suggested objects alone. */
function check(user: UserInfo, uses: readonly AuditUse[], suggested: SuggestedObject[]): void {
  const policy = new AccessPolicy(suggested.map((s) => s.object));
  for (const request of distinctRequests(uses)) {
    if (!policy.decide(user, request).allowed) throw new Error(`internal error: the suggested RBAC does not allow ${JSON.stringify(request)}`);
  }
}

/** The objects as YAML documents, each rule preceded by comments naming the requests it came from. */
export function suggestionYaml(suggested: SuggestedObject[]): string {
  const Y = yaml();
  return suggested
    .map(({ object, notes }) => {
      const doc = new Y.Document(object);
      const rules = doc.get('rules', true) as { items: { commentBefore?: string }[] } | undefined;
      rules?.items.forEach((item, i) => (item.commentBefore = notes![i]!.map((n) => ` ${n}`).join('\n')));
      return doc.toString();
    })
    .join('---\n');
}
