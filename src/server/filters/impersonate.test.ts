// The impersonation filter. Cases and expected results come from upstream Kubernetes:
// staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation/impersonation_test.go
// (TestImpersonationFilter: who may impersonate what, the resulting user, the status codes), with the
// upstream test's fake authorizer expressed as RBAC policy. The exact 403 and 400 texts are derived from
// impersonation.go, responsewriters/errors.go (Forbidden, forbiddenMessage) and apimachinery's NewForbidden.
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { ApiError } from '../../api/errors.js';
import type { KubeObject } from '../../api/meta.js';
import type { Attributes, Authorizer } from '../../auth/authz/authorizer.js';
import { RbacAuthorizer } from '../../auth/authz/rbac/authorizer.js';
import { PolicyIndex } from '../../auth/authz/rbac/policy-index.js';
import type { PolicyRule } from '../../auth/authz/rbac/rules.js';
import type { UserInfo } from '../../api/user.js';
import type { RequestContext } from '../context.js';
import { parseRequestInfo } from '../request-info.js';
import { impersonate } from './impersonate.js';

const GROUP = 'rbac.authorization.k8s.io';
const AUTHN = 'authentication.k8s.io';

const clusterRole = (name: string, ...rules: PolicyRule[]): KubeObject => ({ apiVersion: `${GROUP}/v1`, kind: 'ClusterRole', metadata: { name }, rules });
const bind = (name: string, roleName: string, ...subjects: [string, string][]): KubeObject => ({
  apiVersion: `${GROUP}/v1`,
  kind: 'ClusterRoleBinding',
  metadata: { name },
  roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: roleName },
  subjects: subjects.map(([kind, n]) => ({ kind, apiGroup: GROUP, name: n })),
});
const roleBinding = (namespace: string, name: string, roleName: string, group: string): KubeObject => ({
  apiVersion: `${GROUP}/v1`,
  kind: 'RoleBinding',
  metadata: { namespace, name },
  roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: roleName },
  subjects: [{ kind: 'Group', apiGroup: GROUP, name: group }],
});
const impersonateRule = (apiGroup: string, resources: string[], resourceNames?: string[]): PolicyRule => ({ verbs: ['impersonate'], apiGroups: [apiGroup], resources, ...(resourceNames ? { resourceNames } : {}) });

/** The fake impersonateAuthorizer of impersonation_test.go, as RBAC policy. */
function upstreamPolicy(): Authorizer {
  const index = new PolicyIndex();
  const objs: KubeObject[] = [
    clusterRole('everything', { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] }),
    clusterRole('impersonate-users', impersonateRule('', ['users'])),
    clusterRole('impersonate-serviceaccounts', impersonateRule('', ['serviceaccounts'])),
    clusterRole('impersonate-groups', impersonateRule('', ['groups'])),
    clusterRole('impersonate-scopes', impersonateRule(AUTHN, ['userextras/scopes'])),
    clusterRole('impersonate-scope-a', impersonateRule(AUTHN, ['userextras/scopes'], ['scope-a'])),
    clusterRole('impersonate-project', impersonateRule(AUTHN, ['userextras/project'])),
    clusterRole('impersonate-some-uid', impersonateRule(AUTHN, ['uids'], ['some-uid'])),
    clusterRole('impersonate-jane', impersonateRule('', ['users'], ['jane'])),
    clusterRole('impersonate-escaped-key', impersonateRule(AUTHN, ['userextras/example.com/escapedᛄscopes'])),
    bind('system:admin', 'everything', ['User', 'system:admin']),
    // "tester" gets an error from the authorizer upstream; here: a binding to a role that does not exist
    bind('tester', 'works-on-my-machine', ['User', 'tester']),
    bind('wheel', 'impersonate-users', ['Group', 'wheel'], ['Group', 'regular-impersonater'], ['Group', 'everything-impersonater']),
    bind('sa-impersonater', 'impersonate-serviceaccounts', ['Group', 'sa-impersonater']),
    bind('group-impersonater', 'impersonate-groups', ['Group', 'group-impersonater'], ['Group', 'everything-impersonater']),
    bind('extra-setter-scopes', 'impersonate-scopes', ['Group', 'extra-setter-scopes'], ['Group', 'everything-impersonater']),
    bind('escaped-scopes', 'everything', ['Group', 'escaped-scopes'], ['Group', 'almost-escaped-scopes']),
    bind('extra-setter-particular-scopes', 'impersonate-scope-a', ['Group', 'extra-setter-particular-scopes']),
    bind('extra-setter-project', 'impersonate-project', ['Group', 'extra-setter-project']),
    bind('some-uid', 'impersonate-some-uid', ['Group', 'everything-impersonater']),
    bind('jane', 'impersonate-jane', ['Group', 'jane-impersonater']),
    bind('escaped-key', 'impersonate-escaped-key', ['Group', 'escaped-key-setter']),
    roleBinding('foo', 'sa-in-foo', 'impersonate-serviceaccounts', 'foo-sa-impersonater'),
  ];
  for (const o of objs) (o.kind === 'ClusterRole' ? index.setRole(o) : index.setBinding(o));
  return new RbacAuthorizer(index);
}

