import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { AdmissionAttributes } from './chain.js';
import { matchResources, type MatchContext } from './validating-policy-matching.js';

const attrs = (over: Partial<AdmissionAttributes> = {}): AdmissionAttributes =>
  ({ operation: 'CREATE', resource: { group: 'apps', resource: 'deployments', namespaced: true, version: 'v1', kind: 'Deployment' }, subresource: '', namespace: 'ns', name: 'd', object: { metadata: { name: 'd', labels: { app: 'x' } } }, ctx: {} as never, dryRun: false, ...over }) as AdmissionAttributes;
const ctx = (a: AdmissionAttributes, labels: Record<string, string> = { env: 'prod' }, otherVersions: string[] = []): MatchContext => ({
  a, requested: { group: a.resource.group, version: a.resource.version!, resource: a.resource.resource }, otherVersions, namespaceLabels: () => labels,
});
const rule = (r: object) => ({ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'], ...r });

it('rules: operations, wildcards, subresources, scope, names; exclude rules win', () => {
  const m = (r: object, a = attrs()) => matchResources({ resourceRules: [rule(r)] }, ctx(a), true);
  assert.ok(m({}));
  assert.ok(!m({ operations: ['UPDATE'] }));
  assert.ok(m({ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*'] }));
  assert.ok(!m({ resources: ['*'] }, attrs({ subresource: 'scale' })));
  assert.ok(m({ resources: ['*/scale'] }, attrs({ subresource: 'scale' })));
  assert.ok(m({ resources: ['deployments/*'] }, attrs({ subresource: 'status' })));
  assert.ok(!m({ resources: ['deployments/*'] }));
  assert.ok(m({ resources: ['*/*'] }, attrs({ subresource: 'status' })));
  assert.ok(!m({ scope: 'Cluster' }));
  assert.ok(m({ scope: 'Namespaced' }));
  assert.ok(!m({ resourceNames: ['other'] }));
  assert.equal(matchResources({ resourceRules: [rule({})], excludeResourceRules: [rule({ resourceNames: ['d'] })] }, ctx(attrs()), true), undefined);
  // A binding without resourceRules takes what its policy matched; a policy needs them.
  assert.ok(matchResources({}, ctx(attrs()), false));
  assert.equal(matchResources({}, ctx(attrs()), true), undefined);
});

it('selectors: the namespace labels, a Namespace its own, the new or old object; Equivalent versions', () => {
  const sel = { resourceRules: [rule({})], namespaceSelector: { matchLabels: { env: 'prod' } } };
  assert.ok(matchResources(sel, ctx(attrs()), true));
  assert.equal(matchResources(sel, ctx(attrs(), { env: 'dev' }), true), undefined);
  const ns = attrs({ resource: { group: '', resource: 'namespaces', namespaced: false, version: 'v1' }, namespace: '', object: { metadata: { name: 'n', labels: { env: 'prod' } } } });
  assert.ok(matchResources({ ...sel, resourceRules: [rule({ apiGroups: [''], resources: ['namespaces'] })] }, ctx(ns, {}), true));
  const objSel = { resourceRules: [rule({ operations: ['DELETE'] })], objectSelector: { matchLabels: { app: 'x' } } };
  assert.ok(matchResources(objSel, ctx(attrs({ operation: 'DELETE', object: undefined, oldObject: { metadata: { labels: { app: 'x' } } } })), true));
  assert.equal(matchResources(objSel, ctx(attrs({ operation: 'DELETE', object: undefined, oldObject: { metadata: {} } })), true), undefined);
  const v2 = attrs({ resource: { group: 'apps', resource: 'deployments', namespaced: true, version: 'v2' } });
  assert.deepEqual(matchResources({ resourceRules: [rule({})] }, ctx(v2, {}, ['v1']), true), { group: 'apps', version: 'v1', resource: 'deployments' });
  assert.equal(matchResources({ resourceRules: [rule({})], matchPolicy: 'Exact' }, ctx(v2, {}, ['v1']), true), undefined);
});
