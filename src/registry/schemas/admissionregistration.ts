// admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding,
// ValidatingWebhookConfiguration and MutatingWebhookConfiguration
// (k8s.io/api/admissionregistration/v1), as served by Kubernetes 1.33. Field numbers from generated.proto.
import { arr, bytes, described, int32, int64, keyedList, obj, pb, ptr, str, type ObjectSchema } from '../../api/schema.js';
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

// ValidatingWebhookConfiguration and MutatingWebhookConfiguration.

/** RuleWithOperations: operations, then Rule inline (field 2). */
const ruleWithOperations: ObjectSchema = {
  ...obj(`${ADMISSION}.RuleWithOperations`, 'Operations on resources.', {
    apiGroups: pb(1, atomicStrings('API groups of the resources; "*" is all groups.')),
    apiVersions: pb(2, atomicStrings('API versions of the resources; "*" is all versions.')),
    operations: pb(1, atomicStrings('CREATE, UPDATE, DELETE, CONNECT, or "*" for all.')),
    resources: pb(3, atomicStrings('Resources, "resource/subresource", "*" (resources), "pods/*", "*/scale" or "*/*".')),
    scope: pb(4, ptr(str('"Cluster", "Namespaced" or "*" (the default).'))),
  }),
  protoEmbedded: { pb: 2, properties: ['apiGroups', 'apiVersions', 'resources', 'scope'] },
};

const serviceReference = obj(`${ADMISSION}.ServiceReference`, 'A Service the webhook is reached through.', {
  name: pb(2, str('The name of the Service.')),
  namespace: pb(1, str('The namespace of the Service.')),
  path: pb(3, ptr(str('The URL path requests are sent to.'))),
  port: pb(4, ptr(int32('The port of the Service (443 when unset).'))),
}, { required: ['namespace', 'name'] });

const webhookClientConfig = obj(`${ADMISSION}.WebhookClientConfig`, 'How the webhook is reached: a URL or a Service.', {
  caBundle: pb(2, bytes("PEM certificates that sign the webhook's serving certificate; the system roots when empty.")),
  service: pb(1, ptr(described('The Service, when no URL is given.', serviceReference))),
  url: pb(3, ptr(str('The https URL, when no Service is given.'))),
});

/** The fields validating and mutating webhooks share, with their numbers (objectSelector and matchConditions differ). */
function webhookFields(objectSelectorPb: number, matchConditionsPb: number) {
  return {
    admissionReviewVersions: pb(8, atomicStrings('The AdmissionReview versions the webhook understands, preferred first.')),
    clientConfig: pb(2, described('How the webhook is reached.', webhookClientConfig)),
    failurePolicy: pb(4, ptr(str('Fail (the default) or Ignore: what a failed call does.'))),
    matchConditions: pb(matchConditionsPb, keyedList(matchCondition, 'name', 'CEL conditions a request must meet to be sent to the webhook.', { listType: 'map', listMapKeys: ['name'] })),
    matchPolicy: pb(9, ptr(str('Exact, or Equivalent (the default): also match the same resource through another version.'))),
    name: pb(1, str('The fully qualified name of the webhook.')),
    namespaceSelector: pb(5, ptr(described("Selects by the labels of the object's namespace (a Namespace's own labels).", labelSelector))),
    objectSelector: pb(objectSelectorPb, ptr(described('Selects by the labels of the object or the old object.', labelSelector))),
    rules: pb(3, arr(ruleWithOperations, 'The operations and resources the webhook is called for.', { listType: 'atomic' })),
    sideEffects: pb(6, ptr(str('None or NoneOnDryRun (Some and Unknown from v1beta1): whether calling it has side effects.'))),
    timeoutSeconds: pb(7, ptr(int32('Seconds a call may take, 1 to 30 (10 by default).'))),
  };
}

const validatingWebhook = obj(`${ADMISSION}.ValidatingWebhook`, 'An admission webhook that may reject requests.', webhookFields(10, 11), {
  required: ['name', 'clientConfig', 'sideEffects', 'admissionReviewVersions'],
});

const mutatingWebhook = obj(`${ADMISSION}.MutatingWebhook`, 'An admission webhook that may change or reject requests.', {
  ...webhookFields(11, 12),
  reinvocationPolicy: pb(10, ptr(str('Never (the default) or IfNeeded: call again when later admission changed the object.'))),
}, { required: ['name', 'clientConfig', 'sideEffects', 'admissionReviewVersions'] });

export const validatingWebhookConfiguration = kind(GROUP, 'v1', 'ValidatingWebhookConfiguration', ADMISSION, 'Admission webhooks that accept or reject objects without changing them.', {
  webhooks: pb(2, keyedList(validatingWebhook, 'name', 'The webhooks, each with the requests it is called for.', { listType: 'map', listMapKeys: ['name'] })),
});

export const mutatingWebhookConfiguration = kind(GROUP, 'v1', 'MutatingWebhookConfiguration', ADMISSION, 'Admission webhooks that accept or reject and may change objects.', {
  webhooks: pb(2, keyedList(mutatingWebhook, 'name', 'The webhooks, called in order, each with the requests it is called for.', { listType: 'map', listMapKeys: ['name'] })),
});
