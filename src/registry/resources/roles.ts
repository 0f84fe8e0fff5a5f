// rbac.authorization.k8s.io/v1 Role: a namespaced set of PolicyRules. No printer upstream, so
// `kubectl get` shows the default Name/Created At table.
import type { ResourceDef } from '../resource.js';
import { role } from '../schemas/rbac.js';
import { RBAC_GROUP, validatePolicyRules } from './rbac-common.js';

export const roles: ResourceDef = {
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'Role',
  resource: 'roles',
  singular: 'role',
  namespaced: true,
  schema: role,
  nameRule: 'path-segment',
  allowCreateOnUpdate: true,
  validate: (o) => validatePolicyRules(o.rules, true),
  validateUpdate: (o) => validatePolicyRules(o.rules, true),
};
