// The access-analysis engine: the RBAC policy of a cluster or of a set of manifests, loaded into the
// server's own policy index and evaluated by the server's own rule matcher (auth/authz/rbac), with
// what the authorizer adds around RBAC (system:masters) and the ServiceAccounts and pods it concerns.
import type { KubeObject } from '../api/meta.js';
import type { ClusterRole, Pod, ServiceAccount } from '../api/kinds.js';
import type { UserInfo } from '../api/user.js';
import { SYSTEM_MASTERS } from '../api/user.js';
import { aggregatedRules } from '../api/clusterrole-aggregation.js';
import { deepEqual } from '../api/meta.js';
import { PolicyIndex, type Binding, type Subject } from '../auth/authz/rbac/policy-index.js';
import { RbacAuthorizer } from '../auth/authz/rbac/authorizer.js';
import { ruleAllows, type PolicyRule } from '../auth/authz/rbac/rules.js';
import type { Attributes } from '../auth/authz/authorizer.js';
import { ALL_SA_GROUP, SA_PREFIX, saUsername } from '../auth/tokens/claims.js';
import { clusterRoleBindings, clusterRoles, namespacedRoleBindings, namespacedRoles } from '../auth/authz/rbac/bootstrap-policy.js';
import { Owners } from './owners.js';
import { BUILT_IN_RESOURCES, type ResourceTable } from './resources.js';

export const AUTHENTICATED = 'system:authenticated';

/** What a request asks, without the user: the authorizer's attributes. */
export type Request = Omit<Attributes, 'user' | 'apiVersion'>;

/** One way a permission is granted: binding → role → rule (its index in the role). */
export interface Grant {
  binding: Binding;
  subject: Subject;
  ruleIndex: number;
  rule: PolicyRule;
}

export interface Decision {
  allowed: boolean;
  /** Allowed by the authorizer for system:masters, before and without RBAC. */
  masters: boolean;
  grants: Grant[];
  /** The authorizer's reason string (byte for byte what the API server logs). */
  reason: string;
  errors: string[];
}

/** The identity a SUBJECT argument stands for: `system:serviceaccount:NS:NAME`, `user:NAME`, `group:NAME`. */
export function parseSubject(arg: string): UserInfo {
  if (arg.startsWith(SA_PREFIX)) {
    const [ns, name, ...rest] = arg.slice(SA_PREFIX.length).split(':');
    if (!ns || !name || rest.length) throw new Error(`invalid ServiceAccount subject ${JSON.stringify(arg)}: want system:serviceaccount:NAMESPACE:NAME`);
    return serviceAccountUser(ns, name);
  }
  if (arg.startsWith('user:')) {
    const name = arg.slice(5);
    // A User named system:serviceaccount:ns:n is that ServiceAccount (its username is the same).
    return name.startsWith(SA_PREFIX) ? parseSubject(name) : { username: name, groups: [AUTHENTICATED] };
  }
  if (arg.startsWith('group:')) return { username: '', groups: [arg.slice(6)] };
  throw new Error(`invalid subject ${JSON.stringify(arg)}: want system:serviceaccount:NAMESPACE:NAME, user:NAME or group:NAME`);
}

/** A ServiceAccount's identity, with the groups its tokens carry and the authenticator adds. */
export const serviceAccountUser = (namespace: string, name: string): UserInfo => ({
  username: saUsername(namespace, name),
  groups: [ALL_SA_GROUP, `${ALL_SA_GROUP}:${namespace}`, AUTHENTICATED],
});

/** Whether a pod gets its ServiceAccount's token: pod › ServiceAccount › true, or a projected token volume. */
export function tokenMounted(pod: Pod, sa: ServiceAccount | undefined): boolean {
  const projected = (pod.spec?.volumes ?? []).some((v) => v.projected?.sources?.some((s) => s.serviceAccountToken));
  return projected || (pod.spec?.automountServiceAccountToken ?? sa?.automountServiceAccountToken ?? true);
}

/** The pod template of a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob), whose pods the files do not hold. */
export const podTemplate = (o: KubeObject): { spec?: Pod['spec'] } | undefined => {
  const spec = o.spec as { template?: { spec?: Pod['spec'] }; jobTemplate?: { spec?: { template?: { spec?: Pod['spec'] } } } } | undefined;
  return o.kind === 'PodTemplate' ? undefined : (spec?.template ?? spec?.jobTemplate?.spec?.template);
};

const key = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** Whether an object runs pods: a pod, or a workload with a pod template. */
export const runsPods = (o: KubeObject) => o.kind === 'Pod' || !!podTemplate(o);

const CLUSTER_SCOPED_KINDS = ['ClusterRole', 'ClusterRoleBinding', 'Namespace', 'CustomResourceDefinition'];

export class AccessPolicy {
  readonly index = new PolicyIndex();
  readonly authorizer = new RbacAuthorizer(this.index);
  readonly serviceAccounts: ServiceAccount[] = [];
  /** Pods, and workloads whose pods are not among the objects (named Kind/name, with their template's spec). */
  readonly pods: Pod[] = [];
  /** Namespaces met in the objects. */
  readonly namespaces = new Set<string>();
  /** The objects given (not the bootstrap ones), namespaced ones with their namespace, the last of each kind/namespace/name. */
  readonly objects: KubeObject[];
  /** Who controls whom among the objects (a pod's ReplicaSet, its Deployment). */
  readonly owners: Owners;
  /** The resources known: `resources` (the server's discovery live, the built-in table by default) and those the objects' CustomResourceDefinitions define. */
  readonly resources: ResourceTable;

