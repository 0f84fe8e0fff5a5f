// What the lint rules look at: the objects given (Kubernetes' bootstrap objects left out), their
// bindings with the rules the engine resolves for them, and questions asked of the engine itself
// (the server's rule matcher, RoleBinding scoping, a pod's effective token mount).
import type { KubeObject } from '../../api/meta.js';
import type { Pod } from '../../api/kinds.js';
import { bindingOf, type Binding, type Subject } from '../../auth/authz/rbac/policy-index.js';
import { compactString, ruleAllows, type PolicyRule } from '../../auth/authz/rbac/rules.js';
import { BOOTSTRAP_LABEL } from '../../auth/authz/rbac/bootstrap-policy.js';
import { podTemplate, serviceAccountUser, type AccessPolicy } from '../policy.js';
import { controllerRef } from '../owners.js';
import { saUsername } from '../../auth/tokens/claims.js';

/** One rule of the role a binding references that grants what a rule asks about. */
export interface RuleHit {
  object: KubeObject;
  binding: Binding;
  ruleIndex: number;
  rule: PolicyRule;
}

export interface BoundRole {
  object: KubeObject;
  binding: Binding;
  rules?: PolicyRule[];
  error?: string;
}

/** A pod, or a workload with a pod template, and the pod spec it runs. */
export interface Workload {
  object: KubeObject;
  spec: NonNullable<Pod['spec']>;
  serviceAccount: string;
  /** Its top-level owner as far as known, Kind/name: itself, or the controller it names that was not read. */
  owner: string;
}

const [[BOOTSTRAP_KEY, BOOTSTRAP_VALUE]] = Object.entries(BOOTSTRAP_LABEL) as [[string, string]];
export const isBootstrap = (o: KubeObject) => o.metadata.labels?.[BOOTSTRAP_KEY] === BOOTSTRAP_VALUE;

