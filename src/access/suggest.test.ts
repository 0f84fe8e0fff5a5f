import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../api/meta.js';
import type { AuditUse } from './audit-log.js';
import { AccessPolicy, parseSubject, type Request } from './policy.js';
import { compact, suggest, suggestionYaml } from './suggest.js';
import { everyoneMay, unused, unusedTable } from './unused.js';

const ROBOT = parseSubject('system:serviceaccount:apps:robot');
const req = (verb: string, resource: string, namespace: string, name = '', subresource = '', apiGroup = ''): Request => ({ verb, isResourceRequest: true, path: '', apiGroup, resource, subresource, namespace, name });
const url = (verb: string, path: string): Request => ({ verb, isResourceRequest: false, path, apiGroup: '', resource: '', subresource: '', namespace: '', name: '' });
let n = 0;
const use = (request: Request, decision = 'allow'): AuditUse => ({ auditID: `a${n++}`, username: ROBOT.username, groups: ROBOT.groups, user: { username: ROBOT.username }, request, requestURI: `/uri/${n}`, time: Date.parse('2026-12-07T10:00:00Z'), decision });
const kinds = (objs: { object: KubeObject }[]) => objs.map((o) => `${o.object.kind}/${o.object.metadata.namespace ?? ''}/${o.object.metadata.name}`);
const rulesOf = (objs: { object: KubeObject }[], kind: string, name: string, namespace?: string) => (objs.find((o) => o.object.kind === kind && o.object.metadata.name === name && o.object.metadata.namespace === namespace)!.object as unknown as { rules: unknown }).rules;

