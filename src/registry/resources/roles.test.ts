import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cellsOf, columnsOf } from '../../server/table.js';
import { roles } from './roles.js';
import { rejection, testRegistry, type TestRegistry } from './testing.js';

const role = (name: string, rules: unknown[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: 'default' }, rules });

describe('roles', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([roles]);
  });
  after(() => t.close());

  it('stores the pod-reader Role as given', async () => {
    const created = await t.store(roles).create(t.ctx, 'default', role('pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]));
    assert.deepEqual(created.rules, [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]);
    assert.equal(created.metadata.generation, undefined);
  });

  const cases: [string, unknown[], string][] = [
    ['no verbs', [{ apiGroups: [''], resources: ['pods'] }], 'rules[0].verbs: Required value: verbs must contain at least one value'],
    ['no api groups', [{ resources: ['pods'], verbs: ['get'] }], 'rules[0].apiGroups: Required value: resource rules must supply at least one api group'],
    ['no resources', [{ apiGroups: [''], verbs: ['get'] }], 'rules[0].resources: Required value: resource rules must supply at least one resource'],
    ['non-resource URLs', [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }], 'rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs'],
    [
      'URLs and resources in one rule',
      [{ verbs: ['get'] }, { nonResourceURLs: ['/a', '/b'], resources: ['pods'], verbs: ['get'] }],
      '[rules[0].apiGroups: Required value: resource rules must supply at least one api group, rules[0].resources: Required value: resource rules must supply at least one resource, rules[1].nonResourceURLs: Invalid value: []string{"/a", "/b"}: namespaced rules cannot apply to non-resource URLs, rules[1].nonResourceURLs: Invalid value: []string{"/a", "/b"}: rules cannot apply to both regular resources and non-resource URLs]',
    ],
  ];
  for (const [name, rules, message] of cases) {
    it(`rejects ${name}`, async () => {
      assert.equal(await rejection(t.store(roles).create(t.ctx, 'default', role('bad', rules))), `Role.rbac.authorization.k8s.io "bad" is invalid: ${message}`);
    });
  }

  it('allows path-segment names and creates on PUT', async () => {
    const { object, created } = await t.store(roles).update(t.ctx, 'default', 'system:reader', role('system:reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]));
    assert.equal(created, true);
    assert.equal(object.metadata.name, 'system:reader');
    assert.equal(
      await rejection(t.store(roles).create(t.ctx, 'default', role('a/b', []))),
      `Role.rbac.authorization.k8s.io "a/b" is invalid: metadata.name: Invalid value: "a/b": may not contain '/'`,
    );
  });

  it('has the default table (Name, Created At)', () => {
    const o = { ...role('r', []), metadata: { name: 'r', creationTimestamp: '2024-05-01T10:00:00Z' } };
    assert.deepEqual(columnsOf(roles).map((c) => [c.name, c.type]), [['Name', 'string'], ['Created At', 'date']]);
    assert.deepEqual(cellsOf(roles, o, new Date()), ['r', '2024-05-01T10:00:00Z']);
  });
});
