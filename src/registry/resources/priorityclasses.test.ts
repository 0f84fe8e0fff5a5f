import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { priorityclasses } from './priorityclasses.js';
import { rejection, T0, testRegistry, type TestRegistry } from './testing.js';

const pc = (name: string, fields: Record<string, unknown>): KubeObject => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, ...fields });

describe('priorityclasses', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([priorityclasses]);
  });
  after(() => t.close());

  it('defaults the preemption policy, starts at generation 1 and prints as kubectl 1.32 does', async () => {
    const created = await t.store(priorityclasses).create(t.ctx, '', pc('high', { value: 1000, globalDefault: true, description: 'd' }));
    assert.equal(created.preemptionPolicy, 'PreemptLowerPriority');
    assert.equal(created.metadata.generation, 1);
    assert.deepEqual(priorityclasses.table!.columns.map((c) => [c.name, c.type, c.priority]), [
      ['Name', 'string', 0],
      ['Value', 'integer', 0],
      ['Global-Default', 'boolean', 0],
      ['Age', 'string', 0],
      ['PreemptionPolicy', 'string', 0],
    ]);
    assert.deepEqual(priorityclasses.table!.cells(created, T0), ['high', 1000, true, '0s', 'PreemptLowerPriority']);
  });

  it('accepts the system classes with their own values', async () => {
    const created = await t.store(priorityclasses).create(t.ctx, '', pc('system-node-critical', { value: 2000001000 }));
    assert.equal(created.value, 2000001000);
  });

  const invalid: [string, KubeObject, string][] = [
    ['a value above the user maximum', pc('huge', { value: 1000000001 }), 'value: Forbidden: maximum allowed value of a user defined priority is 1000000000'],
    [
      'an unknown system- name',
      pc('system-mine', { value: 1 }),
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
    ],
    [
      'a system class with another value',
      pc('system-cluster-critical', { value: 1 }),
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-cluster-critical PriorityClass must be 2000000000",
    ],
    [
      'a system class as the default',
      pc('system-cluster-critical', { value: 2000000000, globalDefault: true }),
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: globalDefault of system-cluster-critical PriorityClass must be false",
    ],
    ['an unknown preemption policy', pc('odd', { value: 1, preemptionPolicy: 'Sometimes' }), 'preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"'],
    ['an empty preemption policy', pc('empty', { value: 1, preemptionPolicy: '' }), 'preemptionPolicy: Required value'],
  ];
  for (const [name, object, message] of invalid) {
    it(`rejects ${name}`, async () => {
      assert.equal(await rejection(t.store(priorityclasses).create(t.ctx, '', object)), `PriorityClass.scheduling.k8s.io "${object.metadata.name}" is invalid: ${message}`);
    });
  }

  it('refuses to delete a system class, existing or not', async () => {
    const message = 'priorityclasses.scheduling.k8s.io "system-cluster-critical" is forbidden: this is a system priority class and cannot be deleted';
    assert.equal(await rejection(t.store(priorityclasses).delete(t.ctx, '', 'system-cluster-critical')), message);
  });

  it('keeps value and preemptionPolicy on update, lets the description change', async () => {
    const store = t.store(priorityclasses);
    const created = await store.create(t.ctx, '', pc('fixed', { value: 10 }));
    const changed = await store.update(t.ctx, '', 'fixed', { ...created, description: 'now described' });
    assert.equal(changed.object.description, 'now described');
    assert.equal(
      await rejection(store.update(t.ctx, '', 'fixed', { ...changed.object, value: 11, preemptionPolicy: 'Never' })),
      'PriorityClass.scheduling.k8s.io "fixed" is invalid: [value: Forbidden: may not be changed in an update., preemptionPolicy: Invalid value: "Never": field is immutable]',
    );
  });
});
