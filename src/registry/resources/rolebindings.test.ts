import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { cellsOf } from '../../server/table.js';
import { rolebindings } from './rolebindings.js';
import { clone, rejection, testRegistry, type TestRegistry } from './testing.js';

function readPods(): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'read-pods', namespace: 'default' },
    subjects: [{ kind: 'ServiceAccount', name: 'app-reader', namespace: 'default' }],
    roleRef: { kind: 'Role', name: 'pod-reader', apiGroup: 'rbac.authorization.k8s.io' },
  };
}

describe('rolebindings', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([rolebindings]);
  });
  after(() => t.close());

  it('defaults the roleRef and subject api groups', async () => {
    const o = readPods();
    o.metadata.name = 'defaulted';
    o.roleRef = { kind: 'ClusterRole', name: 'view' };
    o.subjects = [{ kind: 'User', name: 'jane' }, { kind: 'Group', name: 'devs' }, { kind: 'ServiceAccount', name: 'sa' }];
    const created = await t.store(rolebindings).create(t.ctx, 'default', o);
    assert.deepEqual(created.roleRef, { kind: 'ClusterRole', name: 'view', apiGroup: 'rbac.authorization.k8s.io' });
    assert.deepEqual(created.subjects, [
      { kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'ServiceAccount', name: 'sa' },
    ]);
  });

  const cases: [string, (o: KubeObject) => void, string][] = [
    ['a Deployment roleRef', (o) => (o.roleRef = { kind: 'Deployment', name: 'x', apiGroup: 'rbac.authorization.k8s.io' }), 'roleRef.kind: Unsupported value: "Deployment": supported values: "Role", "ClusterRole"'],
    ['another api group', (o) => (o.roleRef = { kind: 'Role', name: 'x', apiGroup: 'apps' }), 'roleRef.apiGroup: Unsupported value: "apps": supported values: "rbac.authorization.k8s.io"'],
    ['no roleRef', (o) => delete o.roleRef, '[roleRef.kind: Unsupported value: "": supported values: "Role", "ClusterRole", roleRef.name: Required value]'],
    ['a roleRef name with a slash', (o) => (o.roleRef = { kind: 'Role', name: 'a/b', apiGroup: 'rbac.authorization.k8s.io' }), `roleRef.name: Invalid value: "a/b": may not contain '/'`],
    ['an unknown subject kind', (o) => (o.subjects = [{ kind: 'Robot', name: 'r2' }]), 'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"'],
    ['a subject without a name', (o) => (o.subjects = [{ kind: 'User' }]), 'subjects[0].name: Required value'],
    [
      'a bad ServiceAccount subject',
      (o) => (o.subjects = [{ kind: 'ServiceAccount', name: 'Bad_Name', apiGroup: 'v1' }]),
      "[subjects[0].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'), subjects[0].apiGroup: Unsupported value: \"v1\": supported values: \"\"]",
    ],
    ['a User in another group', (o) => (o.subjects = [{ kind: 'User', name: 'jane', apiGroup: 'example.com' }]), 'subjects[0].apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io"'],
  ];
  for (const [name, change, message] of cases) {
    it(`rejects ${name}`, async () => {
      const o = readPods();
      change(o);
      assert.equal(await rejection(t.store(rolebindings).create(t.ctx, 'default', o)), `RoleBinding.rbac.authorization.k8s.io "read-pods" is invalid: ${message}`);
    });
  }

  it('allows changing subjects but never the roleRef', async () => {
    const store = t.store(rolebindings);
    const o = readPods();
    o.metadata.name = 'fixed';
    const created = await store.create(t.ctx, 'default', o);
    const more = clone(created);
    (more.subjects as unknown[]).push({ kind: 'User', name: 'jane' });
    const updated = await store.update(t.ctx, 'default', 'fixed', more);
    assert.equal((updated.object.subjects as unknown[]).length, 2);
    const other = clone(updated.object);
    other.roleRef = { kind: 'ClusterRole', name: 'view', apiGroup: 'rbac.authorization.k8s.io' };
    assert.equal(
      await rejection(store.update(t.ctx, 'default', 'fixed', other)),
      'RoleBinding.rbac.authorization.k8s.io "fixed" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"view"}: cannot change roleRef',
    );
  });

  it('prints Name, Role, Age and the subjects', () => {
    const o = readPods();
    o.metadata.creationTimestamp = '2024-05-01T10:00:00Z';
    o.subjects = [
      { kind: 'ServiceAccount', name: 'app-reader', namespace: 'default' },
      { kind: 'User', name: 'jane' },
      { kind: 'User', name: 'joe' },
      { kind: 'Group', name: 'devs' },
      { kind: 'ServiceAccount', name: 'bare' },
    ];
    assert.deepEqual(cellsOf(rolebindings, o, new Date('2024-05-03T10:00:00Z')), ['read-pods', 'Role/pod-reader', '2d', 'jane, joe', 'devs', 'default/app-reader, /bare']);
    assert.deepEqual(rolebindings.table!.columns.map((c) => [c.name, c.priority]), [['Name', 0], ['Role', 0], ['Age', 0], ['Users', 1], ['Groups', 1], ['ServiceAccounts', 1]]);
  });
});