export const objectText = (o: KubeObject) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
export const roleText = (b: Binding) => (b.roleRef.kind === 'Role' ? `Role ${b.namespace}/${b.roleRef.name}` : `ClusterRole ${b.roleRef.name}`);
export const bindingText = (b: Binding) => (b.kind === 'RoleBinding' ? `RoleBinding ${b.namespace}/${b.name}` : `ClusterRoleBinding ${b.name}`);
export const chain = (h: RuleHit) => `${bindingText(h.binding)} → ${roleText(h.binding)} → rule ${h.ruleIndex} ${compactString(h.rule)}`;
export const subjectText = (s: Subject, b: Binding) => (s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace || b.namespace}/${s.name}` : `${s.kind} ${s.name}`);
export const subjectsText = (b: Binding) => (b.subjects.length ? b.subjects.map((s) => subjectText(s, b)).join(', ') : 'no subjects');
export const scopeText = (b: Binding) => (b.kind === 'ClusterRoleBinding' ? 'cluster-wide' : `in namespace ${b.namespace}`);

export class LintContext {
  /** The objects given, without those labelled kubernetes.io/bootstrapping=rbac-defaults. */
  readonly objects: KubeObject[];
  private bound?: BoundRole[];
  private privileged?: Map<string, string>;
  private bySubject?: Map<string, BoundRole[]>;

  constructor(
    readonly policy: AccessPolicy,
    /** Where the objects came from, for messages: "the files given" or "the cluster". */
    readonly source: string,
  ) {
    this.objects = policy.objects.filter((o) => !isBootstrap(o));
  }

  /** Whether a resource is namespaced, by the policy's resource table (unknown resources are taken as namespaced). */
  namespaced(group: string, resource: string): boolean {
    return this.policy.resources.namespaced(group, resource);
  }

  ofKind(...kinds: string[]): KubeObject[] {
    return this.objects.filter((o) => kinds.includes(o.kind ?? ''));
  }

  /** The bindings given, each with its role's rules as the engine resolves them (aggregation included). */
  bindings(): BoundRole[] {
    return (this.bound ??= this.ofKind('RoleBinding', 'ClusterRoleBinding').map((object) => {
      const binding = bindingOf(object);
      return { object, binding, ...this.policy.index.roleRules(binding.roleRef ?? { kind: '', name: '' }, binding.namespace) };
    }));
  }

  /** The bindings given by what they name: a username (ServiceAccounts by theirs) or `group:NAME`. */
  boundTo(): Map<string, BoundRole[]> {
    if (this.bySubject) return this.bySubject;
    this.bySubject = new Map();
    for (const bound of this.bindings()) {
      for (const s of bound.binding.subjects) {
        const ns = s.namespace || bound.binding.namespace;
        const key = s.kind === 'Group' ? `group:${s.name}` : s.kind === 'ServiceAccount' ? (ns ? saUsername(ns, s.name) : '') : s.name;
        const list = this.bySubject.get(key) ?? [];
        if (key && !list.includes(bound)) this.bySubject.set(key, [...list, bound]);
      }
    }
    return this.bySubject;
  }

  /**
   * The binding rules that grant any of `verbs` on group/resource[/subresource] for some name,
   * where the binding can grant it at all (a RoleBinding grants no cluster-scoped resource).
   * Subresource `*` stands for any subresource (userextras/KEY): those the rule names are tried.
   */
  hits(verbs: readonly string[], group: string, resource: string, subresource = ''): RuleHit[] {
    const out: RuleHit[] = [];
    const clusterScoped = !this.namespaced(group, resource);
    for (const { object, binding, rules } of this.bindings()) {
      if (clusterScoped && binding.kind === 'RoleBinding') continue;
      (rules ?? []).forEach((rule, ruleIndex) => {
        const subs = subresource === '*' ? ['', ...(rule.resources ?? []).filter((r) => r.startsWith(`${resource}/`) || r.startsWith('*/')).map((r) => r.slice(r.indexOf('/') + 1))] : [subresource];
        if (verbs.some((verb) => subs.some((sub) => grantsSomeName(rule, verb, group, resource, sub)))) out.push({ object, binding, ruleIndex, rule });
      });
    }
    return out;
  }

  /**
   * Pods and workloads with pod templates, with the ServiceAccount each runs as: each once, at its
   * top-level owner among the objects (a Deployment, not its ReplicaSets and pods; a pod whose
   * controller was not read stands for itself).
   */
  workloads(): Workload[] {
    const out: Workload[] = [];
    for (const object of this.objects) {
      const spec = object.kind === 'Pod' ? (object as Pod).spec : podTemplate(object)?.spec;
      if (!spec || !this.policy.owners.isTopLevel(object)) continue;
      const ref = controllerRef(object);
      const owner = ref && !this.policy.owners.controllerOf(object) ? `${ref.kind}/${ref.name}` : `${object.kind}/${object.metadata.name}`;
      out.push({ object, spec, serviceAccount: spec.serviceAccountName || spec.serviceAccount || 'default', owner });
    }
    return out;
  }

  /**
   * ServiceAccounts (namespace/name → what makes them so) that the engine says may read secrets
   * cluster-wide, escalate, bind, impersonate or write ClusterRoleBindings: a token of one is a
   * way to more power.
   */
  privilegedServiceAccounts(): Map<string, string> {
    if (this.privileged) return this.privileged;
    this.privileged = new Map();
    const names = new Set(this.policy.serviceAccounts.map((s) => `${s.metadata.namespace}/${s.metadata.name}`));
    for (const { binding } of this.bindings()) for (const s of binding.subjects) if (s.kind === 'ServiceAccount') names.add(`${s.namespace || binding.namespace}/${s.name}`);
    const probes: [string, string, string][] = [
      ['list', '', 'secrets'],
      ['escalate', 'rbac.authorization.k8s.io', 'clusterroles'],
      ['bind', 'rbac.authorization.k8s.io', 'clusterroles'],
      ['impersonate', '', 'users'],
      ['create', 'rbac.authorization.k8s.io', 'clusterrolebindings'],
    ];
    for (const key of [...names].sort()) {
      const [ns, name] = key.split('/') as [string, string];
      const user = serviceAccountUser(ns, name);
      for (const [verb, apiGroup, resource] of probes) {
        if (this.policy.allows(user, { verb, apiGroup, resource, subresource: '', name: '', namespace: '', isResourceRequest: true, path: '' })) {
          this.privileged.set(key, `may ${verb} ${resource} cluster-wide`);
          break;
        }
      }
    }
    return this.privileged;
  }
}

/**
 * Whether a rule grants `verb` on the resource for at least one name, by the server's matcher. A
 * rule with resourceNames grants it for those names, except `create` on the resource itself (the
 * name is not known when RBAC decides) and `deletecollection`.
 */
export function grantsSomeName(rule: PolicyRule, verb: string, group: string, resource: string, subresource = ''): boolean {
  const names = rule.resourceNames ?? [];
  if (names.length && ((verb === 'create' && !subresource) || verb === 'deletecollection')) return ruleAllows(probe(verb, group, resource, subresource, ''), rule);
  return ruleAllows(probe(verb, group, resource, subresource, names[0] ?? ''), rule);
}

const probe = (verb: string, apiGroup: string, resource: string, subresource: string, name: string) => ({ isResourceRequest: true, verb, apiGroup, resource, subresource, name, path: '' });