  /**
   * `objects` as read (namespaced ones without a namespace get `defaultNamespace`); with
   * `bootstrap`, Kubernetes' default roles and bindings are added where the objects do not
   * define the same ones.
   */
  constructor(objects: readonly KubeObject[], { bootstrap = false, defaultNamespace = 'default', resources = BUILT_IN_RESOURCES } = {}) {
    const byKey = new Map<string, KubeObject>();
    const given = new Map<string, KubeObject>();
    if (bootstrap) for (const o of [...clusterRoles(), ...clusterRoleBindings(), ...namespacedRoles(), ...namespacedRoleBindings()]) byKey.set(key(o), o);
    for (const o of objects) {
      const namespaced = !CLUSTER_SCOPED_KINDS.includes(o.kind ?? '');
      const obj = namespaced && !o.metadata.namespace ? { ...o, metadata: { ...o.metadata, namespace: defaultNamespace } } : o;
      byKey.set(key(obj), obj);
      given.set(key(obj), obj);
    }
    this.objects = [...given.values()];
    this.owners = new Owners(this.objects, runsPods);
    this.resources = resources.withDefinitions(this.objects);
    const roles = [...byKey.values()].filter((o) => o.kind === 'ClusterRole') as ClusterRole[];
    for (const role of aggregate(roles)) this.index.setRole(role);
    for (const o of byKey.values()) {
      if (o.metadata.namespace) this.namespaces.add(o.metadata.namespace);
      if (o.kind === 'Role') this.index.setRole(o);
      else if (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') this.index.setBinding(o);
      else if (o.kind === 'ServiceAccount') this.serviceAccounts.push(o as ServiceAccount);
      else if (o.kind === 'Pod') this.pods.push(o as Pod);
      else if (o.kind === 'Namespace') this.namespaces.add(o.metadata.name!);
      // A workload whose pods (or ReplicaSets, Jobs) were read is listed through them.
      else if (podTemplate(o) && this.owners.isTopLevel(o) && !this.owners.controlsSome(o)) this.pods.push({ metadata: { name: `${o.kind}/${o.metadata.name}`, namespace: o.metadata.namespace }, spec: podTemplate(o)!.spec } as Pod);
    }
  }

  /** Whether the authorizer allows the request: decide's answer alone, without looking for every grant. */
  allows(user: UserInfo, req: Request): boolean {
    return user.groups.includes(SYSTEM_MASTERS) || this.authorizer.decide({ ...req, user, apiVersion: '' }).decision === 'allow';
  }

  /** The authorizer's decision and every grant that allows the request. */
  decide(user: UserInfo, req: Request): Decision {
    const attrs: Attributes = { ...req, user, apiVersion: '' };
    const masters = user.groups.includes(SYSTEM_MASTERS);
    const rbac = this.authorizer.decide(attrs);
    const { grants, errors } = this.grants(user, req, (rule) => ruleAllows(attrs, rule));
    const reason = masters ? `allowed by the authorizer: the group ${SYSTEM_MASTERS} bypasses RBAC` : rbac.reason;
    return { allowed: masters || rbac.decision === 'allow', masters, grants, reason, errors };
  }

  /** The user's grants in a namespace ('' for ClusterRoleBindings only) whose rule passes `keep`. */
  grants(user: UserInfo, req: Pick<Request, 'namespace'>, keep: (rule: PolicyRule) => boolean): { grants: Grant[]; errors: string[] } {
    const grants: Grant[] = [];
    const errors: string[] = [];
    this.index.visit(user, req.namespace, (source, rule, err) => {
      if (err) errors.push(err);
      else if (source && rule && keep(rule)) grants.push({ ...source, rule, ruleIndex: this.ruleIndex(source.binding, rule) });
      return true;
    });
    return { grants, errors };
  }

  ruleIndex(binding: Binding, rule: PolicyRule): number {
    return this.index.roleRules(binding.roleRef, binding.namespace).rules?.indexOf(rule) ?? -1;
  }

  private byName?: Map<string, ServiceAccount>;

  serviceAccount(namespace: string, name: string): ServiceAccount | undefined {
    this.byName ??= new Map(this.serviceAccounts.map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, s]));
    return this.byName.get(`${namespace}/${name}`);
  }

  /** The ServiceAccounts a group stands for (system:serviceaccounts[:ns], system:authenticated). */
  serviceAccountsIn(group: string): ServiceAccount[] {
    if (group === ALL_SA_GROUP || group === AUTHENTICATED) return this.serviceAccounts;
    if (group.startsWith(`${ALL_SA_GROUP}:`)) {
      const ns = group.slice(ALL_SA_GROUP.length + 1);
      return this.serviceAccounts.filter((s) => s.metadata.namespace === ns);
    }
    return [];
  }

  /** The pods running as a ServiceAccount (workloads' templates named Kind/name where their pods are not read), with whether each gets its token mounted. */
  podsOf(namespace: string, name: string): { pod: string; tokenMounted: boolean }[] {
    const sa = this.serviceAccount(namespace, name);
    return this.pods
      .filter((p) => p.metadata.namespace === namespace && (p.spec?.serviceAccountName || p.spec?.serviceAccount || 'default') === name)
      .map((p) => ({ pod: p.metadata.name!, tokenMounted: tokenMounted(p, sa) }));
  }
}

/** ClusterRoles with their aggregated rules, as the aggregation controller settles them (aggregates of aggregates included). */
function aggregate(roles: ClusterRole[]): ClusterRole[] {
  let current = roles;
  for (let round = 0; round <= roles.length; round++) {
    let changed = false;
    const next = current.map((role) => {
      const rules = aggregatedRules(role, current);
      if (!rules || deepEqual(rules, role.rules ?? [])) return role;
      changed = true;
      return { ...role, rules };
    });
    current = next;
    if (!changed) break;
  }
  return current;
}
