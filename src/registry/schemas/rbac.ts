// rbac.authorization.k8s.io/v1 kinds (k8s.io/api/rbac/v1), as served by Kubernetes 1.32.
import { arr, described, obj, pb, ptr, str } from '../../api/schema.js';
import { kind, labelSelector } from './meta.js';

const RBAC = 'io.k8s.api.rbac.v1';
const GROUP = 'rbac.authorization.k8s.io';

/** Every list here is atomic; apiGroups may hold "" (the core group), so items are plain strings. */
const atomicStrings = (description: string) => arr(str(), description, { listType: 'atomic' });

export const policyRule = obj(`${RBAC}.PolicyRule`, 'A set of permitted actions, without saying who holds them or where they apply.', {
  apiGroups: pb(2, atomicStrings('API groups holding the resources; "" is the core group and "*" any group.')),
  nonResourceURLs: pb(5, atomicStrings('Partial URL paths allowed, "*" only as the whole last segment; for ClusterRoles bound cluster-wide only.')),
  resourceNames: pb(4, atomicStrings('Names of the objects the rule is limited to; empty means all.')),
  resources: pb(3, atomicStrings('Resources the rule applies to; "*" means all.')),
  verbs: pb(1, atomicStrings('Verbs allowed on the resources; "*" means all.')),
}, { required: ['verbs'] });

export const subject = obj(`${RBAC}.Subject`, 'A user, group or service account that a binding grants a role to.', {
  apiGroup: pb(2, str('API group of the subject: "" for ServiceAccount, rbac.authorization.k8s.io for User and Group by default.')),
  kind: pb(1, str('User, Group or ServiceAccount.')),
  name: pb(3, str('Name of the subject.')),
  namespace: pb(4, str('Namespace of a ServiceAccount subject; must be empty for User and Group.')),
}, { required: ['kind', 'name'], mapType: 'atomic' });

export const roleRef = obj(`${RBAC}.RoleRef`, 'Points to the Role or ClusterRole being granted.', {
  apiGroup: pb(1, str('API group of the referenced role.')),
  kind: pb(2, str('Role or ClusterRole.')),
  name: pb(3, str('Name of the referenced role.')),
}, { required: ['apiGroup', 'kind', 'name'], mapType: 'atomic' });

export const aggregationRule = obj(`${RBAC}.AggregationRule`, 'Which ClusterRoles to combine into a ClusterRole.', {
  clusterRoleSelectors: pb(1, arr(labelSelector, 'Selectors over ClusterRoles whose rules are added when any of them match.', { listType: 'atomic' })),
});

const rules = (description: string) => pb(2, arr(policyRule, description, { listType: 'atomic' }));
const subjects = () => pb(2, arr(subject, 'The users, groups and service accounts the role is granted to.', { listType: 'atomic' }));

export const role = kind(GROUP, 'v1', 'Role', RBAC, 'A namespaced set of PolicyRules that a RoleBinding can grant as a unit.', {
  rules: rules('The rules of this Role.'),
});

export const clusterRole = kind(GROUP, 'v1', 'ClusterRole', RBAC, 'A cluster-wide set of PolicyRules that a RoleBinding or ClusterRoleBinding can grant as a unit.', {
  aggregationRule: pb(3, ptr(described('When set, rules are filled in by a controller from the selected ClusterRoles, overwriting direct edits.', aggregationRule))),
  rules: rules('The rules of this ClusterRole.'),
});

export const roleBinding = kind(GROUP, 'v1', 'RoleBinding', RBAC, 'Grants a Role, or a ClusterRole, to subjects within the namespace of the binding.', {
  roleRef: pb(3, described('The Role in this namespace or the ClusterRole being granted; an unresolvable reference is an authorizer error.', roleRef)),
  subjects: subjects(),
}, { required: ['roleRef'] });

export const clusterRoleBinding = kind(GROUP, 'v1', 'ClusterRoleBinding', RBAC, 'Grants a ClusterRole to subjects across the whole cluster.', {
  roleRef: pb(3, described('The ClusterRole being granted; an unresolvable reference is an authorizer error.', roleRef)),
  subjects: subjects(),
}, { required: ['roleRef'] });
