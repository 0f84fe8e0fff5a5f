// rbac.authorization.k8s.io/v1 RoleBinding: grants a Role or ClusterRole within one namespace.
import type { ResourceDef } from '../resource.js';
import { roleBinding } from '../schemas/rbac.js';
import { bindingTable, defaultBinding, RBAC_GROUP, validateBinding, validateRoleRefUnchanged } from './rbac-common.js';

export const rolebindings: ResourceDef = {
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'RoleBinding',
  resource: 'rolebindings',
  singular: 'rolebinding',
  namespaced: true,
  schema: roleBinding,
  nameRule: 'path-segment',
  allowCreateOnUpdate: true,
  defaults: defaultBinding,
  validate: (o) => validateBinding(o, true),
  validateUpdate: (o, old) => [...validateBinding(o, true), ...validateRoleRefUnchanged(o, old)],
  table: bindingTable(
    'roleBinding',
    'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
  ),
};
