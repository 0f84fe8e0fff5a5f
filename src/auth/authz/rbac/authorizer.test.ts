// The RBAC authorizer over a PolicyIndex. Cases and expected results come from upstream Kubernetes:
// plugin/pkg/auth/authorizer/rbac/rbac_test.go (TestAuthorizer), subject_locator_test.go (which
// bindings apply where), pkg/registry/rbac/validation/rule_test.go (TestDefaultRuleResolver,
// TestAppliesTo) and the facts of rule.go / rbac.go (visit order, describers, error aggregation).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../api/meta.js';
import type { UserInfo } from '../../../api/user.js';
import type { Attributes, Decision } from '../authorizer.js';
import { RbacAuthorizer } from './authorizer.js';
import { PolicyIndex } from './policy-index.js';
import { ruleAllows, type PolicyRule } from './rules.js';

const GROUP = 'rbac.authorization.k8s.io';
const API_VERSION = `${GROUP}/v1`;

/** "Kind:name" or "ServiceAccount:namespace/name" (a bare SA name leaves the namespace unset). */
function subject(s: string) {
  const i = s.indexOf(':');
  const kind = s.slice(0, i);
  const rest = s.slice(i + 1);
  if (kind === 'ServiceAccount') {
    const slash = rest.indexOf('/');
    return slash < 0 ? { kind, name: rest } : { kind, namespace: rest.slice(0, slash), name: rest.slice(slash + 1) };
  }
  return { kind, apiGroup: GROUP, name: rest };
}

const clusterRole = (name: string, ...rules: PolicyRule[]): KubeObject => ({ apiVersion: API_VERSION, kind: 'ClusterRole', metadata: { name }, rules });
const role = (namespace: string, name: string, ...rules: PolicyRule[]): KubeObject => ({ apiVersion: API_VERSION, kind: 'Role', metadata: { namespace, name }, rules });
const clusterRoleBinding = (name: string, roleName: string, ...subjects: string[]): KubeObject => ({
  apiVersion: API_VERSION,
  kind: 'ClusterRoleBinding',
  metadata: { name },
  roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: roleName },
  subjects: subjects.map(subject),
});
const roleBinding = (namespace: string, name: string, roleKind: string, roleName: string, ...subjects: string[]): KubeObject => ({
  apiVersion: API_VERSION,
  kind: 'RoleBinding',
  metadata: { namespace, name },
  roleRef: { apiGroup: GROUP, kind: roleKind, name: roleName },
  subjects: subjects.map(subject),
});

/** newRule(verbs, apiGroups, resources, nonResourceURLs) of rbac_test.go: comma-separated lists. */
const newRule = (verbs: string, apiGroups: string, resources: string, urls: string): PolicyRule => ({
  verbs: verbs.split(','),
  apiGroups: apiGroups.split(','),
  resources: resources.split(','),
  nonResourceURLs: urls.split(','),
});

function build(objs: KubeObject[]) {
  const index = new PolicyIndex();
  for (const o of objs) {
    if (o.kind === 'Role' || o.kind === 'ClusterRole') index.setRole(o);
    else index.setBinding(o);
  }
  return { index, authz: new RbacAuthorizer(index) };
}

const user = (username: string, ...groups: string[]): UserInfo => ({ username, groups });

/** defaultAttributes of rbac_test.go: a resource request with user, groups, verb, resource, subresource, namespace, group. */
function res(u: UserInfo, verb: string, resource: string, subresource = '', namespace = '', apiGroup = '', name = ''): Attributes {
  return { user: u, verb, isResourceRequest: true, path: '', apiGroup, apiVersion: '', resource, subresource, namespace, name };
}
const nonRes = (u: UserInfo, verb: string, path: string): Attributes => ({ user: u, verb, isResourceRequest: false, path, apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '' });

const allowed = async (authz: RbacAuthorizer, a: Attributes) => (await authz.authorize(a)).decision === 'allow';

