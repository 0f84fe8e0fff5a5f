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
import { fromAggregatedDiscovery, fromResourceLists, parseResource, ResourceTable } from './resources.js';
import { binding, RBAC } from '../testing/rbac-objects.js';

const sa = (namespace: string, name: string, automount?: boolean): KubeObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace }, ...(automount === undefined ? {} : { automountServiceAccountToken: automount }) });
const role = (kind: 'Role' | 'ClusterRole', name: string, rules: object[], namespace?: string, extra: object = {}): KubeObject => ({ apiVersion: RBAC, kind, metadata: { name, ...(namespace ? { namespace } : {}) }, rules, ...extra });
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

  it('lists the real pods of a ServiceAccount, not the Deployment and ReplicaSet that made them; a workload without pods read by its template', () => {
    const controller = (kind: string, name: string) => ({ ownerReferences: [{ apiVersion: 'apps/v1', kind, name, uid: `uid-${name}`, controller: true }] });
    const template = { template: { spec: { serviceAccountName: 'app', containers: [] } } };
    const p = new AccessPolicy([
      sa('n', 'app', false),
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n', uid: 'uid-d' }, spec: template },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'd-1', namespace: 'n', uid: 'uid-d-1', ...controller('Deployment', 'd') }, spec: template },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'd-0', namespace: 'n', uid: 'uid-d-0', ...controller('Deployment', 'd') }, spec: template },
      ...['a', 'b'].map((x) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `d-1-${x}`, namespace: 'n', ...controller('ReplicaSet', 'd-1') }, spec: { serviceAccountName: 'app', automountServiceAccountToken: x === 'a', containers: [] } })),
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'n' }, spec: { jobTemplate: { spec: { template: { spec: { serviceAccountName: 'app', containers: [] } } } } } },
    ]);
    assert.deepEqual(p.podsOf('n', 'app'), [
      { pod: 'd-1-a', tokenMounted: true },
      { pod: 'd-1-b', tokenMounted: false },
      { pod: 'CronJob/c', tokenMounted: false },
    ]);
  });

  it('takes a custom resource\'s scope from its CustomResourceDefinition: a cluster-scoped one is answered at cluster scope, never through a RoleBinding', () => {
    const crd = (plural: string, scope: string): KubeObject => ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${plural}.example.com` },
      spec: { group: 'example.com', scope, names: { plural, singular: plural.slice(0, -1), kind: 'X', shortNames: [plural.slice(0, 2)] }, versions: [{ name: 'v1', served: true, storage: true, subresources: { status: {} } }] },
    });
    const p = new AccessPolicy([
      crd('clusterwidgets', 'Cluster'),
      crd('widgets', 'Namespaced'),
      role('ClusterRole', 'r', [{ apiGroups: ['example.com'], resources: ['clusterwidgets', 'widgets'], verbs: ['list'] }]),
      binding('RoleBinding', 'rb', 'ClusterRole', 'r', [{ kind: 'ServiceAccount', name: 'a' }], 'ns1'),
      binding('ClusterRoleBinding', 'crb', 'ClusterRole', 'r', [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'u' }]),
    ]);
    assert.deepEqual(parseResource('cl', p.resources), { group: 'example.com', resource: 'clusterwidgets', subresource: '', namespaced: false });
    assert.deepEqual(parseResource('widget.example.com/status', p.resources), { group: 'example.com', resource: 'widgets', subresource: 'status', namespaced: true });
    assert.match(parseResource('widgets/scale', p.resources).warning!, /widgets.example.com has no subresource "scale"/);
    assert.equal(p.resources.namespaced('example.com', 'clusterwidgets'), false);
    const rows = whoCan(p, { request: req('list', 'clusterwidgets', '', '', '', 'example.com'), namespace: '' });
    assert.deepEqual(rows.slice(1).map((r) => r.binding.name), ['crb']);
    const cells = matrix(p, SA('ns1', 'a'), 'ns1');
    assert.deepEqual([cells.find((r) => r.resource === 'clusterwidgets')?.verbs.list, cells.find((r) => r.resource === 'clusterwidgets')?.namespaced, cells.find((r) => r.resource === 'widgets')?.verbs.list], [false, false, true]);
    assert.equal(matrix(p, parseSubject('user:u'), 'ns1').find((r) => r.resource === 'clusterwidgets')?.verbs.list, true);
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
    assert.deepEqual(parseResource('deployments.v1.apps'), { group: 'apps', resource: 'deployments', subresource: '', namespaced: true });
    // From files, an unknown name is taken as namespaced, with a warning.
    assert.deepEqual(parseResource('widgets.example.com'), {
      group: 'example.com',
      resource: 'widgets',
      subresource: '',
      namespaced: true,
      warning: 'the resource type "widgets.example.com" is neither built in nor defined by a CustomResourceDefinition given: taken as namespaced',
    });
  });

  it('reads the server\'s discovery (aggregated or per group version); a name it lacks is an error as kubectl says it', () => {
    const aggregated = fromAggregatedDiscovery([
      { items: [{ metadata: {}, versions: [{ version: 'v1', resources: [{ resource: 'pods', scope: 'Namespaced', singularResource: 'pod', shortNames: ['po'], subresources: [{ subresource: 'exec' }, { subresource: 'log' }] }] }] }] },
      { items: [{ metadata: { name: 'example.com' }, versions: [{ version: 'v2', resources: [{ resource: 'gadgets', scope: 'Cluster', singularResource: 'gadget', shortNames: ['gd'] }] }, { version: 'v1', resources: [{ resource: 'gadgets', scope: 'Namespaced' }] }] }] },
    ]);
    const legacy = fromResourceLists([
      { groupVersion: 'v1', resources: [{ name: 'pods', namespaced: true, singularName: 'pod', shortNames: ['po'] }, { name: 'pods/exec', namespaced: true }, { name: 'pods/log', namespaced: true }] },
      { groupVersion: 'example.com/v2', resources: [{ name: 'gadgets', namespaced: false, singularName: 'gadget', shortNames: ['gd'] }] },
    ]);
    for (const found of [aggregated, legacy]) {
      const table = new ResourceTable(found, true);
      assert.deepEqual(parseResource('gd', table), { group: 'example.com', resource: 'gadgets', subresource: '', namespaced: false });
      assert.deepEqual(parseResource('pod/exec', table), { group: '', resource: 'pods', subresource: 'exec', namespaced: true });
      assert.throws(() => parseResource('foo', table), { message: 'the server doesn\'t have a resource type "foo"' });
      assert.throws(() => parseResource('nodes', table), /resource type "nodes"/);
      assert.deepEqual(parseResource('*', table), { group: '', resource: '*', subresource: '', namespaced: true });
      assert.equal(table.resources.length, 2, 'the preferred version only');
    }
  });
});
