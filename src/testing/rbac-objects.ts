// RBAC objects for tests of the access analysis: a rule, and a binding of a role to subjects.
import type { KubeObject } from '../api/meta.js';

export const RBAC = 'rbac.authorization.k8s.io/v1';

export const rule = (verbs: string[], resources: string[], apiGroups = [''], extra: object = {}) => ({ verbs, resources, apiGroups, ...extra });

export const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, roleKind: string, roleName: string, subjects: object[], namespace?: string, metadata: object = {}): KubeObject => ({
  apiVersion: RBAC,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}), ...metadata },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: roleName },
  subjects,
});
