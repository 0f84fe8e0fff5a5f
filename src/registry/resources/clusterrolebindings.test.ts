import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { cellsOf } from '../../server/table.js';
import { clusterrolebindings } from './clusterrolebindings.js';
import { rejection, testRegistry, type TestRegistry } from './testing.js';

function deployerBinding(): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'cicd-deployer-binding' },
    subjects: [{ kind: 'ServiceAccount', name: 'cicd-deployer', namespace: 'default' }],
    roleRef: { kind: 'ClusterRole', name: 'deployer-role', apiGroup: 'rbac.authorization.k8s.io' },
  };
}

describe('clusterrolebindings', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([clusterrolebindings]);
  });
  after(() => t.close());

  it('creates the CI/CD binding and prints it', async () => {
    const created = await t.store(clusterrolebindings).create(t.ctx, '', deployerBinding());
    assert.deepEqual(cellsOf(clusterrolebindings, created, new Date(Date.parse(created.metadata.creationTimestamp!) + 5000)), [
      'cicd-deployer-binding',
      'ClusterRole/deployer-role',
      '5s',
      '',
      '',
      'default/cicd-deployer',
    ]);
    assert.equal(clusterrolebindings.table!.columns[3]!.description, 'Users in the clusterRoleBinding');
  });

  const cases: [string, (o: KubeObject) => void, string][] = [
    ['a Role', (o) => (o.roleRef = { kind: 'Role', name: 'x', apiGroup: 'rbac.authorization.k8s.io' }), 'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"'],
    ['a ServiceAccount without a namespace', (o) => (o.subjects = [{ kind: 'ServiceAccount', name: 'sa' }]), 'subjects[0].namespace: Required value'],
  ];
  for (const [name, change, message] of cases) {
    it(`rejects ${name}`, async () => {
      const o = deployerBinding();
      change(o);
      assert.equal(await rejection(t.store(clusterrolebindings).create(t.ctx, '', o)), `ClusterRoleBinding.rbac.authorization.k8s.io "cicd-deployer-binding" is invalid: ${message}`);
    });
  }
});
