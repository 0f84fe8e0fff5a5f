// diff: the permissions each subject gains and loses between two sets of RBAC (files or a live
// cluster). Each side's grants to a subject are expanded into permission atoms (scope, verb,
// group, resource[/subresource], one name or every name, or a URL; a `*` stays a `*`), and an atom
// of one side counts as gained (lost) when the other side's engine does not allow it to the same
// identity: the server's authorizer decides (AccessPolicy.allows), so a grant moved to a group, a role or another binding
// that still allows it is no change.
import type { UserInfo } from '../api/user.js';
import type { Binding, Subject } from '../auth/authz/rbac/policy-index.js';
import type { PolicyRule } from '../auth/authz/rbac/rules.js';
import { SA_PREFIX, saUsername } from '../auth/tokens/claims.js';
import { bindingText, roleText } from './lint/context.js';
import type { ResourceTable } from './resources.js';
import { parseSubject, type AccessPolicy, type Request } from './policy.js';

/** One permission: a verb on a resource (in a namespace, or cluster-wide) for one name or all, or on a URL. */
export interface Atom {
  /** The namespace of the RoleBinding that grants it; '' for a ClusterRoleBinding (every namespace and cluster-scoped resources). */
  namespace: string;
  verb: string;
  group: string;
  resource: string;
  subresource: string;
  /** '' for every name. */
  name: string;
  /** For a non-resource URL (resource fields empty). */
  url?: string;
}

export interface DiffRow {
  change: '+' | '-';
  scope: 'cluster' | 'namespace';
  namespace?: string;
  verbs: string[];
  group: string;
  resource: string;
  subresource: string;
  url?: string;
  /** The names it is limited to; absent for every name. */
  names?: string[];
  /** binding → role that grants it on the side that has it (and the group, for a ServiceAccount reached through one). */
  via: string[];
}

export interface SubjectDiff {
  /** As the other commands take it: system:serviceaccount:NS:NAME, user:NAME or group:NAME. */
  subject: string;
  changes: DiffRow[];
}

export interface DiffOptions {
  /** Also report, for each ServiceAccount, what it gains or loses through its groups. */
  expandGroups?: boolean;
}

/** The subject a binding names, as a SUBJECT argument ('' for a ServiceAccount without a namespace). */
function subjectKey(s: Subject, b: Binding): string {
  if (s.kind === 'Group') return `group:${s.name}`;
  if (s.kind === 'ServiceAccount') {
    const ns = s.namespace || b.namespace;
    return ns ? saUsername(ns, s.name) : '';
  }
  return s.name.startsWith(SA_PREFIX) ? s.name : `user:${s.name}`;
}

interface Bound {
  binding: Binding;
  /** The group it reaches the subject through, for a ServiceAccount's group grants. */
  group?: string;
}

/** The bindings of a policy by the subject they name. */
function bindingsBySubject(policy: AccessPolicy): Map<string, Binding[]> {
  const out = new Map<string, Binding[]>();
  for (const b of policy.index.allBindings()) {
    for (const key of new Set(b.subjects.map((s) => subjectKey(s, b)))) {
      if (!key) continue;
      const list = out.get(key);
      if (list) list.push(b);
      else out.set(key, [b]);
    }
  }
  return out;
}

const atomKey = (a: Atom) => JSON.stringify([a.namespace, a.verb, a.group, a.resource, a.subresource, a.name, a.url ?? '']);

/**
 * The atoms one rule grants through a binding: what the binding cannot grant (a cluster-scoped
 * resource or URL through a RoleBinding; create on the resource itself or deletecollection by
 * resourceNames) is left out.
 */
