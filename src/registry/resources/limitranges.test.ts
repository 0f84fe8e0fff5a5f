import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { limitranges } from './limitranges.js';
import { rejection, T0, testRegistry, type TestRegistry } from './testing.js';

const limitRange = (name: string, limits: Record<string, unknown>[]): KubeObject => ({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name, namespace: 'default' }, spec: { limits } });

describe('limitranges', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([limitranges]);
  });
  after(() => t.close());

  it("defaults a Container's limits from max and its requests from the limits or min, and prints its creation time", async () => {
    const created = await t.store(limitranges).create(t.ctx, 'default', limitRange('lr', [{ type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' }, default: { memory: '512Mi' } }]));
    assert.deepEqual((created.spec as { limits: unknown[] }).limits, [
      { type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' }, default: { cpu: '2', memory: '512Mi' }, defaultRequest: { cpu: '2', memory: '512Mi' } },
    ]);
    assert.deepEqual(limitranges.table!.cells(created, T0), ['lr', '2024-05-01T10:00:00Z']);
    assert.deepEqual(limitranges.table!.columns.map((c) => [c.name, c.type]), [['Name', 'string'], ['Created At', 'date']]);
  });

  const invalid: [string, Record<string, unknown>[], string][] = [
    ['an unknown type', [{ type: 'Node' }], 'spec.limits[0].type: Invalid value: "Node": must be a standard limit type or fully qualified'],
    ['a duplicate type', [{ type: 'Pod' }, { type: 'Pod' }], 'spec.limits[1].type: Duplicate value: "Pod"'],
    ['defaults for a Pod', [{ type: 'Pod', default: { cpu: '1' } }], "spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'"],
    ['min above max', [{ type: 'Pod', min: { cpu: '2' }, max: { cpu: '1' } }], 'spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1'],
    ['a ratio below 1', [{ type: 'Container', maxLimitRequestRatio: { cpu: '500m' } }], 'spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: "500m": ratio 500m is less than 1'],
    ['a ratio above max/min', [{ type: 'Pod', min: { cpu: '1' }, max: { cpu: '2' }, maxLimitRequestRatio: { cpu: '3' } }], 'spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: "3": ratio 3 is greater than max/min = 2.000000'],
    ['a claim without storage bounds', [{ type: 'PersistentVolumeClaim' }], 'spec.limits[0].limits: Required value: either minimum or maximum storage value is required, but neither was provided'],
    ['pods in a Pod limit', [{ type: 'Pod', max: { pods: '1' } }], 'spec.limits[0].max[pods]: Invalid value: pods: must be a standard resource for containers'],
  ];
  for (const [name, limits, message] of invalid) {
    it(`rejects ${name}`, async () => {
      assert.equal(await rejection(t.store(limitranges).create(t.ctx, 'default', limitRange('bad', limits))), `LimitRange "bad" is invalid: ${message}`);
    });
  }
});