describe('RbacAuthorizer: TestAuthorizer cases', () => {
  it('a RoleBinding to a ClusterRole grants only in its namespace', async () => {
    const { authz } = build([clusterRole('admin', newRule('*', '*', '*', '*')), roleBinding('ns1', 'rb', 'ClusterRole', 'admin', 'User:admin', 'Group:admins')]);
    for (const a of [
      res(user('admin'), 'get', 'Pods', '', 'ns1'),
      res(user('admin'), 'watch', 'Pods', '', 'ns1'),
      res(user('admin', 'group1'), 'watch', 'Foobar', '', 'ns1'),
      res(user('joe', 'admins'), 'watch', 'Foobar', '', 'ns1'),
      res(user('joe', 'group1', 'admins'), 'watch', 'Foobar', '', 'ns1'),
    ])
      assert.equal(await allowed(authz, a), true, JSON.stringify(a));
    for (const a of [
      res(user('admin'), 'GET', 'Pods', '', 'ns2'),
      res(user('admin'), 'GET', 'Nodes', '', ''),
      res(user('admin', 'admins'), 'GET', 'Pods', '', 'ns2'),
      res(user('admin', 'admins'), 'GET', 'Nodes', '', ''),
      // the same verbs in lower case: still outside ns1
      res(user('admin'), 'get', 'Pods', '', 'ns2'),
      res(user('admin'), 'get', 'Nodes', '', ''),
    ])
      assert.equal(await allowed(authz, a), false, JSON.stringify(a));
  });

  it('non-resource URLs', async () => {
    const { authz } = build([
      clusterRole('non-resource-url-getter', newRule('get', '', '', '/apis')),
      clusterRole('non-resource-url', newRule('*', '', '', '/apis')),
      clusterRole('non-resource-url-prefix', newRule('get', '', '', '/apis/*')),
      clusterRoleBinding('getter', 'non-resource-url-getter', 'User:foo', 'Group:bar'),
      clusterRoleBinding('all', 'non-resource-url', 'User:admin', 'Group:admin'),
      clusterRoleBinding('prefix', 'non-resource-url-prefix', 'User:prefixed', 'Group:prefixed'),
    ]);
    const pass = [
      nonRes(user('foo'), 'get', '/apis'),
      nonRes(user('', 'bar'), 'get', '/apis'),
      nonRes(user('admin'), 'get', '/apis'),
      nonRes(user('', 'admin'), 'get', '/apis'),
      nonRes(user('admin'), 'watch', '/apis'),
      nonRes(user('', 'admin'), 'watch', '/apis'),
      nonRes(user('prefixed'), 'get', '/apis/v1'),
      nonRes(user('', 'prefixed'), 'get', '/apis/v1'),
      nonRes(user('prefixed'), 'get', '/apis/v1/foobar'),
      nonRes(user('', 'prefixed'), 'get', '/apis/v1/foorbar'),
    ];
    const fail = [
      // wrong verb
      nonRes(user('foo'), 'watch', '/apis'),
      nonRes(user('', 'bar'), 'watch', '/apis'),
      // wrong path
      nonRes(user('foo'), 'get', '/api/v1'),
      nonRes(user('', 'bar'), 'get', '/api/v1'),
      nonRes(user('admin'), 'get', '/api/v1'),
      nonRes(user('', 'admin'), 'get', '/api/v1'),
      // not covered by prefix
      nonRes(user('prefixed'), 'get', '/api/v1'),
      nonRes(user('', 'prefixed'), 'get', '/api/v1'),
    ];
    for (const a of pass) assert.equal(await allowed(authz, a), true, JSON.stringify(a));
    for (const a of fail) assert.equal(await allowed(authz, a), false, JSON.stringify(a));
  });

  it('subresource resolution: "pods" does not grant pods/status', async () => {
    const { authz } = build([clusterRole('admin', newRule('*', '*', 'pods', '*')), roleBinding('ns1', 'rb', 'ClusterRole', 'admin', 'User:admin', 'Group:admins')]);
    assert.equal(await allowed(authz, res(user('admin'), 'get', 'pods', '', 'ns1')), true);
    assert.equal(await allowed(authz, res(user('admin'), 'get', 'pods', 'status', 'ns1')), false);
  });

  it('subresource resolution: pods/status and */scale', async () => {
    const { authz } = build([
      clusterRole('admin', newRule('*', '*', 'pods/status', '*'), newRule('*', '*', '*/scale', '*')),
      roleBinding('ns1', 'rb', 'ClusterRole', 'admin', 'User:admin', 'Group:admins'),
    ]);
    for (const [r, sub] of [
      ['pods', 'status'],
      ['pods', 'scale'],
      ['deployments', 'scale'],
      ['anything', 'scale'],
    ])
      assert.equal(await allowed(authz, res(user('admin'), 'get', r!, sub!, 'ns1')), true, `${r}/${sub}`);
    assert.equal(await allowed(authz, res(user('admin'), 'get', 'pods', '', 'ns1')), false);
  });
});

describe('RbacAuthorizer: which bindings apply where (subject_locator_test.go)', () => {
  const policy = () =>
    build([
      clusterRole('admin', newRule('*', '*', '*', '*')),
      clusterRoleBinding('admin', 'admin', 'User:super-admin', 'Group:super-admins'),
      role('ns1', 'admin', newRule('get', '*', 'Pods', '*')),
      roleBinding('ns1', 'admin', 'Role', 'admin', 'User:admin', 'Group:admins'),
    ]);

  it('a ClusterRoleBinding applies in every namespace, at the cluster scope and in namespace "*"', async () => {
    const { authz } = policy();
    for (const u of [user('super-admin'), user('x', 'super-admins')])
      for (const ns of ['ns1', 'ns2', '', '*']) {
        assert.equal(await allowed(authz, res(u, 'get', 'Pods', '', ns)), true, `${u.username} in ${ns}`);
        assert.equal(await allowed(authz, res(u, '*', 'Pods', '', ns)), true);
      }
  });

  it('local roles work, only in their namespace, and only for their verbs', async () => {
    const { authz } = policy();
    for (const u of [user('admin'), user('x', 'admins')]) {
      assert.equal(await allowed(authz, res(u, 'get', 'Pods', '', 'ns1')), true);
      assert.equal(await allowed(authz, res(u, 'create', 'Pods', '', 'ns1')), false); // verb matches correctly
      assert.equal(await allowed(authz, res(u, 'get', 'Pods', '', 'ns2')), false); // binding only works in correct ns
      assert.equal(await allowed(authz, res(u, 'get', 'Pods', '', '')), false);
      assert.equal(await allowed(authz, res(u, 'get', 'Pods', '', '*')), false); // "*" is not a wildcard namespace
    }
  });
});