export function ruleAtoms(rule: PolicyRule, binding: Binding, resources: ResourceTable): Atom[] {
  const namespace = binding.kind === 'RoleBinding' ? binding.namespace : '';
  const out: Atom[] = [];
  for (const verb of rule.verbs ?? []) {
    if (!namespace) for (const url of rule.nonResourceURLs ?? []) out.push({ namespace, verb, group: '', resource: '', subresource: '', name: '', url });
    for (const group of rule.apiGroups ?? []) {
      for (const combined of rule.resources ?? []) {
        const slash = combined.indexOf('/');
        const [resource, subresource] = slash < 0 ? [combined, ''] : [combined.slice(0, slash), combined.slice(slash + 1)];
        // A RoleBinding grants a namespace's own object (its requests carry the namespace), no other cluster-scoped resource.
        if (namespace && resource !== '*' && resource !== 'namespaces' && group !== '*' && !resources.namespaced(group, resource)) continue;
        const names = rule.resourceNames?.length ? rule.resourceNames : [''];
        if (names[0] && ((verb === 'create' && !subresource) || verb === 'deletecollection')) continue;
        for (const name of names) out.push({ namespace, verb, group, resource, subresource, name });
      }
    }
  }
  return out;
}

const requestOf = (a: Atom): Request =>
  a.url !== undefined
    ? { verb: a.verb, isResourceRequest: false, path: a.url, apiGroup: '', resource: '', subresource: '', namespace: '', name: '' }
    : { verb: a.verb, isResourceRequest: true, path: '', apiGroup: a.group, resource: a.resource, subresource: a.subresource, namespace: a.namespace, name: a.name };

const viaText = ({ binding, group }: Bound) => `${bindingText(binding)} → ${roleText(binding)}${group ? ` (group ${group})` : ''}`;

/** The atoms the bindings grant, each with the bindings that grant it. */
function atomsOf(policy: AccessPolicy, bound: Bound[]): Map<string, { atom: Atom; via: string[] }> {
  const out = new Map<string, { atom: Atom; via: string[] }>();
  for (const b of bound) {
    const { rules = [] } = policy.index.roleRules(b.binding.roleRef, b.binding.namespace);
    for (const rule of rules) {
      for (const atom of ruleAtoms(rule, b.binding, policy.resources)) {
        const key = atomKey(atom);
        const found = out.get(key);
        if (!found) out.set(key, { atom, via: [viaText(b)] });
        else if (!found.via.includes(viaText(b))) found.via.push(viaText(b));
      }
    }
  }
  return out;
}

/** The changes of one subject: the atoms its bindings on each side grant that the other side's engine does not allow, grouped into rows. */
function subjectChanges(user: UserInfo, before: AccessPolicy, beforeBound: Bound[], after: AccessPolicy, afterBound: Bound[]): DiffRow[] {
  const atoms: { change: '+' | '-'; atom: Atom; via: string[] }[] = [];
  for (const { atom, via } of atomsOf(after, afterBound).values()) if (!before.allows(user, requestOf(atom))) atoms.push({ change: '+', atom, via });
  for (const { atom, via } of atomsOf(before, beforeBound).values()) if (!after.allows(user, requestOf(atom))) atoms.push({ change: '-', atom, via });
  // Verbs together where all else is equal, then names together where the verbs are equal.
  const byVerbs = new Map<string, DiffRow & { name: string }>();
  for (const { change, atom, via } of atoms) {
    const key = JSON.stringify([change, atom.namespace, atom.group, atom.resource, atom.subresource, atom.url ?? '', atom.name, via]);
    const row = byVerbs.get(key);
    if (row) row.verbs.push(atom.verb);
    else {
      const where = atom.namespace ? { scope: 'namespace' as const, namespace: atom.namespace } : { scope: 'cluster' as const };
      byVerbs.set(key, { change, ...where, verbs: [atom.verb], group: atom.group, resource: atom.resource, subresource: atom.subresource, ...(atom.url !== undefined ? { url: atom.url } : {}), name: atom.name, via });
    }
  }
  const rows = new Map<string, DiffRow>();
  for (const { name, ...row } of byVerbs.values()) {
    row.verbs.sort(verbOrder);
    const key = JSON.stringify([row.change, row.namespace ?? '', row.group, row.resource, row.subresource, row.url ?? '', name === '', row.verbs, row.via]);
    const found = rows.get(key);
    if (found) found.names!.push(name);
    else rows.set(key, name ? { ...row, names: [name] } : row);
  }
  const text = (r: DiffRow) => `${r.change === '+' ? 0 : 1}\0${r.namespace ?? ''}\0${r.url ?? ''}\0${r.group}\0${r.resource}\0${r.subresource}\0${(r.names ?? []).join(',')}`;
  return [...rows.values()].sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0));
}

