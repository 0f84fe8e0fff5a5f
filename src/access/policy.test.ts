import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { KubeObject } from '../api/meta.js';
import type { Pod, ServiceAccount } from '../api/kinds.js';
import { AccessPolicy, parseSubject, tokenMounted, type Request } from './policy.js';
import { whoCan } from './who-can.js';
import { why } from './why.js';
import { matrix } from './matrix.js';
import { loadFiles, parseManifests } from './load-files.js';
import { parseResource } from './resources.js';

const RBAC = 'rbac.authorization.k8s.io/v1';
const sa = (namespace: string, name: string, automount?: boolean): KubeObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace }, ...(automount === undefined ? {} : { automountServiceAccountToken: automount }) });
const role = (kind: 'Role' | 'ClusterRole', name: string, rules: object[], namespace?: string, extra: object = {}): KubeObject => ({ apiVersion: RBAC, kind, metadata: { name, ...(namespace ? { namespace } : {}) }, rules, ...extra });
const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, roleKind: string, roleName: string, subjects: object[], namespace?: string): KubeObject => ({
  apiVersion: RBAC,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: roleName },
  subjects,
});
const req = (verb: string, resource: string, namespace: string, name = '', subresource = '', apiGroup = ''): Request => ({ verb, isResourceRequest: true, path: '', apiGroup, resource, subresource, namespace, name });
const url = (verb: string, path: string): Request => ({ verb, isResourceRequest: false, path, apiGroup: '', resource: '', subresource: '', namespace: '', name: '' });
const SA = (ns: string, n: string) => parseSubject(`system:serviceaccount:${ns}:${n}`);

