// Escalation checks. Cases and expected results come from upstream Kubernetes:
// staging/src/k8s.io/component-helpers/auth/rbac/validation/policy_comparator_test.go (Covers,
// nonResourceURLCovers) and pkg/registry/rbac/validation/policy_compact_test.go (CompactRules,
// isSimpleResourceRule), plus the facts of BreakdownRule in policy_comparator.go.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { breakdownRule, compactRules, covers } from './escalation.js';
import { compactString, type PolicyRule } from './rules.js';

/** rulesMatch of the upstream test: same length, and every expected rule is among the actual ones. */
function assertSameRules(actual: PolicyRule[], expected: PolicyRule[]) {
  assert.equal(actual.length, expected.length, `${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`);
  for (const e of expected) assert.ok(actual.some((a) => isDeepEqual(a, e)), `missing ${JSON.stringify(e)} in ${JSON.stringify(actual)}`);
}
function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

describe('covers (policy_comparator_test.go)', () => {
  const cases: { name: string; owner: PolicyRule[]; servant: PolicyRule[]; covered: boolean; uncovered: PolicyRule[] }[] = [
    {
      name: 'exact match',
      owner: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['builds'] }],
      servant: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['builds'] }],
      covered: true,
      uncovered: [],
    },
    {
      name: 'subresource wildcard',
      owner: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['*/scale'] }],
      servant: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['foo/scale'] }],
      covered: true,
      uncovered: [],
    },
    {
      name: 'multiple rules covering a single rule',
      owner: [
        { apiGroups: ['v1'], verbs: ['delete'], resources: ['deployments'] },
        { apiGroups: ['v1'], verbs: ['delete'], resources: ['builds'] },
        { apiGroups: ['v1'], verbs: ['update'], resources: ['builds', 'deployments'] },
      ],
      servant: [{ apiGroups: ['v1'], verbs: ['delete', 'update'], resources: ['builds', 'deployments'] }],
      covered: true,
      uncovered: [],
    },
    {
      name: 'multiple API groups covering a single rule',
      owner: [
        { apiGroups: ['group1'], verbs: ['delete'], resources: ['deployments'] },
        { apiGroups: ['group1'], verbs: ['delete'], resources: ['builds'] },
        { apiGroups: ['group1'], verbs: ['update'], resources: ['builds', 'deployments'] },
        { apiGroups: ['group2'], verbs: ['delete'], resources: ['deployments'] },
        { apiGroups: ['group2'], verbs: ['delete'], resources: ['builds'] },
        { apiGroups: ['group2'], verbs: ['update'], resources: ['builds', 'deployments'] },
      ],
      servant: [{ apiGroups: ['group1', 'group2'], verbs: ['delete', 'update'], resources: ['builds', 'deployments'] }],
      covered: true,
      uncovered: [],
    },
    {
      name: 'single API group rule covering multiple',
      owner: [{ apiGroups: ['group1', 'group2'], verbs: ['delete', 'update'], resources: ['builds', 'deployments'] }],
      servant: [
        { apiGroups: ['group1'], verbs: ['delete'], resources: ['deployments'] },
        { apiGroups: ['group1'], verbs: ['delete'], resources: ['builds'] },
        { apiGroups: ['group1'], verbs: ['update'], resources: ['builds', 'deployments'] },
        { apiGroups: ['group2'], verbs: ['delete'], resources: ['deployments'] },
        { apiGroups: ['group2'], verbs: ['delete'], resources: ['builds'] },
        { apiGroups: ['group2'], verbs: ['update'], resources: ['builds', 'deployments'] },
      ],
      covered: true,
      uncovered: [],
    },
    {
      name: 'multiple rules missing a single verb/resource combination',
      owner: [
        { apiGroups: ['v1'], verbs: ['delete', 'update'], resources: ['builds', 'deployments'] },
        { apiGroups: ['v1'], verbs: ['delete'], resources: ['pods'] },
      ],
      servant: [{ apiGroups: ['v1'], verbs: ['delete', 'update'], resources: ['builds', 'deployments', 'pods'] }],
      covered: false,
      uncovered: [{ apiGroups: ['v1'], verbs: ['update'], resources: ['pods'] }],
    },
    {
      name: 'API group star covering multiple',
      owner: [{ apiGroups: ['*'], verbs: ['get'], resources: ['roles'] }],
      servant: [{ apiGroups: ['group1', 'group2'], verbs: ['get'], resources: ['roles'] }],
      covered: true,
      uncovered: [],
    },
    {
      name: 'enumeration not covering API group star',
      owner: [{ apiGroups: ['dummy-group'], verbs: ['get'], resources: ['roles'] }],
      servant: [{ apiGroups: ['*'], verbs: ['get'], resources: ['roles'] }],
      covered: false,
      uncovered: [{ apiGroups: ['*'], verbs: ['get'], resources: ['roles'] }],
    },
    {
      name: 'API group star covering star',
      owner: [{ apiGroups: ['*'], verbs: ['get'], resources: ['roles'] }],
      servant: [{ apiGroups: ['*'], verbs: ['get'], resources: ['roles'] }],
      covered: true,
      uncovered: [],
    },
    {
      name: 'verb star covering multiple',
      owner: [{ apiGroups: ['v1'], verbs: ['*'], resources: ['roles'] }],
      servant: [{ apiGroups: ['v1'], verbs: ['watch', 'list'], resources: ['roles'] }],
      covered: true,
      uncovered: [],
    },
    {
      name: 'enumeration not covering verb star',
      owner: [{ apiGroups: ['v1'], verbs: ['get', 'list', 'watch', 'create', 'update', 'delete', 'exec'], resources: ['roles'] }],
      servant: [{ apiGroups: ['v1'], verbs: ['*'], resources: ['roles'] }],
      covered: false,
      uncovered: [{ apiGroups: ['v1'], verbs: ['*'], resources: ['roles'] }],
    },
    {
      name: 'verb star covering star',
      owner: [{ apiGroups: ['v1'], verbs: ['*'], resources: ['roles'] }],
      servant: [{ apiGroups: ['v1'], verbs: ['*'], resources: ['roles'] }],
      covered: true,
      uncovered: [],
    },
    {
      name: 'resource star covering multiple',
      owner: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['*'] }],
      servant: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['resourcegroup:deployments'] }],
      covered: true,
      uncovered: [],
    },
    {
      name: 'enumeration not covering resource star',
      owner: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['roles', 'resourcegroup:deployments'] }],
      servant: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['*'] }],
      covered: false,
      uncovered: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['*'] }],
    },
    {
      name: 'resource star covering star',
      owner: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['*'] }],
      servant: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['*'] }],
      covered: true,
      uncovered: [],
    },
    {
      name: 'resource name empty covering multiple',
      owner: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['pods'], resourceNames: [] }],
      servant: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['pods'], resourceNames: ['foo', 'bar'] }],
      covered: true,
      uncovered: [],
    },
    {
      name: 'enumeration not covering resource name empty',
      owner: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['pods'], resourceNames: ['foo', 'bar'] }],
      servant: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['pods'], resourceNames: [] }],
      covered: false,
      uncovered: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['pods'] }],
    },
    {
      name: 'non-resource URLs',
      owner: [{ nonResourceURLs: ['/apis'], verbs: ['*'] }],
      servant: [{ nonResourceURLs: ['/apis'], verbs: ['*'] }],
      covered: true,
      uncovered: [],
    },
    {
      name: 'non-resource URLs star',
      owner: [{ nonResourceURLs: ['*'], verbs: ['*'] }],
      servant: [{ nonResourceURLs: ['/apis', '/apis/v1', '/'], verbs: ['*'] }],
      covered: true,
      uncovered: [],
    },
    {
      name: "non-resource URLs star after prefix doesn't cover",
      owner: [{ nonResourceURLs: ['/apis/*'], verbs: ['*'] }],
      servant: [{ nonResourceURLs: ['/apis', '/apis/v1'], verbs: ['get'] }],
      covered: false,
      uncovered: [{ nonResourceURLs: ['/apis'], verbs: ['get'] }],
    },
    {
      name: 'non-resource URLs star after prefix',
      owner: [{ nonResourceURLs: ['/apis/*'], verbs: ['*'] }],
      servant: [{ nonResourceURLs: ['/apis/v1/foo', '/apis/v1'], verbs: ['get'] }],
      covered: true,
      uncovered: [],
    },
    {
      name: 'non-resource URLs with other fields',
      owner: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['builds'], nonResourceURLs: ['/apis'] }],
      servant: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['builds'], nonResourceURLs: ['/apis'] }],
      covered: true,
      uncovered: [],
    },
    {
      name: 'non-resource URLs with other fields failure',
      owner: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['builds'] }],
      servant: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['builds'], nonResourceURLs: ['/apis'] }],
      covered: false,
      uncovered: [{ nonResourceURLs: ['/apis'], verbs: ['get'] }],
    },
    // further cases from the same facts (derived)
    {
      name: 'a servant "*" resource is covered only by an owner "*" resource',
      owner: [{ apiGroups: ['*'], verbs: ['*'], resources: ['*/scale', 'pods', 'pods/status'] }],
      servant: [{ apiGroups: [''], verbs: ['get'], resources: ['*'] }],
      covered: false,
      uncovered: [{ apiGroups: [''], verbs: ['get'], resources: ['*'] }],
    },
    {
      name: '"*/sub" in the owner covers that subresource of every resource, not the resources',
      owner: [{ apiGroups: ['apps'], verbs: ['update'], resources: ['*/scale'] }],
      servant: [{ apiGroups: ['apps'], verbs: ['update'], resources: ['deployments/scale', 'statefulsets/scale', 'deployments', 'deployments/status'] }],
      covered: false,
      uncovered: [
        { apiGroups: ['apps'], verbs: ['update'], resources: ['deployments'] },
        { apiGroups: ['apps'], verbs: ['update'], resources: ['deployments/status'] },
      ],
    },
    {
      name: 'an owner "pods/*" is literal and covers no subresource',
      owner: [{ apiGroups: [''], verbs: ['get'], resources: ['pods/*'] }],
      servant: [{ apiGroups: [''], verbs: ['get'], resources: ['pods/log', 'pods/*'] }],
      covered: false,
      uncovered: [{ apiGroups: [''], verbs: ['get'], resources: ['pods/log'] }],
    },
    {
      name: 'owner resourceNames must contain every servant name',
      owner: [{ apiGroups: [''], verbs: ['get'], resources: ['secrets'], resourceNames: ['a', 'b'] }],
      servant: [{ apiGroups: [''], verbs: ['get'], resources: ['secrets'], resourceNames: ['a', 'c'] }],
      covered: false,
      uncovered: [{ apiGroups: [''], verbs: ['get'], resources: ['secrets'], resourceNames: ['c'] }],
    },
    {
      name: 'each servant piece may be covered by a different owner rule',
      owner: [
        { apiGroups: [''], verbs: ['get'], resources: ['secrets'], resourceNames: ['a'] },
        { apiGroups: [''], verbs: ['get'], resources: ['secrets'], resourceNames: ['b'] },
      ],
      servant: [{ apiGroups: [''], verbs: ['get'], resources: ['secrets'], resourceNames: ['a', 'b'] }],
      covered: true,
      uncovered: [],
    },
    {
      name: 'a servant "*" verb on non-resource URLs needs an owner "*" verb',
      owner: [{ nonResourceURLs: ['*'], verbs: ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] }],
      servant: [{ nonResourceURLs: ['/healthz'], verbs: ['*'] }],
      covered: false,
      uncovered: [{ nonResourceURLs: ['/healthz'], verbs: ['*'] }],
    },
    {
      name: 'nothing to cover',
      owner: [],
      servant: [],
      covered: true,
      uncovered: [],
    },
    {
      name: 'a servant rule with resources but no groups breaks down to nothing',
      owner: [],
      servant: [{ verbs: ['get'], resources: ['pods'] }],
      covered: true,
      uncovered: [],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const got = covers(tc.owner, tc.servant);
      assert.equal(got.covered, tc.covered);
      assertSameRules(got.missing, tc.uncovered);
    });
  }

  it('uncovered pieces come back in breakdown order', () => {
    const got = covers([], [{ apiGroups: ['a', 'b'], resources: ['r1', 'r2'], verbs: ['v1', 'v2'] }]);
    assert.deepEqual(
      got.missing.map((r) => [r.apiGroups![0], r.resources![0], r.verbs![0]].join(' ')),
      ['a r1 v1', 'a r1 v2', 'a r2 v1', 'a r2 v2', 'b r1 v1', 'b r1 v2', 'b r2 v1', 'b r2 v2'],
    );
  });
});

