// Rule matching, with cases and expected results taken from upstream Kubernetes:
// plugin/pkg/auth/authorizer/rbac/rbac_test.go (TestAuthorizer, TestRuleMatches) and the facts of
// pkg/apis/rbac/v1/evaluation_helpers.go (VerbMatches, APIGroupMatches, ResourceMatches,
// ResourceNameMatches, NonResourceURLMatches, CompactString).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiGroupMatches, compactString, nonResourceURLMatches, resourceMatches, resourceNameMatches, ruleAllows, verbMatches, type PolicyRule } from './rules.js';

type Attrs = Parameters<typeof ruleAllows>[0];

const resourceRequest = (verb: string, apiGroup: string, resource: string, subresource = '', name = ''): Attrs => ({
  isResourceRequest: true,
  verb,
  apiGroup,
  resource,
  subresource,
  name,
  path: '',
});
const nonResourceRequest = (verb: string, path: string): Attrs => ({ isResourceRequest: false, verb, apiGroup: '', resource: '', subresource: '', name: '', path });

const combined = (resource: string, subresource: string) => (subresource ? `${resource}/${subresource}` : resource);

describe('verbMatches', () => {
  const cases: [string[], string, boolean][] = [
    [['*'], 'get', true],
    [['*'], 'impersonate', true],
    [['*'], 'escalate', true],
    [['get'], 'get', true],
    [['get'], 'list', false],
    [['get', 'list'], 'list', true],
    // exact, case-sensitive comparison: rbac_test.go expects "GET" not to be granted by lower-case rules
    [['get'], 'GET', false],
    [['GET'], 'get', false],
    [[], 'get', false],
  ];
  for (const [verbs, verb, want] of cases) {
    it(`${JSON.stringify(verbs)} ${want ? 'matches' : 'does not match'} ${verb}`, () => {
      assert.equal(verbMatches({ verbs }, verb), want);
    });
  }
  it('a rule without verbs matches nothing', () => assert.equal(verbMatches({}, 'get'), false));
});

describe('apiGroupMatches', () => {
  const cases: [string[], string, boolean][] = [
    [['*'], '', true],
    [['*'], 'apps', true],
    [[''], '', true],
    [[''], 'apps', false],
    [['apps'], '', false],
    [['apps'], 'apps', true],
    [['group1', 'group2'], 'group2', true],
    [['group1'], 'group2', false],
  ];
  for (const [groups, group, want] of cases) {
    it(`${JSON.stringify(groups)} ${want ? 'matches' : 'does not match'} ${JSON.stringify(group)}`, () => {
      assert.equal(apiGroupMatches({ apiGroups: groups }, group), want);
    });
  }
});

describe('resourceMatches', () => {
  // [rule resources, request resource, request subresource, expected]
  const cases: [string[], string, string, boolean][] = [
    [['*'], 'pods', '', true],
    [['*'], 'pods', 'status', true], // "*" matches subresources too
    [['pods'], 'pods', '', true],
    [['pods'], 'pods', 'status', false], // TestAuthorizer: rule "pods" does not grant pods/status
    [['pods/status'], 'pods', 'status', true],
    [['pods/status'], 'pods', '', false], // TestAuthorizer: rule "pods/status" does not grant pods
    [['resource1/subresource1'], 'resource1', 'subresource1', true],
    [['resource1/subresource1'], 'resource1', 'subresource2', false],
    [['resource1/subresource1'], 'resource2', 'subresource1', false],
    // */scale (TestAuthorizer): any resource's scale subresource, never the resource itself
    [['*/scale'], 'pods', 'scale', true],
    [['*/scale'], 'deployments', 'scale', true],
    [['*/scale'], 'anything', 'scale', true],
    [['*/scale'], 'pods', '', false],
    [['*/scale'], 'pods', 'status', false],
    [['*/scale'], 'pods', 'xscale', false], // the length must be exactly len(sub)+2
    [['foo/scale'], 'deployments', 'scale', false], // only the "*/" prefix is a pattern
    // "pods/*" is not a pattern: it matches only the literal combined resource "pods/*"
    [['pods/*'], 'pods', 'status', false],
    [['pods/*'], 'pods', '', false],
    [['pods/*'], 'pods', '*', true],
    [['Pods'], 'pods', '', false],
    [[], 'pods', '', false],
  ];
  for (const [resources, resource, sub, want] of cases) {
    it(`${JSON.stringify(resources)} ${want ? 'matches' : 'does not match'} ${combined(resource, sub)}`, () => {
      assert.equal(resourceMatches({ resources }, combined(resource, sub), sub), want);
    });
  }
});