describe('AccessPolicy', () => {
  it('scopes a RoleBinding to a ClusterRole to its namespace, and never to cluster-scoped resources', () => {
    const p = new AccessPolicy([role('ClusterRole', 'reader', [{ apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['get'] }]), binding('RoleBinding', 'rb', 'ClusterRole', 'reader', [{ kind: 'ServiceAccount', name: 'a' }], 'ns1')]);
    assert.ok(p.decide(SA('ns1', 'a'), req('get', 'pods', 'ns1')).allowed);
    assert.ok(!p.decide(SA('ns1', 'a'), req('get', 'pods', 'ns2')).allowed);
    assert.ok(!p.decide(SA('ns1', 'a'), req('get', 'nodes', '')).allowed);
    const rows = whoCan(p, { request: req('get', 'nodes', ''), namespace: '' });
    assert.ok(!rows.some((r) => r.subject.name === 'a'), 'who-can does not report the RoleBinding for nodes');
    // The SA subject without a namespace defaults to the binding's.
    assert.equal(whoCan(p, { request: req('get', 'pods', 'ns1'), namespace: 'ns1' }).find((r) => r.subject.name === 'a')?.subject.namespace, 'ns1');
  });

  it('aggregates ClusterRoles by label selector, and resolves the bootstrap roles offline', () => {
    const p = new AccessPolicy(
      [
        role('ClusterRole', 'agg', [], undefined, { aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'x', operator: 'In', values: ['1'] }] }] } }),
        role('ClusterRole', 'part', [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['list'] }], undefined, { metadata: { name: 'part', labels: { x: '1', 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } } }),
        binding('ClusterRoleBinding', 'b', 'ClusterRole', 'agg', [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }]),
        binding('RoleBinding', 'v', 'ClusterRole', 'view', [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' }], 'ns1'),
        binding('RoleBinding', 'a', 'ClusterRole', 'admin', [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'carol' }], 'ns1'),
      ],
      { bootstrap: true },
    );
    assert.ok(p.decide(parseSubject('user:alice'), req('list', 'widgets', 'x', '', '', 'example.com')).allowed);
    assert.ok(p.decide(parseSubject('user:bob'), req('list', 'pods', 'ns1')).allowed, 'view resolves offline');
    assert.ok(p.decide(parseSubject('user:bob'), req('list', 'widgets', 'ns1', '', '', 'example.com')).allowed, 'view aggregates the new role');
    assert.ok(!p.decide(parseSubject('user:bob'), req('get', 'secrets', 'ns1')).allowed);
    assert.ok(p.decide(parseSubject('user:carol'), req('create', 'rolebindings', 'ns1', '', '', 'rbac.authorization.k8s.io')).allowed, 'admin aggregates edit and view');
    assert.ok(p.decide(parseSubject('user:carol'), req('get', 'secrets', 'ns1')).allowed);
  });

  it('gives ServiceAccounts their groups, and who-can expands the groups into ServiceAccounts', () => {
    const p = new AccessPolicy([sa('ns1', 'a'), sa('ns2', 'b'), role('ClusterRole', 'r', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]), binding('ClusterRoleBinding', 'all-ns1', 'ClusterRole', 'r', [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:serviceaccounts:ns1' }])]);
    assert.ok(p.decide(SA('ns1', 'a'), req('get', 'configmaps', 'ns9')).allowed);
    assert.ok(!p.decide(SA('ns2', 'b'), req('get', 'configmaps', 'ns9')).allowed);
    const rows = whoCan(p, { request: req('get', 'configmaps', 'ns9'), namespace: 'ns9' });
    assert.deepEqual(
      rows.filter((r) => r.binding.name === 'all-ns1').map((r) => [r.subject.kind, r.subject.name, r.via]),
      [
        ['Group', 'system:serviceaccounts:ns1', undefined],
        ['ServiceAccount', 'a', 'system:serviceaccounts:ns1'],
      ],
    );
    assert.ok(p.decide(parseSubject('user:system:serviceaccount:ns1:a'), req('get', 'configmaps', 'x')).allowed, 'a User named as the SA is the SA');
  });

  it('honours resourceNames, subresources with */sub, and nonResourceURLs with a * suffix', () => {
    const p = new AccessPolicy([
      role('ClusterRole', 'r', [
        { apiGroups: [''], resources: ['secrets'], resourceNames: ['one'], verbs: ['get'] },
        { apiGroups: [''], resources: ['*/log'], verbs: ['get'] },
        { nonResourceURLs: ['/metrics/*'], verbs: ['get'] },
      ]),
      binding('ClusterRoleBinding', 'b', 'ClusterRole', 'r', [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'u' }]),
    ]);
    const u = parseSubject('user:u');
    assert.ok(p.decide(u, req('get', 'secrets', 'n', 'one')).allowed);
    assert.ok(!p.decide(u, req('get', 'secrets', 'n', 'two')).allowed);
    const denied = why(p, u, req('get', 'secrets', 'n', 'two'));
    assert.equal(denied.near[0]?.lacks, 'resourceNames');
    assert.ok(p.decide(u, req('get', 'pods', 'n', 'p', 'log')).allowed);
    assert.ok(!p.decide(u, req('get', 'pods', 'n', 'p', 'exec')).allowed);
    assert.ok(p.decide(u, url('get', '/metrics/slis')).allowed);
    assert.ok(!p.decide(u, url('get', '/healthz')).allowed);
  });

  it('lets system:masters through by the authorizer, not RBAC', () => {
    const d = new AccessPolicy([]).decide({ username: 'root', groups: ['system:masters'] }, req('delete', 'nodes', ''));
    assert.ok(d.allowed && d.masters);
    assert.deepEqual(d.grants, []);
    assert.match(d.reason, /bypasses RBAC/);
    const [first] = whoCan(new AccessPolicy([]), { request: req('delete', 'nodes', ''), namespace: '' });
    assert.deepEqual([first?.subject.name, first?.authorizer], ['system:masters', 'the group system:masters bypasses RBAC']);
  });

  it('suggests the smallest Role and RoleBinding, which then allow the request', () => {
    const u = SA('ns1', 'a');
    const r = req('delete', 'pods', 'ns1', 'p');
    const answer = why(new AccessPolicy([sa('ns1', 'a')]), u, r);
    assert.ok(!answer.allowed);
    assert.deepEqual(
      answer.suggestion!.map((o) => o.kind),
      ['Role', 'RoleBinding'],
    );
    assert.ok(new AccessPolicy([sa('ns1', 'a'), ...answer.suggestion!]).decide(u, r).allowed);
    assert.ok(!new AccessPolicy([sa('ns1', 'a'), ...answer.suggestion!]).decide(u, { ...r, name: 'q' }).allowed);
  });

  it('works out the effective token mount: pod › ServiceAccount › true, or a projected token', () => {
    const pod = (automount?: boolean, projected = false) =>
      ({ metadata: { name: 'p', namespace: 'n' }, spec: { containers: [], ...(automount === undefined ? {} : { automountServiceAccountToken: automount }), ...(projected ? { volumes: [{ name: 't', projected: { sources: [{ serviceAccountToken: { path: 't' } }] } }] } : {}) } }) as Pod;
    const account = (automount?: boolean) => sa('n', 'default', automount) as ServiceAccount;
    assert.equal(tokenMounted(pod(), undefined), true);
    assert.equal(tokenMounted(pod(), account(false)), false);
    assert.equal(tokenMounted(pod(true), account(false)), true);
    assert.equal(tokenMounted(pod(false), account(true)), false);
    assert.equal(tokenMounted(pod(false, true), account(false)), true);
    const p = new AccessPolicy([
      sa('n', 'app', false),
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' }, spec: { template: { spec: { serviceAccountName: 'app', automountServiceAccountToken: true, containers: [] } } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bare', namespace: 'n' }, spec: { serviceAccountName: 'app', containers: [] } },
    ]);
    assert.deepEqual(p.podsOf('n', 'app'), [
      { pod: 'Deployment/d', tokenMounted: true },
      { pod: 'bare', tokenMounted: false },
    ]);
  });

  it('builds a matrix of the eight verbs', () => {
    const p = new AccessPolicy([role('Role', 'r', [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] }], 'n'), binding('RoleBinding', 'b', 'Role', 'r', [{ kind: 'ServiceAccount', name: 'a', namespace: 'n' }], 'n')]);
    const row = matrix(p, SA('n', 'a'), 'n').find((r) => r.resource === 'deployments')!;
    assert.deepEqual(row.verbs, { get: true, list: true, watch: false, create: false, update: false, patch: false, delete: false, deletecollection: false });
  });
});

