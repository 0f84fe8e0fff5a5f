// admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy (pkg/registry/admissionregistration/
// validatingadmissionpolicy): cluster-scoped, v1 defaults, status reset on create and kept by spec writes,
// generation bumped by spec changes. The admission plugin (admission/validating-policy.ts) enforces it.
import type { KubeObject } from '../../api/meta.js';
import { age } from '../../api/duration.js';
import { defaultMatchResources, type PolicySpec } from '../../admission/validating-policy-types.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import { specOf } from '../narrow.js';
import type { ResourceDef } from '../resource.js';
import { validatingAdmissionPolicy } from '../schemas/admissionregistration.js';
import { validatePolicySpec } from './admission-policy-validation.js';

function defaults(o: KubeObject): void {
  const spec = specOf<PolicySpec>(o);
  if (!o.spec) return;
  spec.failurePolicy ??= 'Fail';
  if (spec.matchConstraints) defaultMatchResources(spec.matchConstraints);
}

export const validatingAdmissionPolicies: ResourceDef = {
  group: 'admissionregistration.k8s.io',
  version: 'v1',
  kind: 'ValidatingAdmissionPolicy',
  resource: 'validatingadmissionpolicies',
  singular: 'validatingadmissionpolicy',
  categories: ['api-extensions'],
  namespaced: false,
  schema: validatingAdmissionPolicy,
  hasStatus: true,
  hasGeneration: true,
  defaults,
  prepareForCreate(o) {
    o.status = {};
  },
  validate: (o) => validatePolicySpec(o.metadata.name ?? '', specOf<PolicySpec>(o)),
  validateUpdate: (o, old, _ctx, sub) => (sub === 'status' ? [] : validatePolicySpec(o.metadata.name ?? '', specOf<PolicySpec>(o), specOf<PolicySpec>(old))),
  table: {
    columns: [
      nameColumn,
      column('Validations', 'Validations indicates the number of validation rules defined in this configuration', { type: 'integer' }),
      column('ParamKind', 'ParamKind specifies the kind of resources used to parameterize this policy'),
      ageColumn,
    ],
    cells: (o, now) => {
      const spec = specOf<PolicySpec>(o);
      const pk = spec.paramKind ? `${spec.paramKind.apiVersion ?? ''}/${spec.paramKind.kind ?? ''}` : '<unset>';
      return [o.metadata.name, spec.validations?.length ?? 0, pk, age(o.metadata.creationTimestamp, now)];
    },
  },
};
