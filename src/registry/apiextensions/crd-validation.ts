// ValidateCustomResourceDefinition and …Update (AE pkg/apis/apiextensions/validation): the checks
// of each part, in upstream's order.
import { isCrdConditionTrue, type CustomResourceDefinition } from '../../api/crd.js';
import type { FieldError } from '../../api/field-errors.js';
import { validateImmutableField } from '../../api/validation.js';
import { validateApiApproval, validateCrdName, validateEnum, validateGroup, validateNames, validatePreserveUnknownFields, validateRequiredNames } from './crd-names.js';
import type { CompileSchemaRules } from './crd-schema.js';
import { validateConversion } from './crd-subresources.js';
import { validateStoredVersions, validateVersions } from './crd-versions.js';

function validateSpec(crd: CustomResourceDefinition, compileRules?: CompileSchemaRules): FieldError[] {
  const spec = crd.spec ?? ({} as NonNullable<CustomResourceDefinition['spec']>);
  const versions = validateVersions(spec.versions ?? [], 'spec.versions', compileRules);
  return [
    ...validateGroup(spec.group, 'spec.group'),
    ...validateEnum(spec.scope, ['Cluster', 'Namespaced'], 'spec.scope'),
    ...versions.before,
    ...validateRequiredNames(spec.names, 'spec.names'),
    ...validateNames(spec.names, 'spec.names'),
    ...versions.after,
    ...validateConversion(spec.conversion, 'spec.conversion'),
  ];
}

function validateStatus(crd: CustomResourceDefinition): FieldError[] {
  return validateNames(crd.status?.acceptedNames, 'status.acceptedNames');
}

export function validateCrd(crd: CustomResourceDefinition, compileRules?: CompileSchemaRules): FieldError[] {
  return [
    ...validateCrdName(crd),
    ...validateSpec(crd, compileRules),
    ...validateStatus(crd),
    ...validateStoredVersions(crd.status?.storedVersions ?? [], crd.spec?.versions ?? [], 'status.storedVersions'),
    ...validateApiApproval(crd),
    ...validatePreserveUnknownFields(crd),
  ];
}

export function validateCrdUpdate(crd: CustomResourceDefinition, old: CustomResourceDefinition, compileRules?: CompileSchemaRules): FieldError[] {
  const spec = crd.spec;
  const oldSpec = old.spec;
  const errs = validateSpec(crd, compileRules);
  if (isCrdConditionTrue(old, 'Established')) {
    errs.push(...validateImmutableField(spec?.scope, oldSpec?.scope, 'spec.scope'), ...validateImmutableField(spec?.names?.kind, oldSpec?.names?.kind, 'spec.names.kind'));
  }
  errs.push(...validateImmutableField(spec?.group, oldSpec?.group, 'spec.group'), ...validateImmutableField(spec?.names?.plural, oldSpec?.names?.plural, 'spec.names.plural'));
  return [
    ...errs,
    ...validateStatus(crd),
    ...validateStoredVersions(crd.status?.storedVersions ?? [], spec?.versions ?? [], 'status.storedVersions'),
    ...validateApiApproval(crd, old),
    ...validatePreserveUnknownFields(crd, old),
  ];
}

/** ValidateUpdateCustomResourceDefinitionStatus. */
export const validateCrdStatusUpdate = validateStatus;
