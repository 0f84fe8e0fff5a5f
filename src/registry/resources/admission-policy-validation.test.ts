import assert from 'node:assert/strict';
import { it } from 'node:test';
import { errorText } from '../../api/field-errors.js';
import { validateBindingSpec, validatePolicySpec } from './admission-policy-validation.js';

const texts = (errs: Parameters<typeof errorText>[0][]) => errs.map(errorText);
const rules = { matchPolicy: 'Equivalent', namespaceSelector: {}, objectSelector: {}, resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'], scope: '*' }] };

it('policies: kube-apiserver texts, compile errors at their fields', () => {
  assert.deepEqual(texts(validatePolicySpec('p', { failurePolicy: 'Fail', matchConstraints: rules })), [
    'spec.validations: Required value: validations or auditAnnotations must contain at least one item',
    'spec.auditAnnotations: Required value: validations or auditAnnotations must contain at least one item',
  ]);
  const errs = validatePolicySpec('p', {
    failurePolicy: 'Sometimes',
    matchConstraints: { ...rules, resourceRules: [{ apiGroups: ['*', 'apps'], apiVersions: ['v1'], operations: ['CREATE', '*'], resources: ['*', 'pods'], scope: 'Galaxy' }] },
    matchConditions: [{ name: 'a', expression: 'object.x' }, { name: 'a', expression: 'true' }],
    variables: [{ name: 'in', expression: 'variables.later' }],
    validations: [{ expression: 'params.x', message: 'one\ntwo', messageExpression: '1' }],
    auditAnnotations: [{ key: 'k', valueExpression: '1' }],
  });
  assert.deepEqual(texts(errs), [
    'spec.failurePolicy: Unsupported value: "Sometimes": supported values: "Fail", "Ignore"',
    `spec.matchConstraints.resourceRules[0].operations: Invalid value: []admissionregistration.OperationType{"CREATE", "*"}: if '*' is present, must not specify other operations`,
    `spec.matchConstraints.resourceRules[0].apiGroups: Invalid value: []string{"*", "apps"}: if '*' is present, must not specify other API groups`,
    `spec.matchConstraints.resourceRules[0].resources: Invalid value: []string{"*", "pods"}: if '*' is present, must not specify other resources without subresources`,
    'spec.matchConstraints.resourceRules[0].scope: Unsupported value: "Galaxy": supported values: "*", "Cluster", "Namespaced"',
    'spec.matchConditions[0].expression: Invalid value: "object.x": must evaluate to bool but got dyn',
    'spec.matchConditions[1].name: Duplicate value: "a"',
    'spec.variables[0].name: Invalid value: "in": name is not a valid CEL identifier',
    "spec.variables[0].expression: Invalid value: \"variables.later\": compilation failed: ERROR: <input>:1:10: undefined field 'later'\n | variables.later\n | .........^",
    "spec.validations[0].expression: Invalid value: \"params.x\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'params' (in container '')\n | params.x\n | ^",
    'spec.validations[0].messageExpression: Invalid value: "1": must evaluate to string but got int',
    'spec.validations[0].message: Invalid value: "one\\ntwo": message must not contain line breaks',
    'spec.auditAnnotations[0].valueExpression: Invalid value: "1": must evaluate to one of [string null_type] but got int',
  ]);
});

it('bindings: actions, paramRef, the misspelt matchResouces path', () => {
  assert.deepEqual(texts(validateBindingSpec({ policyName: 'p', validationActions: ['Deny', 'Warn', 'Warn', 'Shout'] })), [
    'spec.validationActions[2]: Duplicate value: "Warn"',
    'spec.validationActions[3]: Unsupported value: "Shout": supported values: "Audit", "Deny", "Warn"',
    'spec.validationActions: Invalid value: []admissionregistration.ValidationAction{"Deny", "Warn", "Warn", "Shout"}: must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)',
  ]);
  assert.deepEqual(texts(validateBindingSpec({ policyName: 'p', paramRef: { name: 'a', selector: {}, parameterNotFoundAction: 'Maybe' }, matchResources: { ...rules, matchPolicy: 'Fuzzy' }, validationActions: [] })), [
    'spec.paramRef.name: Forbidden: name and selector are mutually exclusive',
    'spec.paramRef.selector: Forbidden: name and selector are mutually exclusive',
    'spec.paramRef.parameterNotFoundAction: Unsupported value: "Maybe": supported values: "Deny", "Allow"',
    'spec.matchResouces.matchPolicy: Unsupported value: "Fuzzy": supported values: "Equivalent", "Exact"',
    'spec.validationActions: Required value: at least one validation action is required',
  ]);
});