interface Headers {
  user?: string;
  groups?: string[];
  extras?: Record<string, string[]>;
  uid?: string;
  other?: Record<string, string>;
}

/** A RequestContext as the server builds it; headers the way Node presents them (lower-case keys, string[] values). */
function context(user: UserInfo, h: Headers): RequestContext {
  const distinct: Record<string, string[]> = {};
  if (h.user !== undefined) distinct['impersonate-user'] = [h.user];
  if (h.groups?.length) distinct['impersonate-group'] = [...h.groups];
  for (const [k, v] of Object.entries(h.extras ?? {})) distinct[`impersonate-extra-${k}`.toLowerCase()] = [...v];
  if (h.uid !== undefined) distinct['impersonate-uid'] = [h.uid];
  for (const [k, v] of Object.entries(h.other ?? {})) distinct[k.toLowerCase()] = [v];
  const joined = Object.fromEntries(Object.entries(distinct).map(([k, v]) => [k, v.join(', ')]));
  const url = new URL('/api/v1/namespaces/ns/pods', 'https://localhost');
  const rc: RequestContext = {
    req: { headers: joined, headersDistinct: distinct } as unknown as IncomingMessage,
    res: {} as ServerResponse,
    received: 0,
    url,
    info: parseRequestInfo('GET', url),
    user,
    authenticated: user,
    warnings: [],
    auditAnnotations: {},
    op: () => {
      throw new Error('not used');
    },
  };
  return rc;
}

interface Outcome {
  code: number;
  user?: UserInfo;
  message?: string;
  details?: unknown;
  rc: RequestContext;
}

async function run(authorizer: Authorizer, user: UserInfo, h: Headers): Promise<Outcome> {
  const rc = context(user, h);
  let seen: UserInfo | undefined;
  try {
    await impersonate(authorizer)(rc, async () => {
      seen = rc.user;
    });
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    assert.equal(seen, undefined, 'the next filter must not run');
    assert.equal(rc.user, user, 'the user is unchanged on failure');
    return { code: err.code, message: err.message, details: err.details, rc };
  }
  assert.ok(seen, 'the next filter ran');
  return { code: 200, user: seen, rc };
}

const u = (username: string, ...groups: string[]): UserInfo => ({ username, groups });

