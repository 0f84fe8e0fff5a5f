// Validation of ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding, in the words and order of
// kubernetes pkg/apis/admissionregistration/validation/validation.go (1.33). Expressions compile with the
// admission CEL declarations (admission/validating-policy-compile.ts).
import { duplicate, forbidden, invalid, notSupported, required, tooMany, type FieldError } from '../../api/field-errors.js';
import { validateLabelSelectorObject, type LabelSelectorObject } from '../../api/labels.js';
import { isDNS1035Label, isDNS1123Subdomain, isQualifiedName, validateName } from '../../api/validation.js';
import { compilePolicy, type CompiledExpression } from '../../admission/validating-policy-compile.js';
import type { BindingSpec, MatchResources, NamedRule, PolicySpec } from '../../admission/validating-policy-types.js';

const FAILURE_POLICIES = ['Fail', 'Ignore'];
const MATCH_POLICIES = ['Equivalent', 'Exact'];
const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
const SCOPES = ['*', 'Cluster', 'Namespaced'];
const REASONS = ['Forbidden', 'Invalid', 'RequestEntityTooLarge'];
const ACTIONS = ['Audit', 'Deny', 'Warn'];
const MAX_AUDIT_ANNOTATIONS = 20;
const MAX_VALUE_EXPRESSION_LENGTH = 5 * 1024;
const MAX_MATCH_CONDITIONS = 64;
const CEL_RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

/** Go's %#v of a slice of a named string type. */
const goSlice = (type: string, items: readonly string[]) => ({ goString: () => `[]${type}{${items.map((x) => JSON.stringify(x)).join(', ')}}` });

const hasWildcard = (list: readonly string[]) => list.includes('*');

/** validateResources: subresources and wildcards that do not overlap. */
function validateResources(resources: string[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!resources.length) errs.push(required(path));
  const withWildcardSub = new Set<string>();
  const subWithWildcardRes = new Set<string>();
  let doubleWildcard = false;
  let singleWildcard = false;
  let withoutSub = false;
  resources.forEach((rs, i) => {
    if (rs === '') return void errs.push(required(`${path}[${i}]`));
    if (rs === '*/*') doubleWildcard = true;
    if (rs === '*') singleWildcard = true;
    const slash = rs.indexOf('/');
    if (slash < 0) return void (withoutSub = rs !== '*');
    const [res, sub] = [rs.slice(0, slash), rs.slice(slash + 1)];
    if (withWildcardSub.has(res)) errs.push(invalid(`${path}[${i}]`, rs, `if '${res}/*' is present, must not specify ${rs}`));
    if (subWithWildcardRes.has(sub)) errs.push(invalid(`${path}[${i}]`, rs, `if '*/${sub}' is present, must not specify ${rs}`));
    if (sub === '*') withWildcardSub.add(res);
    if (res === '*') subWithWildcardRes.add(sub);
  });
  if (resources.length > 1 && doubleWildcard) errs.push(invalid(path, resources, "if '*/*' is present, must not specify other resources"));
  if (singleWildcard && withoutSub) errs.push(invalid(path, resources, "if '*' is present, must not specify other resources without subresources"));
  return errs;
}

