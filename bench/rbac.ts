// RBAC decisions per second at 10 / 1,000 / 10,000 / 100,000 bindings: Badge's subject index
// beside a plain scan of every binding (the way kube-apiserver's authorizer decides).
import type { KubeObject } from '../src/api/meta.js';
import type { Attributes } from '../src/auth/authz/authorizer.js';
import { RbacAuthorizer } from '../src/auth/authz/rbac/authorizer.js';
import { PolicyIndex, subjectApplies } from '../src/auth/authz/rbac/policy-index.js';
import { ruleAllows } from '../src/auth/authz/rbac/rules.js';
import { progress, rate, type Rate } from './measure.js';

export interface RbacRow {
  bindings: number;
  indexed: Rate;
  scan: Rate;
}

const clusterRole = (name: string, rules: object[]): KubeObject => ({ kind: 'ClusterRole', metadata: { name }, rules });
const role = (ns: string, name: string, rules: object[]): KubeObject => ({ kind: 'Role', metadata: { name, namespace: ns }, rules });
const roleBinding = (ns: string, name: string, roleName: string, subject: object): KubeObject => ({
  kind: 'RoleBinding',
  metadata: { name, namespace: ns },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
  subjects: [subject],
});
const clusterRoleBinding = (name: string, roleName: string, subject: object): KubeObject => ({
  kind: 'ClusterRoleBinding',
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
  subjects: [subject],
});

/** A cluster with `n` bindings for other subjects, plus the tutorial's pod-reader for app-reader: its objects. */
export function policyObjects(n: number): KubeObject[] {
  const objects = [
    clusterRole('view-ish', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]),
    role('default', 'pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]),
    roleBinding('default', 'read-pods', 'pod-reader', { kind: 'ServiceAccount', name: 'app-reader', namespace: 'default' }),
  ];
  for (let i = 0; i < n; i++) {
    const ns = i % 3 === 0 ? 'default' : `team-${i % 50}`;
    if (i % 2 === 0) {
      objects.push(role(ns, `role-${i}`, [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]));
      objects.push(roleBinding(ns, `binding-${i}`, `role-${i}`, { kind: 'ServiceAccount', name: `sa-${i}`, namespace: ns }));
    } else {
      objects.push(clusterRoleBinding(`crb-${i}`, 'view-ish', { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: `user-${i}` }));
    }
  }
  return objects;
}

/** The same loaded into a policy index. */
export function buildPolicy(n: number): PolicyIndex {
  const index = new PolicyIndex();
  for (const o of policyObjects(n)) {
    if (o.kind?.endsWith('Binding')) index.setBinding(o);
    else index.setRole(o);
  }
  return index;
}

/** The plain scan: every ClusterRoleBinding, then every RoleBinding of the namespace. */
export function scanAuthorize(index: PolicyIndex, attrs: Attributes): boolean {
  for (const b of index.allBindings()) {
    if (b.kind === 'RoleBinding' && b.namespace !== attrs.namespace) continue;
    if (!b.subjects.some((s) => subjectApplies(s, attrs.user, b.namespace))) continue;
    const { rules } = index.roleRules(b.roleRef, b.namespace);
    if (rules?.some((r) => ruleAllows(attrs, r))) return true;
  }
  return false;
}

export const ATTRS: Attributes = {
  user: { username: 'system:serviceaccount:default:app-reader', groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'] },
  verb: 'list',
  isResourceRequest: true,
  path: '/api/v1/namespaces/default/pods',
  apiGroup: '',
  apiVersion: 'v1',
  resource: 'pods',
  subresource: '',
  namespace: 'default',
  name: '',
};

export async function rbacBench(sizes = [10, 1_000, 10_000, 100_000], ms = 1000): Promise<RbacRow[]> {
  const rows: RbacRow[] = [];
  for (const n of sizes) {
    progress(`rbac: building ${n.toLocaleString('en-US')} bindings`);
    const index = buildPolicy(n);
    const authorizer = new RbacAuthorizer(index);
    if ((await authorizer.authorize(ATTRS)).decision !== 'allow' || !scanAuthorize(index, ATTRS)) throw new Error('the benchmark request must be allowed');
    progress(`rbac: ${n.toLocaleString('en-US')} bindings, indexed`);
    // decide(), not authorize(): the decision itself, not the answer remembered for a repeat.
    const indexed = await rate(() => authorizer.decide(ATTRS), ms);
    progress(`rbac: ${n.toLocaleString('en-US')} bindings, plain scan`);
    const scan = await rate(() => scanAuthorize(index, ATTRS), ms, n >= 10_000 ? 1 : 100);
    rows.push({ bindings: n, indexed, scan });
  }
  return rows;
}
