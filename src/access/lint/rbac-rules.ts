// The RB* rules: what bindings grant, found by asking the server's rule matcher about each rule of
// each binding's role (aggregated ClusterRoles resolved, RoleBinding → ClusterRole scoped).
import type { KubeObject } from '../../api/meta.js';
import { compactString, type PolicyRule } from '../../auth/authz/rbac/rules.js';
import { chain, grantsSomeName, objectText, roleText, scopeText, subjectsText, type LintContext, type RuleHit } from './context.js';
import { describeRef, refOf, type LintRule, type RawFinding, type Severity } from './types.js';

const RBAC = 'rbac.authorization.k8s.io';
const WRITE = ['create', 'update', 'patch'];
const READ = ['get', 'list', 'watch'];

/** The hits grouped by binding, in the order met. */
function byBinding(hits: RuleHit[]): RuleHit[][] {
  const groups = new Map<KubeObject, RuleHit[]>();
  for (const h of hits) {
    const list = groups.get(h.object);
    if (list) list.push(h);
    else groups.set(h.object, [h]);
  }
  return [...groups.values()];
}

/** One finding per binding whose role grants what `targets` ask (any of them). */
function grantFindings(ctx: LintContext, targets: [verbs: string[], group: string, resource: string, sub?: string][], make: (hits: RuleHit[]) => { severity: Severity; message: string } | undefined): RawFinding[] {
  const hits = targets.flatMap(([verbs, group, resource, sub]) => ctx.hits(verbs, group, resource, sub));
  const out: RawFinding[] = [];
  for (const group of byBinding(hits)) {
    const made = make(group);
    if (made) out.push({ ...made, object: refOf(group[0]!.object), provenance: [...new Set(group.map(chain))] });
  }
  return out;
}

const has = (list: string[] | undefined, value: string) => (list ?? []).includes(value);
const allResources = (r: PolicyRule) => has(r.verbs, '*') && has(r.apiGroups, '*') && has(r.resources, '*');
const allURLs = (r: PolicyRule) => has(r.verbs, '*') && has(r.nonResourceURLs, '*');
/** crit when a ServiceAccount or a group holds it, high for users only. */
const bySubjects = (hits: RuleHit[]): Severity => (hits[0]!.binding.subjects.some((s) => s.kind !== 'User') ? 'crit' : 'high');

export const RB001: LintRule = {
  id: 'RB001',
  name: 'cluster-admin-equivalent-binding',
  severity: 'crit',
  description: 'A binding to cluster-admin or to a role whose rules are equivalent (* verbs on * groups and * resources, and * nonResourceURLs); through a RoleBinding, namespace-admin. crit for ServiceAccount and group subjects, high for users.',
  fix: 'Bind a role that lists the verbs and resources the subjects need; for a namespace, bind the built-in admin or edit ClusterRole with a RoleBinding.',
  check(ctx) {
    const out: RawFinding[] = [];
    for (const { object, binding, rules = [] } of ctx.bindings()) {
      const idx = rules.findIndex(allResources);
      if (idx < 0) continue;
      const cluster = binding.kind === 'ClusterRoleBinding';
      if (cluster && binding.roleRef.name !== 'cluster-admin' && !rules.some(allURLs)) continue;
      const hits = [{ object, binding, ruleIndex: idx, rule: rules[idx]! }];
      const what = cluster ? 'cluster-admin' : `namespace-admin of ${binding.namespace}`;
      out.push({ severity: bySubjects(hits), object: refOf(object), message: `${subjectsText(binding)} ${binding.subjects.length === 1 ? 'is' : 'are'} ${what} (every verb on every resource${cluster ? ' and URL' : ''})`, provenance: hits.map(chain) });
    }
    return out;
  },
};