describe('impersonate: TestImpersonationFilter', () => {
  const authz = upstreamPolicy();
  const cases: { name: string; user: UserInfo; h: Headers; code: number; expected?: UserInfo }[] = [
    { name: 'not-impersonating', user: u('tester'), h: {}, code: 200 },
    { name: 'impersonating-error', user: u('tester'), h: { user: 'anyone' }, code: 403 },
    { name: 'impersonating-group-without-user', user: u('tester'), h: { groups: ['some-group'] }, code: 400 },
    { name: 'impersonating-extra-without-user', user: u('tester'), h: { extras: { scopes: ['scope-a'] } }, code: 400 },
    { name: 'impersonating-uid-without-user', user: u('tester'), h: { uid: 'some-uid' }, code: 400 },
    { name: 'disallowed-group', user: u('dev', 'wheel'), h: { user: 'system:admin', groups: ['some-group'] }, code: 403 },
    {
      name: 'allowed-group',
      user: u('dev', 'wheel', 'group-impersonater'),
      h: { user: 'system:admin', groups: ['some-group'] },
      code: 200,
      expected: { username: 'system:admin', groups: ['some-group', 'system:authenticated'], extra: {} },
    },
    { name: 'disallowed-userextra-1', user: u('dev', 'wheel'), h: { user: 'system:admin', groups: ['some-group'], extras: { scopes: ['scope-a'] } }, code: 403 },
    { name: 'disallowed-userextra-2', user: u('dev', 'wheel', 'extra-setter-project'), h: { user: 'system:admin', groups: ['some-group'], extras: { scopes: ['scope-a'] } }, code: 403 },
    { name: 'disallowed-userextra-3', user: u('dev', 'wheel', 'extra-setter-particular-scopes'), h: { user: 'system:admin', groups: ['some-group'], extras: { scopes: ['scope-a', 'scope-b'] } }, code: 403 },
    {
      name: 'allowed-userextras',
      user: u('dev', 'wheel', 'extra-setter-scopes'),
      h: { user: 'system:admin', extras: { scopes: ['scope-a', 'scope-b'] } },
      code: 200,
      expected: { username: 'system:admin', groups: ['system:authenticated'], extra: { scopes: ['scope-a', 'scope-b'] } },
    },
    {
      name: 'percent-escaped-userextras',
      user: u('dev', 'wheel', 'escaped-scopes'),
      h: { user: 'system:admin', extras: { 'example.com%2fescaped%e1%9b%84scopes': ['scope-a', 'scope-b'] } },
      code: 200,
      expected: { username: 'system:admin', groups: ['system:authenticated'], extra: { 'example.com/escapedᛄscopes': ['scope-a', 'scope-b'] } },
    },
    {
      name: 'almost-percent-escaped-userextras',
      user: u('dev', 'wheel', 'almost-escaped-scopes'),
      h: { user: 'system:admin', extras: { 'almost%zzpercent%xxencoded': ['scope-a', 'scope-b'] } },
      code: 200,
      expected: { username: 'system:admin', groups: ['system:authenticated'], extra: { 'almost%zzpercent%xxencoded': ['scope-a', 'scope-b'] } },
    },
    {
      name: 'allowed-users-impersonation',
      user: u('dev', 'regular-impersonater'),
      h: { user: 'tester' },
      code: 200,
      expected: { username: 'tester', groups: ['system:authenticated'], extra: {} },
    },
    { name: 'disallowed-impersonating', user: u('dev', 'sa-impersonater'), h: { user: 'tester' }, code: 403 },
    {
      name: 'allowed-sa-impersonating',
      user: { username: 'dev', groups: ['sa-impersonater'], extra: {} },
      h: { user: 'system:serviceaccount:foo:default' },
      code: 200,
      expected: { username: 'system:serviceaccount:foo:default', groups: ['system:serviceaccounts', 'system:serviceaccounts:foo', 'system:authenticated'], extra: {} },
    },
    {
      name: 'anonymous-username-prevents-adding-authenticated-group',
      user: u('system:admin'),
      h: { user: 'system:anonymous' },
      code: 200,
      expected: { username: 'system:anonymous', groups: ['system:unauthenticated'], extra: {} },
    },
    {
      name: 'unauthenticated-group-prevents-adding-authenticated-group',
      user: u('system:admin'),
      h: { user: 'unknown', groups: ['system:unauthenticated'] },
      code: 200,
      expected: { username: 'unknown', groups: ['system:unauthenticated'], extra: {} },
    },
    {
      name: 'unauthenticated-group-prevents-double-adding-authenticated-group',
      user: u('system:admin'),
      h: { user: 'unknown', groups: ['system:authenticated'] },
      code: 200,
      expected: { username: 'unknown', groups: ['system:authenticated'], extra: {} },
    },
    {
      name: 'specified-authenticated-group-prevents-double-adding-authenticated-group',
      user: u('dev', 'wheel', 'group-impersonater'),
      h: { user: 'system:admin', groups: ['some-group', 'system:authenticated'] },
      code: 200,
      expected: { username: 'system:admin', groups: ['some-group', 'system:authenticated'], extra: {} },
    },
    {
      name: 'anonymous-user-should-include-unauthenticated-group',
      user: u('system:admin'),
      h: { user: 'system:anonymous' },
      code: 200,
      expected: { username: 'system:anonymous', groups: ['system:unauthenticated'], extra: {} },
    },
    {
      name: 'anonymous-user-prevents-double-adding-unauthenticated-group',
      user: u('system:admin'),
      h: { user: 'system:anonymous', groups: ['system:unauthenticated'] },
      code: 200,
      expected: { username: 'system:anonymous', groups: ['system:unauthenticated'], extra: {} },
    },
    {
      name: 'allowed-user-impersonation-with-uid',
      user: u('dev', 'everything-impersonater'),
      h: { user: 'tester', uid: 'some-uid' },
      code: 200,
      expected: { username: 'tester', groups: ['system:authenticated'], extra: {}, uid: 'some-uid' },
    },
    { name: 'disallowed-user-impersonation-with-uid', user: u('dev', 'everything-impersonater'), h: { user: 'tester', uid: 'disallowed-uid' }, code: 403 },
    {
      name: 'allowed-impersonation-with-all-headers',
      user: u('dev', 'everything-impersonater'),
      h: { user: 'tester', uid: 'some-uid', groups: ['system:authenticated'], extras: { scopes: ['scope-a', 'scope-b'] } },
      code: 200,
      expected: { username: 'tester', groups: ['system:authenticated'], uid: 'some-uid', extra: { scopes: ['scope-a', 'scope-b'] } },
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const out = await run(authz, tc.user, tc.h);
      assert.equal(out.code, tc.code, out.message);
      if (tc.code === 200) assert.deepEqual(out.user, tc.expected ?? tc.user);
    });
  }
});

