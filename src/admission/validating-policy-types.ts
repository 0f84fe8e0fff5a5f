// The shapes of admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding
// that the registry (defaults, validation) and the admission plugin read.
import type { LabelSelectorObject } from '../api/labels.js';
import type { KubeObject } from '../api/meta.js';

export interface NamedRule {
  resourceNames?: string[];
  operations?: string[];
  apiGroups?: string[];
  apiVersions?: string[];
  resources?: string[];
  scope?: string;
}

export interface MatchResources {
  namespaceSelector?: LabelSelectorObject;
  objectSelector?: LabelSelectorObject;
  resourceRules?: NamedRule[];
  excludeResourceRules?: NamedRule[];
  matchPolicy?: string;
}

export interface PolicySpec {
  paramKind?: { apiVersion?: string; kind?: string };
  matchConstraints?: MatchResources;
  validations?: { expression?: string; message?: string; messageExpression?: string; reason?: string }[];
  failurePolicy?: string;
  auditAnnotations?: { key?: string; valueExpression?: string }[];
  matchConditions?: { name?: string; expression?: string }[];
  variables?: { name?: string; expression?: string }[];
}

export interface ParamRef {
  name?: string;
  namespace?: string;
  selector?: LabelSelectorObject;
  parameterNotFoundAction?: string;
}

export interface BindingSpec {
  policyName?: string;
  paramRef?: ParamRef;
  matchResources?: MatchResources;
  validationActions?: string[];
}

export type Policy = KubeObject & { spec?: PolicySpec };
export type Binding = KubeObject & { spec?: BindingSpec };

/** SetDefaults_MatchResources and SetDefaults_Rule (v1): Equivalent, empty selectors, scope "*". */
export function defaultMatchResources(m: MatchResources): void {
  m.matchPolicy ??= 'Equivalent';
  m.namespaceSelector ??= {};
  m.objectSelector ??= {};
  for (const r of [...(m.resourceRules ?? []), ...(m.excludeResourceRules ?? [])]) r.scope ??= '*';
}