describe('RbacAuthorizer: reasons', () => {
  const rule = newRule('*', '*', '*', '*');

  it('ClusterRoleBinding form', async () => {
    const { authz } = build([clusterRole('admin', rule), clusterRoleBinding('crb1', 'admin', 'User:alice')]);
    assert.deepEqual(await authz.authorize(res(user('alice'), 'get', 'pods', '', 'ns1')), {
      decision: 'allow',
      reason: 'RBAC: allowed by ClusterRoleBinding "crb1" of ClusterRole "admin" to User "alice"',
    });
  });

  it('RoleBinding form: "name/namespace" of Role and of ClusterRole', async () => {
    const { authz } = build([
      role('ns1', 'reader', rule),
      clusterRole('viewer', rule),
      roleBinding('ns1', 'rb1', 'Role', 'reader', 'Group:devs'),
      roleBinding('ns2', 'rb2', 'ClusterRole', 'viewer', 'Group:devs'),
    ]);
    const u = user('bob', 'devs');
    assert.equal((await authz.authorize(res(u, 'get', 'pods', '', 'ns1'))).reason, 'RBAC: allowed by RoleBinding "rb1/ns1" of Role "reader" to Group "devs"');
    assert.equal((await authz.authorize(res(u, 'get', 'pods', '', 'ns2'))).reason, 'RBAC: allowed by RoleBinding "rb2/ns2" of ClusterRole "viewer" to Group "devs"');
  });

  it('ServiceAccount subjects read "name/namespace", the namespace defaulting to the binding\'s', async () => {
    const { authz } = build([
      clusterRole('admin', rule),
      roleBinding('ns1', 'local', 'ClusterRole', 'admin', 'ServiceAccount:builder'),
      roleBinding('ns2', 'remote', 'ClusterRole', 'admin', 'ServiceAccount:ci/deployer'),
      clusterRoleBinding('cluster', 'admin', 'ServiceAccount:kube-system/default'),
    ]);
    assert.equal(
      (await authz.authorize(res(user('system:serviceaccount:ns1:builder'), 'get', 'pods', '', 'ns1'))).reason,
      'RBAC: allowed by RoleBinding "local/ns1" of ClusterRole "admin" to ServiceAccount "builder/ns1"',
    );
    assert.equal(
      (await authz.authorize(res(user('system:serviceaccount:ci:deployer'), 'get', 'pods', '', 'ns2'))).reason,
      'RBAC: allowed by RoleBinding "remote/ns2" of ClusterRole "admin" to ServiceAccount "deployer/ci"',
    );
    assert.equal(
      (await authz.authorize(nonRes(user('system:serviceaccount:kube-system:default'), 'get', '/healthz'))).reason,
      'RBAC: allowed by ClusterRoleBinding "cluster" of ClusterRole "admin" to ServiceAccount "default/kube-system"',
    );
  });

  // TestAppliesTo: the index of the first subject that applies
  const appliesTo: { name: string; subjects: string[]; user: UserInfo; namespace: string; subject?: string }[] = [
    { name: 'single subject that matches username', subjects: ['User:foobar'], user: user('foobar'), namespace: '', subject: 'User "foobar"' },
    { name: 'multiple subjects, one that matches username', subjects: ['User:barfoo', 'User:foobar'], user: user('foobar'), namespace: '', subject: 'User "foobar"' },
    { name: 'multiple subjects, none that match username', subjects: ['User:barfoo', 'User:foobar'], user: user('zimzam'), namespace: '' },
    { name: 'multiple subjects, one that match group', subjects: ['User:barfoo', 'Group:foobar'], user: user('zimzam', 'foobar'), namespace: '', subject: 'Group "foobar"' },
    {
      name: 'multiple subjects, one that match group, should ignore namespace',
      subjects: ['User:barfoo', 'Group:foobar'],
      user: user('zimzam', 'foobar'),
      namespace: 'namespace1',
      subject: 'Group "foobar"',
    },
    {
      name: 'multiple subjects with a service account that matches',
      subjects: ['User:barfoo', 'Group:foobar', 'ServiceAccount:kube-system/default'],
      user: user('system:serviceaccount:kube-system:default'),
      namespace: 'default',
      subject: 'ServiceAccount "default/kube-system"',
    },
    { name: "* user subject name doesn't match all users", subjects: ['User:*'], user: user('foobar'), namespace: 'default' },
    {
      name: 'binding to all authenticated and unauthenticated subjects matches authenticated user',
      subjects: ['Group:system:authenticated', 'Group:system:unauthenticated'],
      user: user('foobar', 'system:authenticated'),
      namespace: 'default',
      subject: 'Group "system:authenticated"',
    },
    {
      name: 'binding to all authenticated and unauthenticated subjects matches anonymous user',
      subjects: ['Group:system:authenticated', 'Group:system:unauthenticated'],
      user: user('system:anonymous', 'system:unauthenticated'),
      namespace: 'default',
      subject: 'Group "system:unauthenticated"',
    },
    { name: 'the first matching subject is reported, not the best one', subjects: ['User:bob', 'Group:devs', 'User:alice'], user: user('alice', 'devs'), namespace: '', subject: 'Group "devs"' },
  ];
  for (const tc of appliesTo) {
    it(`appliesTo: ${tc.name}`, async () => {
      // the same subjects in a ClusterRoleBinding and (when there is a namespace) a RoleBinding
      const objs = [clusterRole('r', rule), clusterRoleBinding('crb', 'r', ...tc.subjects)];
      const { authz } = build(objs);
      const d = await authz.authorize(res(tc.user, 'get', 'pods', '', tc.namespace));
      if (tc.subject) assert.deepEqual(d, { decision: 'allow', reason: `RBAC: allowed by ClusterRoleBinding "crb" of ClusterRole "r" to ${tc.subject}` });
      else assert.deepEqual(d, { decision: 'no-opinion', reason: '' });
      if (tc.namespace) {
        const { authz: nsAuthz } = build([clusterRole('r', rule), roleBinding(tc.namespace, 'rb', 'ClusterRole', 'r', ...tc.subjects)]);
        const nd = await nsAuthz.authorize(res(tc.user, 'get', 'pods', '', tc.namespace));
        if (tc.subject) assert.equal(nd.reason, `RBAC: allowed by RoleBinding "rb/${tc.namespace}" of ClusterRole "r" to ${tc.subject}`);
        else assert.deepEqual(nd, { decision: 'no-opinion', reason: '' });
      }
    });
  }

  it('names are quoted as Go\'s %q does', async () => {
    const { authz } = build([clusterRole('a"b', rule), clusterRoleBinding('c"rb', 'a"b', 'User:we"ird\\'), roleBinding('ns1', 'r"b', 'ClusterRole', 'a"b', 'ServiceAccount:s"a')]);
    assert.equal((await authz.authorize(res(user('we"ird\\'), 'get', 'pods'))).reason, 'RBAC: allowed by ClusterRoleBinding "c\\"rb" of ClusterRole "a\\"b" to User "we\\"ird\\\\"');
    assert.equal(
      (await authz.authorize(res(user('system:serviceaccount:ns1:s"a'), 'get', 'pods', '', 'ns1'))).reason,
      'RBAC: allowed by RoleBinding "r\\"b/ns1" of ClusterRole "a\\"b" to ServiceAccount "s\\"a/ns1"',
    );
    const { authz: missing } = build([clusterRoleBinding('crb', 'x"y', 'User:alice')]);
    assert.equal((await missing.authorize(res(user('alice'), 'get', 'pods'))).reason, 'RBAC: clusterrole.rbac.authorization.k8s.io "x\\"y" not found');
  });

  it('ClusterRoleBindings are visited before RoleBindings', async () => {
    const { authz } = build([
      clusterRole('admin', rule),
      roleBinding('ns1', 'aaa', 'ClusterRole', 'admin', 'User:alice'),
      clusterRoleBinding('zzz', 'admin', 'User:alice'),
    ]);
    assert.equal((await authz.authorize(res(user('alice'), 'get', 'pods', '', 'ns1'))).reason, 'RBAC: allowed by ClusterRoleBinding "zzz" of ClusterRole "admin" to User "alice"');
  });
});

