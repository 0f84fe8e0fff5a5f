// rbac.authorization.k8s.io/v1 ClusterRoleBinding: grants a ClusterRole across the cluster.
import type { ResourceDef } from '../resource.js';
import { clusterRoleBinding } from '../schemas/rbac.js';
import { bindingTable, defaultBinding, RBAC_GROUP, validateBinding, validateRoleRefUnchanged } from './rbac-common.js';

export const clusterrolebindings: ResourceDef = {
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'ClusterRoleBinding',
  resource: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  namespaced: false,
  schema: clusterRoleBinding,
  nameRule: 'path-segment',
  allowCreateOnUpdate: true,
  defaults: defaultBinding,
  validate: (o) => validateBinding(o, false),
  validateUpdate: (o, old) => [...validateBinding(o, false), ...validateRoleRefUnchanged(o, old)],
  table: bindingTable(
    'clusterRoleBinding',
    'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
  ),
};
