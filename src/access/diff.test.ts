import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../api/meta.js';
import { AccessPolicy, parseSubject } from './policy.js';
import { diff, gainsAny, type DiffRow, type SubjectDiff } from './diff.js';
import { matrix } from './matrix.js';
import { matrixTable } from './print.js';
import { binding, RBAC, rule } from '../testing/rbac-objects.js';

const sa = (namespace: string, name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
const role = (kind: 'Role' | 'ClusterRole', name: string, rules: object[], namespace?: string, labels?: Record<string, string>): KubeObject => ({ apiVersion: RBAC, kind, metadata: { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) }, rules });
const SA_A = { kind: 'ServiceAccount', name: 'a', namespace: 'ns' };
const ALICE = { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' };

const run = (before: KubeObject[], after: KubeObject[], expandGroups = false) => diff(new AccessPolicy(before, { bootstrap: true }), new AccessPolicy(after, { bootstrap: true }), { expandGroups });
/** Each change as `SUBJECT CHANGE SCOPE VERBS RESOURCE NAMES`. */
const lines = (diffs: SubjectDiff[]) =>
  diffs.flatMap((d) => d.changes.map((c: DiffRow) => [d.subject, c.change, c.namespace ?? 'cluster', c.verbs.join(','), c.url ?? `${c.resource}${c.group ? `.${c.group}` : ''}${c.subresource ? `/${c.subresource}` : ''}`, c.url !== undefined ? '' : (c.names?.join(',') ?? '(all)')].join(' ').trimEnd()));

describe('access diff', () => {
  const reader = (verbs: string[]) => [sa('ns', 'a'), role('Role', 'r', [rule(verbs, ['pods'])], 'ns'), binding('RoleBinding', 'b', 'Role', 'r', [SA_A], 'ns')];

  it('a role edited: verbs added are gained, verbs removed lost, with the binding → role', () => {
    const d = run(reader(['get', 'list']), reader(['get', 'delete']));
    assert.deepEqual(lines(d), ['system:serviceaccount:ns:a + ns delete pods (all)', 'system:serviceaccount:ns:a - ns list pods (all)']);
    assert.deepEqual(d[0]!.changes[0]!.via, ['RoleBinding ns/b → Role ns/r']);
    assert.ok(gainsAny(d));
    assert.deepEqual(run(reader(['get']), reader(['get'])), []);
    assert.ok(!gainsAny(run(reader(['get', 'list']), reader(['get']))));
  });

  it('a binding added or removed', () => {
    const crb = binding('ClusterRoleBinding', 'c', 'ClusterRole', 'sec', [ALICE]);
    const sec = role('ClusterRole', 'sec', [rule(['get'], ['secrets'])]);
    assert.deepEqual(lines(run([sec], [sec, crb])), ['user:alice + cluster get secrets (all)']);
    assert.deepEqual(lines(run([sec, crb], [sec])), ['user:alice - cluster get secrets (all)']);
  });

  it('scopes a RoleBinding to a ClusterRole: its namespace only, no cluster-scoped resources; a ClusterRoleBinding moved to a RoleBinding is lost cluster-wide only', () => {
    const cr = role('ClusterRole', 'cr', [rule(['get'], ['pods', 'nodes'])]);
    const rb = binding('RoleBinding', 'b', 'ClusterRole', 'cr', [ALICE], 'ns');
    assert.deepEqual(lines(run([cr], [cr, rb])), ['user:alice + ns get pods (all)']);
    const crb = binding('ClusterRoleBinding', 'b', 'ClusterRole', 'cr', [ALICE]);
    assert.deepEqual(lines(run([cr, crb], [cr, rb])), ['user:alice - cluster get nodes (all)', 'user:alice - cluster get pods (all)']);
    assert.deepEqual(lines(run([cr, rb], [cr, crb])), ['user:alice + cluster get nodes (all)', 'user:alice + cluster get pods (all)']);
  });

  it('an aggregation change: a role labelled for view is gained by whoever is bound to view', () => {
    const bound = binding('RoleBinding', 'v', 'ClusterRole', 'view', [ALICE], 'ns');
    const widgets = role('ClusterRole', 'widgets-view', [rule(['get', 'list'], ['widgets'], ['example.com'])], undefined, { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' });
    const d = run([bound], [bound, widgets]);
    // admin and edit aggregate view: their bootstrap subjects (none bound here) are not subjects.
    assert.deepEqual(lines(d), ['user:alice + ns get,list widgets.example.com (all)']);
    assert.deepEqual(d[0]!.changes[0]!.via, ['RoleBinding ns/v → ClusterRole view']);
  });

  it('a group grant is gained by the group; with expandGroups by each ServiceAccount it reaches, unless it had it already', () => {
    const cr = role('ClusterRole', 'cm', [rule(['get'], ['configmaps'])]);
    const group = binding('ClusterRoleBinding', 'g', 'ClusterRole', 'cm', [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:serviceaccounts:ns' }]);
    const before = [sa('ns', 'a'), sa('ns', 'b'), sa('other', 'c'), cr, binding('ClusterRoleBinding', 'own', 'ClusterRole', 'cm', [{ kind: 'ServiceAccount', name: 'b', namespace: 'ns' }])];
    assert.deepEqual(lines(run(before, [...before, group])), ['group:system:serviceaccounts:ns + cluster get configmaps (all)']);
    const wide = run(before, [...before, group], true);
    assert.deepEqual(lines(wide), ['group:system:serviceaccounts:ns + cluster get configmaps (all)', 'system:serviceaccount:ns:a + cluster get configmaps (all)']);
    assert.deepEqual(wide[1]!.changes[0]!.via, ['ClusterRoleBinding g → ClusterRole cm (group system:serviceaccounts:ns)']);
    // The direct grant removed while the group grants the same: b loses nothing.
    assert.deepEqual(run([...before, group], [...before.slice(0, 4), group]), []);
  });

  it('resourceNames narrowed and widened', () => {
    const named = (names?: string[]) => [role('Role', 's', [rule(['get', 'update'], ['secrets'], [''], names ? { resourceNames: names } : {})], 'ns'), binding('RoleBinding', 'b', 'Role', 's', [ALICE], 'ns')];
    assert.deepEqual(lines(run(named(['x', 'y']), named(['x']))), ['user:alice - ns get,update secrets y']);
    assert.deepEqual(lines(run(named(['x']), named(['x', 'y', 'z']))), ['user:alice + ns get,update secrets y,z']);
    assert.deepEqual(lines(run(named(['x']), named())), ['user:alice + ns get,update secrets (all)']);
    assert.deepEqual(lines(run(named(), named(['x']))), ['user:alice - ns get,update secrets (all)']);
    // create on the resource itself by name never applies: not a gain.
    const create = [role('Role', 'c', [rule(['create'], ['secrets'], [''], { resourceNames: ['x'] })], 'ns'), binding('RoleBinding', 'b', 'Role', 'c', [ALICE], 'ns')];
    assert.deepEqual(run([], create), []);
  });

  it('nonResourceURLs: gained through a ClusterRoleBinding, nothing through a RoleBinding', () => {
    const urls = role('ClusterRole', 'm', [{ nonResourceURLs: ['/metrics', '/debug/*'], verbs: ['get'] }]);
    assert.deepEqual(lines(run([urls], [urls, binding('ClusterRoleBinding', 'b', 'ClusterRole', 'm', [ALICE])])), ['user:alice + cluster get /debug/*', 'user:alice + cluster get /metrics']);
    assert.deepEqual(run([urls], [urls, binding('RoleBinding', 'b', 'ClusterRole', 'm', [ALICE], 'ns')]), []);
    // A narrower URL where a wildcard was: the wildcard is lost, /debug/pprof (still allowed) is no gain.
    const narrow = role('ClusterRole', 'm', [{ nonResourceURLs: ['/metrics', '/debug/pprof'], verbs: ['get'] }]);
    const crb = binding('ClusterRoleBinding', 'b', 'ClusterRole', 'm', [ALICE]);
    assert.deepEqual(lines(run([narrow, crb], [urls, crb])), ['user:alice + cluster get /debug/*']);
    assert.deepEqual(lines(run([urls, crb], [narrow, crb])), ['user:alice - cluster get /debug/*']);
  });

  it('reports wildcards as wildcards: * verbs on * gained where only some verbs on pods were', () => {
    const before = [role('ClusterRole', 'r', [rule(['get'], ['pods'])]), binding('ClusterRoleBinding', 'b', 'ClusterRole', 'r', [ALICE])];
    const after = [role('ClusterRole', 'r', [rule(['*'], ['*'], ['*'])]), binding('ClusterRoleBinding', 'b', 'ClusterRole', 'r', [ALICE])];
    assert.deepEqual(lines(run(before, after)), ['user:alice + cluster * *.* (all)']);
    assert.deepEqual(lines(run(after, before)), ['user:alice - cluster * *.* (all)']);
  });
});

describe('access matrix partial cells', () => {
  it('a verb allowed only for some names is partial, with the names; create by name is not', () => {
    const p = new AccessPolicy([
      role('Role', 'r', [rule(['get', 'create'], ['secrets'], [''], { resourceNames: ['b', 'a'] }), rule(['get'], ['secrets'], [''], { resourceNames: ['c'] }), rule(['list'], ['configmaps'])], 'n'),
      binding('RoleBinding', 'b', 'Role', 'r', [{ kind: 'ServiceAccount', name: 'x', namespace: 'n' }], 'n'),
    ]);
    const rows = matrix(p, parseSubject('system:serviceaccount:n:x'), 'n');
    const secrets = rows.find((r) => r.resource === 'secrets')!;
    assert.equal(secrets.verbs.get, false);
    assert.deepEqual(secrets.partial, { get: ['a', 'b', 'c'] });
    const configmaps = rows.find((r) => r.resource === 'configmaps')!;
    assert.equal(configmaps.verbs.list, true);
    assert.equal(configmaps.partial, undefined);
    const table = matrixTable(rows, false);
    assert.match(table, /^secrets\s+◐\s+✖\s+✖\s+✖\s/m);
    assert.match(table, /\n◐ partial: allowed only for some names/);
  });
});