describe('resourceNameMatches', () => {
  const cases: [string[] | undefined, string, boolean][] = [
    [undefined, '', true],
    [undefined, 'foo', true],
    [[], '', true],
    [[], 'foo', true],
    [['foo'], 'foo', true],
    [['foo', 'bar'], 'bar', true],
    [['foo'], 'bar', false],
    // a request without a name (create, list, watch, deletecollection) is not granted by a named rule
    [['foo'], '', false],
    [['foo', 'bar'], '', false],
    // ResourceNameMatches is plain equality: a rule listing "" matches a request without a name
    [[''], '', true],
    [[''], 'foo', false],
  ];
  for (const [names, name, want] of cases) {
    it(`${JSON.stringify(names)} ${want ? 'matches' : 'does not match'} name ${JSON.stringify(name)}`, () => {
      assert.equal(resourceNameMatches({ resourceNames: names }, name), want);
    });
  }
});

describe('nonResourceURLMatches', () => {
  const cases: [string[], string, boolean][] = [
    [['*'], '/foo', true],
    [['*'], '/', true],
    [['/apis'], '/apis', true],
    [['/apis'], '/apis/', false],
    [['/apis'], '/api', false],
    // a trailing "*" is a prefix match on the URL with the stars removed
    [['/apis/*'], '/apis/v1', true],
    [['/apis/*'], '/apis/v1/foobar', true],
    [['/apis/*'], '/apis/', true],
    [['/apis/*'], '/apis', false],
    [['/apis/*'], '/api/v1', false],
    [['/foo/*'], '/foo', false],
    [['/foo/*'], '/notfoo/bar', false],
    [['/foo**'], '/foobar', true], // all trailing stars are removed
    [['/foo*'], '/foo', true],
    [['/*/v1'], '/api/v1', false], // a star that is not trailing is literal
    [['/*/v1'], '/*/v1', true],
    [['/foo', '/foo/bar/one'], '/foo/bar/one', true],
    [['/foo', '/foo/bar/one'], '/foo/bar', false],
    [[], '/foo', false],
  ];
  for (const [urls, path, want] of cases) {
    it(`${JSON.stringify(urls)} ${want ? 'matches' : 'does not match'} ${path}`, () => {
      assert.equal(nonResourceURLMatches({ nonResourceURLs: urls }, path), want);
    });
  }
});

