import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { resourcequotas } from './resourcequotas.js';
import { rejection, T0, testRegistry, type TestRegistry } from './testing.js';

const quota = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: 'default' }, spec });

describe('resourcequotas', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([resourcequotas]);
  });
  after(() => t.close());

  it('stores a quota in canonical form without status, and prints used/hard as kubectl 1.32', async () => {
    const store = t.store(resourcequotas);
    const created = await store.create(t.ctx, 'default', { ...quota('compute', { hard: { pods: '2', 'requests.cpu': '1000m', 'limits.memory': '1024Mi' } }), status: { used: { pods: '1' } } });
    assert.deepEqual(created.spec, { hard: { pods: '2', 'requests.cpu': '1', 'limits.memory': '1Gi' } });
    assert.equal(created.status, undefined);
    assert.deepEqual(resourcequotas.table!.cells(created, T0), ['compute', '0s', 'pods: 0/0, requests.cpu: 0/0', 'limits.memory: 0/0']);
    const status = { hard: { pods: '2', 'requests.cpu': '1', 'limits.memory': '1Gi' }, used: { pods: '1', 'requests.cpu': '500m', 'limits.memory': '0' } };
    const updated = await store.update(t.ctx, 'default', 'compute', { ...created, status }, { subresource: 'status' });
    assert.deepEqual(resourcequotas.table!.cells(updated.object, T0), ['compute', '0s', 'pods: 1/2, requests.cpu: 500m/1', 'limits.memory: 0/1Gi']);
    assert.deepEqual(resourcequotas.table!.columns.map((c) => c.name), ['Name', 'Age', 'Request', 'Limit']);
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['an unknown resource', { hard: { foo: '1' } }, '[spec.hard[foo]: Invalid value: foo: must be a standard resource type or fully qualified, spec.hard[foo]: Invalid value: foo: must be a standard resource for quota]'],
    ['storage, which is no quota resource', { hard: { storage: '1Gi' } }, 'spec.hard[storage]: Invalid value: storage: must be a standard resource for quota'],
    ['a negative quantity', { hard: { 'requests.cpu': '-1' } }, 'spec.hard[requests.cpu]: Invalid value: "-1": must be greater than or equal to 0'],
    ['a fraction of pods', { hard: { pods: '1500m' } }, 'spec.hard[pods]: Invalid value: "1500m": must be an integer'],
    ['a scope for another resource', { hard: { services: '1' }, scopes: ['BestEffort'] }, 'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort"}: unsupported scope applied to resource'],
    ['conflicting scopes', { hard: { pods: '1' }, scopes: ['Terminating', 'NotTerminating'] }, 'spec.scopes: Invalid value: []core.ResourceQuotaScope{"Terminating", "NotTerminating"}: conflicting scopes'],
    ['an unknown scope', { hard: { pods: '1' }, scopes: ['Sometimes'] }, 'spec.scopes: Invalid value: []core.ResourceQuotaScope{"Sometimes"}: unsupported scope'],
    [
      'In without values',
      { hard: { pods: '1' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In' }] } },
      "spec.scopeSelector.matchExpressions.values: Required value: must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
    ],
    [
      'a BestEffort selector that is not Exists',
      { hard: { pods: '1' }, scopeSelector: { matchExpressions: [{ scopeName: 'BestEffort', operator: 'In', values: ['x'] }] } },
      "spec.scopeSelector.matchExpressions.operator: Invalid value: \"In\": must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
    ],
  ];
  for (const [name, spec, message] of invalid) {
    it(`rejects ${name}`, async () => {
      assert.equal(await rejection(t.store(resourcequotas).create(t.ctx, 'default', quota('bad', spec))), `ResourceQuota "bad" is invalid: ${message}`);
    });
  }

  it('accepts object counts and keeps scopes immutable', async () => {
    const store = t.store(resourcequotas);
    const created = await store.create(t.ctx, 'default', quota('counts', { hard: { 'count/deployments.apps': '3', 'count/pods': '5', pods: '4' }, scopes: ['NotTerminating'] }));
    const message = await rejection(store.update(t.ctx, 'default', 'counts', { ...created, spec: { hard: { pods: '4' }, scopes: ['Terminating'] } }));
    assert.equal(message, 'ResourceQuota "counts" is invalid: spec.scopes: Invalid value: []core.ResourceQuotaScope{"Terminating"}: field is immutable');
  });
});