/** Each binding with its role's rules as text (boundText's cache). */
type BindingTexts = Map<Binding, string>;

/** A binding (and the group it applies through) with its role's rules, as text: equal on two sides only when it grants the same. */
function boundText(policy: AccessPolicy, { binding: b, group }: Bound, cache: BindingTexts): string {
  let text = cache.get(b);
  if (text === undefined) cache.set(b, (text = JSON.stringify([b.kind, b.namespace, b.name, b.roleRef.kind, b.roleRef.name, policy.index.roleRules(b.roleRef, b.namespace).rules ?? null])));
  return group ? `${text} ${group}` : text;
}

const VERB_ORDER = ['*', 'get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
const verbOrder = (a: string, b: string) => {
  const [x, y] = [VERB_ORDER.indexOf(a), VERB_ORDER.indexOf(b)];
  return x !== y && (x < 0 || y < 0) ? (x < 0 ? 1 : -1) : x - y || (a < b ? -1 : a > b ? 1 : 0);
};

/**
 * What each subject named by a binding on either side gains and loses (subjects without a change
 * left out). A grant to a group counts for the group; with `expandGroups`, also for each
 * ServiceAccount it reaches (those of either side's objects and bindings).
 */
export function diff(before: AccessPolicy, after: AccessPolicy, { expandGroups = false }: DiffOptions = {}): SubjectDiff[] {
  const sides = [before, after].map(bindingsBySubject) as [Map<string, Binding[]>, Map<string, Binding[]>];
  const subjects = new Set([...sides[0].keys(), ...sides[1].keys()]);
  if (expandGroups) for (const p of [before, after]) for (const sa of p.serviceAccounts) subjects.add(saUsername(sa.metadata.namespace!, sa.metadata.name!));
  const bindingTexts = [new Map(), new Map()] as [BindingTexts, BindingTexts];
  const out: SubjectDiff[] = [];
  for (const subject of [...subjects].sort()) {
    let user: UserInfo;
    try {
      user = parseSubject(subject);
    } catch {
      continue; // A ServiceAccount subject whose name no token can carry (a colon in it).
    }
    const boundOn = (side: Map<string, Binding[]>): Bound[] => {
      const direct = (side.get(subject) ?? []).map((binding) => ({ binding }));
      if (!expandGroups || !subject.startsWith(SA_PREFIX)) return direct;
      return [...direct, ...user.groups.flatMap((group) => (side.get(`group:${group}`) ?? []).map((binding) => ({ binding, group })))];
    };
    // A binding with the same role rules on both sides grants the same on both: only the others are asked about.
    const texts = [boundOn(sides[0]).map((b) => [b, boundText(before, b, bindingTexts[0])] as const), boundOn(sides[1]).map((b) => [b, boundText(after, b, bindingTexts[1])] as const)];
    const [beforeOnly, afterOnly] = texts.map((mine, i) => {
      const theirs = new Set(texts[1 - i]!.map(([, t]) => t));
      return mine.filter(([, t]) => !theirs.has(t)).map(([b]) => b);
    }) as [Bound[], Bound[]];
    if (!beforeOnly.length && !afterOnly.length) continue;
    const changes = subjectChanges(user, before, beforeOnly, after, afterOnly);
    if (changes.length) out.push({ subject, changes });
  }
  return out;
}

export const gainsAny = (diffs: readonly SubjectDiff[]) => diffs.some((d) => d.changes.some((c) => c.change === '+'));
