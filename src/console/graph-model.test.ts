import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { KubeObject } from '../api/meta.js';
import { AccessPolicy } from '../access/policy.js';
import { objectsByRef, ruleText, subjectGraph } from './graph-model.js';
import { subjectUser } from './subjects.js';
import { OBJECTS } from '../testing/console-objects.js';

const RBAC = 'rbac.authorization.k8s.io';
const AGGREGATED: KubeObject[] = [
  { kind: 'ClusterRole', metadata: { name: 'view' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'aggregate-to-view': 'true' } }] }, rules: [] },
  { kind: 'ClusterRole', metadata: { name: 'view-pods', labels: { 'aggregate-to-view': 'true' } }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] },
  { kind: 'ClusterRole', metadata: { name: 'view-apps', labels: { 'aggregate-to-view': 'true' } }, rules: [{ apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'], verbs: ['get'] }] },
  { kind: 'ClusterRoleBinding', metadata: { name: 'authenticated-view' }, subjects: [{ kind: 'Group', apiGroup: RBAC, name: 'system:authenticated' }], roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' } },
];

const graphOf = (subject: string) => {
  const policy = new AccessPolicy([...OBJECTS, ...AGGREGATED]);
  return subjectGraph(policy, subjectUser(subject), subject, objectsByRef(policy.objects));
};

it('subject → bindings → role → rules, and through its groups to an aggregated ClusterRole and the roles it aggregates', () => {
  const subject = 'system:serviceaccount:default:app-reader';
  const g = graphOf(subject);
  assert.deepEqual(
    g.edges.map((e) => `${e.source} -${e.label}-> ${e.target}`).sort(),
    [
      `${subject} -subject of-> RoleBinding/default/read-pods`,
      'RoleBinding/default/read-pods -roleRef-> Role/default/pod-reader',
      'Role/default/pod-reader -rule 0-> Role/default/pod-reader#0',
      `${subject} -member of-> group:system:authenticated`,
      'group:system:authenticated -subject of-> ClusterRoleBinding//authenticated-view',
      'ClusterRole//view-apps -rule 0-> ClusterRole//view-apps#0',
      'ClusterRole//view -aggregates-> ClusterRole//view-apps',
      'ClusterRole//view-pods -rule 0-> ClusterRole//view-pods#0',
      'ClusterRole//view -aggregates-> ClusterRole//view-pods',
      'ClusterRoleBinding//authenticated-view -roleRef-> ClusterRole//view',
    ].sort(),
  );
  assert.deepEqual(g.nodes.find((n) => n.id === 'Role/default/pod-reader#0'), { id: 'Role/default/pod-reader#0', kind: 'rule', label: 'get, list, watch pods', ref: { kind: 'Role', namespace: 'default', name: 'pod-reader' } });
  assert.deepEqual(g.edges.find((e) => e.target === 'RoleBinding/default/read-pods')!.ref, { kind: 'RoleBinding', namespace: 'default', name: 'read-pods' });
});

it('a group subject is the start of its own graph; a role that does not exist is marked', () => {
  const g = graphOf('group:ops');
  assert.deepEqual(g.edges.map((e) => `${e.source} -${e.label}-> ${e.target}`).filter((e) => e.includes('//ops')), ['group:ops -subject of-> ClusterRoleBinding//ops', 'ClusterRoleBinding//ops -roleRef-> ClusterRole//view']);
  const alice = new AccessPolicy(OBJECTS);
  const missing = subjectGraph(alice, subjectUser('user:alice'), 'user:alice', objectsByRef(alice.objects)).nodes.find((n) => n.id === 'ClusterRole//view');
  assert.equal(missing?.missing, true);
});

it('writes a rule in a line', () => {
  assert.equal(ruleText({ apiGroups: ['', 'apps'], resources: ['pods', 'deployments'], verbs: ['get'] }), 'get pods, pods.apps, deployments, deployments.apps');
  assert.equal(ruleText({ apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'], verbs: ['get', 'patch'] }), 'get, patch deployments.apps (web)');
  assert.equal(ruleText({ nonResourceURLs: ['/healthz', '/version'], verbs: ['get'] }), 'get /healthz, /version');
});
