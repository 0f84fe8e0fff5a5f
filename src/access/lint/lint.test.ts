import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { AccessPolicy } from '../policy.js';
import { failsAt, lint, LINT_RULES } from './lint.js';
import { explain, findingsTable, sarif } from './report.js';
import type { Finding } from './types.js';
import type { AuditUse } from '../audit-log.js';
import { withAudit } from './audit-rules.js';
import { binding, RBAC, rule } from '../../testing/rbac-objects.js';

const sa = (namespace: string, name: string, extra: object = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace }, ...extra });
const role = (kind: 'Role' | 'ClusterRole', name: string, rules: object[], namespace?: string, metadata: object = {}): KubeObject => ({ apiVersion: RBAC, kind, metadata: { name, ...(namespace ? { namespace } : {}), ...metadata }, rules });
const SA_SUBJECT = (name: string, namespace = 'ns') => ({ kind: 'ServiceAccount', name, namespace });
const pod = (name: string, spec: object, namespace = 'ns', metadata: object = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, ...metadata }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } });
const deployment = (name: string, spec: object, namespace = 'ns'): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace }, spec: { template: { spec: { containers: [{ name: 'c', image: 'i' }], ...spec } } } });
/** metadata naming a controller, as the controllers set it. */
const owned = (kind: string, name: string) => ({ ownerReferences: [{ apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1', kind, name, uid: `uid-${name}`, controller: true }] });
const withMeta = (o: KubeObject, metadata: object): KubeObject => ({ ...o, metadata: { ...o.metadata, ...metadata } });
/** A Deployment, its ReplicaSet and three pods, as read live. */
const deploymentChain = (name: string, spec: object, namespace = 'ns'): KubeObject[] => {
  const rs = `${name}-5d8f`;
  const podSpec = { containers: [{ name: 'c', image: 'i' }], ...spec };
  return [
    withMeta(deployment(name, spec, namespace), { uid: `uid-${name}` }),
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: rs, namespace, uid: `uid-${rs}`, ...owned('Deployment', name) }, spec: { template: { spec: podSpec } } },
    ...[1, 2, 3].map((i) => pod(`${rs}-${i}`, spec, namespace, owned('ReplicaSet', rs))),
  ];
};
/** A ServiceAccount `a` in ns bound (ClusterRoleBinding or RoleBinding in ns) to a role with these rules. */
const granted = (kind: 'ClusterRoleBinding' | 'RoleBinding', ...rules: object[]) => [sa('ns', 'a'), role('ClusterRole', 'r', rules), binding(kind, 'b', 'ClusterRole', 'r', [SA_SUBJECT('a')], kind === 'RoleBinding' ? 'ns' : undefined)];

const findings = (objects: KubeObject[], id?: string): Finding[] => lint(new AccessPolicy(objects, { bootstrap: true }), 'the files given').findings.filter((f) => !id || f.id === id);
const one = (objects: KubeObject[], id: string): Finding => {
  const found = findings(objects, id);
  assert.equal(found.length, 1, JSON.stringify(found));
  return found[0]!;
};
const none = (objects: KubeObject[], id: string) => assert.deepEqual(findings(objects, id), []);

describe('access lint rules', () => {
  it('SA001 default-sa-with-api-access: only with an effective token mount; high when default is bound', () => {
    assert.equal(one([pod('p', {})], 'SA001').severity, 'med');
    const bound = one([pod('p', {}), binding('RoleBinding', 'rb', 'ClusterRole', 'view', [SA_SUBJECT('default')], 'ns')], 'SA001');
    assert.equal(bound.severity, 'high');
    assert.match(bound.provenance.join('\n'), /Pod ns\/p → ServiceAccount ns\/default\nRoleBinding ns\/rb → ClusterRole view/);
    assert.equal(one([deployment('d', {})], 'SA001').object.kind, 'Deployment');
    none([pod('p', { automountServiceAccountToken: false })], 'SA001');
    // The ServiceAccount's automount false counts (kube-linter #135), the pod's true overrides it.
    none([pod('p', {}), sa('ns', 'default', { automountServiceAccountToken: false })], 'SA001');
    one([pod('p', { automountServiceAccountToken: true }), sa('ns', 'default', { automountServiceAccountToken: false })], 'SA001');
    none([pod('p', { serviceAccountName: 'x' }), sa('ns', 'x')], 'SA001');
  });

  it('SA002 automount-not-needed: a mounted token no binding (nor group binding) gives anything', () => {
    assert.match(one([sa('ns', 'x'), pod('p', { serviceAccountName: 'x' })], 'SA002').message, /mounts the token of ns\/x/);
    none([sa('ns', 'x', { automountServiceAccountToken: false }), pod('p', { serviceAccountName: 'x' })], 'SA002');
    none([sa('ns', 'x'), pod('p', { serviceAccountName: 'x' }), binding('RoleBinding', 'rb', 'ClusterRole', 'view', [{ kind: 'Group', name: 'system:serviceaccounts:ns' }], 'ns')], 'SA002');
    none([pod('p', {})], 'SA002');
  });

  it('SA003 sa-shared-by-workloads: counts top-level owners, not the default ServiceAccount', () => {
    const f = one([sa('ns', 'x'), pod('p', { serviceAccountName: 'x' }), deployment('d', { serviceAccountName: 'x' })], 'SA003');
    assert.deepEqual(f.object, { kind: 'ServiceAccount', namespace: 'ns', name: 'x' });
    // The Deployment stands for its ReplicaSet and pods.
    none([sa('ns', 'x'), ...deploymentChain('d', { serviceAccountName: 'x' })], 'SA003');
    // Pods whose ReplicaSet was not read count once, as that ReplicaSet.
    const orphans = [1, 2, 3].map((i) => pod(`gone-${i}`, { serviceAccountName: 'x' }, 'ns', owned('ReplicaSet', 'gone')));
    none([sa('ns', 'x'), ...orphans], 'SA003');
    assert.match(one([sa('ns', 'x'), ...orphans, pod('bare', { serviceAccountName: 'x' })], 'SA003').message, /used by 2 workloads: ReplicaSet\/gone, Pod\/bare$/);
    none([pod('p', {}), deployment('d', {})], 'SA003');
  });

  it('folds pods and ReplicaSets or Jobs into their top-level owner; a pod whose owner was not read stays a pod', () => {
    const f = one(deploymentChain('web', {}), 'SA001');
    assert.deepEqual(f.object, { kind: 'Deployment', namespace: 'ns', name: 'web' });
    const cron: KubeObject[] = [
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'ns', uid: 'uid-nightly' }, spec: { jobTemplate: { spec: { template: { spec: { serviceAccount: 'x', containers: [] } } } } } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'nightly-1', namespace: 'ns', uid: 'uid-nightly-1', ...owned('CronJob', 'nightly') }, spec: { template: { spec: { serviceAccount: 'x', containers: [] } } } },
      pod('nightly-1-abc', { serviceAccount: 'x' }, 'ns', owned('Job', 'nightly-1')),
    ];
    assert.deepEqual(one([sa('ns', 'x'), ...cron], 'SA005').object, { kind: 'CronJob', namespace: 'ns', name: 'nightly' });
    const longLived = { volumes: [{ name: 't', projected: { sources: [{ serviceAccountToken: { path: 't', expirationSeconds: 864000 } }] } }] };
    assert.equal(one(deploymentChain('web', longLived), 'SA008').object.kind, 'Deployment');
    // The ReplicaSet was not read: each pod is reported.
    const [, , ...pods] = deploymentChain('web', {});
    assert.deepEqual(
      findings(pods, 'SA001').map((x) => x.object.name),
      ['web-5d8f-1', 'web-5d8f-2', 'web-5d8f-3'],
    );
    // A controller of another uid (deleted and made again) is not the owner.
    assert.equal(findings([withMeta(deployment('web', {}), { uid: 'other' }), ...deploymentChain('web', {}).slice(1)], 'SA001').length, 2);
  });

  it('SA004 sa-not-found: by namespace and name, saying where it looked', () => {
    assert.match(one([sa('other', 'x'), pod('p', { serviceAccountName: 'x' })], 'SA004').message, /ServiceAccount ns\/x is not in the files given/);
    none([sa('ns', 'x'), pod('p', { serviceAccountName: 'x' }), pod('q', {})], 'SA004');
  });

  it('SA005 sa-deprecated-field', () => {
    assert.match(one([sa('ns', 'x'), sa('ns', 'y'), pod('p', { serviceAccount: 'x', serviceAccountName: 'y' })], 'SA005').message, /differs/);
    none([sa('ns', 'x'), pod('p', { serviceAccountName: 'x' })], 'SA005');
    // As the API server stores every pod: serviceAccount defaulted from serviceAccountName.
    none([sa('ns', 'x'), pod('p', { serviceAccountName: 'x', serviceAccount: 'x' })], 'SA005');
    assert.match(one([sa('ns', 'x'), pod('p', { serviceAccount: 'x' })], 'SA005').message, /deprecated field/);
  });

  it('SA006 sa-undocumented: not default, not kube-*', () => {
    one([sa('ns', 'x'), sa('ns', 'default'), sa('kube-system', 'c')], 'SA006');
    none([sa('ns', 'x', { metadata: { name: 'x', namespace: 'ns', annotations: { 'kubernetes.io/description': 'ci' } } }), sa('ns', 'y', { metadata: { name: 'y', namespace: 'ns', labels: { owner: 'me' } } })], 'SA006');
  });

  it('SA007 legacy-sa-token-secret: med, high when its ServiceAccount is privileged', () => {
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 't', namespace: 'ns', annotations: { 'kubernetes.io/service-account.name': 'a' } }, type: 'kubernetes.io/service-account-token' } as KubeObject;
    assert.equal(one([sa('ns', 'a'), secret], 'SA007').severity, 'med');
    assert.equal(one([...granted('ClusterRoleBinding', rule(['list'], ['secrets'])), secret], 'SA007').severity, 'high');
    assert.equal(one([sa('ns', 'a', { secrets: [{ name: 'a-token-x1y2z' }] })], 'SA007').object.kind, 'ServiceAccount');
    none([sa('ns', 'a', { secrets: [{ name: 'registry' }] }), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'o', namespace: 'ns' }, type: 'Opaque' } as KubeObject], 'SA007');
  });

  it('SA008 long-lived-projected-token: not the default expiry', () => {
    const vol = (expirationSeconds: number) => ({ volumes: [{ name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 't', expirationSeconds } }] } }] });
    one([pod('p', vol(31536000))], 'SA008');
    none([pod('p', vol(3607))], 'SA008');
  });

  it('RB001 cluster-admin-equivalent-binding: cluster-admin or equivalent; RoleBinding is namespace-admin; users high', () => {
    assert.equal(one([sa('ns', 'a'), binding('ClusterRoleBinding', 'b', 'ClusterRole', 'cluster-admin', [SA_SUBJECT('a')])], 'RB001').severity, 'crit');
    assert.equal(one([binding('ClusterRoleBinding', 'b', 'ClusterRole', 'cluster-admin', [{ kind: 'User', name: 'alice' }])], 'RB001').severity, 'high');
    one(granted('ClusterRoleBinding', rule(['*'], ['*'], ['*']), { verbs: ['*'], nonResourceURLs: ['*'] }), 'RB001');
    assert.match(one(granted('RoleBinding', rule(['*'], ['*'], ['*'])), 'RB001').message, /namespace-admin of ns/);
    none(granted('ClusterRoleBinding', rule(['get'], ['*'], ['*'])), 'RB001');
    // A binding of the user's to system:masters is reported like any other group (rbac-police drops it).
    assert.equal(one([binding('ClusterRoleBinding', 'm', 'ClusterRole', 'cluster-admin', [{ kind: 'Group', name: 'system:masters' }])], 'RB001').severity, 'crit');
    // Kubernetes' own cluster-admin binding (system:masters) is not the user's.
    none([], 'RB001');
  });

  it('RB002 wildcard-in-rule: high for two fields, bootstrap roles allowed', () => {
    assert.equal(one([role('ClusterRole', 'r', [rule(['*'], ['pods'])])], 'RB002').severity, 'med');
    assert.equal(one([role('ClusterRole', 'r', [rule(['*'], ['*'])])], 'RB002').severity, 'high');
    none([role('ClusterRole', 'r', [rule(['*'], ['*'], ['*'])], undefined, { labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }), role('Role', 'r', [rule(['get'], ['pods'])], 'ns')], 'RB002');
  });

  it('RB003 secrets-read: any of get/list/watch; crit cluster-wide, high in a namespace, med by name', () => {
    assert.equal(one(granted('ClusterRoleBinding', rule(['watch'], ['secrets'])), 'RB003').severity, 'crit');
    assert.equal(one(granted('RoleBinding', rule(['list'], ['secrets'])), 'RB003').severity, 'high');
    assert.equal(one(granted('RoleBinding', rule(['get'], ['secrets'], [''], { resourceNames: ['s'] })), 'RB003').severity, 'med');
    none(granted('ClusterRoleBinding', rule(['get'], ['secrets'], ['apps']), rule(['create'], ['secrets'])), 'RB003');
  });

  it('RB004 workload-write: pods, apps and batch controllers', () => {
    assert.match(one(granted('ClusterRoleBinding', rule(['patch'], ['cronjobs'], ['batch']), rule(['create'], ['deployments'], ['apps'])), 'RB004').message, /deployments\.apps, cronjobs\.batch cluster-wide/);
    none(granted('ClusterRoleBinding', rule(['get', 'list'], ['pods', 'deployments'], ['', 'apps']), rule(['create'], ['deployments'], [''])), 'RB004');
  });

  it('RB005 pod-exec-attach-portforward: create or get', () => {
    assert.match(one(granted('RoleBinding', rule(['get'], ['pods/exec', 'pods/portforward'])), 'RB005').message, /exec\/portforward/);
    none(granted('RoleBinding', rule(['get'], ['pods', 'pods/log']), rule(['create'], ['pods/exec'], ['apps'])), 'RB005');
  });

  it('a RoleBinding to the built-in edit role (aggregated offline) is not exempt: secrets, workloads, exec', () => {
    const objects = [sa('ns', 'a'), binding('RoleBinding', 'b', 'ClusterRole', 'edit', [SA_SUBJECT('a')], 'ns')];
    for (const id of ['RB003', 'RB004', 'RB005']) assert.match(one(objects, id).provenance[0]!, /^RoleBinding ns\/b → ClusterRole edit → rule \d+ /, id);
    // edit's cluster-scoped rules grant nothing through a RoleBinding, and Kubernetes' own roles are not RB016's.
    none(objects, 'RB016');
    none(objects, 'RB007');
  });

  it('RB006 ephemeral-containers', () => {
    one(granted('RoleBinding', rule(['patch'], ['pods/ephemeralcontainers'])), 'RB006');
    none(granted('RoleBinding', rule(['get'], ['pods/ephemeralcontainers'])), 'RB006');
  });

  it('RB007 nodes-proxy: any verb, but only through a ClusterRoleBinding', () => {
    one(granted('ClusterRoleBinding', rule(['get'], ['nodes/proxy'])), 'RB007');
    none(granted('RoleBinding', rule(['get'], ['nodes/proxy'])), 'RB007');
  });

  it('RB008 rbac-escalate-bind: escalate; bind only with binding writes', () => {
    one(granted('ClusterRoleBinding', rule(['escalate'], ['clusterroles'], ['rbac.authorization.k8s.io'])), 'RB008');
    assert.match(one(granted('RoleBinding', rule(['bind'], ['clusterroles', 'roles'], ['rbac.authorization.k8s.io'], { resourceNames: ['view'] }), rule(['create'], ['rolebindings'], ['rbac.authorization.k8s.io'])), 'RB008').message, /bind the roles view/);
    none(granted('RoleBinding', rule(['bind'], ['roles'], ['rbac.authorization.k8s.io']), rule(['create'], ['roles'], ['rbac.authorization.k8s.io'])), 'RB008');
  });

  it('RB009 impersonate: users, groups, serviceaccounts, uids and userextras', () => {
    one(granted('ClusterRoleBinding', rule(['impersonate'], ['userextras/scopes'], ['authentication.k8s.io'])), 'RB009');
    one(granted('ClusterRoleBinding', rule(['impersonate'], ['uids'], ['authentication.k8s.io'])), 'RB009');
    none(granted('ClusterRoleBinding', rule(['get'], ['users', 'groups'])), 'RB009');
  });

  it('RB009 constrained impersonation: the identity verbs, high (med for the associated node), a ServiceAccount also through a RoleBinding', () => {
    const userInfo = one(granted('ClusterRoleBinding', rule(['impersonate:user-info'], ['users'], ['authentication.k8s.io'])), 'RB009');
    assert.equal(userInfo.severity, 'high');
    assert.match(userInfo.message, /^ServiceAccount ns\/a can impersonate users and groups cluster-wide \(constrained: impersonate:user-info, /);
    assert.equal(one(granted('ClusterRoleBinding', rule(['impersonate:associated-node'], ['nodes'], ['authentication.k8s.io'])), 'RB009').severity, 'med');
    assert.match(one(granted('RoleBinding', rule(['impersonate:serviceaccount'], ['serviceaccounts'], ['authentication.k8s.io'])), 'RB009').message, /can impersonate ServiceAccounts in namespace ns/);
    none(granted('RoleBinding', rule(['impersonate:user-info'], ['users'], ['authentication.k8s.io'])), 'RB009');
    none(granted('ClusterRoleBinding', rule(['impersonate:user-info'], ['users'], [''])), 'RB009');
    none(granted('ClusterRoleBinding', rule(['impersonate-on:user-info:list'], ['pods'])), 'RB009');
    // Legacy impersonate (here through *) is reported once, as such.
    const all = findings(granted('ClusterRoleBinding', rule(['*'], ['*'], ['*'])), 'RB009');
    assert.equal(all.length, 1);
    assert.equal(all[0]!.severity, 'crit');
  });

  it('RB010 sa-token-mint: crit where a privileged ServiceAccount is reached, med otherwise', () => {
    assert.equal(one(granted('RoleBinding', rule(['create'], ['serviceaccounts/token'])), 'RB010').severity, 'med');
    const privileged = [sa('ns', 'admin'), binding('ClusterRoleBinding', 'adm', 'ClusterRole', 'cluster-admin', [SA_SUBJECT('admin')])];
    const mint = findings([...granted('RoleBinding', rule(['create'], ['serviceaccounts/token'])), ...privileged], 'RB010');
    assert.equal(mint.find((f) => f.object.name === 'b')!.severity, 'crit');
    // cluster-admin mints too, but only for itself here.
    assert.equal(mint.find((f) => f.object.name === 'adm')!.severity, 'med');
    assert.match(findings([...granted('RoleBinding', rule(['create'], ['secrets'])), ...privileged], 'RB010')[0]!.message, /privileged ServiceAccount can be created \(ns\/admin\)/);
    none([...granted('RoleBinding', rule(['create'], ['secrets'])), role('Role', 'x', [], 'other')], 'RB010');
  });

  it('RB011 admission-control-write', () => {
    one(granted('ClusterRoleBinding', rule(['update'], ['validatingwebhookconfigurations'], ['admissionregistration.k8s.io'])), 'RB011');
    none(granted('RoleBinding', rule(['update'], ['validatingwebhookconfigurations'], ['admissionregistration.k8s.io'])), 'RB011');
  });

  it('RB012 csr-approve: approval and approve on signers', () => {
    const approval = rule(['update'], ['certificatesigningrequests/approval'], ['certificates.k8s.io']);
    one(granted('ClusterRoleBinding', approval, rule(['approve'], ['signers'], ['certificates.k8s.io'])), 'RB012');
    none(granted('ClusterRoleBinding', approval), 'RB012');
  });

  it('RB013 broad-group-grant: crit for unauthenticated; Kubernetes defaults not reported', () => {
    assert.equal(one([binding('ClusterRoleBinding', 'b', 'ClusterRole', 'view', [{ kind: 'Group', name: 'system:unauthenticated' }])], 'RB013').severity, 'crit');
    assert.equal(one([binding('RoleBinding', 'b', 'ClusterRole', 'view', [{ kind: 'Group', name: 'system:serviceaccounts:ns' }], 'ns')], 'RB013').severity, 'high');
    none([binding('ClusterRoleBinding', 'b', 'ClusterRole', 'view', [{ kind: 'Group', name: 'devs' }])], 'RB013');
  });

  it('RB014 dangling-binding: missing role or ServiceAccount; bootstrap roles known', () => {
    assert.match(one([binding('ClusterRoleBinding', 'b', 'ClusterRole', 'nope', [])], 'RB014').message, /clusterrole.rbac.authorization.k8s.io "nope" not found/);
    assert.match(one([binding('RoleBinding', 'b', 'ClusterRole', 'view', [SA_SUBJECT('ghost')], 'ns')], 'RB014').message, /ns\/ghost it binds is not in the files given/);
    none([sa('ns', 'a'), binding('RoleBinding', 'b', 'ClusterRole', 'edit', [{ kind: 'ServiceAccount', name: 'a' }], 'ns')], 'RB014');
  });

  it('RB016 ineffective-grant: cluster-scoped through a RoleBinding, create with resourceNames', () => {
    assert.match(one(granted('RoleBinding', rule(['get'], ['nodes'])), 'RB016').message, /through a RoleBinding, nodes of ClusterRole r grant nothing/);
    assert.match(one([role('Role', 'r', [rule(['create'], ['configmaps'], [''], { resourceNames: ['c'] })], 'ns')], 'RB016').message, /create with resourceNames/);
    none([...granted('ClusterRoleBinding', rule(['get'], ['nodes'])), role('Role', 'r', [rule(['get'], ['namespaces']), rule(['update'], ['configmaps'], [''], { resourceNames: ['c'] })], 'ns')], 'RB016');
    // A custom resource is as its CustomResourceDefinition says: cluster-scoped, ineffective through a RoleBinding.
    const crd = (scope: string): KubeObject => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com', scope, names: { plural: 'widgets', kind: 'Widget' }, versions: [] } });
    assert.match(one([crd('Cluster'), ...granted('RoleBinding', rule(['get'], ['widgets'], ['example.com']))], 'RB016').message, /widgets of ClusterRole r grant nothing/);
    none([crd('Namespaced'), ...granted('RoleBinding', rule(['get'], ['widgets'], ['example.com']))], 'RB016');
  });
});