export const RB003: LintRule = {
  id: 'RB003',
  name: 'secrets-read',
  severity: 'high',
  description: 'get, list or watch on secrets: crit cluster-wide, high in a namespace, med when narrowed by resourceNames.',
  fix: 'Mount the secrets the workload needs as volumes or environment instead of reading them through the API; if it must read them, list them by resourceNames in a namespaced Role.',
  check: (ctx) =>
    grantFindings(ctx, [[READ, '', 'secrets']], (hits) => {
      const b = hits[0]!.binding;
      const named = hits.every((h) => h.rule.resourceNames?.length);
      const severity: Severity = named ? 'med' : b.kind === 'ClusterRoleBinding' ? 'crit' : 'high';
      const verbs = [...new Set(hits.flatMap((h) => READ.filter((v) => h.rule.verbs?.includes(v) || h.rule.verbs?.includes('*'))))];
      return { severity, message: `${subjectsText(b)} can ${verbs.join('/')} secrets ${scopeText(b)}${named ? ` (only ${[...new Set(hits.flatMap((h) => h.rule.resourceNames!))].join(', ')})` : ''}` };
    }),
};

const WORKLOADS: [string, string][] = [['', 'pods'], ['', 'replicationcontrollers'], ['apps', 'deployments'], ['apps', 'statefulsets'], ['apps', 'daemonsets'], ['apps', 'replicasets'], ['batch', 'jobs'], ['batch', 'cronjobs']];

export const RB004: LintRule = {
  id: 'RB004',
  name: 'workload-write',
  severity: 'high',
  description: 'create, update or patch on pods, replicationcontrollers, apps deployments/statefulsets/daemonsets/replicasets or batch jobs/cronjobs: whoever can do it can run any ServiceAccount of the namespace.',
  fix: 'Grant workload writes only in the namespaces a deployer manages (RoleBindings, not a ClusterRoleBinding), and keep privileged ServiceAccounts out of those namespaces.',
  check: (ctx) =>
    grantFindings(ctx, WORKLOADS.map(([g, r]) => [WRITE, g, r] as [string[], string, string]), (hits) => {
      const b = hits[0]!.binding;
      const what = WORKLOADS.filter(([g, r]) => hits.some((h) => WRITE.some((v) => grantsSomeName(h.rule, v, g, r)))).map(([g, r]) => (g ? `${r}.${g}` : r));
      return { severity: 'high', message: `${subjectsText(b)} can write ${what.join(', ')} ${scopeText(b)}` };
    }),
};

export const RB005: LintRule = {
  id: 'RB005',
  name: 'pod-exec-attach-portforward',
  severity: 'high',
  description: 'pods/exec, pods/attach or pods/portforward with create or get (kubectl uses create; get reaches the same streams over WebSockets).',
  fix: 'Remove pods/exec, pods/attach and pods/portforward from the role, or grant them in a debugging Role bound only when needed.',
  check: (ctx) =>
    grantFindings(ctx, ['exec', 'attach', 'portforward'].map((s) => [['create', 'get'], '', 'pods', s] as [string[], string, string, string]), (hits) => {
      const b = hits[0]!.binding;
      const subs = ['exec', 'attach', 'portforward'].filter((s) => hits.some((h) => ['create', 'get'].some((v) => grantsSomeName(h.rule, v, '', 'pods', s))));
      return { severity: 'high', message: `${subjectsText(b)} can ${subs.join('/')} into pods ${scopeText(b)}` };
    }),
};

export const RB006: LintRule = {
  id: 'RB006',
  name: 'ephemeral-containers',
  severity: 'high',
  description: 'patch or update on pods/ephemeralcontainers: adds a container (any image, any command) to a running pod.',
  fix: 'Grant pods/ephemeralcontainers only in a debugging Role bound when needed.',
  check: (ctx) => grantFindings(ctx, [[['patch', 'update'], '', 'pods', 'ephemeralcontainers']], (hits) => ({ severity: 'high', message: `${subjectsText(hits[0]!.binding)} can add ephemeral containers to pods ${scopeText(hits[0]!.binding)}` })),
};