describe('suggest', () => {
  it('one namespace: a Role and RoleBinding there; no verb expansion; the name of a named get, none on a create', () => {
    const s = suggest(ROBOT, [use(req('get', 'configmaps', 'apps', 'settings')), use(req('list', 'pods', 'apps')), use(req('create', 'configmaps', 'apps'))]);
    assert.deepEqual(kinds(s), ['Role/apps/badge-suggest:apps:robot', 'RoleBinding/apps/badge-suggest:apps:robot']);
    assert.deepEqual(rulesOf(s, 'Role', 'badge-suggest:apps:robot', 'apps'), [
      { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
    ]);
    const rb = s[1]!.object as any;
    assert.deepEqual(rb.subjects, [{ kind: 'ServiceAccount', name: 'robot', namespace: 'apps' }]);
    assert.deepEqual(rb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'badge-suggest:apps:robot' });
    assert.deepEqual(rb.metadata.labels, { 'badge.dev/generated': 'true' });
    const policy = new AccessPolicy(s.map((o) => o.object));
    assert.ok(!policy.decide(ROBOT, req('watch', 'pods', 'apps')).allowed, 'list does not bring watch');
    assert.ok(!policy.decide(ROBOT, req('get', 'configmaps', 'apps', 'other')).allowed);
  });

  it('the same rule in several namespaces: one ClusterRole bound by a RoleBinding in each, never a ClusterRoleBinding', () => {
    const s = suggest(ROBOT, [use(req('list', 'pods', 'a')), use(req('list', 'pods', 'b')), use(req('get', 'secrets', 'a', 'tls'))], 'mine');
    assert.deepEqual(kinds(s), ['Role/a/mine', 'ClusterRole//mine:shared', 'RoleBinding/a/mine', 'RoleBinding/a/mine:shared', 'RoleBinding/b/mine:shared']);
    assert.deepEqual(rulesOf(s, 'ClusterRole', 'mine:shared'), [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }]);
    const policy = new AccessPolicy(s.map((o) => o.object));
    assert.ok(!policy.decide(ROBOT, req('list', 'pods', 'c')).allowed);
    assert.ok(!policy.decide(ROBOT, req('get', 'secrets', 'b', 'tls')).allowed);
  });

  it('cluster-scoped resources, cluster-wide lists and URLs: a ClusterRole and ClusterRoleBinding', () => {
    const s = suggest(ROBOT, [use(req('get', 'nodes', '', 'n1')), use(req('list', 'pods', '')), use(req('list', 'pods', 'apps')), use(url('get', '/metrics')), use(url('get', '/healthz'))]);
    assert.deepEqual(kinds(s), ['ClusterRole//badge-suggest:apps:robot', 'ClusterRoleBinding//badge-suggest:apps:robot']);
    assert.deepEqual(rulesOf(s, 'ClusterRole', 'badge-suggest:apps:robot'), [
      { apiGroups: [''], resources: ['nodes'], resourceNames: ['n1'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
      { nonResourceURLs: ['/healthz', '/metrics'], verbs: ['get'] },
    ]);
  });

  it('resourceNames only where every use of the verb named one; subresource creates keep their name', () => {
    const s = suggest(ROBOT, [use(req('get', 'configmaps', 'apps', 'x')), use(req('get', 'configmaps', 'apps', 'y')), use(req('delete', 'configmaps', 'apps', 'x')), use(req('delete', 'configmaps', 'apps')), use(req('create', 'serviceaccounts', 'apps', 'robot', 'token'))]);
    assert.deepEqual(rulesOf(s, 'Role', 'badge-suggest:apps:robot', 'apps'), [
      { apiGroups: [''], resources: ['configmaps'], verbs: ['delete'] },
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['x', 'y'], verbs: ['get'] },
      { apiGroups: [''], resources: ['serviceaccounts/token'], resourceNames: ['robot'], verbs: ['create'] },
    ]);
  });

  it('compaction: verbs of one resource, then resources of the same verbs, apiGroup first', () => {
    const r = (apiGroups: string[], resources: string[], verbs: string[]) => ({ rule: { apiGroups, resources, verbs }, notes: [`${verbs} ${resources}`] });
    const out = compact([r(['apps'], ['deployments'], ['list']), r([''], ['pods'], ['watch']), r(['apps'], ['deployments'], ['get']), r([''], ['pods'], ['get']), r([''], ['configmaps'], ['watch']), r([''], ['configmaps'], ['get'])]);
    assert.deepEqual(
      out.map((x) => x.rule),
      [
        { apiGroups: [''], resources: ['configmaps', 'pods'], verbs: ['get', 'watch'] },
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] },
      ],
    );
    assert.equal(out[0]!.notes.length, 4);
  });

  it('many requests and names: one rule with every name, the comment cut short', () => {
    const many = Array.from({ length: 200_000 }, (_, i) => use(req('get', 'configmaps', 'apps', `c${i % 7}`)));
    const s = suggest(ROBOT, many);
    assert.deepEqual(rulesOf(s, 'Role', 'badge-suggest:apps:robot', 'apps'), [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6'], verbs: ['get'] }]);
    assert.match(suggestionYaml(s), /# get configmaps c0,c1,c2,c3,c4,… \(7 names\) in apps: 200000 requests, first /);
  });

  it('provenance: a comment above each rule naming its requests; forbidden ones said', () => {
    const s = suggest(ROBOT, [use(req('get', 'configmaps', 'apps', 'settings'), 'forbid'), use(req('get', 'configmaps', 'apps', 'settings'))]);
    const text = suggestionYaml(s);
    assert.match(text, /rules:\n {2}# get configmaps settings in apps: 2 requests \(1 forbidden then\), first 2026-12-07T10:00:00\.000Z, e\.g\. \/uri\/\d+\n {2}- apiGroups:/);
    assert.match(text, /\n---\napiVersion: rbac\.authorization\.k8s\.io\/v1\nkind: RoleBinding\n/);
  });
});

describe('unused', () => {
  const RBAC = 'rbac.authorization.k8s.io/v1';
  const policy = new AccessPolicy(
    [
      { apiVersion: RBAC, kind: 'Role', metadata: { name: 'cm', namespace: 'apps' }, rules: [{ apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get', 'list'] }] },
      { apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'cm', namespace: 'apps' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm' }, subjects: [{ kind: 'ServiceAccount', name: 'robot' }] },
      { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'nodes' }, rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }, { nonResourceURLs: ['/metrics'], verbs: ['get'] }] },
      { apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name: 'all-sas' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'nodes' }, subjects: [{ kind: 'Group', name: 'system:serviceaccounts' }] },
    ],
    { bootstrap: true },
  );
  it('each rule of each grant (groups too) with the combinations never used; a RoleBinding counts only its namespace; bootstrap grants only with all', () => {
    const rows = unused(policy, ROBOT, [use(req('get', 'configmaps', 'apps', 'x')), use(req('list', 'secrets', 'other')), use(url('get', '/metrics'))]);
    assert.deepEqual(
      rows.map((r) => [r.binding, r.role, r.ruleIndex, r.unused]),
      [
        ['ClusterRoleBinding/all-sas', 'ClusterRole/nodes', 0, ['get nodes']],
        ['ClusterRoleBinding/all-sas', 'ClusterRole/nodes', 1, []],
        ['RoleBinding/apps/cm', 'Role/apps/cm', 0, ['get secrets', 'list configmaps', 'list secrets']],
      ],
    );
    assert.match(unusedTable(rows), /^BINDING\s+ROLE\s+RULE\s+UNUSED\nClusterRoleBinding\/all-sas\s+ClusterRole\/nodes\s+0 \{APIGroups:\[""\], Resources:\["nodes"\], Verbs:\["get"\]\}\s+get nodes\n.*\s+-\n/);
    assert.ok(unused(policy, ROBOT, [], { all: true }).some((r) => r.binding === 'ClusterRoleBinding/system:discovery'));
  });

  it('everyoneMay: what the bootstrap grants of every authenticated user already allow (discovery), not more', () => {
    const may = everyoneMay(ROBOT);
    assert.ok(may(url('get', '/apis')));
    assert.ok(may(url('get', '/version')));
    assert.ok(may(req('create', 'selfsubjectaccessreviews', '', '', '', 'authorization.k8s.io')));
    assert.ok(!may(url('get', '/metrics')));
    assert.ok(!may(req('list', 'pods', 'apps')));
  });
});