describe('access lint framework', () => {
  const objects = granted('ClusterRoleBinding', rule(['get'], ['secrets']));
  it('suppresses by annotation with a reason, and not without one', () => {
    const suppressed = [objects[0]!, objects[1]!, { ...objects[2]!, metadata: { ...objects[2]!.metadata, annotations: { 'badge.dev/ignore-RB003': 'reads the CA bundle' } } }];
    const r = lint(new AccessPolicy(suppressed, { bootstrap: true }), 'the files given');
    assert.equal(r.findings.find((f) => f.id === 'RB003')!.suppressed, 'reads the CA bundle');
    assert.ok(!failsAt(r.findings, 'crit'));
    assert.doesNotMatch(findingsTable(r.findings), /RB003/);
    const empty = [objects[0]!, objects[1]!, { ...objects[2]!, metadata: { ...objects[2]!.metadata, annotations: { 'badge.dev/ignore-RB003': '' } } }];
    const r2 = lint(new AccessPolicy(empty, { bootstrap: true }), 'the files given');
    assert.ok(failsAt(r2.findings, 'crit'));
    assert.match(r2.warnings[0]!, /has no reason/);
  });

  it('--fail-on compares severities; the bootstrap policy alone has no findings', () => {
    const fs = findings(objects);
    assert.ok(failsAt(fs, 'crit') && failsAt(fs, 'info'));
    assert.ok(!failsAt(findings([role('Role', 'r', [rule(['create'], ['configmaps'], [''], { resourceNames: ['c'] })], 'ns')]), 'low'));
    assert.deepEqual(findings([]), []);
  });

  it('SARIF 2.1.0: rules, levels from severity, logical locations', () => {
    const log = sarif(findings(objects), LINT_RULES) as any;
    assert.equal(log.version, '2.1.0');
    assert.deepEqual(Object.keys(log.runs[0].tool.driver.rules[0]), ['id', 'name', 'shortDescription', 'help', 'defaultConfiguration', 'properties']);
    const result = log.runs[0].results.find((r: any) => r.ruleId === 'RB003');
    assert.equal(result.level, 'error');
    assert.deepEqual(result.locations[0].logicalLocations[0], { name: 'b', fullyQualifiedName: 'ClusterRoleBinding/b', kind: 'resource' });
    assert.equal(log.runs[0].tool.driver.rules[result.ruleIndex].id, 'RB003');
  });

  it('every rule explains itself', () => {
    for (const r of LINT_RULES) assert.match(explain(r), new RegExp(`^${r.id} ${r.name} \\(severity ${r.severity}\\)\\n\\nChecks: .+\\n\\nFix: .+`));
  });
});