export const RB007: LintRule = {
  id: 'RB007',
  name: 'nodes-proxy',
  severity: 'crit',
  description: 'Any verb on nodes/proxy through a ClusterRoleBinding: the kubelet API behind it runs commands in every pod of the node (get is enough). A RoleBinding grants nothing on nodes.',
  fix: 'Remove nodes/proxy; for metrics, grant nodes/metrics or nodes/stats instead.',
  check: (ctx) => grantFindings(ctx, [[['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'], '', 'nodes', 'proxy']], (hits) => ({ severity: 'crit', message: `${subjectsText(hits[0]!.binding)} can reach the kubelet API through nodes/proxy` })),
};

export const RB008: LintRule = {
  id: 'RB008',
  name: 'rbac-escalate-bind',
  severity: 'crit',
  description: 'escalate on roles or clusterroles; or bind on roles or clusterroles (narrowed by resourceNames) together with create, update or patch on rolebindings or clusterrolebindings: a way past RBAC\'s escalation check.',
  fix: 'Remove escalate; grant bind only with resourceNames naming the roles a subject may hand out.',
  check(ctx) {
    const escalate = grantFindings(ctx, [[['escalate'], RBAC, 'roles'], [['escalate'], RBAC, 'clusterroles']], (hits) => ({ severity: 'crit', message: `${subjectsText(hits[0]!.binding)} can escalate roles ${scopeText(hits[0]!.binding)} (grant any permission)` }));
    const writesBindings = new Set([...ctx.hits(WRITE, RBAC, 'rolebindings'), ...ctx.hits(WRITE, RBAC, 'clusterrolebindings')].map((h) => h.object));
    const bind = grantFindings(ctx, [[['bind'], RBAC, 'roles'], [['bind'], RBAC, 'clusterroles']], (hits) => {
      const b = hits[0]!.binding;
      if (!writesBindings.has(hits[0]!.object)) return undefined;
      const names = [...new Set(hits.flatMap((h) => h.rule.resourceNames ?? []))];
      return { severity: 'crit', message: `${subjectsText(b)} can bind ${names.length && hits.every((h) => h.rule.resourceNames?.length) ? `the roles ${names.join(', ')}` : 'any role'} and write bindings ${scopeText(b)}` };
    });
    return [...escalate, ...bind.filter((f) => !escalate.some((e) => e.object.kind === f.object.kind && e.object.namespace === f.object.namespace && e.object.name === f.object.name))];
  },
};

const AUTHN = 'authentication.k8s.io';
/** Constrained impersonation's identity verbs (KEP-5284) and what each lets a subject act as; they take effect with `impersonate-on:<mode>:<verb>` on the action. */
const CONSTRAINED: [verb: string, resources: string[], what: string][] = [
  ['impersonate:user-info', ['users', 'groups', 'uids', 'userextras'], 'users and groups'],
  ['impersonate:serviceaccount', ['serviceaccounts'], 'ServiceAccounts'],
  ['impersonate:arbitrary-node', ['nodes'], 'any node'],
  ['impersonate:associated-node', ['nodes'], 'the node its pod runs on'],
];

export const RB009: LintRule = {
  id: 'RB009',
  name: 'impersonate',
  severity: 'crit',
  description:
    'impersonate on users, groups, serviceaccounts or uids (core) or userextras (authentication.k8s.io): acting as another identity, system:masters included. Also the constrained impersonation verbs (impersonate:user-info, :serviceaccount, :arbitrary-node on authentication.k8s.io; high, med for :associated-node), which act as that identity for the actions impersonate-on:<mode>:<verb> allows.',
  fix: 'Remove impersonate, or narrow it with resourceNames to the identities a subject may act as; prefer constrained impersonation limited to the actions needed.',
  check(ctx) {
    const legacy = grantFindings(
      ctx,
      [[['impersonate'], '', 'users'], [['impersonate'], '', 'groups'], [['impersonate'], '', 'serviceaccounts'], [['impersonate'], AUTHN, 'uids'], [['impersonate'], AUTHN, 'userextras', '*']].map(([v, g, r, s]) => [v, g, r, s] as [string[], string, string, string?]),
      (hits) => ({ severity: 'crit', message: `${subjectsText(hits[0]!.binding)} can impersonate ${scopeText(hits[0]!.binding)}` }),
    );
    const found = new Set(legacy.map((f) => describeRef(f.object)));
    const constrained = CONSTRAINED.flatMap(([verb, resources, what]) =>
      grantFindings(
        ctx,
        resources.map((r) => [[verb], AUTHN, r, r === 'userextras' ? '*' : undefined]),
        (hits) => {
          const b = hits[0]!.binding;
          // Only a ServiceAccount's identity check carries a namespace: the others need a ClusterRoleBinding.
          if (found.has(describeRef(refOf(hits[0]!.object))) || (b.kind === 'RoleBinding' && verb !== 'impersonate:serviceaccount')) return undefined;
          const severity = verb === 'impersonate:associated-node' ? 'med' : 'high';
          return { severity, message: `${subjectsText(b)} can impersonate ${what} ${scopeText(b)} (constrained: ${verb}, for the actions its impersonate-on verbs allow)` };
        },
      ),
    );
    return [...legacy, ...constrained];
  },
};