describe('impersonate: the 403 messages', () => {
  const authz = upstreamPolicy();
  const cases: { name: string; user: UserInfo; h: Headers; message: string; details: object }[] = [
    {
      name: 'a user, with the authorizer\'s reason appended',
      user: u('tester'),
      h: { user: 'anyone' },
      message:
        'users "anyone" is forbidden: User "tester" cannot impersonate resource "users" in API group "" at the cluster scope: RBAC: clusterrole.rbac.authorization.k8s.io "works-on-my-machine" not found',
      details: { name: 'anyone', kind: 'users' },
    },
    {
      name: 'a group',
      user: u('dev', 'wheel'),
      h: { user: 'system:admin', groups: ['some-group'] },
      message: 'groups "some-group" is forbidden: User "dev" cannot impersonate resource "groups" in API group "" at the cluster scope',
      details: { name: 'some-group', kind: 'groups' },
    },
    {
      name: 'a service account username is checked only against serviceaccounts, in its namespace',
      user: u('dev', 'wheel'),
      h: { user: 'system:serviceaccount:foo:default' },
      message: 'serviceaccounts "default" is forbidden: User "dev" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "foo"',
      details: { name: 'default', kind: 'serviceaccounts' },
    },
    {
      name: 'a user (an SA impersonator cannot impersonate users)',
      user: u('dev', 'sa-impersonater'),
      h: { user: 'tester' },
      message: 'users "tester" is forbidden: User "dev" cannot impersonate resource "users" in API group "" at the cluster scope',
      details: { name: 'tester', kind: 'users' },
    },
    {
      name: 'an extra value: the key is the subresource',
      user: u('dev', 'wheel', 'extra-setter-particular-scopes'),
      h: { user: 'system:admin', extras: { scopes: ['scope-a', 'scope-b'] } },
      message: 'userextras.authentication.k8s.io "scope-b" is forbidden: User "dev" cannot impersonate resource "userextras/scopes" in API group "authentication.k8s.io" at the cluster scope',
      details: { name: 'scope-b', group: 'authentication.k8s.io', kind: 'userextras' },
    },
    {
      name: 'a uid',
      user: u('dev', 'everything-impersonater'),
      h: { user: 'tester', uid: 'disallowed-uid' },
      message: 'uids.authentication.k8s.io "disallowed-uid" is forbidden: User "dev" cannot impersonate resource "uids" in API group "authentication.k8s.io" at the cluster scope',
      details: { name: 'disallowed-uid', group: 'authentication.k8s.io', kind: 'uids' },
    },
    {
      name: 'the user is checked first, then groups, extras and the uid',
      user: u('dev'),
      h: { user: 'bob', groups: ['g'], extras: { scopes: ['s'] }, uid: 'x' },
      message: 'users "bob" is forbidden: User "dev" cannot impersonate resource "users" in API group "" at the cluster scope',
      details: { name: 'bob', kind: 'users' },
    },
    {
      name: 'groups in header order',
      user: u('dev', 'wheel', 'group-impersonater'),
      h: { user: 'bob', groups: ['g1', 'g2'], extras: { scopes: ['s'] } },
      message: 'userextras.authentication.k8s.io "s" is forbidden: User "dev" cannot impersonate resource "userextras/scopes" in API group "authentication.k8s.io" at the cluster scope',
      details: { name: 's', group: 'authentication.k8s.io', kind: 'userextras' },
    },
    {
      name: 'resourceNames restrict who may be impersonated',
      user: u('dev', 'jane-impersonater'),
      h: { user: 'joe' },
      message: 'users "joe" is forbidden: User "dev" cannot impersonate resource "users" in API group "" at the cluster scope',
      details: { name: 'joe', kind: 'users' },
    },
    {
      name: 'a RoleBinding grants impersonating service accounts of its namespace only',
      user: u('dev', 'foo-sa-impersonater'),
      h: { user: 'system:serviceaccount:bar:default' },
      message: 'serviceaccounts "default" is forbidden: User "dev" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "bar"',
      details: { name: 'default', kind: 'serviceaccounts' },
    },
    {
      name: 'the message (not the name, not the reason) is HTML-escaped',
      user: u('a<b>&c'),
      h: { user: 'x<y>' },
      message: 'users "x<y>" is forbidden: User "a&lt;b&gt;&amp;c" cannot impersonate resource "users" in API group "" at the cluster scope',
      details: { name: 'x<y>', kind: 'users' },
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const out = await run(authz, tc.user, tc.h);
      assert.equal(out.code, 403);
      assert.equal(out.message, tc.message);
      assert.deepEqual(out.details, tc.details);
    });
  }

  it('a reason from another authorizer is appended verbatim', async () => {
    const denyMe: Authorizer = { authorize: async () => ({ decision: 'no-opinion', reason: 'denied <here>' }) };
    const out = await run(denyMe, u('deny-me'), { user: 'x' });
    assert.equal(out.code, 403);
    assert.equal(out.message, 'users "x" is forbidden: User "deny-me" cannot impersonate resource "users" in API group "" at the cluster scope: denied <here>');
  });

  it('an explicit deny is a 403 too', async () => {
    const deny: Authorizer = { authorize: async () => ({ decision: 'deny', reason: '' }) };
    assert.equal((await run(deny, u('dev'), { user: 'x' })).code, 403);
  });
});

