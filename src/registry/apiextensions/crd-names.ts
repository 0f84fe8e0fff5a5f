// The names of a CustomResourceDefinition: its group, the names it is served under, the approval
// a protected group needs (AE pkg/apis/apiextensions/validation/validation.go).
import type { CustomResourceDefinitionNames } from 'kubernetes-types/apiextensions/v1.js';
import { apiApprovalState, isProtectedCommunityGroup, KUBE_API_APPROVED_ANNOTATION, type CustomResourceDefinition } from '../../api/crd.js';
import { invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../../api/validation.js';

/** The group: a DNS subdomain with at least one dot. */
export function validateGroup(group: string | undefined, path: string): FieldError[] {
  if (!group) return [required(path)];
  const errs = isDNS1123Subdomain(group);
  if (errs.length) return [invalid(path, group, errs.join(','))];
  if (!group.includes('.')) return [invalid(path, group, 'should be a domain with at least one dot')];
  return [];
}

/** validateEnumStrings, for a required value. */
export function validateEnum(value: string | undefined, accepted: string[], path: string): FieldError[] {
  if (!value) return [required(path)];
  return accepted.includes(value) ? [] : [notSupported(path, value, accepted)];
}

/** ValidateCustomResourceDefinitionNames: spec.names and status.acceptedNames alike. */
export function validateNames(names: CustomResourceDefinitionNames | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const { plural = '', singular = '', kind = '', listKind = '' } = names ?? {};
  const label = (value: string, at: string, prefix = '') => {
    const msgs = isDNS1035Label(prefix ? value.toLowerCase() : value);
    if (value && msgs.length) errs.push(invalid(at, value, prefix + msgs.join(',')));
  };
  label(plural, `${path}.plural`);
  label(singular, `${path}.singular`);
  label(kind, `${path}.kind`, 'may have mixed case, but should otherwise match: ');
  label(listKind, `${path}.listKind`, 'may have mixed case, but should otherwise match: ');
  (names?.shortNames ?? []).forEach((s, i) => label(s, `${path}.shortNames[${i}]`));
  if (kind && kind === listKind) errs.push(invalid(`${path}.listKind`, listKind, 'kind and listKind may not be the same'));
  (names?.categories ?? []).forEach((c, i) => label(c, `${path}.categories[${i}]`));
  return errs;
}

/** The names a spec must give (singular and listKind are defaulted before this runs). */
export function validateRequiredNames(names: CustomResourceDefinitionNames | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['plural', 'singular', 'kind', 'listKind'] as const) if (!names?.[key]) errs.push(required(`${path}.${key}`));
  return errs;
}

/** metadata.name must be <plural>.<group>. */
export function validateCrdName(crd: CustomResourceDefinition): FieldError[] {
  const name = crd.metadata.name ?? '';
  const want = `${crd.spec?.names?.plural ?? ''}.${crd.spec?.group ?? ''}`;
  return name && name !== want ? [invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group')] : [];
}

/** validateAPIApproval: protected groups need the approval annotation, unless it did not change. */
export function validateApiApproval(crd: CustomResourceDefinition, old?: CustomResourceDefinition): FieldError[] {
  if (!isProtectedCommunityGroup(crd.spec?.group ?? '')) return [];
  const { state, reason } = apiApprovalState(crd.metadata.annotations);
  if (old && apiApprovalState(old.metadata.annotations).state === state) return [];
  const path = `metadata.annotations[${KUBE_API_APPROVED_ANNOTATION}]`;
  if (state === 'Missing') return [required(path, reason)];
  if (state === 'Invalid') return [invalid(path, crd.metadata.annotations?.[KUBE_API_APPROVED_ANNOTATION] ?? '', reason)];
  return [];
}

/** validatePreserveUnknownFields: true is refused, unless the stored definition already had it. */
export function validatePreserveUnknownFields(crd: CustomResourceDefinition, old?: CustomResourceDefinition): FieldError[] {
  if (old?.spec?.preserveUnknownFields) return [];
  if (!crd.spec?.preserveUnknownFields) return [];
  return [invalid('spec.preserveUnknownFields', true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead')];
}