describe('ruleAllows (TestRuleMatches)', () => {
  const r = (verb: string, group: string, resource: string, sub = '') => resourceRequest(verb, group, resource, sub);
  const n = nonResourceRequest;
  const cases: { name: string; rule: PolicyRule; requests: [Attrs, boolean][] }[] = [
    {
      name: 'star verb, exact match other',
      rule: { verbs: ['*'], apiGroups: ['group1'], resources: ['resource1'] },
      requests: [
        [r('verb1', 'group1', 'resource1'), true],
        [r('verb1', 'group2', 'resource1'), false],
        [r('verb1', 'group1', 'resource2'), false],
        [r('verb1', 'group2', 'resource2'), false],
        [r('verb2', 'group1', 'resource1'), true],
        [r('verb2', 'group2', 'resource1'), false],
        [r('verb2', 'group1', 'resource2'), false],
        [r('verb2', 'group2', 'resource2'), false],
      ],
    },
    {
      name: 'star group, exact match other',
      rule: { verbs: ['verb1'], apiGroups: ['*'], resources: ['resource1'] },
      requests: [
        [r('verb1', 'group1', 'resource1'), true],
        [r('verb1', 'group2', 'resource1'), true],
        [r('verb1', 'group1', 'resource2'), false],
        [r('verb1', 'group2', 'resource2'), false],
        [r('verb2', 'group1', 'resource1'), false],
        [r('verb2', 'group2', 'resource1'), false],
        [r('verb2', 'group1', 'resource2'), false],
        [r('verb2', 'group2', 'resource2'), false],
      ],
    },
    {
      name: 'star resource, exact match other',
      rule: { verbs: ['verb1'], apiGroups: ['group1'], resources: ['*'] },
      requests: [
        [r('verb1', 'group1', 'resource1'), true],
        [r('verb1', 'group2', 'resource1'), false],
        [r('verb1', 'group1', 'resource2'), true],
        [r('verb1', 'group2', 'resource2'), false],
        [r('verb2', 'group1', 'resource1'), false],
        [r('verb2', 'group2', 'resource1'), false],
        [r('verb2', 'group1', 'resource2'), false],
        [r('verb2', 'group2', 'resource2'), false],
      ],
    },
    {
      name: 'tuple expansion',
      rule: { verbs: ['verb1', 'verb2'], apiGroups: ['group1', 'group2'], resources: ['resource1', 'resource2'] },
      requests: ['verb1', 'verb2'].flatMap((v) => ['group1', 'group2'].flatMap((g) => ['resource1', 'resource2'].map((res): [Attrs, boolean] => [r(v, g, res), true]))),
    },
    {
      name: 'subresource expansion',
      rule: { verbs: ['*'], apiGroups: ['*'], resources: ['resource1/subresource1'] },
      requests: [
        [r('verb1', 'group1', 'resource1', 'subresource1'), true],
        [r('verb1', 'group2', 'resource1', 'subresource2'), false],
        [r('verb1', 'group1', 'resource2', 'subresource1'), false],
        [r('verb1', 'group2', 'resource2', 'subresource1'), false],
        [r('verb2', 'group1', 'resource1', 'subresource1'), true],
        [r('verb2', 'group2', 'resource1', 'subresource2'), false],
        [r('verb2', 'group1', 'resource2', 'subresource1'), false],
        [r('verb2', 'group2', 'resource2', 'subresource1'), false],
      ],
    },
    {
      name: 'star nonresource, exact match other',
      rule: { verbs: ['verb1'], nonResourceURLs: ['*'] },
      requests: [
        ...['/foo', '/foo/bar', '/foo/baz', '/foo/bar/one', '/foo/baz/one'].map((p): [Attrs, boolean] => [n('verb1', p), true]),
        ...['/foo', '/foo/bar', '/foo/baz', '/foo/bar/one', '/foo/baz/one'].map((p): [Attrs, boolean] => [n('verb2', p), false]),
      ],
    },
    {
      name: 'star nonresource subpath',
      rule: { verbs: ['verb1'], nonResourceURLs: ['/foo/*'] },
      requests: [
        [n('verb1', '/foo'), false],
        [n('verb1', '/foo/bar'), true],
        [n('verb1', '/foo/baz'), true],
        [n('verb1', '/foo/bar/one'), true],
        [n('verb1', '/foo/baz/one'), true],
        [n('verb1', '/notfoo'), false],
        [n('verb1', '/notfoo/bar'), false],
        [n('verb1', '/notfoo/baz'), false],
        [n('verb1', '/notfoo/bar/one'), false],
        [n('verb1', '/notfoo/baz/one'), false],
      ],
    },
    {
      name: 'star verb, exact nonresource',
      rule: { verbs: ['*'], nonResourceURLs: ['/foo', '/foo/bar/one'] },
      requests: ['verb1', 'verb2'].flatMap((v) => [
        [n(v, '/foo'), true],
        [n(v, '/foo/bar'), false],
        [n(v, '/foo/baz'), false],
        [n(v, '/foo/bar/one'), true],
        [n(v, '/foo/baz/one'), false],
      ] as [Attrs, boolean][]),
    },
    {
      name: 'resource names (derived from ResourceNameMatches)',
      rule: { verbs: ['get', 'list', 'update'], apiGroups: [''], resources: ['secrets'], resourceNames: ['s1'] },
      requests: [
        [resourceRequest('get', '', 'secrets', '', 's1'), true],
        [resourceRequest('update', '', 'secrets', '', 's1'), true],
        [resourceRequest('get', '', 'secrets', '', 's2'), false],
        [resourceRequest('list', '', 'secrets'), false], // list carries no name
      ],
    },
    {
      name: 'a resource rule never grants non-resource requests and vice versa',
      rule: { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
      requests: [
        [r('get', 'apps', 'deployments'), true],
        [n('get', '/healthz'), false],
      ],
    },
    {
      name: 'a non-resource rule never grants resource requests',
      rule: { verbs: ['*'], nonResourceURLs: ['*'] },
      requests: [
        [n('get', '/healthz'), true],
        [r('get', '', 'pods'), false],
      ],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      for (const [attrs, want] of tc.requests) assert.equal(ruleAllows(attrs, tc.rule), want, JSON.stringify(attrs));
    });
  }
});

describe('compactString', () => {
  const cases: [PolicyRule, string][] = [
    [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }, '{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}'],
    [{ verbs: ['get'], nonResourceURLs: ['/apis'] }, '{NonResourceURLs:["/apis"], Verbs:["get"]}'],
    [{ verbs: ['get'], apiGroups: ['', 'apps'], resources: ['deployments/scale'], resourceNames: ['web'] }, '{APIGroups:["" "apps"], Resources:["deployments/scale"], ResourceNames:["web"], Verbs:["get"]}'],
    // the parts appear in a fixed order, whatever order the fields were given in
    [
      { resourceNames: ['n'], nonResourceURLs: ['/u'], resources: ['r'], apiGroups: ['g'], verbs: ['v'] },
      '{APIGroups:["g"], Resources:["r"], NonResourceURLs:["/u"], ResourceNames:["n"], Verbs:["v"]}',
    ],
    [{ verbs: [], apiGroups: [], resources: [] }, '{}'],
    [{}, '{}'],
    [{ apiGroups: [''], resources: ['pirates'] }, '{APIGroups:[""], Resources:["pirates"]}'],
    [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, '{APIGroups:["*"], Resources:["*"], Verbs:["*"]}'],
    // %q escapes quotes and backslashes
    [{ verbs: ['get'], nonResourceURLs: ['/a"b\\c'] }, '{NonResourceURLs:["/a\\"b\\\\c"], Verbs:["get"]}'],
  ];
  for (const [rule, want] of cases) {
    it(want, () => assert.equal(compactString(rule), want));
  }
});
