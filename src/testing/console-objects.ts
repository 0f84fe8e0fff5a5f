// For the console's tests: ServiceAccounts, a Role and bindings naming a ServiceAccount, a user and a
// group, and pods running as ServiceAccounts (one without its token).
import type { KubeObject } from '../api/meta.js';

const RBAC = 'rbac.authorization.k8s.io';
export const OBJECTS: KubeObject[] = [
  { kind: 'ServiceAccount', metadata: { name: 'app-reader', namespace: 'default' } },
  { kind: 'ServiceAccount', metadata: { name: 'quiet', namespace: 'default' }, automountServiceAccountToken: false },
  { kind: 'Role', metadata: { name: 'pod-reader', namespace: 'default' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }] },
  { kind: 'RoleBinding', metadata: { name: 'read-pods', namespace: 'default' }, subjects: [{ kind: 'ServiceAccount', name: 'app-reader' }, { kind: 'User', apiGroup: RBAC, name: 'alice' }], roleRef: { apiGroup: RBAC, kind: 'Role', name: 'pod-reader' } },
  { kind: 'ClusterRoleBinding', metadata: { name: 'ops' }, subjects: [{ kind: 'Group', apiGroup: RBAC, name: 'ops' }, { kind: 'User', apiGroup: RBAC, name: 'alice' }], roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' } },
  { kind: 'Pod', metadata: { name: 'app-pod', namespace: 'default' }, spec: { serviceAccountName: 'app-reader', containers: [] } },
  { kind: 'Pod', metadata: { name: 'quiet-pod', namespace: 'default' }, spec: { serviceAccountName: 'quiet', containers: [] } },
  { kind: 'Pod', metadata: { name: 'plain', namespace: 'web' }, spec: { containers: [] } },
];
