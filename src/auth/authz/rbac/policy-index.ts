// The RBAC policy, indexed by subject: for a user and a namespace, the bindings that name the user
// or one of its groups are found directly, without visiting every binding. Kept current from
// watch events on roles, clusterroles, rolebindings and clusterrolebindings.
import type { KubeObject } from '../../../api/meta.js';
import { SA_PREFIX } from '../../tokens/claims.js';
import type { UserInfo } from '../../../api/user.js';
import type { PolicyRule } from './rules.js';

export interface Subject {
  kind: string;
  apiGroup?: string;
  name: string;
  namespace?: string;
}

export interface RoleRef {
  apiGroup?: string;
  kind: string;
  name: string;
}

export interface Binding {
  kind: 'ClusterRoleBinding' | 'RoleBinding';
  name: string;
  /** '' for a ClusterRoleBinding. */
  namespace: string;
  roleRef: RoleRef;
  subjects: Subject[];
}

/** Called for each rule of each binding that applies; return false to stop. */
export type RuleVisitor = (source: { binding: Binding; subject: Subject } | undefined, rule: PolicyRule | undefined, err: string | undefined) => boolean;

/** The username a subject stands for, or undefined (a ServiceAccount without any namespace). */
function subjectUser(s: Subject, bindingNamespace: string): string | undefined {
  if (s.kind === 'User') return s.name;
  if (s.kind === 'ServiceAccount') {
    const ns = s.namespace || bindingNamespace;
    return ns ? `${SA_PREFIX}${ns}:${s.name}` : undefined;
  }
  return undefined;
}

/** appliesToUser: whether a subject names this user. */
export function subjectApplies(s: Subject, user: UserInfo, bindingNamespace: string): boolean {
  if (s.kind === 'Group') return user.groups.includes(s.name);
  const name = subjectUser(s, bindingNamespace);
  return name !== undefined && name === user.username;
}

/** The index entry of a subject: a username or a group, or nothing (a subject that never applies). */
function subjectKey(s: Subject, bindingNamespace: string): { group: boolean; key: string } | undefined {
  if (s.kind === 'Group') return { group: true, key: s.name };
  const user = subjectUser(s, bindingNamespace);
  return user === undefined ? undefined : { group: false, key: user };
}

/** The bindings naming one user or group; `sorted` is worked out on first use after a change. */
interface Named {
  keys: Set<string>;
  sorted?: string[];
}

const sortedKeys = (n: Named) => (n.sorted ??= [...n.keys].sort());

class SubjectIndex {
  private readonly users = new Map<string, Named>();
  private readonly groups = new Map<string, Named>();

  add(bindingKey: string, b: Binding): void {
    for (const s of b.subjects) {
      const k = subjectKey(s, b.namespace);
      if (!k) continue;
      const map = k.group ? this.groups : this.users;
      let named = map.get(k.key);
      if (!named) map.set(k.key, (named = { keys: new Set() }));
      named.keys.add(bindingKey);
      named.sorted = undefined;
    }
  }

  remove(bindingKey: string, b: Binding): void {
    for (const s of b.subjects) {
      const k = subjectKey(s, b.namespace);
      if (!k) continue;
      const map = k.group ? this.groups : this.users;
      const named = map.get(k.key);
      if (!named) continue;
      named.keys.delete(bindingKey);
      named.sorted = undefined;
      if (!named.keys.size) map.delete(k.key);
    }
  }

  /** Keys of bindings that may apply to `user`, in name order. */
  candidates(user: UserInfo): readonly string[] {
    const found: Named[] = [];
    const byUser = this.users.get(user.username);
    if (byUser) found.push(byUser);
    for (const g of user.groups) {
      const byGroup = this.groups.get(g);
      if (byGroup) found.push(byGroup);
    }
    if (found.length <= 1) return found.length ? sortedKeys(found[0]!) : [];
    return [...new Set(found.flatMap(sortedKeys))].sort();
  }
}

/** For each user and group, the namespaces of the RoleBindings that name it (with how many in each). */
class SubjectNamespaces {
  private readonly named = new Map<string, { counts: Map<string, number>; sorted?: string[] }>();

  change(b: Binding, by: 1 | -1): void {
    for (const s of b.subjects) {
      const k = subjectKey(s, b.namespace);
      if (!k) continue;
      const key = `${k.group ? 'g' : 'u'}:${k.key}`;
      let entry = this.named.get(key);
      if (!entry) this.named.set(key, (entry = { counts: new Map() }));
      const n = (entry.counts.get(b.namespace) ?? 0) + by;
      if (n > 0) entry.counts.set(b.namespace, n);
      else entry.counts.delete(b.namespace);
      entry.sorted = undefined;
      if (!entry.counts.size) this.named.delete(key);
    }
  }

  /** The first `limit` namespaces, in name order, of RoleBindings naming the user or one of its groups. */
  of(user: UserInfo, limit: number): string[] {
    const found = new Set<string>();
    for (const key of [`u:${user.username}`, ...user.groups.map((g) => `g:${g}`)]) {
      const entry = this.named.get(key);
      if (!entry) continue;
      entry.sorted ??= [...entry.counts.keys()].sort();
      for (const ns of entry.sorted.slice(0, limit)) found.add(ns);
    }
    return [...found].sort().slice(0, limit);
  }
}