/** validateNamedRuleWithOperations (resourceNames, then validateRuleWithOperations and validateRule); webhooks' rules have no resourceNames. */
export function validateRule(r: NamedRule, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (r.resourceNames ?? []).forEach((n, i) => {
    for (const msg of validateName(n, 'path-segment', false)) errs.push(invalid(`${path}.resourceNames[${i}]`, n, msg));
    if (names.has(n)) errs.push(duplicate(`${path}.resourceNames[${i}]`, n));
    names.add(n);
  });
  const ops = r.operations ?? [];
  if (!ops.length) errs.push(required(`${path}.operations`));
  if (ops.length > 1 && hasWildcard(ops)) errs.push(invalid(`${path}.operations`, goSlice('admissionregistration.OperationType', ops), "if '*' is present, must not specify other operations"));
  ops.forEach((op, i) => {
    if (!OPERATIONS.includes(op)) errs.push(notSupported(`${path}.operations[${i}]`, op, OPERATIONS));
  });
  const groups = r.apiGroups ?? [];
  if (!groups.length) errs.push(required(`${path}.apiGroups`));
  if (groups.length > 1 && hasWildcard(groups)) errs.push(invalid(`${path}.apiGroups`, groups, "if '*' is present, must not specify other API groups"));
  const versions = r.apiVersions ?? [];
  if (!versions.length) errs.push(required(`${path}.apiVersions`));
  if (versions.length > 1 && hasWildcard(versions)) errs.push(invalid(`${path}.apiVersions`, versions, "if '*' is present, must not specify other API versions"));
  versions.forEach((v, i) => {
    if (v === '') errs.push(required(`${path}.apiVersions[${i}]`));
  });
  errs.push(...validateResources(r.resources ?? [], `${path}.resources`));
  if (r.scope !== undefined && r.scope !== null && !SCOPES.includes(r.scope)) errs.push(notSupported(`${path}.scope`, r.scope, SCOPES));
  return errs;
}

function validateMatchResources(m: MatchResources | undefined, path: string): FieldError[] {
  if (!m) return [];
  const errs: FieldError[] = [];
  if (m.matchPolicy === undefined) errs.push(required(`${path}.matchPolicy`));
  else if (!MATCH_POLICIES.includes(m.matchPolicy)) errs.push(notSupported(`${path}.matchPolicy`, m.matchPolicy, MATCH_POLICIES));
  for (const s of ['namespaceSelector', 'objectSelector'] as const) {
    if (!m[s]) errs.push(required(`${path}.${s}`));
    else errs.push(...validateLabelSelectorObject(m[s] as LabelSelectorObject, `${path}.${s}`));
  }
  (m.resourceRules ?? []).forEach((r, i) => errs.push(...validateRule(r, `${path}.resourceRules[${i}]`)));
  (m.excludeResourceRules ?? []).forEach((r, i) => errs.push(...validateRule(r, `${path}.excludeResourceRules[${i}]`)));
  return errs;
}

