import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../api/meta.js';
import { AUTOUPDATE_ANNOTATION, BOOTSTRAP_LABEL, clusterRoleBindings, clusterRoles, namespacedRoleBindings, namespacedRoles } from './bootstrap-policy.js';
import type { PolicyRule } from './rules.js';

const all = () => ({ clusterRoles: clusterRoles(), clusterRoleBindings: clusterRoleBindings(), roles: namespacedRoles(), roleBindings: namespacedRoleBindings() });
const byName = (objs: KubeObject[], name: string, namespace?: string) => {
  const found = objs.find((o) => o.metadata.name === name && o.metadata.namespace === namespace);
  assert.ok(found, `${namespace ? namespace + '/' : ''}${name} is defined`);
  return found;
};
const rulesOf = (o: KubeObject) => o.rules as PolicyRule[];
const R = ['get', 'list', 'watch'];
const W = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

describe('bootstrap policy (Kubernetes 1.32)', () => {
  it('has as many objects as upstream renders with the default feature gates', () => {
    const { clusterRoles, clusterRoleBindings, roles, roleBindings } = all();
    // cluster-roles.yaml: 31, controller-roles.yaml: 33
    assert.equal(clusterRoles.filter((o) => !o.metadata.name!.startsWith('system:controller:')).length, 31);
    assert.equal(clusterRoles.filter((o) => o.metadata.name!.startsWith('system:controller:')).length, 33);
    assert.equal(clusterRoles.length, 64);
    // cluster-role-bindings.yaml: 12, controller-role-bindings.yaml: 33
    assert.equal(clusterRoleBindings.length, 45);
    assert.equal(roles.length, 7);
    assert.equal(roleBindings.length, 7);
  });

  it('names are unique per kind (and namespace)', () => {
    for (const [kind, objs] of Object.entries(all())) {
      const keys = objs.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`);
      assert.equal(new Set(keys).size, keys.length, `${kind} has duplicate names`);
    }
  });

  it('every object is rbac.authorization.k8s.io/v1 with the bootstrap label and the autoupdate annotation', () => {
    const kinds = { clusterRoles: 'ClusterRole', clusterRoleBindings: 'ClusterRoleBinding', roles: 'Role', roleBindings: 'RoleBinding' };
    for (const [key, objs] of Object.entries(all())) {
      for (const o of objs) {
        assert.equal(o.apiVersion, 'rbac.authorization.k8s.io/v1');
        assert.equal(o.kind, kinds[key as keyof typeof kinds]);
        assert.equal(o.metadata.labels?.['kubernetes.io/bootstrapping'], 'rbac-defaults', o.metadata.name);
        assert.deepEqual({ ...o.metadata.labels, ...BOOTSTRAP_LABEL }, o.metadata.labels);
        assert.deepEqual(o.metadata.annotations, { [AUTOUPDATE_ANNOTATION]: 'true' }, o.metadata.name);
        assert.equal(o.metadata.namespace === undefined, key.startsWith('cluster'), `${o.metadata.name} scope`);
      }
    }
  });

  it('every binding refers to a role defined here', () => {
    const { clusterRoles, clusterRoleBindings, roles, roleBindings } = all();
    const knownExceptions = new Set<string>(); // none in 1.32
    for (const b of clusterRoleBindings) {
      const ref = b.roleRef as { apiGroup: string; kind: string; name: string };
      assert.deepEqual(Object.keys(ref), ['apiGroup', 'kind', 'name']);
      assert.equal(ref.apiGroup, 'rbac.authorization.k8s.io');
      assert.equal(ref.kind, 'ClusterRole');
      assert.equal(ref.name, b.metadata.name, 'each default cluster binding is named after its role');
      if (!knownExceptions.has(ref.name)) byName(clusterRoles, ref.name);
    }
    for (const b of roleBindings) {
      const ref = b.roleRef as { kind: string; name: string };
      assert.equal(ref.kind, 'Role');
      byName(roles, ref.name, b.metadata.namespace);
    }
  });

  it('subjects carry the RBAC API group for users and groups, and a namespace for service accounts', () => {
    const { clusterRoleBindings, roleBindings } = all();
    for (const b of [...clusterRoleBindings, ...roleBindings]) {
      for (const s of (b.subjects as Record<string, string>[] | undefined) ?? []) {
        if (s.kind === 'ServiceAccount') assert.deepEqual(Object.keys(s), ['kind', 'name', 'namespace']);
        else assert.deepEqual(s, { kind: s.kind, apiGroup: 'rbac.authorization.k8s.io', name: s.name });
      }
    }
  });

  it('rules are well formed and sorted like upstream builds them', () => {
    const { clusterRoles, roles } = all();
    for (const o of [...clusterRoles, ...roles]) {
      for (const r of rulesOf(o) ?? []) {
        const keys = Object.keys(r);
        if (r.nonResourceURLs) assert.deepEqual(keys, ['nonResourceURLs', 'verbs']);
        else assert.deepEqual(keys, r.resourceNames ? ['apiGroups', 'resources', 'resourceNames', 'verbs'] : ['apiGroups', 'resources', 'verbs']);
        for (const k of keys) {
          const list = r[k as keyof PolicyRule]!;
          assert.ok(list.length > 0, `${o.metadata.name}: empty ${k}`);
          assert.deepEqual(list, [...list].sort(), `${o.metadata.name}: ${k} sorted`);
        }
      }
    }
  });

  it('the well-known cluster roles match reference/rbac.md §5.3', () => {
    const roles = clusterRoles();
    assert.deepEqual(rulesOf(byName(roles, 'cluster-admin')), [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['*'] },
    ]);
    assert.deepEqual(rulesOf(byName(roles, 'system:basic-user')), [
      { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] },
      { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
    ]);
    assert.deepEqual(rulesOf(byName(roles, 'system:discovery')), [
      { nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], verbs: ['get'] },
    ]);
    assert.deepEqual(rulesOf(byName(roles, 'system:public-info-viewer')), [{ nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] }]);
    assert.deepEqual(rulesOf(byName(roles, 'system:service-account-issuer-discovery')), [
      { nonResourceURLs: ['/.well-known/openid-configuration', '/openid/v1/jwks'], verbs: ['get'] },
    ]);
    assert.deepEqual(rulesOf(byName(roles, 'system:monitoring')), [
      { nonResourceURLs: ['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*'], verbs: ['get'] },
    ]);
    assert.deepEqual(rulesOf(byName(roles, 'system:auth-delegator')), [
      { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
      { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
    ]);
  });

  it('admin, edit and view aggregate, carry no rules, and are labelled into the next role up', () => {
    const roles = clusterRoles();
    const selector = (to: string) => ({ clusterRoleSelectors: [{ matchLabels: { [`rbac.authorization.k8s.io/aggregate-to-${to}`]: 'true' } }] });
    const labels = (to?: string) => ({ 'kubernetes.io/bootstrapping': 'rbac-defaults', ...(to ? { [`rbac.authorization.k8s.io/aggregate-to-${to}`]: 'true' } : {}) });
    for (const [name, aggregates, labelledTo] of [
      ['admin', 'admin', undefined],
      ['edit', 'edit', 'admin'],
      ['view', 'view', 'edit'],
    ] as const) {
      const o = byName(roles, name);
      assert.deepEqual(o.aggregationRule, selector(aggregates));
      assert.equal('rules' in o, false, `${name} has no rules until the aggregation controller fills them`);
      assert.deepEqual(o.metadata.labels, labels(labelledTo));
      assert.deepEqual(Object.keys(o), ['apiVersion', 'kind', 'metadata', 'aggregationRule']);
    }
    for (const to of ['admin', 'edit', 'view']) assert.deepEqual(byName(roles, `system:aggregate-to-${to}`).metadata.labels, labels(to));
    // Only admin, edit and view aggregate.
    assert.deepEqual(roles.filter((o) => o.aggregationRule).map((o) => o.metadata.name), ['admin', 'edit', 'view']);
  });

  it('the aggregated pieces hold the documented rules', () => {
    const roles = clusterRoles();
    assert.deepEqual(rulesOf(byName(roles, 'system:aggregate-to-admin')), [
      { apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'], verbs: ['create'] },
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'roles'], verbs: RW },
    ]);
    const edit = rulesOf(byName(roles, 'system:aggregate-to-edit'));
    assert.equal(edit.length, 13);
    assert.deepEqual(edit[0], { apiGroups: [''], resources: ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], verbs: R });
    assert.deepEqual(edit[1], { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] });
    assert.deepEqual(edit[4], {
      apiGroups: [''],
      resources: ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy'],
      verbs: W,
    });
    assert.deepEqual(edit[5], { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] });
    assert.deepEqual(edit[12], { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: RW });
    const view = rulesOf(byName(roles, 'system:aggregate-to-view'));
    assert.equal(view.length, 10);
    assert.deepEqual(view[2], { apiGroups: [''], resources: ['namespaces'], verbs: R });
    // view never reads secrets; nothing in admin/edit/view writes roles except aggregate-to-admin
    assert.ok(!view.some((r) => r.resources?.includes('secrets')));
    assert.ok(!edit.some((r) => r.apiGroups?.includes('rbac.authorization.k8s.io')));
  });

  it('binds the documented subjects', () => {
    const bindings = clusterRoleBindings();
    const subjects = (name: string) => byName(bindings, name).subjects;
    const g = (name: string) => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name });
    const u = (name: string) => ({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name });
    assert.deepEqual(subjects('cluster-admin'), [g('system:masters')]);
    assert.deepEqual(subjects('system:basic-user'), [g('system:authenticated')]);
    assert.deepEqual(subjects('system:discovery'), [g('system:authenticated')]);
    assert.deepEqual(subjects('system:public-info-viewer'), [g('system:authenticated'), g('system:unauthenticated')]);
    assert.deepEqual(subjects('system:service-account-issuer-discovery'), [g('system:serviceaccounts')]);
    assert.deepEqual(subjects('system:monitoring'), [g('system:monitoring')]);
    assert.deepEqual(subjects('system:kube-controller-manager'), [u('system:kube-controller-manager')]);
    assert.deepEqual(subjects('system:kube-scheduler'), [u('system:kube-scheduler')]);
    assert.deepEqual(subjects('system:volume-scheduler'), [u('system:kube-scheduler')]);
    assert.deepEqual(subjects('system:node-proxier'), [u('system:kube-proxy')]);
    assert.deepEqual(subjects('system:kube-dns'), [{ kind: 'ServiceAccount', name: 'kube-dns', namespace: 'kube-system' }]);
    assert.equal('subjects' in byName(bindings, 'system:node'), false, 'system:node is bound to nobody');
    for (const b of bindings.filter((o) => o.metadata.name!.startsWith('system:controller:'))) {
      assert.deepEqual(b.subjects, [{ kind: 'ServiceAccount', name: b.metadata.name!.slice('system:controller:'.length), namespace: 'kube-system' }]);
    }
  });

  it('controller roles: a few exact ones', () => {
    const roles = clusterRoles();
    assert.deepEqual(rulesOf(byName(roles, 'system:controller:clusterrole-aggregation-controller')), [
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate', 'get', 'list', 'patch', 'update', 'watch'] },
    ]);
    assert.deepEqual(rulesOf(byName(roles, 'system:controller:namespace-controller')), [
      { apiGroups: [''], resources: ['namespaces'], verbs: ['delete', 'get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['namespaces/finalize', 'namespaces/status'], verbs: ['update'] },
      { apiGroups: ['*'], resources: ['*'], verbs: ['delete', 'deletecollection', 'get', 'list', 'watch'] },
    ]);
    assert.deepEqual(rulesOf(byName(roles, 'system:controller:legacy-service-account-token-cleaner')), [
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['kube-apiserver-legacy-service-account-token-tracking'], verbs: ['get'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['delete', 'patch'] },
    ]);
    const events = { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] };
    assert.deepEqual(rulesOf(byName(roles, 'system:controller:service-account-controller')), [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['create'] }, events]);
    assert.deepEqual(rulesOf(byName(roles, 'system:controller:root-ca-cert-publisher')), [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'update'] }, events]);
    // Feature-gated controllers that 1.32 leaves off are not there.
    for (const gated of ['resource-claim-controller', 'service-cidrs-controller', 'selinux-warning-controller', 'volumeattributesclass-protection-controller']) {
      assert.equal(roles.some((o) => o.metadata.name === `system:controller:${gated}`), false, gated);
    }
  });

  it('kube-system and kube-public defaults', () => {
    const roles = namespacedRoles();
    const bindings = namespacedRoleBindings();
    assert.deepEqual(
      roles.map((o) => `${o.metadata.namespace}/${o.metadata.name}`),
      [
        'kube-public/system:controller:bootstrap-signer',
        'kube-system/extension-apiserver-authentication-reader',
        'kube-system/system::leader-locking-kube-controller-manager',
        'kube-system/system::leader-locking-kube-scheduler',
        'kube-system/system:controller:bootstrap-signer',
        'kube-system/system:controller:cloud-provider',
        'kube-system/system:controller:token-cleaner',
      ],
    );
    assert.deepEqual(rulesOf(byName(roles, 'extension-apiserver-authentication-reader', 'kube-system')), [
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['extension-apiserver-authentication'], verbs: R },
    ]);
    assert.deepEqual(byName(bindings, 'system::extension-apiserver-authentication-reader', 'kube-system').roleRef, {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'extension-apiserver-authentication-reader',
    });
    assert.deepEqual(byName(bindings, 'system:controller:bootstrap-signer', 'kube-public').subjects, [{ kind: 'ServiceAccount', name: 'bootstrap-signer', namespace: 'kube-system' }]);
  });

  it('returns fresh objects on every call', () => {
    const first = clusterRoles();
    (first[0]!.metadata.labels as Record<string, string>).x = 'y';
    rulesOf(byName(first, 'cluster-admin'))[0]!.verbs!.push('mutated');
    const second = clusterRoles();
    assert.equal(second[0]!.metadata.labels?.x, undefined);
    assert.deepEqual(rulesOf(byName(second, 'cluster-admin'))[0]!.verbs, ['*']);
    assert.deepEqual(BOOTSTRAP_LABEL, { 'kubernetes.io/bootstrapping': 'rbac-defaults' });
  });
});
