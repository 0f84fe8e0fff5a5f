// admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding
// (k8s.io/api/admissionregistration/v1), as served by Kubernetes 1.33. Field numbers from generated.proto.
import { arr, described, int64, keyedList, obj, pb, ptr, str, type ObjectSchema } from '../../api/schema.js';
import { condition, kind, labelSelector } from './meta.js';

const ADMISSION = 'io.k8s.api.admissionregistration.v1';
const GROUP = 'admissionregistration.k8s.io';

const atomicStrings = (description: string) => arr(str(), description, { listType: 'atomic' });

/** NamedRuleWithOperations: resourceNames, then RuleWithOperations inline (field 2), which holds Rule inline (field 2). */
const namedRuleWithOperations: ObjectSchema = {
  ...obj(`${ADMISSION}.NamedRuleWithOperations`, 'Operations on resources, optionally limited to some object names.', {
    apiGroups: pb(1, atomicStrings('API groups of the resources; "*" is all groups.')),
    apiVersions: pb(2, atomicStrings('API versions of the resources; "*" is all versions.')),
    operations: pb(1, atomicStrings('CREATE, UPDATE, DELETE, CONNECT, or "*" for all.')),
    resourceNames: pb(1, atomicStrings('Names the rule is limited to; empty means every name.')),
    resources: pb(3, atomicStrings('Resources, "resource/subresource", "*" (resources), "pods/*", "*/scale" or "*/*".')),
    scope: pb(4, str('"Cluster", "Namespaced" or "*" (the default).')),
  }, { mapType: 'atomic' }),
  protoEmbedded: { pb: 2, properties: ['operations'], embedded: { pb: 2, properties: ['apiGroups', 'apiVersions', 'resources', 'scope'] } },
};

export const matchResources = obj(`${ADMISSION}.MatchResources`, 'Which requests a policy or binding applies to; exclude rules win over resource rules.', {
  excludeResourceRules: pb(4, arr(namedRuleWithOperations, 'Operations and resources the policy does not apply to.', { listType: 'atomic' })),
  matchPolicy: pb(7, ptr(str('Exact, or Equivalent (the default): also match the same resource through another group or version.'))),
  namespaceSelector: pb(1, ptr(described("Selects by the labels of the object's namespace (a Namespace's own labels); cluster-scoped objects always match.", labelSelector))),
  objectSelector: pb(2, ptr(described('Selects by the labels of the object or the old object.', labelSelector))),
  resourceRules: pb(3, arr(namedRuleWithOperations, 'Operations and resources the policy applies to.', { listType: 'atomic' })),
}, { mapType: 'atomic' });

const paramKind = obj(`${ADMISSION}.ParamKind`, 'The group version and kind of the parameter objects.', {
  apiVersion: pb(1, str('"group/version" of the parameter kind.')),
  kind: pb(2, str('Kind of the parameter objects.')),
}, { mapType: 'atomic' });

const validation = obj(`${ADMISSION}.Validation`, 'A CEL expression a request must satisfy.', {
  expression: pb(1, str('CEL expression evaluating to bool.')),
  message: pb(2, str('Message returned when the expression is false.')),
  messageExpression: pb(4, str('CEL expression evaluating to the failure message.')),
  reason: pb(3, ptr(str('Reason of the failure: Forbidden, Invalid (the default) or RequestEntityTooLarge.'))),
}, { required: ['expression'] });

const auditAnnotation = obj(`${ADMISSION}.AuditAnnotation`, 'An audit annotation produced by a CEL expression.', {
  key: pb(1, str('Key of the annotation, prefixed by the policy name.')),
  valueExpression: pb(2, str('CEL expression evaluating to the value (string or null).')),
}, { required: ['key', 'valueExpression'] });

const matchCondition = obj(`${ADMISSION}.MatchCondition`, 'A CEL condition a request must fulfil to be validated.', {
  expression: pb(2, str('CEL expression evaluating to bool.')),
  name: pb(1, str('Name of the condition.')),
}, { required: ['name', 'expression'] });

