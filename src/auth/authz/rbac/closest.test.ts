import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../api/meta.js';
import type { UserInfo } from '../../../api/user.js';
import type { Attributes } from '../authorizer.js';
import { closestGrants, type CloseGrant } from './closest.js';
import { PolicyIndex } from './policy-index.js';
import type { PolicyRule } from './rules.js';

const GROUP = 'rbac.authorization.k8s.io';
const role = (kind: 'Role' | 'ClusterRole', namespace: string, name: string, ...rules: PolicyRule[]): KubeObject => ({ kind, metadata: kind === 'Role' ? { namespace, name } : { name }, rules });
const binding = (namespace: string, name: string, roleKind: string, roleName: string, ...subjects: { kind: string; name: string; namespace?: string }[]): KubeObject => ({
  kind: namespace ? 'RoleBinding' : 'ClusterRoleBinding',
  metadata: namespace ? { namespace, name } : { name },
  roleRef: { apiGroup: GROUP, kind: roleKind, name: roleName },
  subjects,
});
const sa = (namespace: string, name: string) => ({ kind: 'ServiceAccount', namespace, name });
const group = (name: string) => ({ kind: 'Group', apiGroup: GROUP, name });
const APP: UserInfo = { username: 'system:serviceaccount:default:app', groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'] };

const index = (...objs: KubeObject[]) => {
  const i = new PolicyIndex();
  for (const o of objs) (o.kind!.endsWith('Binding') ? i.setBinding(o) : i.setRole(o));
  return i;
};
const req = (verb: string, resource: string, namespace: string, name = '', apiGroup = '', subresource = ''): Omit<Attributes, 'apiVersion'> => ({ user: APP, verb, isResourceRequest: true, path: '', apiGroup, resource, subresource, namespace, name });
const brief = (g: CloseGrant) => `${g.binding.kind} ${g.binding.namespace}/${g.binding.name} ${g.lacks}${g.namespace ? ` ${g.namespace}` : ''}`;

const podReader = role('Role', 'default', 'pod-reader', { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] });
const readPods = binding('default', 'read-pods', 'Role', 'pod-reader', sa('default', 'app'));

describe('closestGrants', () => {
  it('finds the rule on the same resource with other verbs (the tutorial: app-reader deleting a pod)', () => {
    const found = closestGrants(index(podReader, readPods), req('delete', 'pods', 'default', 'app-pod'));
    assert.deepEqual(found.map(brief), ['RoleBinding default/read-pods verb']);
    assert.deepEqual(found[0]!.rule.verbs, ['get', 'list', 'watch']);
    assert.equal(found[0]!.subject.name, 'app');
  });

  it('names a rule that allows the verb for other names only, and ranks it closest', () => {
    const i = index(
      podReader,
      readPods,
      role('ClusterRole', '', 'delete-one', { apiGroups: [''], resources: ['pods'], resourceNames: ['other'], verbs: ['delete'] }),
      binding('', 'delete-one', 'ClusterRole', 'delete-one', group('system:serviceaccounts')),
    );
    assert.deepEqual(closestGrants(i, req('delete', 'pods', 'default', 'app-pod')).map(brief), ['ClusterRoleBinding /delete-one resourceNames', 'RoleBinding default/read-pods verb']);
  });

  it('finds the same request allowed in other namespaces, through the user or its groups', () => {
    const i = index(
      role('ClusterRole', '', 'edit-pods', { apiGroups: [''], resources: ['pods'], verbs: ['*'] }),
      binding('dev', 'edit', 'ClusterRole', 'edit-pods', sa('default', 'app')),
      binding('qa', 'edit', 'ClusterRole', 'edit-pods', group('system:serviceaccounts:default')),
      binding('prod', 'edit', 'ClusterRole', 'edit-pods', sa('other', 'app')),
    );
    assert.deepEqual(closestGrants(i, req('delete', 'pods', 'default', 'app-pod')).map(brief), ['RoleBinding dev/edit namespace dev', 'RoleBinding qa/edit namespace qa']);
    // Not for another resource, and not for a cluster-scoped request.
    assert.deepEqual(closestGrants(i, req('delete', 'secrets', 'default', 'x')), []);
    assert.deepEqual(closestGrants(i, req('delete', 'nodes', '', 'n1')), []);
  });

  it('searches at most maxNamespaces other namespaces, the first in name order', () => {
    const objs: KubeObject[] = [role('ClusterRole', '', 'edit-pods', { apiGroups: [''], resources: ['pods'], verbs: ['delete'] })];
    for (let n = 0; n < 50; n++) objs.push(binding(`ns${String(n).padStart(2, '0')}`, 'edit', 'ClusterRole', 'edit-pods', sa('default', 'app')));
    const i = index(...objs);
    assert.deepEqual(
      closestGrants(i, req('delete', 'pods', 'default', 'p'), 3).map((g) => g.namespace),
      ['ns00', 'ns01', 'ns02'],
    );
    // The request's own namespace is not one of them (its rule is the last, a same-namespace one).
    assert.deepEqual(
      closestGrants(i, req('delete', 'pods', 'ns00', 'p'), 2).map((g) => g.namespace),
      ['ns01', 'ns02', undefined],
    );
    assert.equal(closestGrants(i, req('delete', 'pods', 'default', 'p')).length, 50);
  });

  it('keeps the namespaces current as bindings change', () => {
    const edit = role('ClusterRole', '', 'edit-pods', { apiGroups: [''], resources: ['pods'], verbs: ['delete'] });
    const dev = binding('dev', 'edit', 'ClusterRole', 'edit-pods', sa('default', 'app'));
    const i = index(edit, dev);
    assert.deepEqual(i.namespacesBinding(APP, 10), ['dev']);
    i.setBinding(binding('dev', 'edit', 'ClusterRole', 'edit-pods', sa('default', 'someone-else')));
    assert.deepEqual(i.namespacesBinding(APP, 10), []);
    i.setBinding(dev);
    i.setBinding(binding('dev', 'edit-2', 'ClusterRole', 'edit-pods', sa('default', 'app')));
    i.deleteBinding(dev);
    assert.deepEqual(i.namespacesBinding(APP, 10), ['dev']);
    assert.deepEqual(closestGrants(i, req('delete', 'pods', 'default', 'p')).map(brief), ['RoleBinding dev/edit-2 namespace dev']);
  });

  it('for a URL: ClusterRoleBindings whose rules name it with other verbs', () => {
    const i = index(role('ClusterRole', '', 'metrics', { nonResourceURLs: ['/metrics*'], verbs: ['get'] }), binding('', 'metrics', 'ClusterRole', 'metrics', sa('default', 'app')));
    const url = { ...req('post', '', ''), isResourceRequest: false, path: '/metrics/x' };
    assert.deepEqual(closestGrants(i, url).map(brief), ['ClusterRoleBinding /metrics verb']);
    assert.deepEqual(closestGrants(i, { ...url, path: '/healthz' }), []);
  });

  it('never reads a binding that does not name the user or its groups', () => {
    const i = index(podReader, binding('default', 'theirs', 'Role', 'pod-reader', sa('default', 'someone-else')), binding('dev', 'theirs', 'Role', 'pod-reader', { kind: 'User', name: 'bob' }));
    assert.deepEqual(closestGrants(i, req('delete', 'pods', 'default', 'p')), []);
  });
});
