// authorization.k8s.io/v1 review kinds (k8s.io/api/authorization/v1), as served by Kubernetes 1.32.
import { arr, bool, described, mapOf, obj, pb, ptr, str } from '../../api/schema.js';
import { kind, labelSelectorRequirement } from './meta.js';

const AUTHZ = 'io.k8s.api.authorization.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const GROUP = 'authorization.k8s.io';

/** meta/v1 FieldSelectorRequirement (added in 1.31), used by selector-limited access checks. */
export const fieldSelectorRequirement = obj(`${META}.FieldSelectorRequirement`, 'A field selector requirement: a key, an operator and values.', {
  key: pb(1, str('The field selector key the requirement applies to.')),
  operator: pb(2, str('In, NotIn, Exists or DoesNotExist; more may be added.')),
  values: pb(3, arr(str(), 'Values for In and NotIn; empty for Exists and DoesNotExist.', { listType: 'atomic' })),
}, { required: ['key', 'operator'] });

export const fieldSelectorAttributes = obj(`${AUTHZ}.FieldSelectorAttributes`, 'A field selector limiting the access asked about; set rawSelector or requirements, not both.', {
  rawSelector: pb(1, str('The field selector as it would appear in a query parameter.')),
  requirements: pb(2, arr(fieldSelectorRequirement, 'The parsed selector; all requirements must hold.', { listType: 'atomic' })),
});

export const labelSelectorAttributes = obj(`${AUTHZ}.LabelSelectorAttributes`, 'A label selector limiting the access asked about; set rawSelector or requirements, not both.', {
  rawSelector: pb(1, str('The label selector as it would appear in a query parameter.')),
  requirements: pb(2, arr(labelSelectorRequirement, 'The parsed selector; all requirements must hold.', { listType: 'atomic' })),
});

export const resourceAttributes = obj(`${AUTHZ}.ResourceAttributes`, 'The attributes of a resource request, as the authorizer sees them.', {
  fieldSelector: pb(8, ptr(described('Limits the access asked about by field; it can only narrow it (beta, AuthorizeWithSelectors).', fieldSelectorAttributes))),
  group: pb(3, str('API group of the resource; "*" means all.')),
  labelSelector: pb(9, ptr(described('Limits the access asked about by label; it can only narrow it (beta, AuthorizeWithSelectors).', labelSelectorAttributes))),
  name: pb(7, str('Name of the object for get, update or delete; empty means all.')),
  namespace: pb(1, str('Namespace of the action; empty means all namespaces for namespaced resources.')),
  resource: pb(5, str('The resource type; "*" means all.')),
  subresource: pb(6, str('The subresource; empty means none.')),
  verb: pb(2, str('API verb such as get, list, watch, create, update or delete; "*" means all.')),
  version: pb(4, str('API version of the resource; "*" means all.')),
});

export const nonResourceAttributes = obj(`${AUTHZ}.NonResourceAttributes`, 'The attributes of a non-resource request, as the authorizer sees them.', {
  path: pb(1, str('URL path of the request.')),
  verb: pb(2, str('HTTP verb of the request, in lower case.')),
});

export const subjectAccessReviewSpec = obj(`${AUTHZ}.SubjectAccessReviewSpec`, 'The access to check and the user to check it for; set exactly one of resourceAttributes and nonResourceAttributes.', {
  extra: pb(5, mapOf(arr(str()), 'Additional user information from the authenticator, as user.Info reports it.')),
  groups: pb(4, arr(str(), 'Groups to check for.', { listType: 'atomic' })),
  nonResourceAttributes: pb(2, ptr(described('The non-resource request to check.', nonResourceAttributes))),
  resourceAttributes: pb(1, ptr(described('The resource request to check.', resourceAttributes))),
  uid: pb(6, str('UID of the user to check for.')),
  user: pb(3, str('User to check for; without groups, as if the user were in no group.')),
});

export const subjectAccessReviewStatus = obj(`${AUTHZ}.SubjectAccessReviewStatus`, 'The decision on an access check.', {
  allowed: pb(1, bool('Whether the action would be allowed.')),
  denied: pb(4, bool('Whether the action would be explicitly denied; never true together with allowed.')),
  evaluationError: pb(3, str('An error met while checking, which need not prevent a decision.')),
  reason: pb(2, str('Why the request was allowed or denied.')),
}, { required: ['allowed'] });