describe('impersonate: the 400 without a user', () => {
  const authz = upstreamPolicy();
  const cases: [string, Headers, string][] = [
    ['groups', { groups: ['some-group'] }, 'requested [{Group  some-group    }] without impersonating a user'],
    ['extras', { extras: { scopes: ['scope-a'] } }, 'requested [{UserExtra  scope-a  authentication.k8s.io/v1  scopes}] without impersonating a user'],
    ['uid', { uid: 'some-uid' }, 'requested [{UID  some-uid  authentication.k8s.io/v1  }] without impersonating a user'],
    [
      'everything, in order',
      { groups: ['a', 'b'], extras: { scopes: ['s1', 's2'] }, uid: 'u1' },
      'requested [{Group  a    } {Group  b    } {UserExtra  s1  authentication.k8s.io/v1  scopes} {UserExtra  s2  authentication.k8s.io/v1  scopes} {UID  u1  authentication.k8s.io/v1  }] without impersonating a user',
    ],
    ['an empty Impersonate-User counts as no user', { user: '', groups: ['g'] }, 'requested [{Group  g    }] without impersonating a user'],
  ];
  for (const [name, h, message] of cases) {
    it(name, async () => {
      // even system:admin, who may impersonate anything
      const out = await run(authz, u('system:admin'), h);
      assert.equal(out.code, 400);
      assert.equal(out.message, message);
    });
  }
});