describe('access lint with an audit log', () => {
  const A = 'system:serviceaccount:ns:a';
  const use = (namespace: string, verb = 'get', resource = 'configmaps', extra: Record<string, string[]> = {}): AuditUse => ({
    auditID: `${namespace}-${verb}-${resource}`,
    username: A,
    groups: ['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated'],
    user: { username: A, extra },
    request: { verb, isResourceRequest: true, path: '', apiGroup: '', resource, subresource: '', namespace, name: '' },
    requestURI: '/',
    time: 0,
    decision: 'allow',
  });
  const audited = (objects: KubeObject[], uses: AuditUse[], id: string) => lint(new AccessPolicy(objects, { bootstrap: true }), 'the files given', withAudit(LINT_RULES, uses)).findings.filter((f) => f.id === id);

  it('RB015 prefer-role-over-clusterrole: a ClusterRoleBinding of namespaced rules used in few namespaces', () => {
    const crb = granted('ClusterRoleBinding', rule(['get'], ['configmaps']));
    const [f] = audited(crb, [use('ns'), use('x')], 'RB015');
    assert.equal(f!.severity, 'low');
    assert.match(f!.message, /grants ClusterRole r \(namespaced rules only\) to ServiceAccount ns\/a cluster-wide, used in 2 namespace\(s\) in the audit window: ns, x/);
    assert.deepEqual(audited(crb, ['a', 'b', 'c', 'd'].map((ns) => use(ns)), 'RB015'), [], 'more than 3 namespaces');
    assert.deepEqual(audited(crb, [use('ns'), use('')], 'RB015'), [], 'a cluster-wide request needs the ClusterRoleBinding');
    assert.deepEqual(audited(granted('RoleBinding', rule(['get'], ['configmaps'])), [use('ns')], 'RB015'), [], 'a ClusterRole through a RoleBinding');
    assert.deepEqual(audited(granted('ClusterRoleBinding', rule(['get'], ['configmaps']), rule(['get'], ['nodes'])), [use('ns')], 'RB015'), [], 'cluster-scoped rules');
    assert.deepEqual(findings(crb, 'RB015'), [], 'no audit log, no finding');
  });

  it('RB016 unused-permission: a rule its subjects never used in the window', () => {
    const objects = granted('ClusterRoleBinding', rule(['get'], ['configmaps']), rule(['list'], ['secrets']));
    const fs = audited(objects, [use('ns')], 'RB016');
    assert.equal(fs.length, 1);
    assert.equal(fs[0]!.severity, 'info');
    assert.match(fs[0]!.message, /^unused-permission: rule 1 \{APIGroups:\[""\], Resources:\["secrets"\], Verbs:\["list"\]\} of ClusterRole r was not used by ServiceAccount ns\/a in the audit window$/);
    assert.deepEqual(audited(objects, [use('ns'), use('other', 'list', 'secrets')], 'RB016'), []);
    // A RoleBinding's rule is used only by requests in its namespace.
    assert.equal(audited(granted('RoleBinding', rule(['get'], ['configmaps'])), [use('other')], 'RB016').length, 1);
  });

  it('SA002 with the log: a mounted token no pod request used', () => {
    const objects = [sa('ns', 'a'), pod('p', { serviceAccountName: 'a' }), ...granted('RoleBinding', rule(['get'], ['configmaps'])).slice(1)];
    assert.match(audited(objects, [use('ns')], 'SA002')[0]!.message, /mounts the token of ns\/a, which no request in the audit window used from a pod/);
    assert.deepEqual(audited(objects, [use('ns', 'get', 'configmaps', { 'authentication.kubernetes.io/pod-name': ['p'] })], 'SA002'), []);
    assert.equal(audited(objects, [use('ns', 'get', 'configmaps', { 'authentication.kubernetes.io/pod-name': ['other'] })], 'SA002').length, 1, 'another pod of the ServiceAccount');
  });

  it('SA007 with the log: whether each legacy token Secret is used, and used ones not given', () => {
    const legacy = (secret: string, t: number): AuditUse => ({
      ...use('ns'),
      auditID: `legacy-${secret}-${t}`,
      time: t,
      tokenAnnotations: { 'authentication.k8s.io/legacy-token': A, 'authentication.k8s.io/legacy-token-manual-secret': secret },
    });
    const secret = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'ns', annotations: { 'kubernetes.io/service-account.name': 'a' } }, type: 'kubernetes.io/service-account-token' } as KubeObject);
    const objects = [sa('ns', 'a'), secret('a-token'), secret('idle-token')];
    const fs = audited(objects, [legacy('a-token', Date.parse('2026-12-01T10:00:00Z')), legacy('a-token', Date.parse('2026-12-02T10:00:00Z')), legacy('gone-token', 0)], 'SA007');
    const by = (name: string) => fs.find((f) => f.object.name === name)!;
    assert.match(by('a-token').message, /; used 2 times in the audit window, last 2026-12-02T10:00:00.000Z: move its clients to TokenRequest, then delete it$/);
    assert.match(by('idle-token').message, /; not used in the audit window: delete it$/);
    assert.deepEqual(by('gone-token').object, { kind: 'Secret', namespace: 'ns', name: 'gone-token' });
    assert.match(by('gone-token').message, /^legacy token Secret for ServiceAccount ns\/a used 1 time in the audit window, last 1970-01-01T00:00:00.000Z \(not among the files given\)/);
    assert.equal(fs.length, 3);
    // Without legacy-token annotations nothing is added.
    assert.deepEqual(audited([sa('ns', 'a')], [use('ns')], 'SA007'), []);
  });

  it('SA008 with the log: stale tokens and long TokenRequests', () => {
    const stale: AuditUse = { ...use('ns', 'get', 'configmaps', { 'authentication.kubernetes.io/pod-name': ['p'] }), tokenAnnotations: { 'authentication.k8s.io/stale-token': `subject: ${A}, seconds after warning threshold: 30` } };
    const request = (seconds: number): AuditUse => ({ ...use('ns', 'create', 'serviceaccounts'), auditID: `tr-${seconds}`, username: 'jane', request: { ...use('ns').request, verb: 'create', resource: 'serviceaccounts', subresource: 'token', name: 'a' }, expirationSeconds: seconds });
    const fs = audited([sa('ns', 'a')], [stale, request(3600), request(172800)], 'SA008');
    assert.equal(fs.length, 2);
    assert.deepEqual(fs[0]!.object, { kind: 'Pod', namespace: 'ns', name: 'p' });
    assert.match(fs[0]!.message, /^a token of ServiceAccount ns\/a was used 1 time past its warning threshold \(stale-token, last /);
    assert.deepEqual(fs[1]!.object, { kind: 'ServiceAccount', namespace: 'ns', name: 'a' });
    assert.match(fs[1]!.message, /^jane asked 1 time for a token valid up to 172800 s \(TokenRequest, above 86400 s\)/);
    assert.deepEqual(audited([sa('ns', 'a')], [use('ns'), request(86400)], 'SA008'), [], 'fresh tokens and a day-long request are fine');
  });
});
