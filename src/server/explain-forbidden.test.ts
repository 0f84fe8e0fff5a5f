import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../api/meta.js';
import type { UserInfo } from '../api/user.js';
import type { Attributes } from '../auth/authz/authorizer.js';
import { PolicyIndex } from '../auth/authz/rbac/policy-index.js';
import { forbiddenWarning, whyCommand } from './explain-forbidden.js';

const GROUP = 'rbac.authorization.k8s.io';
const APP: UserInfo = { username: 'system:serviceaccount:default:app-reader', groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'] };
const JANE: UserInfo = { username: 'jane', groups: ['dev', 'system:authenticated'] };

const policy = (...objs: KubeObject[]) => {
  const i = new PolicyIndex();
  for (const o of objs) (o.kind!.endsWith('Binding') ? i.setBinding(o) : i.setRole(o));
  return i;
};
const request = (user: UserInfo, verb: string, resource: string, namespace: string, name = '', apiGroup = '', subresource = ''): Attributes => ({ user, verb, isResourceRequest: true, path: '', apiGroup, apiVersion: 'v1', resource, subresource, namespace, name });

// The tutorial's 06-pod-reader.yaml.
const tutorial = policy(
  { kind: 'Role', metadata: { namespace: 'default', name: 'pod-reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }] },
  { kind: 'RoleBinding', metadata: { namespace: 'default', name: 'read-pods' }, roleRef: { apiGroup: GROUP, kind: 'Role', name: 'pod-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'app-reader', namespace: 'default' }] },
);

describe('forbiddenWarning', () => {
  it('names the closest grant and the kubectl access why command', () => {
    assert.equal(
      forbiddenWarning(tutorial, request(APP, 'delete', 'pods', 'default', 'app-pod')),
      'closest grant: RoleBinding default/read-pods → Role default/pod-reader allows get, list, watch on pods in namespace default, not delete; details: kubectl access why system:serviceaccount:default:app-reader delete pods app-pod -n default',
    );
  });

  it('says when no grant comes close, and still gives the command', () => {
    assert.equal(
      forbiddenWarning(tutorial, request(APP, 'list', 'secrets', 'default')),
      'no grant comes close: nothing bound to system:serviceaccount:default:app-reader or its groups allows any verb on secrets in namespace default; details: kubectl access why system:serviceaccount:default:app-reader list secrets -n default',
    );
    assert.equal(
      forbiddenWarning(tutorial, request(JANE, 'get', 'nodes', '', 'n1')),
      'no grant comes close: nothing bound to jane or its groups allows any verb on nodes cluster-wide; details: kubectl access why user:jane get nodes n1',
    );
  });

  it('names a grant for other names only, or the same grant in another namespace', () => {
    const i = policy(
      { kind: 'ClusterRole', metadata: { name: 'scaler' }, rules: [{ apiGroups: ['apps'], resources: ['deployments/scale'], resourceNames: ['web', 'api'], verbs: ['update'] }] },
      { kind: 'ClusterRoleBinding', metadata: { name: 'scalers' }, roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'scaler' }, subjects: [{ kind: 'Group', apiGroup: GROUP, name: 'dev' }] },
      { kind: 'ClusterRole', metadata: { name: 'log-reader' }, rules: [{ apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }] },
      { kind: 'RoleBinding', metadata: { namespace: 'dev', name: 'logs' }, roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'log-reader' }, subjects: [{ kind: 'User', apiGroup: GROUP, name: 'jane' }] },
    );
    assert.equal(
      forbiddenWarning(i, request(JANE, 'update', 'deployments', 'prod', 'db', 'apps', 'scale')),
      'closest grant: ClusterRoleBinding scalers → ClusterRole scaler allows update on deployments.apps/scale cluster-wide only for names web, api; details: kubectl access why user:jane update deployments.apps/scale db -n prod',
    );
    assert.equal(
      forbiddenWarning(i, request(JANE, 'get', 'pods', 'prod', 'web-1', '', 'log')),
      'closest grant: RoleBinding dev/logs → ClusterRole log-reader allows it in namespace dev; details: kubectl access why user:jane get pods/log web-1 -n prod',
    );
  });

  it('for a URL, and with words the shell must have quoted', () => {
    const i = policy(
      { kind: 'ClusterRole', metadata: { name: 'metrics' }, rules: [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }] },
      { kind: 'ClusterRoleBinding', metadata: { name: 'metrics' }, roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'metrics' }, subjects: [{ kind: 'Group', apiGroup: GROUP, name: 'dev' }] },
    );
    const url: Attributes = { ...request(JANE, 'post', '', ''), isResourceRequest: false, path: '/metrics' };
    assert.equal(forbiddenWarning(i, url), 'closest grant: ClusterRoleBinding metrics → ClusterRole metrics allows get on /metrics, not post; details: kubectl access why user:jane post /metrics');
    assert.equal(whyCommand(request({ username: "o'brien x", groups: [] }, 'get', 'configmaps', 'default', 'a b')), `kubectl access why 'user:o'\\''brien x' get configmaps 'a b' -n default`);
  });
});
