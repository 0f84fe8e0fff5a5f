import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clusterroles } from './clusterroles.js';
import { rejection, testRegistry, type TestRegistry } from './testing.js';

const clusterRole = (name: string, extra: Record<string, unknown>) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, ...extra });

describe('clusterroles', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([clusterroles]);
  });
  after(() => t.close());

  it('allows non-resource URLs and aggregation rules', async () => {
    const store = t.store(clusterroles);
    const health = await store.create(t.ctx, '', clusterRole('health', { rules: [{ nonResourceURLs: ['/healthz', '/livez'], verbs: ['get'] }] }));
    assert.equal(health.metadata.namespace, undefined);
    const agg = await store.create(t.ctx, '', clusterRole('monitoring', { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }] } }));
    assert.deepEqual(agg.aggregationRule, { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }] });
  });

  const cases: [string, Record<string, unknown>, string][] = [
    ['URLs with resources', { rules: [{ nonResourceURLs: ['/x'], apiGroups: [''], verbs: ['get'] }] }, 'rules[0].nonResourceURLs: Invalid value: []string{"/x"}: rules cannot apply to both regular resources and non-resource URLs'],
    ['an aggregation rule without selectors', { aggregationRule: {} }, 'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil'],
    [
      'an invalid aggregation selector',
      { aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'a', operator: 'Near' }] }] } },
      '[aggregationRule.clusterRoleSelectors[0].matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator, aggregationRule.clusterRoleSelectors[0]: Invalid value: "null": invalid label selector.]',
    ],
  ];
  for (const [name, extra, message] of cases) {
    it(`rejects ${name}`, async () => {
      const got = await rejection(t.store(clusterroles).create(t.ctx, '', clusterRole('bad', extra)));
      assert.equal(got, `ClusterRole.rbac.authorization.k8s.io "bad" is invalid: ${message}`);
    });
  }
});