export const selfSubjectAccessReviewSpec = obj(`${AUTHZ}.SelfSubjectAccessReviewSpec`, 'The access to check for the requesting user; set exactly one of resourceAttributes and nonResourceAttributes.', {
  nonResourceAttributes: pb(2, ptr(described('The non-resource request to check.', nonResourceAttributes))),
  resourceAttributes: pb(1, ptr(described('The resource request to check.', resourceAttributes))),
});

export const resourceRule = obj(`${AUTHZ}.ResourceRule`, 'Actions allowed on resources; the list may repeat itself and be incomplete.', {
  apiGroups: pb(2, arr(str(), 'API groups holding the resources; "*" means all.', { listType: 'atomic' })),
  resourceNames: pb(4, arr(str(), 'Names the rule is limited to; empty or "*" means all.', { listType: 'atomic' })),
  resources: pb(3, arr(str(), 'Resources the rule applies to; "*" means all, "*/foo" the subresource foo of all.', { listType: 'atomic' })),
  verbs: pb(1, arr(str(), 'Allowed API verbs; "*" means all.', { listType: 'atomic' })),
}, { required: ['verbs'] });

export const nonResourceRule = obj(`${AUTHZ}.NonResourceRule`, 'Actions allowed on non-resource URLs.', {
  nonResourceURLs: pb(2, arr(str(), 'Partial URLs allowed, "*" only as the whole last segment.', { listType: 'atomic' })),
  verbs: pb(1, arr(str(), 'Allowed HTTP verbs in lower case; "*" means all.', { listType: 'atomic' })),
}, { required: ['verbs'] });

export const selfSubjectRulesReviewSpec = obj(`${AUTHZ}.SelfSubjectRulesReviewSpec`, 'Where to list the rules of the requesting user.', {
  namespace: pb(1, str('Namespace to evaluate the rules in.')),
});

export const subjectRulesReviewStatus = obj(`${AUTHZ}.SubjectRulesReviewStatus`, 'The rules a subject holds, possibly incomplete; a listed rule is always a real permission.', {
  evaluationError: pb(4, str('An error met while evaluating the rules, meaning they may be incomplete.')),
  incomplete: pb(3, bool('Whether the returned rules are incomplete, e.g. because an authorizer cannot list rules.')),
  nonResourceRules: pb(2, arr(nonResourceRule, 'Actions allowed on non-resource URLs.', { listType: 'atomic' })),
  resourceRules: pb(1, arr(resourceRule, 'Actions allowed on resources.', { listType: 'atomic' })),
}, { required: ['resourceRules', 'nonResourceRules', 'incomplete'] });

export const subjectAccessReview = kind(GROUP, 'v1', 'SubjectAccessReview', AUTHZ, 'Checks whether a user or group can perform an action.', {
  spec: pb(2, described('The access check being asked for.', subjectAccessReviewSpec)),
  status: pb(3, described('The decision, filled in by the server.', subjectAccessReviewStatus)),
}, { required: ['spec'] });

export const selfSubjectAccessReview = kind(GROUP, 'v1', 'SelfSubjectAccessReview', AUTHZ, 'Checks whether the requesting user can perform an action; no namespace means all namespaces.', {
  spec: pb(2, described('The access check being asked for; user and groups must be empty.', selfSubjectAccessReviewSpec)),
  status: pb(3, described('The decision, filled in by the server.', subjectAccessReviewStatus)),
}, { required: ['spec'] });

export const localSubjectAccessReview = kind(GROUP, 'v1', 'LocalSubjectAccessReview', AUTHZ, 'Checks whether a user or group can perform an action in one namespace.', {
  spec: pb(2, described('The access check being asked for; its namespace must be that of the request, and is defaulted to it.', subjectAccessReviewSpec)),
  status: pb(3, described('The decision, filled in by the server.', subjectAccessReviewStatus)),
}, { required: ['spec'] });

export const selfSubjectRulesReview = kind(GROUP, 'v1', 'SelfSubjectRulesReview', AUTHZ, 'Lists what the requesting user may do in a namespace; for user interfaces, not for authorization decisions.', {
  spec: pb(2, described('The namespace to evaluate.', selfSubjectRulesReviewSpec)),
  status: pb(3, described('The rules found, filled in by the server.', subjectRulesReviewStatus)),
}, { required: ['spec'] });
