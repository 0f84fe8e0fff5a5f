import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { podDisruptionBudgets } from './poddisruptionbudgets.js';
import { rejection, T0, testRegistry, type TestRegistry } from './testing.js';

const pdb = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: 'default' }, spec });
const SELECTOR = { matchLabels: { app: 'a' } };

describe('poddisruptionbudgets', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([podDisruptionBudgets]);
  });
  after(() => t.close());

  it('stores a budget with a zero status and generation 1, and prints it as kubectl 1.32 does', async () => {
    const created = await t.store(podDisruptionBudgets).create(t.ctx, 'default', { ...pdb('web', { minAvailable: 1, selector: SELECTOR }), status: { disruptionsAllowed: 5 } });
    assert.deepEqual(created.status, { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
    assert.equal(created.metadata.generation, 1);
    assert.deepEqual(podDisruptionBudgets.table!.columns.map((c) => c.name), ['Name', 'Min Available', 'Max Unavailable', 'Allowed Disruptions', 'Age']);
    assert.deepEqual(podDisruptionBudgets.table!.cells(created, T0), ['web', '1', 'N/A', 0, '0s']);
    const percent = { ...pdb('p', { maxUnavailable: '25%' }), status: { disruptionsAllowed: 2 } };
    assert.deepEqual(podDisruptionBudgets.table!.cells(percent, T0).slice(0, 4), ['p', 'N/A', '25%', 2]);
  });

  it('bumps the generation when the spec changes', async () => {
    const store = t.store(podDisruptionBudgets);
    const created = await store.create(t.ctx, 'default', pdb('gen', { minAvailable: 1, selector: SELECTOR }));
    const { object } = await store.update(t.ctx, 'default', 'gen', { ...created, spec: { minAvailable: 2, selector: SELECTOR } });
    assert.equal(object.metadata.generation, 2);
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    [
      'both minAvailable and maxUnavailable',
      { minAvailable: 1, maxUnavailable: 1, selector: SELECTOR },
      'spec: Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0xc000000000), Selector:(*v1.LabelSelector)(0xc000000000), MaxUnavailable:(*intstr.IntOrString)(0xc000000000), UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(nil)}: minAvailable and maxUnavailable cannot be both set',
    ],
    ['a negative minAvailable', { minAvailable: -1 }, 'spec.minAvailable: Invalid value: -1: must be greater than or equal to 0'],
    [
      'a percentage over 100',
      { maxUnavailable: '101%' },
      'spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"101%"}: must not be greater than 100%',
    ],
    [
      'a string that is not a percentage',
      { minAvailable: 'half' },
      `spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"half"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
    ],
    ['an unknown eviction policy', { unhealthyPodEvictionPolicy: 'Never' }, 'spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"'],
  ];
  for (const [name, spec, message] of invalid) {
    it(`rejects ${name}`, async () => {
      assert.equal(await rejection(t.store(podDisruptionBudgets).create(t.ctx, 'default', pdb('bad', spec))), `PodDisruptionBudget.policy "bad" is invalid: ${message}`);
    });
  }

  it('checks status updates: counts not negative, conditions as metav1 conditions', async () => {
    const store = t.store(podDisruptionBudgets);
    const created = await store.create(t.ctx, 'default', pdb('st', { minAvailable: 1, selector: SELECTOR }));
    const status = { disruptionsAllowed: -1, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, conditions: [{ type: 'DisruptionAllowed', status: 'Maybe', reason: '', message: '' }] };
    assert.equal(
      await rejection(store.update(t.ctx, 'default', 'st', { ...created, status }, { subresource: 'status' })),
      'PodDisruptionBudget.policy "st" is invalid: [status.conditions[0].status: Unsupported value: "Maybe": supported values: "False", "True", "Unknown", status.conditions[0].lastTransitionTime: Required value: must be set, status.conditions[0].reason: Required value: must be set, status.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0]',
    );
  });
});
