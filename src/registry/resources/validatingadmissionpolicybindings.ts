// admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding (pkg/registry/admissionregistration/
// validatingadmissionpolicybinding): cluster-scoped, v1 defaults (matchResources, parameterNotFoundAction Deny).
import type { KubeObject } from '../../api/meta.js';
import { age } from '../../api/duration.js';
import type { LabelSelectorObject } from '../../api/labels.js';
import { defaultMatchResources, type BindingSpec } from '../../admission/validating-policy-types.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import { specOf } from '../narrow.js';
import type { ResourceDef } from '../resource.js';
import { validatingAdmissionPolicyBinding } from '../schemas/admissionregistration.js';
import { validateBindingSpec } from './admission-policy-validation.js';

function defaults(o: KubeObject): void {
  if (!o.spec) return;
  const spec = specOf<BindingSpec>(o);
  if (spec.matchResources) defaultMatchResources(spec.matchResources);
  if (spec.paramRef) spec.paramRef.parameterNotFoundAction ??= 'Deny';
}

/** The generated String() of a metav1.LabelSelector. */
function selectorString(sel: LabelSelectorObject): string {
  const labels = Object.keys(sel.matchLabels ?? {}).sort().map((k) => `${k}: ${sel.matchLabels![k]},`).join('');
  const exprs = (sel.matchExpressions ?? []).map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}

/** printValidatingAdmissionPolicyBinding's ParamRef: namespace/name ("*" for no namespace), or the selector as Go prints it. */
function paramRefCell(spec: BindingSpec): string {
  const pr = spec.paramRef;
  if (!pr) return '<unset>';
  if (pr.name) return `${pr.namespace || '*'}/${pr.name}`;
  return pr.selector ? selectorString(pr.selector) : '<unset>';
}

export const validatingAdmissionPolicyBindings: ResourceDef = {
  group: 'admissionregistration.k8s.io',
  version: 'v1',
  kind: 'ValidatingAdmissionPolicyBinding',
  resource: 'validatingadmissionpolicybindings',
  singular: 'validatingadmissionpolicybinding',
  categories: ['api-extensions'],
  namespaced: false,
  schema: validatingAdmissionPolicyBinding,
  hasGeneration: true,
  defaults,
  validate: (o) => validateBindingSpec(specOf<BindingSpec>(o)),
  validateUpdate: (o) => validateBindingSpec(specOf<BindingSpec>(o)),
  table: {
    columns: [
      nameColumn,
      column('PolicyName', 'PolicyName indicates the policy definition which the policy binding binded to'),
      column('ParamRef', 'ParamRef indicates the param resource which sets the configration param'),
      ageColumn,
    ],
    cells: (o, now) => [o.metadata.name, specOf<BindingSpec>(o).policyName ?? '', paramRefCell(specOf<BindingSpec>(o)), age(o.metadata.creationTimestamp, now)],
  },
};