describe('nonResourceURLCovers (TestNonResourceURLCovers)', () => {
  const cases: [string, string, boolean][] = [
    ['*', '', true],
    ['*', '/', true],
    ['*', '/api', true],
    ['/*', '', false],
    ['/*', '/', true],
    ['/*', '/foo', true],
    ['/api', '/api', true],
    ['/apis', '/api', false],
    ['/api/v1', '/api', false],
    ['/api/v1', '/api/v1', true],
    ['/api/*', '/api/v1', true],
    ['/api/*', '/api', false],
    ['/api/*/*', '/api/v1', false],
    ['/*/v1/*', '/api/v1', false],
  ];
  for (const [owner, requested, want] of cases) {
    it(`${JSON.stringify(owner)} ${want ? 'covers' : 'does not cover'} ${JSON.stringify(requested)}`, () => {
      assert.equal(covers([{ nonResourceURLs: [owner], verbs: ['get'] }], [{ nonResourceURLs: [requested], verbs: ['get'] }]).covered, want);
    });
  }
});

describe('breakdownRule', () => {
  it('one rule per group × resource × verb', () => {
    assert.deepEqual(breakdownRule({ apiGroups: ['', 'apps'], resources: ['pods'], verbs: ['get', 'list'] }), [
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
      { apiGroups: ['apps'], resources: ['pods'], verbs: ['get'] },
      { apiGroups: ['apps'], resources: ['pods'], verbs: ['list'] },
    ]);
  });
  it('× resource name when there are names', () => {
    assert.deepEqual(breakdownRule({ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'update'], resourceNames: ['a', 'b'] }), [
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['a'], verbs: ['get'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['b'], verbs: ['get'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['a'], verbs: ['update'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['b'], verbs: ['update'] },
    ]);
  });
  it('non-resource URLs only combine with verbs, after the resource pieces', () => {
    assert.deepEqual(breakdownRule({ apiGroups: ['v1'], resources: ['builds'], verbs: ['get', 'post'], nonResourceURLs: ['/a', '/b'] }), [
      { apiGroups: ['v1'], resources: ['builds'], verbs: ['get'] },
      { apiGroups: ['v1'], resources: ['builds'], verbs: ['post'] },
      { nonResourceURLs: ['/a'], verbs: ['get'] },
      { nonResourceURLs: ['/a'], verbs: ['post'] },
      { nonResourceURLs: ['/b'], verbs: ['get'] },
      { nonResourceURLs: ['/b'], verbs: ['post'] },
    ]);
  });
  it('nothing without groups, resources or verbs', () => {
    assert.deepEqual(breakdownRule({ resources: ['pods'], verbs: ['get'] }), []);
    assert.deepEqual(breakdownRule({ apiGroups: [''], verbs: ['get'] }), []);
    assert.deepEqual(breakdownRule({ apiGroups: [''], resources: ['pods'] }), []);
    assert.deepEqual(breakdownRule({ nonResourceURLs: ['/a'] }), []);
    assert.deepEqual(breakdownRule({}), []);
  });
});

describe('compactRules (TestCompactRules)', () => {
  /** Stable sort by the Go String() of a rule ("PolicyRule" + CompactString), as the upstream test sorts. */
  const sorted = (rules: PolicyRule[]) => [...rules].sort((a, b) => (compactString(a) < compactString(b) ? -1 : compactString(a) > compactString(b) ? 1 : 0));

  const cases: Record<string, { rules: PolicyRule[]; expected: PolicyRule[] }> = {
    empty: { rules: [], expected: [] },
    simple: {
      rules: [
        { verbs: ['get'], apiGroups: [''], resources: ['builds'] },
        { verbs: ['list'], apiGroups: [''], resources: ['builds'] },
        { verbs: ['update', 'patch'], apiGroups: [''], resources: ['builds'] },

        { verbs: ['create'], apiGroups: ['extensions'], resources: ['daemonsets'] },
        { verbs: ['delete'], apiGroups: ['extensions'], resources: ['daemonsets'] },
        { verbs: ['patch'], apiGroups: ['extensions'], resources: ['daemonsets'], resourceNames: [''] },
        { verbs: ['get'], apiGroups: ['extensions'], resources: ['daemonsets'], resourceNames: ['foo'] },
        { verbs: ['list'], apiGroups: ['extensions'], resources: ['daemonsets'], resourceNames: ['foo'] },

        { verbs: ['educate'], apiGroups: [''], resources: ['dolphins'] },

        // absent verbs are preserved when nothing merges ("the pirates who don't do anything")
        { apiGroups: [''], resources: ['pirates'] },

        // merging into absent verbs
        { apiGroups: [''], resources: ['pods'] },
        { verbs: ['create'], apiGroups: [''], resources: ['pods'] },
      ],
      expected: [
        { verbs: ['create', 'delete'], apiGroups: ['extensions'], resources: ['daemonsets'] },
        { verbs: ['patch'], apiGroups: ['extensions'], resources: ['daemonsets'], resourceNames: [''] },
        { verbs: ['get', 'list'], apiGroups: ['extensions'], resources: ['daemonsets'], resourceNames: ['foo'] },
        { verbs: ['get', 'list', 'update', 'patch'], apiGroups: [''], resources: ['builds'] },
        { verbs: ['educate'], apiGroups: [''], resources: ['dolphins'] },
        { apiGroups: [''], resources: ['pirates'] },
        { verbs: ['create'], apiGroups: [''], resources: ['pods'] },
      ],
    },
    'complex multi-group': {
      rules: [
        { verbs: ['get'], apiGroups: ['', 'builds.openshift.io'], resources: ['builds'] },
        { verbs: ['list'], apiGroups: ['', 'builds.openshift.io'], resources: ['builds'] },
      ],
      expected: [
        { verbs: ['get'], apiGroups: ['', 'builds.openshift.io'], resources: ['builds'] },
        { verbs: ['list'], apiGroups: ['', 'builds.openshift.io'], resources: ['builds'] },
      ],
    },
    'complex multi-resource': {
      rules: [
        { verbs: ['get'], apiGroups: [''], resources: ['builds', 'images'] },
        { verbs: ['list'], apiGroups: [''], resources: ['builds', 'images'] },
      ],
      expected: [
        { verbs: ['get'], apiGroups: [''], resources: ['builds', 'images'] },
        { verbs: ['list'], apiGroups: [''], resources: ['builds', 'images'] },
      ],
    },
    'complex named-resource': {
      rules: [
        { verbs: ['get'], apiGroups: [''], resources: ['builds'], resourceNames: ['mybuild'] },
        { verbs: ['list'], apiGroups: [''], resources: ['builds'], resourceNames: ['mybuild2'] },
      ],
      expected: [
        { verbs: ['get'], apiGroups: [''], resources: ['builds'], resourceNames: ['mybuild'] },
        { verbs: ['list'], apiGroups: [''], resources: ['builds'], resourceNames: ['mybuild2'] },
      ],
    },
    'complex non-resource': {
      rules: [
        { verbs: ['get'], apiGroups: [''], resources: ['builds'], nonResourceURLs: ['/'] },
        { verbs: ['get'], apiGroups: [''], resources: ['builds'], nonResourceURLs: ['/foo'] },
      ],
      expected: [
        { verbs: ['get'], apiGroups: [''], resources: ['builds'], nonResourceURLs: ['/'] },
        { verbs: ['get'], apiGroups: [''], resources: ['builds'], nonResourceURLs: ['/foo'] },
      ],
    },
  };
  for (const [name, tc] of Object.entries(cases)) {
    it(name, () => {
      const original = structuredClone(tc.rules);
      const compacted = compactRules(tc.rules);
      assert.deepEqual(tc.rules, original, 'CompactRules mutated its input');
      assert.ok(covers(compacted, tc.rules).covered, 'compacted rules cover the original rules');
      assert.ok(covers(tc.rules, compacted).covered, 'original rules cover the compacted rules');
      assert.deepEqual(sorted(compacted), sorted(tc.expected));
    });
  }

  it('non-simple rules come first, untouched, then the merged simple ones', () => {
    const complex: PolicyRule = { verbs: ['get'], apiGroups: ['a', 'b'], resources: ['r'] };
    const got = compactRules([{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, complex, { verbs: ['list'], apiGroups: [''], resources: ['pods'] }]);
    assert.deepEqual(got, [complex, { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }]);
    assert.equal(got[0], complex);
  });
});

describe('compactRules: which rules are simple (TestIsSimpleResourceRule)', () => {
  // A simple rule merges with a twin that differs only by verb; a complex one is passed through.
  const simple: Record<string, PolicyRule> = {
    'simple, no verbs': { verbs: [], apiGroups: [''], resources: ['builds'] },
    'simple, one verb': { verbs: ['get'], apiGroups: [''], resources: ['builds'] },
    'simple, one empty resource name': { verbs: ['get'], apiGroups: [''], resources: ['builds'], resourceNames: [''] },
    'simple, one resource name': { verbs: ['get'], apiGroups: [''], resources: ['builds'], resourceNames: ['foo'] },
    'simple, multi verb': { verbs: ['get', 'list'], apiGroups: [''], resources: ['builds'] },
  };
  const complex: Record<string, PolicyRule> = {
    'complex, empty': {},
    'complex, no group': { verbs: ['get'], apiGroups: [], resources: ['builds'] },
    'complex, multi group': { verbs: ['get'], apiGroups: ['a', 'b'], resources: ['builds'] },
    'complex, no resource': { verbs: ['get'], apiGroups: [''], resources: [] },
    'complex, multi resource': { verbs: ['get'], apiGroups: [''], resources: ['builds', 'images'] },
    'complex, resource names': { verbs: ['get'], apiGroups: [''], resources: ['builds'], resourceNames: ['foo', 'bar'] },
    'complex, non-resource urls': { verbs: ['get'], apiGroups: [''], resources: ['builds'], nonResourceURLs: ['/'] },
  };
  for (const [name, rule] of Object.entries(simple)) {
    it(name, () => {
      const got = compactRules([rule, { ...rule, verbs: ['zap'] }]);
      assert.deepEqual(got, [{ ...rule, verbs: [...(rule.verbs ?? []), 'zap'] }]);
    });
  }
  for (const [name, rule] of Object.entries(complex)) {
    it(name, () => {
      const twin = { ...rule, verbs: ['zap'] };
      assert.deepEqual(compactRules([rule, twin]), [rule, twin]);
    });
  }
  it('an empty resource name and no resource name are different keys', () => {
    const got = compactRules([
      { verbs: ['get'], apiGroups: [''], resources: ['builds'] },
      { verbs: ['list'], apiGroups: [''], resources: ['builds'], resourceNames: [''] },
    ]);
    assert.equal(got.length, 2);
  });
});