function validateParamKind(pk: { apiVersion?: string; kind?: string }, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const av = pk.apiVersion ?? '';
  if (!av) errs.push(required(`${path}.apiVersion`));
  else if ((av.match(/\//g) ?? []).length > 1) errs.push(invalid(`${path}.apiVersion`, av, `unexpected GroupVersion string: ${av}`));
  else if (av !== '/') {
    const [group, version] = av.includes('/') ? [av.slice(0, av.indexOf('/')), av.slice(av.indexOf('/') + 1)] : ['', av];
    const groupErrs = group ? isDNS1123Subdomain(group) : [];
    if (groupErrs.length) errs.push(invalid(`${path}.apiVersion`, group, groupErrs.join(',')));
    if (!version) errs.push(invalid(`${path}.apiVersion`, av, 'version must be specified'));
    else if (isDNS1035Label(version).length) errs.push(invalid(`${path}.apiVersion`, version, isDNS1035Label(version).join(',')));
  } else errs.push(invalid(`${path}.apiVersion`, av, 'version must be specified'));
  const kind = pk.kind ?? '';
  if (!kind) errs.push(required(`${path}.kind`));
  else if (isDNS1035Label(kind.toLowerCase()).length) errs.push(invalid(`${path}.kind`, kind, `may have mixed case, but should otherwise match: ${isDNS1035Label(kind.toLowerCase()).join(',')}`));
  return errs;
}

const compileError = (c: CompiledExpression, value: string): FieldError[] => ('error' in c.result ? [invalid(c.path, value, c.result.error)] : []);

const qualifiedName = (value: string, path: string) => isQualifiedName(value).map((msg) => invalid(path, value, msg));

const hasNewlines = (s: string) => /[\n\r]/.test(s);

/** ValidateValidatingAdmissionPolicy (and …Update: unchanged paramKind and matchConditions are not checked again). */
export function validatePolicySpec(name: string, spec: PolicySpec, old?: PolicySpec): FieldError[] {
  const errs: FieldError[] = [];
  const compiled = compilePolicy(spec);
  if (spec.failurePolicy === undefined) errs.push(required('spec.failurePolicy'));
  else if (!FAILURE_POLICIES.includes(spec.failurePolicy)) errs.push(notSupported('spec.failurePolicy', spec.failurePolicy, FAILURE_POLICIES));
  if (spec.paramKind) errs.push(...validateParamKind(spec.paramKind, 'spec.paramKind'));
  if (!spec.matchConstraints) errs.push(required('spec.matchConstraints'));
  else {
    errs.push(...validateMatchResources(spec.matchConstraints, 'spec.matchConstraints'));
    if (!spec.matchConstraints.resourceRules?.length) errs.push(required('spec.matchConstraints.resourceRules'));
  }
  const unchanged = old && JSON.stringify(old.paramKind) === JSON.stringify(spec.paramKind) && JSON.stringify(old.matchConditions) === JSON.stringify(spec.matchConditions);
  if (!unchanged) errs.push(...validateMatchConditions(spec.matchConditions ?? [], compiled.matchConditions, 'spec.matchConditions'));
  (spec.variables ?? []).forEach((v, i) => {
    const path = `spec.variables[${i}]`;
    if (!v.name?.trim()) errs.push(required(`${path}.name`, 'name is not specified'));
    else if (!/^[_a-zA-Z][_a-zA-Z0-9]*$/.test(v.name) || CEL_RESERVED.has(v.name)) errs.push(invalid(`${path}.name`, v.name, 'name is not a valid CEL identifier'));
    if (!v.expression?.trim()) errs.push(required(`${path}.expression`, 'expression is not specified'));
    else errs.push(...compileError(compiled.variables[i]!, v.expression));
  });
  if (!spec.validations?.length && !spec.auditAnnotations?.length) {
    errs.push(required('spec.validations', 'validations or auditAnnotations must contain at least one item'));
    errs.push(required('spec.auditAnnotations', 'validations or auditAnnotations must contain at least one item'));
    return errs;
  }
  (spec.validations ?? []).forEach((v, i) => errs.push(...validateValidation(v, compiled.validations[i]!, `spec.validations[${i}]`)));
  if (spec.auditAnnotations) {
    if (spec.auditAnnotations.length > MAX_AUDIT_ANNOTATIONS) {
      errs.push(invalid('spec.auditAnnotations', { goString: () => '[]admissionregistration.AuditAnnotation{…}' }, `must not have more than ${MAX_AUDIT_ANNOTATIONS} auditAnnotations`));
    }
    const keys = new Set<string>();
    spec.auditAnnotations.forEach((a, i) => {
      const path = `spec.auditAnnotations[${i}]`;
      const key = a.key ?? '';
      if (name) errs.push(...qualifiedName(`${name}/${key}`, `${path}.key`));
      else errs.push(invalid(`${path}.key`, key, 'requires metadata.name be non-empty'));
      const value = (a.valueExpression ?? '').trim();
      if (!value) errs.push(required(`${path}.valueExpression`, 'valueExpression is not specified'));
      else if (value.length > MAX_VALUE_EXPRESSION_LENGTH) errs.push(required(`${path}.valueExpression`, `must not exceed ${MAX_VALUE_EXPRESSION_LENGTH} bytes in length`));
      else errs.push(...compileError(compiled.auditAnnotations[i]!, a.valueExpression ?? ''));
      if (keys.has(key)) errs.push(duplicate(`${path}.key`, key));
      keys.add(key);
    });
  }
  return errs;
}

/** validateMatchConditions (policies' and webhooks'): at most 64, each compiled, names qualified and unique. */
export function validateMatchConditions(conditions: { name?: string; expression?: string }[], compiled: CompiledExpression[], at: string): FieldError[] {
  const errs: FieldError[] = [];
  if (conditions.length > MAX_MATCH_CONDITIONS) errs.push(tooMany(at, conditions.length, MAX_MATCH_CONDITIONS));
  const names = new Set<string>();
  conditions.forEach((m, i) => {
    const path = `${at}[${i}]`;
    if (!m.expression?.trim()) errs.push(required(`${path}.expression`));
    else errs.push(...compileError(compiled[i]!, m.expression.trim()));
    if (!m.name) errs.push(required(`${path}.name`));
    else errs.push(...qualifiedName(m.name, `${path}.name`));
    if (m.name) {
      if (names.has(m.name)) errs.push(duplicate(`${path}.name`, m.name));
      names.add(m.name);
    }
  });
  return errs;
}

function validateValidation(v: NonNullable<PolicySpec['validations']>[number], compiled: { expression: CompiledExpression; message?: CompiledExpression }, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!v.expression?.trim()) errs.push(required(`${path}.expression`, 'expression is not specified'));
  else errs.push(...compileError(compiled.expression, v.expression));
  const me = v.messageExpression ?? '';
  if (me.length > 0 && !me.trim()) errs.push(invalid(`${path}.messageExpression`, me, 'must be non-empty if specified'));
  else if (compiled.message) errs.push(...compileError(compiled.message, me));
  const msg = v.message ?? '';
  if (msg.length > 0 && !msg.trim()) errs.push(invalid(`${path}.message`, msg, 'message must be non-empty if specified'));
  else if (hasNewlines(msg.trim())) errs.push(invalid(`${path}.message`, msg, 'message must not contain line breaks'));
  if (v.reason !== undefined && v.reason !== null && !REASONS.includes(v.reason)) errs.push(notSupported(`${path}.reason`, v.reason, REASONS));
  return errs;
}

/** ValidateValidatingAdmissionPolicyBinding (matchResources at kube-apiserver's misspelt `matchResouces`). */
export function validateBindingSpec(spec: BindingSpec): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec.policyName) errs.push(required('spec.policyName'));
  else for (const msg of isDNS1123Subdomain(spec.policyName)) errs.push(invalid('spec.policyName', spec.policyName, msg));
  const pr = spec.paramRef;
  if (pr) {
    if (pr.name) {
      for (const msg of validateName(pr.name, 'path-segment', false)) errs.push(invalid('spec.paramRef.name', pr.name, msg));
      if (pr.selector) errs.push(forbidden('spec.paramRef.name', 'name and selector are mutually exclusive'));
    }
    if (pr.selector) {
      errs.push(...validateLabelSelectorObject(pr.selector as LabelSelectorObject, 'spec.paramRef.selector'));
      if (pr.name) errs.push(forbidden('spec.paramRef.selector', 'name and selector are mutually exclusive'));
    }
    if (!pr.name && !pr.selector) errs.push(required('spec.paramRef', 'one of name or selector must be specified'));
    if (!pr.parameterNotFoundAction) errs.push(required('spec.paramRef.parameterNotFoundAction'));
    else if (pr.parameterNotFoundAction !== 'Deny' && pr.parameterNotFoundAction !== 'Allow') {
      errs.push(notSupported('spec.paramRef.parameterNotFoundAction', pr.parameterNotFoundAction, ['Deny', 'Allow']));
    }
  }
  errs.push(...validateMatchResources(spec.matchResources, 'spec.matchResouces'));
  const actions = spec.validationActions ?? [];
  const seen = new Set<string>();
  actions.forEach((a, i) => {
    if (!ACTIONS.includes(a)) errs.push(notSupported(`spec.validationActions[${i}]`, a, ACTIONS));
    if (seen.has(a)) errs.push(duplicate(`spec.validationActions[${i}]`, a));
    seen.add(a);
  });
  if (seen.has('Deny') && seen.has('Warn')) {
    errs.push(invalid('spec.validationActions', goSlice('admissionregistration.ValidationAction', actions), 'must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)'));
  }
  if (!seen.size) errs.push(required('spec.validationActions', 'at least one validation action is required'));
  return errs;
}