describe('loading files', () => {
  it('reads multi-document YAML, JSON, Lists and directories recursively', () => {
    const dir = mkdtempSync(join(tmpdir(), 'access-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: b}\n');
    writeFileSync(join(dir, 'sub', 'list.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'c' } }] }));
    writeFileSync(join(dir, 'sub', 'notes.txt'), 'not a manifest');
    assert.deepEqual(
      loadFiles([dir]).map((o) => o.metadata.name),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(
      loadFiles(['-'], () => 'kind: ServiceAccountList\napiVersion: v1\nitems:\n- {kind: ServiceAccount, apiVersion: v1, metadata: {name: d}}\n').map((o) => o.metadata.name),
      ['d'],
    );
    assert.throws(() => parseManifests('a: [', 'bad.yaml'), /bad.yaml/);
  });

  it('parses resources with groups, short names and subresources', () => {
    assert.deepEqual(parseResource('deploy'), { group: 'apps', resource: 'deployments', subresource: '', namespaced: true });
    assert.deepEqual(parseResource('pods/exec'), { group: '', resource: 'pods', subresource: 'exec', namespaced: true });
    assert.deepEqual(parseResource('nodes'), { group: '', resource: 'nodes', subresource: '', namespaced: false });
    assert.deepEqual(parseResource('widgets.example.com'), { group: 'example.com', resource: 'widgets', subresource: '', namespaced: true });
  });
});