export const RB010: LintRule = {
  id: 'RB010',
  name: 'sa-token-mint',
  severity: 'crit',
  description: 'create on serviceaccounts/token, or create/update/patch on secrets in a namespace hosting a privileged ServiceAccount (a token Secret for it is minted): crit where a privileged ServiceAccount is reachable, med otherwise. Privileged ServiceAccounts are found with the engine, not assumed to live in kube-system.',
  fix: 'Remove create on serviceaccounts/token (or narrow it with resourceNames); keep privileged ServiceAccounts in namespaces where nobody else writes secrets.',
  check(ctx) {
    const privileged = ctx.privilegedServiceAccounts();
    // The privileged ServiceAccounts a binding reaches, other than its own subjects (a token for oneself adds nothing).
    const all = [...privileged.keys()];
    const inNamespace = new Map<string, string[]>();
    for (const k of all) {
      const ns = k.slice(0, k.indexOf('/'));
      const list = inNamespace.get(ns);
      if (list) list.push(k);
      else inNamespace.set(ns, [k]);
    }
    const reaches = (h: RuleHit) => {
      const own = new Set(h.binding.subjects.filter((s) => s.kind === 'ServiceAccount').map((s) => `${s.namespace || h.binding.namespace}/${s.name}`));
      return (h.binding.kind === 'ClusterRoleBinding' ? all : (inNamespace.get(h.binding.namespace) ?? [])).filter((k) => !own.has(k));
    };
    const mint = grantFindings(ctx, [[['create'], '', 'serviceaccounts', 'token']], (hits) => {
      const b = hits[0]!.binding;
      const reached = reaches(hits[0]!);
      return { severity: reached.length ? 'crit' : 'med', message: `${subjectsText(b)} can create tokens for ServiceAccounts ${scopeText(b)}${reached.length ? ` (privileged: ${reached.join(', ')})` : ''}` };
    });
    const secrets = grantFindings(ctx, [[WRITE, '', 'secrets']], (hits) => {
      const b = hits[0]!.binding;
      const reached = reaches(hits[0]!);
      if (!reached.length) return undefined;
      return { severity: 'crit', message: `${subjectsText(b)} can write secrets ${scopeText(b)}, where a token Secret for a privileged ServiceAccount can be created (${reached.join(', ')})` };
    });
    return [...mint, ...secrets];
  },
};

const ADMISSION: [string, string][] = [
  ['admissionregistration.k8s.io', 'mutatingwebhookconfigurations'],
  ['admissionregistration.k8s.io', 'validatingwebhookconfigurations'],
  ['admissionregistration.k8s.io', 'validatingadmissionpolicies'],
  ['admissionregistration.k8s.io', 'validatingadmissionpolicybindings'],
  ['apiextensions.k8s.io', 'customresourcedefinitions'],
];

export const RB011: LintRule = {
  id: 'RB011',
  name: 'admission-control-write',
  severity: 'high',
  description: 'create, update or patch on mutating/validating webhook configurations, validatingadmissionpolicies or their bindings, or customresourcedefinitions: whoever can do it sees or changes every request.',
  fix: 'Leave admission configuration and CRDs to the cluster\'s installer; grant them to no workload.',
  check: (ctx) => grantFindings(ctx, ADMISSION.map(([g, r]) => [WRITE, g, r] as [string[], string, string]), (hits) => ({ severity: 'high', message: `${subjectsText(hits[0]!.binding)} can write admission configuration or CRDs` })),
};