const variable = obj(`${ADMISSION}.Variable`, 'A named CEL expression, available to other expressions as variables.<name>.', {
  expression: pb(2, str('CEL expression giving the value.')),
  name: pb(1, str('Name of the variable, a CEL identifier.')),
}, { required: ['name', 'expression'], mapType: 'atomic' });

const policySpec = obj(`${ADMISSION}.ValidatingAdmissionPolicySpec`, 'What a ValidatingAdmissionPolicy checks, and on which requests.', {
  auditAnnotations: pb(5, arr(auditAnnotation, 'Audit annotations the policy produces.', { listType: 'atomic' })),
  failurePolicy: pb(4, ptr(str('Fail (the default) or Ignore: what errors and misconfigurations do.'))),
  matchConditions: pb(6, keyedList(matchCondition, 'name', 'Conditions a request must meet to be validated.', { listType: 'map', listMapKeys: ['name'] })),
  matchConstraints: pb(2, ptr(described('The resources the policy validates.', matchResources))),
  paramKind: pb(1, ptr(described('The kind of the parameter objects; none means no params.', paramKind))),
  validations: pb(3, arr(validation, 'The CEL validations.', { listType: 'atomic' })),
  variables: pb(7, keyedList(variable, 'name', 'Variables for the other expressions.', { listType: 'map', listMapKeys: ['name'] })),
});

const expressionWarning = obj(`${ADMISSION}.ExpressionWarning`, 'A type-checking warning about one expression.', {
  fieldRef: pb(2, str('Path of the field holding the expression.')),
  warning: pb(3, str('The warning text.')),
}, { required: ['fieldRef', 'warning'] });

const policyStatus = obj(`${ADMISSION}.ValidatingAdmissionPolicyStatus`, 'The observed state of a ValidatingAdmissionPolicy.', {
  conditions: pb(3, keyedList(condition, 'type', 'Conditions of the policy.', { listType: 'map', listMapKeys: ['type'] })),
  observedGeneration: pb(1, int64('The generation type checking last saw.')),
  typeChecking: pb(2, ptr(described('Results of type checking the expressions.', obj(`${ADMISSION}.TypeChecking`, 'Type-checking results.', {
    expressionWarnings: pb(1, arr(expressionWarning, 'Warnings, one per expression.', { listType: 'atomic' })),
  })))),
});

export const validatingAdmissionPolicy = kind(GROUP, 'v1', 'ValidatingAdmissionPolicy', ADMISSION, 'A set of CEL validations that admit or reject requests without changing them.', {
  spec: pb(2, described('What the policy checks.', policySpec)),
  status: pb(3, described('What the server has observed of the policy.', policyStatus)),
});

const paramRef = obj(`${ADMISSION}.ParamRef`, 'Where a binding finds its parameter objects.', {
  name: pb(1, str('Name of the parameter object.')),
  namespace: pb(2, str('Namespace of the parameter objects; unset: the namespace of the request.')),
  parameterNotFoundAction: pb(4, ptr(str('Allow or Deny: what happens when no parameter matches.'))),
  selector: pb(3, ptr(described('Selects parameter objects by label.', labelSelector))),
}, { mapType: 'atomic' });

const bindingSpec = obj(`${ADMISSION}.ValidatingAdmissionPolicyBindingSpec`, 'Which policy applies where, with which params and actions.', {
  matchResources: pb(3, ptr(described('Narrows the requests the policy validates through this binding.', matchResources))),
  paramRef: pb(2, ptr(described('The parameter objects.', paramRef))),
  policyName: pb(1, str('Name of the bound ValidatingAdmissionPolicy.')),
  validationActions: pb(4, arr(str(), 'Deny, Warn and/or Audit: what a failed validation does.', { listType: 'set' })),
});

export const validatingAdmissionPolicyBinding = kind(GROUP, 'v1', 'ValidatingAdmissionPolicyBinding', ADMISSION, 'Binds a ValidatingAdmissionPolicy to resources and parameters.', {
  spec: pb(2, described('The binding.', bindingSpec)),
});