describe('impersonate: the resulting identity', () => {
  const authz = upstreamPolicy();
  const admin: UserInfo = { username: 'system:admin', groups: ['system:masters', 'system:authenticated'], uid: 'admin-uid', extra: { 'authentication.kubernetes.io/credential-id': ['X509SHA256=abc'] } };
  const cases: [string, Headers, UserInfo][] = [
    ['the original groups, extra and uid are dropped', { user: 'bob' }, { username: 'bob', groups: ['system:authenticated'], extra: {} }],
    [
      'a service account gets the service account groups',
      { user: 'system:serviceaccount:kube-system:default' },
      { username: 'system:serviceaccount:kube-system:default', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'], extra: {} },
    ],
    [
      'given groups replace the service account groups',
      { user: 'system:serviceaccount:kube-system:default', groups: ['g'] },
      { username: 'system:serviceaccount:kube-system:default', groups: ['g', 'system:authenticated'], extra: {} },
    ],
    ['system:anonymous with groups gets system:unauthenticated added', { user: 'system:anonymous', groups: ['g'] }, { username: 'system:anonymous', groups: ['g', 'system:unauthenticated'], extra: {} }],
    [
      'system:anonymous with system:authenticated still gets system:unauthenticated',
      { user: 'system:anonymous', groups: ['system:authenticated'] },
      { username: 'system:anonymous', groups: ['system:authenticated', 'system:unauthenticated'], extra: {} },
    ],
    // serviceaccount.SplitUsername: a valid namespace (DNS label) and name (DNS subdomain), exactly two parts
    ['an invalid namespace makes it a plain user', { user: 'system:serviceaccount:Foo:default' }, { username: 'system:serviceaccount:Foo:default', groups: ['system:authenticated'], extra: {} }],
    ['three parts make it a plain user', { user: 'system:serviceaccount:foo:bar:baz' }, { username: 'system:serviceaccount:foo:bar:baz', groups: ['system:authenticated'], extra: {} }],
    ['an empty name makes it a plain user', { user: 'system:serviceaccount:foo:' }, { username: 'system:serviceaccount:foo:', groups: ['system:authenticated'], extra: {} }],
    [
      'a dotted service account name is a service account',
      { user: 'system:serviceaccount:foo:a.b' },
      { username: 'system:serviceaccount:foo:a.b', groups: ['system:serviceaccounts', 'system:serviceaccounts:foo', 'system:authenticated'], extra: {} },
    ],
    [
      'extra keys are lower-cased and percent-decoded, values kept in order',
      { user: 'bob', extras: { 'Scopes': ['b', 'a'], 'Example.COM%2FKey': ['v'] } },
      { username: 'bob', groups: ['system:authenticated'], extra: { scopes: ['b', 'a'], 'example.com/key': ['v'] } },
    ],
    ['an empty Impersonate-Uid sets no uid', { user: 'bob', uid: '' }, { username: 'bob', groups: ['system:authenticated'], extra: {} }],
  ];
  for (const [name, h, expected] of cases) {
    it(name, async () => {
      const out = await run(authz, admin, h);
      assert.equal(out.code, 200, out.message);
      assert.deepEqual(out.user, expected);
    });
  }

  it('an empty Impersonate-User alone passes the request through untouched', async () => {
    const out = await run(authz, admin, { user: '' });
    assert.equal(out.code, 200);
    assert.equal(out.user, admin);
  });

  it('a service account impersonator may impersonate the account by its username', async () => {
    const out = await run(authz, u('dev', 'foo-sa-impersonater'), { user: 'system:serviceaccount:foo:builder' });
    assert.deepEqual(out.user, { username: 'system:serviceaccount:foo:builder', groups: ['system:serviceaccounts', 'system:serviceaccounts:foo', 'system:authenticated'], extra: {} });
  });

  it('an extra is authorized under its decoded key', async () => {
    const out = await run(authz, u('dev', 'wheel', 'escaped-key-setter'), { user: 'bob', extras: { 'example.com%2fescaped%e1%9b%84scopes': ['v'] } });
    assert.equal(out.code, 200, out.message);
    assert.deepEqual(out.user!.extra, { 'example.com/escapedᛄscopes': ['v'] });
  });

  it('the impersonation headers are removed, others kept', async () => {
    const out = await run(authz, admin, { user: 'bob', groups: ['g'], extras: { scopes: ['s'] }, uid: 'u1', other: { accept: 'application/json', 'impersonate-something': 'x' } });
    assert.equal(out.code, 200);
    for (const headers of [out.rc.req.headers, out.rc.req.headersDistinct] as Record<string, unknown>[]) {
      assert.deepEqual(Object.keys(headers).sort(), ['accept', 'impersonate-something']);
    }
  });
});

describe('impersonate: what is asked of the authorizer', () => {
  it('one check per entry, as the real user, with these attributes', async () => {
    const seen: Attributes[] = [];
    const recorder: Authorizer = {
      authorize: async (a) => {
        seen.push(a);
        return { decision: 'allow', reason: '' };
      },
    };
    const real = u('dev', 'devs');
    await run(recorder, real, { user: 'system:serviceaccount:foo:default', groups: ['g1', 'g2'], extras: { scopes: ['s1', 's2'] }, uid: 'u1' });
    const base = { user: real, verb: 'impersonate', isResourceRequest: true, path: '', subresource: '', namespace: '' };
    assert.deepEqual(seen, [
      { ...base, apiGroup: '', apiVersion: '', resource: 'serviceaccounts', namespace: 'foo', name: 'default' },
      { ...base, apiGroup: '', apiVersion: '', resource: 'groups', name: 'g1' },
      { ...base, apiGroup: '', apiVersion: '', resource: 'groups', name: 'g2' },
      { ...base, apiGroup: 'authentication.k8s.io', apiVersion: 'v1', resource: 'userextras', subresource: 'scopes', name: 's1' },
      { ...base, apiGroup: 'authentication.k8s.io', apiVersion: 'v1', resource: 'userextras', subresource: 'scopes', name: 's2' },
      { ...base, apiGroup: 'authentication.k8s.io', apiVersion: 'v1', resource: 'uids', name: 'u1' },
    ]);
    seen.length = 0;
    await run(recorder, real, { user: 'jane' });
    assert.deepEqual(seen, [{ ...base, apiGroup: '', apiVersion: '', resource: 'users', name: 'jane' }]);
  });

  it('no headers, no checks', async () => {
    let calls = 0;
    const counter: Authorizer = {
      authorize: async () => {
        calls++;
        return { decision: 'allow', reason: '' };
      },
    };
    await run(counter, u('dev'), { other: { accept: 'application/json' } });
    assert.equal(calls, 0);
  });
});