export const RB012: LintRule = {
  id: 'RB012',
  name: 'csr-approve',
  severity: 'crit',
  description: 'update on certificatesigningrequests/approval together with approve on signers: issuing client certificates for any identity the signer serves.',
  fix: 'Remove the approval grant; let a dedicated approver with signer resourceNames do it.',
  check(ctx) {
    const approvers = new Set(ctx.hits(['approve'], 'certificates.k8s.io', 'signers').map((h) => h.object));
    return grantFindings(ctx, [[['update'], 'certificates.k8s.io', 'certificatesigningrequests', 'approval']], (hits) =>
      approvers.has(hits[0]!.object) ? { severity: 'crit', message: `${subjectsText(hits[0]!.binding)} can approve certificate signing requests` } : undefined,
    );
  },
};

export const RB002: LintRule = {
  id: 'RB002',
  name: 'wildcard-in-rule',
  severity: 'med',
  description: '* in the verbs, resources, apiGroups or nonResourceURLs of a rule: it grants what exists today and whatever is added later. high when two or more fields are *. Kubernetes\' bootstrap roles (label kubernetes.io/bootstrapping=rbac-defaults) are not reported.',
  fix: 'List the verbs, groups and resources the subject needs.',
  check(ctx) {
    const out: RawFinding[] = [];
    for (const role of ctx.ofKind('Role', 'ClusterRole')) {
      ((role.rules as PolicyRule[] | undefined) ?? []).forEach((rule, i) => {
        const fields = (['verbs', 'apiGroups', 'resources', 'nonResourceURLs'] as const).filter((f) => has(rule[f], '*'));
        if (!fields.length) return;
        out.push({ severity: fields.length >= 2 ? 'high' : 'med', object: refOf(role), message: `rule ${i} has * in ${fields.join(', ')}`, provenance: [`${objectText(role)} → rule ${i} ${compactString(rule)}`] });
      });
    }
    return out;
  },
};

const BROAD = ['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts'];

export const RB013: LintRule = {
  id: 'RB013',
  name: 'broad-group-grant',
  severity: 'high',
  description: 'A binding (not one of Kubernetes\' defaults) to system:authenticated, system:unauthenticated, system:serviceaccounts or system:serviceaccounts:<ns>: every such identity, each ServiceAccount included, gets the role. crit for system:unauthenticated.',
  fix: 'Bind the role to the ServiceAccounts or users that need it, by name.',
  check(ctx) {
    const out: RawFinding[] = [];
    for (const { object, binding } of ctx.bindings()) {
      const groups = binding.subjects.filter((s) => s.kind === 'Group' && (BROAD.includes(s.name) || s.name.startsWith('system:serviceaccounts:'))).map((s) => s.name);
      if (!groups.length) continue;
      const count = groups.reduce((n, g) => n + ctx.policy.serviceAccountsIn(g).length, 0);
      out.push({
        severity: groups.includes('system:unauthenticated') ? 'crit' : 'high',
        object: refOf(object),
        message: `${roleText(binding)} is granted ${scopeText(binding)} to ${groups.join(', ')}${count ? ` (${count} ServiceAccount(s) known here among them)` : ''}`,
        provenance: [`${objectText(object)} → ${roleText(binding)}`],
      });
    }
    return out;
  },
};

