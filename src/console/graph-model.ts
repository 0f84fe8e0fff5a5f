// How a subject gets its access, as a graph: subject → (groups) → bindings → roles (an aggregated
// ClusterRole → the ClusterRoles it aggregates) → rules. Each node and edge names the object whose
// YAML it stands for. Pure data: the page lays it out (elkjs) and draws it.
import type { ClusterRole } from '../api/kinds.js';
import type { KubeObject } from '../api/meta.js';
import type { UserInfo } from '../api/user.js';
import { aggregationSelectors } from '../api/clusterrole-aggregation.js';
import { selectorObjectMatches } from '../api/labels.js';
import { subjectApplies, type Binding } from '../auth/authz/rbac/policy-index.js';
import type { PolicyRule } from '../auth/authz/rbac/rules.js';
import type { AccessPolicy } from '../access/policy.js';
import type { ObjectRef } from '../access/lint/types.js';

export type NodeKind = 'subject' | 'group' | 'binding' | 'role' | 'rule';

export interface GraphNode {
  id: string;
  kind: NodeKind;
  label: string;
  /** The object shown for the node (none for the subject and groups that are no object). */
  ref?: ObjectRef;
  /** A role that does not exist. */
  missing?: boolean;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  label: string;
  ref?: ObjectRef;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** A rule in a line: verbs, then resources (with their group) or URLs, then names. */
export function ruleText(rule: PolicyRule): string {
  const verbs = (rule.verbs ?? []).join(', ');
  const groups = rule.apiGroups ?? [];
  const what = rule.nonResourceURLs?.length
    ? rule.nonResourceURLs.join(', ')
    : (rule.resources ?? []).flatMap((r) => groups.map((g) => (g ? `${r}.${g}` : r))).join(', ');
  return `${verbs} ${what}${rule.resourceNames?.length ? ` (${rule.resourceNames.join(', ')})` : ''}`;
}

export const refKey = (r: ObjectRef) => `${r.kind}/${r.namespace ?? ''}/${r.name}`;

/** The policy's objects by refKey, to show one's YAML. */
export const objectsByRef = (objects: readonly KubeObject[]) => new Map(objects.map((o) => [refKey({ kind: o.kind ?? '', namespace: o.metadata.namespace, name: o.metadata.name ?? '' }), o]));

const bindingRef = (b: Binding): ObjectRef => ({ kind: b.kind, ...(b.namespace ? { namespace: b.namespace } : {}), name: b.name });

export function subjectGraph(policy: AccessPolicy, user: UserInfo, subject: string, objects: Map<string, KubeObject>): Graph {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const node = (n: GraphNode) => (nodes.has(n.id) ? undefined : nodes.set(n.id, n));
  const edge = (source: string, target: string, label: string, ref?: ObjectRef) => {
    const id = `${source}→${target}`;
    if (!edges.has(id)) edges.set(id, { id, source, target, label, ...(ref ? { ref } : {}) });
  };
  const clusterRoles = [...objects.values()].filter((o) => o.kind === 'ClusterRole') as ClusterRole[];
  const addRules = (roleId: string, roleRef: ObjectRef, rules: readonly PolicyRule[]) =>
    rules.forEach((rule, i) => {
      node({ id: `${roleId}#${i}`, kind: 'rule', label: ruleText(rule), ref: roleRef });
      edge(roleId, `${roleId}#${i}`, `rule ${i}`, roleRef);
    });
  const addRole = (ref: ObjectRef): string => {
    const id = refKey(ref);
    if (nodes.has(id)) return id;
    const role = objects.get(id);
    node({ id, kind: 'role', label: `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`, ref, ...(role ? {} : { missing: true }) });
    const selectors = role?.kind === 'ClusterRole' ? aggregationSelectors(role as ClusterRole) : null;
    if (!selectors) return (addRules(id, ref, (role?.rules as PolicyRule[] | undefined) ?? []), id);
    // An aggregated ClusterRole: its rules are those of the ClusterRoles its selectors match.
    for (const other of clusterRoles) {
      if (other.metadata.name === ref.name || !selectors.some((s) => selectorObjectMatches(s, other.metadata.labels))) continue;
      const part = addRole({ kind: 'ClusterRole', name: other.metadata.name! });
      edge(id, part, 'aggregates', ref);
    }
    return id;
  };
  node({ id: subject, kind: 'subject', label: subject });
  for (const b of policy.index.allBindings()) {
    const matching = b.subjects.filter((s) => subjectApplies(s, user, b.namespace));
    if (!matching.length) continue;
    const ref = bindingRef(b);
    const bindingId = refKey(ref);
    node({ id: bindingId, kind: 'binding', label: `${b.kind} ${b.namespace ? `${b.namespace}/` : ''}${b.name}`, ref });
    for (const s of matching) {
      if (s.kind !== 'Group' || `group:${s.name}` === subject) edge(subject, bindingId, 'subject of', ref);
      else {
        const groupId = `group:${s.name}`;
        node({ id: groupId, kind: 'group', label: groupId });
        edge(subject, groupId, 'member of');
        edge(groupId, bindingId, 'subject of', ref);
      }
    }
    const roleId = addRole({ kind: b.roleRef.kind, ...(b.roleRef.kind === 'Role' ? { namespace: b.namespace } : {}), name: b.roleRef.name });
    edge(bindingId, roleId, 'roleRef', ref);
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}
