// The Subjects view's model: every ServiceAccount, and every user and group a binding names, with
// how many bindings name it and, for a ServiceAccount, the pods that run as it and whether each
// gets its token mounted. Built from the objects read, in one pass (no policy needed: the list
// shows before the policy is built).
import type { Pod, ServiceAccount } from '../api/kinds.js';
import type { KubeObject } from '../api/meta.js';
import type { UserInfo } from '../api/user.js';
import { SA_PREFIX, saUsername } from '../auth/tokens/claims.js';
import { bindingOf } from '../auth/authz/rbac/policy-index.js';
import { parseSubject, tokenMounted } from '../access/policy.js';

export type SubjectKind = 'ServiceAccount' | 'User' | 'Group';

export interface SubjectEntry {
  /** `system:serviceaccount:NS:NAME`, `user:NAME` or `group:NAME` (what `#subject=` takes). */
  id: string;
  kind: SubjectKind;
  name: string;
  namespace?: string;
  bindings: number;
  pods: { pod: string; tokenMounted: boolean }[];
  /** The id in lower case, for the search. */
  search: string;
}

/** The id of a binding's subject (a ServiceAccount without a namespace takes the binding's). */
export function subjectId(s: { kind: string; name: string; namespace?: string }, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return saUsername(s.namespace || bindingNamespace, s.name);
  if (s.kind === 'Group') return `group:${s.name}`;
  return s.name.startsWith(SA_PREFIX) ? s.name : `user:${s.name}`;
}

/** The identity a subject id stands for: a bare name is a user. */
export function subjectUser(id: string): UserInfo {
  return parseSubject(id.startsWith(SA_PREFIX) || id.startsWith('user:') || id.startsWith('group:') ? id : `user:${id}`);
}

export function listSubjects(objects: readonly KubeObject[]): SubjectEntry[] {
  const byId = new Map<string, SubjectEntry>();
  const make = (id: string, kind: SubjectKind, name: string, namespace?: string): SubjectEntry => {
    const e: SubjectEntry = namespace ? { id, kind, name, namespace, bindings: 0, pods: [], search: id.toLowerCase() } : { id, kind, name, bindings: 0, pods: [], search: id.toLowerCase() };
    byId.set(id, e);
    return e;
  };
  const entry = (id: string, kind: SubjectKind, name: string, namespace?: string): SubjectEntry => byId.get(id) ?? make(id, kind, name, namespace);
  /** A binding's subject: its entry, made when first seen (a user named as a ServiceAccount is one). */
  const subjectEntry = (s: { kind: string; name: string; namespace?: string }, bindingNamespace: string): SubjectEntry => {
    const id = subjectId(s, bindingNamespace);
    const known = byId.get(id);
    if (known) return known;
    if (s.kind === 'ServiceAccount') return make(id, 'ServiceAccount', s.name, s.namespace || bindingNamespace);
    if (!id.startsWith(SA_PREFIX)) return make(id, s.kind === 'Group' ? 'Group' : 'User', s.name);
    const [namespace, name] = id.slice(SA_PREFIX.length).split(':');
    return make(id, 'ServiceAccount', name ?? '', namespace);
  };
  const sas = new Map<string, ServiceAccount>();
  const pods: Pod[] = [];
  for (const o of objects) {
    if (o.kind === 'ServiceAccount') {
      const { namespace, name } = o.metadata as { namespace: string; name: string };
      sas.set(`${namespace}/${name}`, o as ServiceAccount);
      entry(saUsername(namespace, name), 'ServiceAccount', name, namespace);
    } else if (o.kind === 'Pod') pods.push(o as Pod);
    else if (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') {
      const b = bindingOf(o);
      for (const s of b.subjects) subjectEntry(s, b.namespace).bindings++;
    }
  }
  for (const pod of pods) {
    const ns = pod.metadata.namespace ?? '';
    const name = pod.spec?.serviceAccountName || pod.spec?.serviceAccount || 'default';
    entry(saUsername(ns, name), 'ServiceAccount', name, ns).pods.push({ pod: pod.metadata.name!, tokenMounted: tokenMounted(pod, sas.get(`${ns}/${name}`)) });
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The entries whose id holds every word of the query (any case), of one kind when given. */
export function filterSubjects(entries: readonly SubjectEntry[], query: string, kind?: SubjectKind): SubjectEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return entries.filter((e) => (!kind || e.kind === kind) && words.every((w) => e.search.includes(w)));
}