export const RB014: LintRule = {
  id: 'RB014',
  name: 'dangling-binding',
  severity: 'med',
  description: 'A binding whose role does not exist, or whose ServiceAccount subject does not: whoever later creates a ServiceAccount of that name inherits the grants. Kubernetes\' bootstrap roles are known offline. low for ServiceAccounts of kube-system.',
  fix: 'Delete the binding, or create the role or ServiceAccount it names on purpose.',
  check(ctx) {
    const out: RawFinding[] = [];
    for (const { object, binding, error } of ctx.bindings()) {
      const where = objectText(object);
      if (error) out.push({ severity: 'med', object: refOf(object), message: `${error} (in ${ctx.source})`, provenance: [`${where} → ${roleText(binding)}`] });
      for (const s of binding.subjects) {
        if (s.kind !== 'ServiceAccount') continue;
        const ns = s.namespace || binding.namespace;
        if (!ns || s.name === 'default' || ctx.policy.serviceAccount(ns, s.name)) continue;
        out.push({ severity: ns === 'kube-system' ? 'low' : 'med', object: refOf(object), message: `the ServiceAccount ${ns}/${s.name} it binds is not in ${ctx.source}: creating it hands it ${roleText(binding)}`, provenance: [`${where} → ServiceAccount ${ns}/${s.name}`] });
      }
    }
    return out;
  },
};

/** A resource a rule lists that is cluster-scoped (not `*`, not namespaces: a RoleBinding does allow get on its own namespace). */
const clusterScopedIn = (ctx: LintContext, rule: PolicyRule) => (rule.resources ?? []).filter((r) => r !== '*' && !r.startsWith('namespaces') && (rule.apiGroups ?? []).every((g) => g !== '*') && (rule.apiGroups ?? []).some((g) => !ctx.namespaced(g, r.split('/')[0]!)));

export const RB016: LintRule = {
  id: 'RB016',
  name: 'ineffective-grant',
  severity: 'info',
  description: 'A rule that cannot apply: cluster-scoped resources or nonResourceURLs in a Role, or in a ClusterRole bound only through this RoleBinding; create with resourceNames on a resource itself (the name is not known when RBAC decides). With --audit-log also unused-permission: a rule of a binding given that its subjects never used in the window.',
  fix: 'Use a ClusterRoleBinding for cluster-scoped grants, drop resourceNames from create (use a separate rule), or remove the rule.',
  check(ctx) {
    const out: RawFinding[] = [];
    for (const role of ctx.ofKind('Role', 'ClusterRole')) {
      ((role.rules as PolicyRule[] | undefined) ?? []).forEach((rule, i) => {
        const at = `${objectText(role)} → rule ${i}`;
        const why: string[] = [];
        if (role.kind === 'Role' && rule.nonResourceURLs?.length) why.push('nonResourceURLs in a Role grant nothing');
        if (role.kind === 'Role' && clusterScopedIn(ctx, rule).length) why.push(`cluster-scoped ${clusterScopedIn(ctx, rule).join(', ')} in a Role grant nothing`);
        if ((rule.verbs ?? []).includes('create') && rule.resourceNames?.length && (rule.resources ?? []).some((r) => !r.includes('/'))) why.push('create with resourceNames never allows creating the resource itself');
        if (why.length) out.push({ severity: 'info', object: refOf(role), message: `rule ${i}: ${why.join('; ')}`, provenance: [at] });
      });
    }
    const given = new Set(ctx.ofKind('ClusterRole').map((o) => o.metadata.name));
    for (const { object, binding, rules = [] } of ctx.bindings()) {
      if (binding.kind !== 'RoleBinding' || binding.roleRef.kind !== 'ClusterRole') continue;
      if (!given.has(binding.roleRef.name)) continue; // Kubernetes' own roles are meant to be bound both ways.
      rules.forEach((rule, ruleIndex) => {
        const cluster = clusterScopedIn(ctx, rule);
        if (!cluster.length && !rule.nonResourceURLs?.length) return;
        const what = [...cluster, ...(rule.nonResourceURLs ?? [])].join(', ');
        out.push({ severity: 'info', object: refOf(object), message: `through a RoleBinding, ${what} of ${roleText(binding)} grant nothing`, provenance: [chain({ object, binding, ruleIndex, rule })] });
      });
    }
    return out;
  },
};

export const RBAC_RULES: readonly LintRule[] = [RB001, RB002, RB003, RB004, RB005, RB006, RB007, RB008, RB009, RB010, RB011, RB012, RB013, RB014, RB016];
