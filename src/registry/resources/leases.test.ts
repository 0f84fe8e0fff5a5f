import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { leases } from './leases.js';
import { rejection, T0, testRegistry, type TestRegistry } from './testing.js';

const lease = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec });

describe('leases', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([leases]);
  });
  after(() => t.close());

  it('stores a node lease and prints its holder', async () => {
    const created = await t.store(leases).create(
      t.ctx,
      'kube-node-lease',
      lease('node-1', { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2024-05-01T10:00:00.000000Z', strategy: 'OldestEmulationVersion', preferredHolder: 'x' }),
    );
    // strategy and preferredHolder belong to an alpha feature that is off.
    assert.deepEqual(created.spec, { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2024-05-01T10:00:00.000000Z' });
    assert.deepEqual(leases.table!.cells(created, T0), ['node-1', 'node-1', '0s']);
    assert.deepEqual(leases.table!.columns.map((c) => c.name), ['Name', 'Holder', 'Age']);
    assert.deepEqual(leases.table!.cells(lease('free', {}), T0), ['free', '', '<unknown>']);
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['a zero duration', { leaseDurationSeconds: 0 }, 'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0'],
    ['negative transitions', { leaseTransitions: -1 }, 'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0'],
  ];
  for (const [name, spec, message] of invalid) {
    it(`rejects ${name}`, async () => {
      assert.equal(await rejection(t.store(leases).create(t.ctx, 'kube-node-lease', lease('bad', spec))), `Lease.coordination.k8s.io "bad" is invalid: ${message}`);
    });
  }

  it('needs a resourceVersion to update: none and "0" are refused with the resource named', async () => {
    const store = t.store(leases);
    const created = await store.create(t.ctx, 'kube-node-lease', lease('leader', { holderIdentity: 'a' }));
    const message = 'leases.coordination.k8s.io "leader" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update';
    assert.equal(await rejection(store.update(t.ctx, 'kube-node-lease', 'leader', lease('leader', { holderIdentity: 'b' }))), message);
    const zero = lease('leader', { holderIdentity: 'b' });
    zero.metadata.resourceVersion = '0';
    assert.equal(await rejection(store.update(t.ctx, 'kube-node-lease', 'leader', zero)), message);
    const renewed = await store.update(t.ctx, 'kube-node-lease', 'leader', { ...created, spec: { holderIdentity: 'b', leaseTransitions: 1 } });
    assert.deepEqual(renewed.object.spec, { holderIdentity: 'b', leaseTransitions: 1 });
  });

  it('creates on PUT without a resourceVersion', async () => {
    const { object, created } = await t.store(leases).update(t.ctx, 'kube-node-lease', 'new-leader', lease('new-leader', { holderIdentity: 'a' }));
    assert.equal(created, true);
    assert.equal(object.metadata.name, 'new-leader');
  });
});