describe('RbacAuthorizer: no opinion and resolution errors', () => {
  const rule = newRule('get', '', 'pods', '');

  it('no applicable binding: no opinion with an empty reason (RBAC never denies)', async () => {
    const { authz } = build([clusterRole('r', rule), clusterRoleBinding('crb', 'r', 'User:bob')]);
    assert.deepEqual(await authz.authorize(res(user('alice'), 'get', 'pods', '', 'ns1')), { decision: 'no-opinion', reason: '' });
  });

  it('a missing ClusterRole', async () => {
    const { authz } = build([clusterRoleBinding('crb', 'x', 'User:alice')]);
    assert.deepEqual(await authz.authorize(res(user('alice'), 'get', 'pods', '', 'ns1')), {
      decision: 'no-opinion',
      reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "x" not found',
    });
  });

  it('several errors are aggregated as "[a, b]", in visit order', async () => {
    const { authz } = build([clusterRoleBinding('crb', 'x', 'User:alice'), roleBinding('ns1', 'rb', 'Role', 'y', 'User:alice')]);
    assert.deepEqual(await authz.authorize(res(user('alice'), 'get', 'pods', '', 'ns1')), {
      decision: 'no-opinion',
      reason: 'RBAC: [clusterrole.rbac.authorization.k8s.io "x" not found, role.rbac.authorization.k8s.io "y" not found]',
    });
    // RoleBindings are not visited without a namespace, so their errors are not seen
    assert.deepEqual(await authz.authorize(res(user('alice'), 'get', 'nodes')), { decision: 'no-opinion', reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "x" not found' });
  });

  it('duplicate messages are reported once, without brackets', async () => {
    const { authz } = build([clusterRoleBinding('crb1', 'x', 'User:alice'), clusterRoleBinding('crb2', 'x', 'Group:devs')]);
    assert.deepEqual(await authz.authorize(res(user('alice', 'devs'), 'get', 'pods')), { decision: 'no-opinion', reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "x" not found' });
  });

  it('an unsupported roleRef kind', async () => {
    const { authz } = build([roleBinding('ns1', 'rb', 'Foo', 'x', 'User:alice')]);
    assert.deepEqual(await authz.authorize(res(user('alice'), 'get', 'pods', '', 'ns1')), { decision: 'no-opinion', reason: 'RBAC: unsupported role reference kind: "Foo"' });
  });

  it('a Role is looked up in the binding\'s namespace', async () => {
    const { authz } = build([role('ns2', 'reader', rule), roleBinding('ns1', 'rb', 'Role', 'reader', 'User:alice')]);
    assert.deepEqual(await authz.authorize(res(user('alice'), 'get', 'pods', '', 'ns1')), { decision: 'no-opinion', reason: 'RBAC: role.rbac.authorization.k8s.io "reader" not found' });
  });

  it('errors of bindings that do not apply to the user are never seen', async () => {
    const { authz } = build([clusterRoleBinding('crb', 'x', 'User:bob'), roleBinding('ns1', 'rb', 'Role', 'y', 'Group:others')]);
    assert.deepEqual(await authz.authorize(res(user('alice', 'devs'), 'get', 'pods', '', 'ns1')), { decision: 'no-opinion', reason: '' });
  });

  it('an allowing rule wins over errors met on the way', async () => {
    const { authz } = build([clusterRoleBinding('crb', 'x', 'User:alice'), clusterRole('reader', rule), roleBinding('ns1', 'rb', 'ClusterRole', 'reader', 'User:alice')]);
    assert.deepEqual(await authz.authorize(res(user('alice'), 'get', 'pods', '', 'ns1')), {
      decision: 'allow',
      reason: 'RBAC: allowed by RoleBinding "rb/ns1" of ClusterRole "reader" to User "alice"',
    });
  });
});

describe('RbacAuthorizer: scope and subject rules', () => {
  it('non-resource URLs are granted only through ClusterRoleBindings', async () => {
    const { authz } = build([
      clusterRole('healthz', { verbs: ['get'], nonResourceURLs: ['/healthz', '/apis/*'] }),
      roleBinding('ns1', 'rb', 'ClusterRole', 'healthz', 'User:alice'),
      clusterRoleBinding('crb', 'healthz', 'User:bob'),
    ]);
    assert.equal(await allowed(authz, nonRes(user('alice'), 'get', '/healthz')), false);
    assert.equal(await allowed(authz, nonRes(user('bob'), 'get', '/healthz')), true);
    assert.equal(await allowed(authz, nonRes(user('bob'), 'get', '/apis/apps')), true);
    assert.equal(await allowed(authz, nonRes(user('bob'), 'post', '/healthz')), false);
  });

  it('a RoleBinding in a namespace grants get on that Namespace object (its request namespace is itself)', async () => {
    const { authz } = build([clusterRole('view-ns', { verbs: ['get'], apiGroups: [''], resources: ['namespaces'] }), roleBinding('foo', 'rb', 'ClusterRole', 'view-ns', 'User:alice')]);
    assert.equal(await allowed(authz, res(user('alice'), 'get', 'namespaces', '', 'foo', '', 'foo')), true);
    assert.equal(await allowed(authz, res(user('alice'), 'get', 'namespaces', '', 'bar', '', 'bar')), false);
    assert.equal(await allowed(authz, res(user('alice'), 'list', 'namespaces')), false);
  });

  it('cluster-scoped requests (and lists across namespaces) are decided by ClusterRoleBindings only', async () => {
    const { authz } = build([clusterRole('admin', newRule('*', '*', '*', '*')), roleBinding('ns1', 'rb', 'ClusterRole', 'admin', 'User:alice')]);
    assert.equal(await allowed(authz, res(user('alice'), 'list', 'pods', '', 'ns1')), true);
    assert.equal(await allowed(authz, res(user('alice'), 'list', 'pods')), false);
    assert.equal(await allowed(authz, res(user('alice'), 'get', 'nodes', '', '', '', 'n1')), false);
  });

  it('a ServiceAccount subject without a namespace never matches in a ClusterRoleBinding', async () => {
    const { authz } = build([clusterRole('admin', newRule('*', '*', '*', '*')), clusterRoleBinding('crb', 'admin', 'ServiceAccount:builder')]);
    for (const name of ['system:serviceaccount::builder', 'system:serviceaccount:default:builder', 'builder'])
      for (const ns of ['', 'default', 'ns1']) assert.deepEqual(await authz.authorize(res(user(name), 'get', 'pods', '', ns)), { decision: 'no-opinion', reason: '' }, `${name} in ${ns}`);
  });

  it('a ServiceAccount subject without a namespace in a RoleBinding means the binding\'s namespace', async () => {
    const { authz } = build([clusterRole('admin', newRule('*', '*', '*', '*')), roleBinding('ns1', 'rb', 'ClusterRole', 'admin', 'ServiceAccount:builder')]);
    assert.equal(await allowed(authz, res(user('system:serviceaccount:ns1:builder'), 'get', 'pods', '', 'ns1')), true);
    assert.equal(await allowed(authz, res(user('system:serviceaccount:ns2:builder'), 'get', 'pods', '', 'ns1')), false);
  });

  it('a ServiceAccount subject is a username comparison (a User subject with the SA username is equivalent)', async () => {
    const { authz } = build([clusterRole('admin', newRule('*', '*', '*', '*')), clusterRoleBinding('crb', 'admin', 'User:system:serviceaccount:ns1:sa')]);
    assert.equal(await allowed(authz, res(user('system:serviceaccount:ns1:sa'), 'get', 'pods', '', 'ns1')), true);
    // the SA groups are ordinary groups; a ServiceAccount subject does not look at them
    const { authz: a2 } = build([clusterRole('admin', newRule('*', '*', '*', '*')), clusterRoleBinding('crb', 'admin', 'ServiceAccount:ns1/sa')]);
    assert.equal(await allowed(a2, res(user('someone', 'system:serviceaccounts', 'system:serviceaccounts:ns1'), 'get', 'pods', '', 'ns1')), false);
  });

  it('"*" is not a wildcard user or group name, and names are case-sensitive', async () => {
    const { authz } = build([clusterRole('admin', newRule('*', '*', '*', '*')), clusterRoleBinding('crb', 'admin', 'User:*', 'Group:*', 'User:Alice', 'Group:Devs')]);
    for (const u of [user('foobar'), user('alice', 'devs'), user('bob', 'system:authenticated')]) assert.equal(await allowed(authz, res(u, 'get', 'pods', '', 'ns1')), false, u.username);
    assert.equal(await allowed(authz, res(user('*'), 'get', 'pods', '', 'ns1')), true);
    assert.equal(await allowed(authz, res(user('x', '*'), 'get', 'pods', '', 'ns1')), true);
  });

  it('subject kinds are exact: an unknown kind never matches', async () => {
    const { authz } = build([clusterRole('admin', newRule('*', '*', '*', '*')), clusterRoleBinding('crb', 'admin', 'user:alice', 'group:devs', 'Other:alice')]);
    assert.equal(await allowed(authz, res(user('alice', 'devs'), 'get', 'pods', '', 'ns1')), false);
  });
});

describe('PolicyIndex updates', () => {
  const rule = newRule('get', '', 'pods', '');
  const a = res(user('alice'), 'get', 'pods', '', 'ns1');

  it('deleting a binding removes its grant', async () => {
    const crb = clusterRoleBinding('crb', 'reader', 'User:alice');
    const rb = roleBinding('ns1', 'rb', 'ClusterRole', 'reader', 'User:alice');
    const { index, authz } = build([clusterRole('reader', rule), crb, rb]);
    assert.equal(await allowed(authz, a), true);
    index.deleteBinding(crb);
    assert.equal((await authz.authorize(a)).reason, 'RBAC: allowed by RoleBinding "rb/ns1" of ClusterRole "reader" to User "alice"');
    index.deleteBinding(rb);
    assert.deepEqual(await authz.authorize(a), { decision: 'no-opinion', reason: '' });
    assert.equal(index.size, 0);
  });

  it('deleting a role leaves its bindings pointing at nothing', async () => {
    const cr = clusterRole('reader', rule);
    const r = role('ns1', 'local', rule);
    const { index, authz } = build([cr, r, clusterRoleBinding('crb', 'reader', 'User:alice'), roleBinding('ns1', 'rb', 'Role', 'local', 'User:bob')]);
    assert.equal(await allowed(authz, a), true);
    index.deleteRole(cr);
    assert.deepEqual(await authz.authorize(a), { decision: 'no-opinion', reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "reader" not found' });
    const b = res(user('bob'), 'get', 'pods', '', 'ns1');
    assert.equal(await allowed(authz, b), true);
    index.deleteRole(r);
    assert.deepEqual(await authz.authorize(b), { decision: 'no-opinion', reason: 'RBAC: role.rbac.authorization.k8s.io "local" not found' });
    // re-creating the role restores the grant
    index.setRole(cr);
    assert.equal(await allowed(authz, a), true);
  });

  it('updating a role changes what its bindings grant', async () => {
    const { index, authz } = build([clusterRole('reader', rule), clusterRoleBinding('crb', 'reader', 'User:alice')]);
    assert.equal(await allowed(authz, a), true);
    index.setRole(clusterRole('reader', newRule('list', '', 'pods', '')));
    assert.equal(await allowed(authz, a), false);
    assert.equal(await allowed(authz, res(user('alice'), 'list', 'pods', '', 'ns1')), true);
  });

  it('updating a binding\'s subjects re-indexes it', async () => {
    const { index, authz } = build([clusterRole('reader', rule), clusterRoleBinding('crb', 'reader', 'User:alice'), roleBinding('ns1', 'rb', 'ClusterRole', 'reader', 'Group:devs')]);
    const bob = res(user('bob'), 'get', 'pods', '', 'ns1');
    const carol = res(user('carol', 'ops'), 'get', 'pods', '', 'ns1');
    const dave = res(user('dave', 'devs'), 'get', 'pods', '', 'ns1');
    assert.equal(await allowed(authz, a), true);
    assert.equal(await allowed(authz, dave), true);
    index.setBinding(clusterRoleBinding('crb', 'reader', 'User:bob'));
    index.setBinding(roleBinding('ns1', 'rb', 'ClusterRole', 'reader', 'Group:ops'));
    assert.equal(await allowed(authz, a), false);
    assert.equal(await allowed(authz, dave), false);
    assert.equal(await allowed(authz, bob), true);
    assert.equal(await allowed(authz, carol), true);
    assert.equal(index.size, 2);
    // a binding whose subjects are all removed grants nothing
    index.setBinding(clusterRoleBinding('crb', 'reader'));
    assert.equal(await allowed(authz, bob), false);
  });
});

describe('RbacAuthorizer.rulesFor (TestDefaultRuleResolver)', () => {
  const ruleReadPods: PolicyRule = { verbs: ['GET', 'WATCH'], apiGroups: ['v1'], resources: ['pods'] };
  const ruleReadServices: PolicyRule = { verbs: ['GET', 'WATCH'], apiGroups: ['v1'], resources: ['services'] };
  const ruleWriteNodes: PolicyRule = { verbs: ['PUT', 'CREATE', 'UPDATE'], apiGroups: ['v1'], resources: ['nodes'] };
  const ruleAdmin: PolicyRule = { verbs: ['*'], apiGroups: ['*'], resources: ['*'] };
  const { authz } = build([
    role('namespace1', 'readthings', ruleReadPods, ruleReadServices),
    clusterRole('cluster-admin', ruleAdmin),
    clusterRole('write-nodes', ruleWriteNodes),
    roleBinding('namespace1', 'rb', 'Role', 'readthings', 'User:foobar', 'Group:group1'),
    clusterRoleBinding('crb', 'cluster-admin', 'User:admin', 'Group:admin'),
  ]);
  const cases: [string, UserInfo, string, PolicyRule[]][] = [
    ['the namespace\'s rules', user('foobar'), 'namespace1', [ruleReadPods, ruleReadServices]],
    ['nothing in another namespace', user('foobar'), 'namespace2', []],
    ['only cluster rules without a namespace', user('foobar', 'admin'), '', [ruleAdmin]],
    ['nothing for an empty user', user(''), '', []],
    ['cluster rules first, then the namespace\'s', user('foobar', 'admin'), 'namespace1', [ruleAdmin, ruleReadPods, ruleReadServices]],
  ];
  for (const [name, u, ns, want] of cases) {
    it(name, () => assert.deepEqual(authz.rulesFor(u, ns), { rules: want, errors: [] }));
  }
  it('resolution errors are returned with the rules that could be resolved', () => {
    const { authz: a2 } = build([clusterRole('r', ruleAdmin), clusterRoleBinding('a', 'r', 'User:u'), clusterRoleBinding('b', 'missing', 'User:u'), roleBinding('ns1', 'rb', 'Role', 'gone', 'User:u')]);
    assert.deepEqual(a2.rulesFor(user('u'), 'ns1'), {
      rules: [ruleAdmin],
      errors: ['clusterrole.rbac.authorization.k8s.io "missing" not found', 'role.rbac.authorization.k8s.io "gone" not found'],
    });
  });
});

/** The subject table of the RBAC facts: User by name, Group by membership, ServiceAccount by username. */
function subjectMatches(s: { kind: string; name: string; namespace?: string }, u: UserInfo, bindingNamespace: string): boolean {
  if (s.kind === 'User') return s.name === u.username;
  if (s.kind === 'Group') return u.groups.includes(s.name);
  if (s.kind === 'ServiceAccount') {
    const ns = s.namespace || bindingNamespace;
    return ns !== '' && u.username === `system:serviceaccount:${ns}:${s.name}`;
  }
  return false;
}

/** Allowed by some rule of some binding that applies: ClusterRoleBindings always, RoleBindings of the request namespace. */
function scanAllows(index: PolicyIndex, a: Attributes): boolean {
  return index.allBindings().some((b) => {
    if (b.kind === 'RoleBinding' && (a.namespace === '' || b.namespace !== a.namespace)) return false;
    if (!b.subjects.some((s) => subjectMatches(s, a.user, b.namespace))) return false;
    return (index.roleRules(b.roleRef, b.namespace).rules ?? []).some((r) => ruleAllows(a, r));
  });
}

describe('10,000 bindings for other subjects change no decision', () => {
  const alice = user('alice', 'dev', 'system:authenticated');
  const builder = user('system:serviceaccount:ns1:builder', 'system:serviceaccounts', 'system:serviceaccounts:ns1', 'system:authenticated');
  const anonymous = user('system:anonymous', 'system:unauthenticated');

  const base = (): KubeObject[] => [
    clusterRole('pod-reader', { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods', 'pods/log'] }),
    clusterRole('discovery', { verbs: ['get'], nonResourceURLs: ['/healthz', '/apis/*', '/version'] }),
    clusterRole('node-lister', { verbs: ['list'], apiGroups: [''], resources: ['nodes'] }),
    clusterRole('scaler', { verbs: ['update', 'patch'], apiGroups: ['apps'], resources: ['*/scale'] }),
    role('ns2', 'secret-getter', { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['s1'] }),
    role('ns3', 'cm-editor', { verbs: ['*'], apiGroups: [''], resources: ['configmaps'] }),
    roleBinding('ns1', 'alice-pods', 'ClusterRole', 'pod-reader', 'User:alice'),
    clusterRoleBinding('dev-discovery', 'discovery', 'Group:dev'),
    clusterRoleBinding('builder-nodes', 'node-lister', 'ServiceAccount:ns1/builder'),
    roleBinding('ns2', 'builder-secret', 'Role', 'secret-getter', 'ServiceAccount:ns1/builder'),
    roleBinding('ns3', 'cm', 'Role', 'cm-editor', 'Group:system:authenticated'),
    roleBinding('ns1', 'builder-scale', 'ClusterRole', 'scaler', 'ServiceAccount:builder'),
    roleBinding('ns4', 'alice-broken', 'Role', 'does-not-exist', 'User:alice'),
    clusterRoleBinding('anon-healthz', 'discovery', 'Group:system:unauthenticated'),
  ];

  /** Bindings, roles and cluster roles naming subjects that are none of alice, builder or anonymous, including near misses. */
  function noise(): KubeObject[] {
    const objs: KubeObject[] = [clusterRole('noise-admin', { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] })];
    const nearMisses = [
      'User:Alice',
      'User:alice ',
      'User:*',
      'Group:Dev',
      'Group:alice',
      'User:dev',
      'Group:*',
      'User:system:serviceaccount:ns1:builder2',
      'User:system:serviceaccount:ns2:builder',
      'ServiceAccount:ns2/builder',
      'Group:system:serviceaccounts:ns2',
      'User:system:unauthenticated',
      'User:system:authenticated',
      'Group:system:anonymous',
    ];
    let n = 0;
    const namespaces = ['ns1', 'ns2', 'ns3', 'ns4', 'other'];
    // 4,000 ClusterRoleBindings, each to its own ClusterRole or to the admin role
    for (let i = 0; i < 4000; i++) {
      const roleName = i % 2 ? `noise-cr-${i}` : 'noise-admin';
      if (i % 2) objs.push(clusterRole(roleName, { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['get'], nonResourceURLs: ['/*'] }));
      const subjects = [`User:other-${i}`, `Group:other-group-${i % 97}`, `ServiceAccount:other-ns-${i % 13}/sa-${i}`];
      if (i % 10 === 0) subjects.push(nearMisses[(i / 10) % nearMisses.length]!);
      // a ServiceAccount without a namespace named like builder: never applies in a ClusterRoleBinding
      if (i % 50 === 0) subjects.push('ServiceAccount:builder');
      objs.push(clusterRoleBinding(`noise-crb-${i}`, roleName, ...subjects));
      n++;
    }
    // 6,000 RoleBindings across the namespaces the decisions look at, to Roles and ClusterRoles
    for (let i = 0; i < 6000; i++) {
      const ns = namespaces[i % namespaces.length]!;
      const kind = i % 3 === 0 ? 'Role' : 'ClusterRole';
      const roleName = kind === 'Role' ? `noise-role-${i}` : i % 3 === 1 ? 'noise-admin' : 'pod-reader';
      if (kind === 'Role') objs.push(role(ns, roleName, { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }));
      const subjects = [`User:other-${i}`, `Group:other-group-${i % 89}`, `ServiceAccount:sa-${i}`];
      if (i % 7 === 0) subjects.push(nearMisses[(i / 7) % nearMisses.length]!);
      // in ns1 a namespace-less SA "builder2" means system:serviceaccount:ns1:builder2, not builder
      if (ns === 'ns1' && i % 11 === 0) subjects.push('ServiceAccount:builder2');
      // in other namespaces a namespace-less SA "builder" is that namespace's builder, not ns1's
      if (ns !== 'ns1' && i % 11 === 0) subjects.push('ServiceAccount:builder');
      // bindings to missing roles for other subjects: their errors must not show up either
      if (i % 500 === 0) objs.push(roleBinding(ns, `noise-broken-${i}`, 'Role', 'missing', `User:other-${i}`));
      objs.push(roleBinding(ns, `noise-rb-${i}`, kind, roleName, ...subjects));
      n++;
    }
    assert.ok(n >= 10000);
    return objs;
  }

  const attributes = (): Attributes[] => {
    const out: Attributes[] = [];
    for (const u of [alice, builder, anonymous]) {
      for (const ns of ['', 'ns1', 'ns2', 'ns3', 'ns4', 'other']) {
        out.push(
          res(u, 'get', 'pods', '', ns, '', 'p1'),
          res(u, 'list', 'pods', '', ns),
          res(u, 'get', 'pods', 'log', ns, '', 'p1'),
          res(u, 'delete', 'pods', '', ns, '', 'p1'),
          res(u, 'get', 'secrets', '', ns, '', 's1'),
          res(u, 'get', 'secrets', '', ns, '', 's2'),
          res(u, 'update', 'configmaps', '', ns, '', 'c'),
          res(u, 'patch', 'deployments', 'scale', ns, 'apps', 'web'),
          res(u, 'list', 'nodes', '', ns),
          res(u, 'impersonate', 'users', '', ns, '', 'bob'),
        );
      }
      for (const p of ['/healthz', '/apis/apps', '/apis', '/version', '/metrics']) out.push(nonRes(u, 'get', p), nonRes(u, 'post', p));
    }
    return out;
  };

  it('decisions and reasons for alice, a ServiceAccount and anonymous are the same before and after', async () => {
    const { index, authz } = build(base());
    const attrs = attributes();
    const before: Decision[] = [];
    for (const a of attrs) before.push(await authz.authorize(a));
    // sanity: the fixed set holds both allowed and not-allowed requests, with an error among them
    assert.ok(before.some((d) => d.decision === 'allow'));
    assert.ok(before.some((d) => d.decision !== 'allow' && d.reason === ''));
    assert.ok(before.some((d) => d.reason === 'RBAC: role.rbac.authorization.k8s.io "does-not-exist" not found'));
    const rulesBefore = [alice, builder, anonymous].flatMap((u) => ['', 'ns1', 'ns2', 'ns3', 'ns4', 'other'].map((ns) => authz.rulesFor(u, ns)));

    const added = noise();
    for (const o of added) {
      if (o.kind === 'Role' || o.kind === 'ClusterRole') index.setRole(o);
      else index.setBinding(o);
    }
    assert.ok(index.size >= 10000 + base().length - 6);

    for (let i = 0; i < attrs.length; i++) assert.deepEqual(await authz.authorize(attrs[i]!), before[i], JSON.stringify(attrs[i]));
    const rulesAfter = [alice, builder, anonymous].flatMap((u) => ['', 'ns1', 'ns2', 'ns3', 'ns4', 'other'].map((ns) => authz.rulesFor(u, ns)));
    assert.deepEqual(rulesAfter, rulesBefore);

    // the noise is live: it does grant the subjects it names
    assert.equal(await allowed(authz, res(user('other-7'), 'delete', 'pods', '', 'ns1', '', 'p')), true);
    assert.equal(await allowed(authz, res(user('Alice'), 'delete', 'pods', '', 'ns1', '', 'p')), true);
    assert.equal(await allowed(authz, res(user('system:serviceaccount:ns1:builder2'), 'delete', 'pods', '', 'ns1', '', 'p')), true);
    assert.equal(await allowed(authz, res(user('system:serviceaccount:ns2:builder'), 'delete', 'pods', '', 'ns2', '', 'p')), true);
    assert.equal(await allowed(authz, nonRes(user('x', 'other-group-3'), 'get', '/metrics')), true);

    // and the index decides like a plain scan of every binding (the way VisitRulesFor walks them)
    const others = [user('other-7'), user('Alice'), user('alice '), user('*'), user('x', 'other-group-3', 'Dev'), user('system:serviceaccount:ns1:builder2'), user('system:serviceaccount:ns2:builder'), user('system:serviceaccount:other-ns-2:sa-2')];
    for (const u of [...others, alice, builder, anonymous])
      for (const a of attributes().filter((x) => x.user === alice))
        assert.equal(await allowed(authz, { ...a, user: u }), scanAllows(index, { ...a, user: u }), `${u.username} ${JSON.stringify({ ...a, user: undefined })}`);

    // removing the noise again leaves the original decisions
    for (const o of added) {
      if (o.kind === 'Role' || o.kind === 'ClusterRole') index.deleteRole(o);
      else index.deleteBinding(o);
    }
    for (let i = 0; i < attrs.length; i++) assert.deepEqual(await authz.authorize(attrs[i]!), before[i]);
    assert.equal(await allowed(authz, res(user('other-7'), 'delete', 'pods', '', 'ns1', '', 'p')), false);
  });
});

describe('RbacAuthorizer: remembered decisions', () => {
  it('a decision kept for the same user object follows every change of the policy', async () => {
    const reader = clusterRole('reader', newRule('get', '', 'pods', ''));
    const binding = roleBinding('ns1', 'read', 'ClusterRole', 'reader', 'User:alice');
    const { index, authz } = build([reader, binding]);
    const alice = user('alice', 'devs');
    const get = res(alice, 'get', 'pods', '', 'ns1', '', 'p');
    assert.equal(await allowed(authz, get), true);
    assert.equal(await allowed(authz, get), true);
    assert.equal(await allowed(authz, { ...get, verb: 'delete' }), false, 'other attributes are another decision');
    assert.equal(await allowed(authz, { ...get, namespace: 'ns2' }), false);
    index.deleteBinding(binding);
    assert.equal(await allowed(authz, get), false, 'a removed binding counts at once');
    index.setBinding(binding);
    assert.equal(await allowed(authz, get), true);
    index.setRole(clusterRole('reader', newRule('list', '', 'pods', '')));
    assert.equal(await allowed(authz, get), false, 'a changed role counts at once');
    index.setBinding(clusterRoleBinding('all', 'everything', 'Group:devs'));
    index.setRole(clusterRole('everything', newRule('*', '*', '*', '')));
    assert.equal(await allowed(authz, { ...get, verb: 'delete', namespace: 'ns2' }), true);
  });

  it('attributes that differ only in how their parts split are different decisions', async () => {
    const { authz } = build([clusterRole('r', newRule('get', '', 'pods', '')), roleBinding('a', 'b', 'ClusterRole', 'r', 'User:u')]);
    const u = user('u');
    assert.equal(await allowed(authz, res(u, 'get', 'pods', '', 'a', '', 'x')), true);
    assert.equal(await allowed(authz, res(u, 'get', 'pods', '', 'a1', '', '')), false);
    assert.equal(await allowed(authz, res(u, 'get', 'pods', '', '', 'a', '')), false);
  });
});