export const bindingOf = (o: KubeObject): Binding => ({
  kind: o.kind === 'ClusterRoleBinding' ? 'ClusterRoleBinding' : 'RoleBinding',
  name: o.metadata.name!,
  namespace: o.kind === 'ClusterRoleBinding' ? '' : (o.metadata.namespace ?? ''),
  roleRef: o.roleRef as RoleRef,
  subjects: (o.subjects as Subject[] | undefined) ?? [],
});

export const rulesOf = (o: KubeObject): PolicyRule[] => (o.rules as PolicyRule[] | undefined) ?? [];

export class PolicyIndex {
  private readonly clusterRoles = new Map<string, PolicyRule[]>();
  private readonly roles = new Map<string, PolicyRule[]>();
  private readonly clusterBindings = new Map<string, Binding>();
  private readonly bindings = new Map<string, Binding>();
  private readonly clusterSubjects = new SubjectIndex();
  private readonly namespaceSubjects = new Map<string, SubjectIndex>();
  private readonly roleBindingNamespaces = new SubjectNamespaces();
  /** Goes up with every change, so what was worked out from the policy can tell it is stale. */
  generation = 0;

  setRole(o: KubeObject): void {
    this.generation++;
    if (o.kind === 'ClusterRole') this.clusterRoles.set(o.metadata.name!, rulesOf(o));
    else this.roles.set(`${o.metadata.namespace}/${o.metadata.name}`, rulesOf(o));
  }

  deleteRole(o: KubeObject): void {
    this.generation++;
    if (o.kind === 'ClusterRole') this.clusterRoles.delete(o.metadata.name!);
    else this.roles.delete(`${o.metadata.namespace}/${o.metadata.name}`);
  }

  setBinding(o: KubeObject): void {
    this.generation++;
    this.deleteBinding(o);
    const b = bindingOf(o);
    if (b.kind === 'ClusterRoleBinding') {
      this.clusterBindings.set(b.name, b);
      this.clusterSubjects.add(b.name, b);
    } else {
      const key = `${b.namespace}/${b.name}`;
      this.bindings.set(key, b);
      let idx = this.namespaceSubjects.get(b.namespace);
      if (!idx) this.namespaceSubjects.set(b.namespace, (idx = new SubjectIndex()));
      idx.add(key, b);
      this.roleBindingNamespaces.change(b, 1);
    }
  }

  deleteBinding(o: KubeObject): void {
    this.generation++;
    if (o.kind === 'ClusterRoleBinding') {
      const old = this.clusterBindings.get(o.metadata.name!);
      if (old) this.clusterSubjects.remove(old.name, old);
      this.clusterBindings.delete(o.metadata.name!);
    } else {
      const key = `${o.metadata.namespace}/${o.metadata.name}`;
      const old = this.bindings.get(key);
      if (old) {
        this.namespaceSubjects.get(old.namespace)?.remove(key, old);
        this.roleBindingNamespaces.change(old, -1);
      }
      this.bindings.delete(key);
    }
  }

  /** The rules a role reference grants (GetRoleReferenceRules), or the error resolving it. */
  roleRules(ref: RoleRef, bindingNamespace: string): { rules?: PolicyRule[]; error?: string } {
    if (ref.kind === 'ClusterRole') {
      const rules = this.clusterRoles.get(ref.name);
      return rules ? { rules } : { error: `clusterrole.rbac.authorization.k8s.io ${JSON.stringify(ref.name)} not found` };
    }
    if (ref.kind === 'Role') {
      const rules = this.roles.get(`${bindingNamespace}/${ref.name}`);
      return rules ? { rules } : { error: `role.rbac.authorization.k8s.io ${JSON.stringify(ref.name)} not found` };
    }
    return { error: `unsupported role reference kind: ${JSON.stringify(ref.kind)}` };
  }

  /** VisitRulesFor: ClusterRoleBindings first, then RoleBindings of `namespace` (when set). */
  visit(user: UserInfo, namespace: string, visitor: RuleVisitor): void {
    if (this.visitScope(this.clusterSubjects, this.clusterBindings, user, visitor) && namespace) this.visitRoleBindings(user, namespace, visitor);
  }

  /** The rules of the RoleBindings of one namespace alone (no ClusterRoleBindings). */
  visitRoleBindings(user: UserInfo, namespace: string, visitor: RuleVisitor): void {
    this.visitScope(this.namespaceSubjects.get(namespace), this.bindings, user, visitor);
  }

  /** The first `limit` namespaces, in name order, where a RoleBinding names the user or one of its groups. */
  namespacesBinding(user: UserInfo, limit: number): string[] {
    return this.roleBindingNamespaces.of(user, limit);
  }

  /** Visits the rules of the bindings of one scope that apply to the user; false when the visitor stopped. */
  private visitScope(index: SubjectIndex | undefined, bindings: Map<string, Binding>, user: UserInfo, visitor: RuleVisitor): boolean {
    for (const key of index?.candidates(user) ?? []) {
      const b = bindings.get(key)!;
      const subject = b.subjects.find((s) => subjectApplies(s, user, b.namespace));
      if (!subject) continue;
      const { rules, error } = this.roleRules(b.roleRef, b.namespace);
      if (error) {
        if (!visitor(undefined, undefined, error)) return false;
        continue;
      }
      for (const rule of rules!) if (!visitor({ binding: b, subject }, rule, undefined)) return false;
    }
    return true;
  }

  /** Every binding, for a plain scan (the way kube-apiserver decides; benchmarks compare). */
  allBindings(): Binding[] {
    return [...this.clusterBindings.values(), ...this.bindings.values()];
  }

  get size(): number {
    return this.clusterBindings.size + this.bindings.size;
  }
}
