// The versions of a CustomResourceDefinition: names, the one storage version, schemas, the parts
// of each version, stored versions (AE …/apiextensions/validation/validation.go).
import type { CustomResourceDefinitionVersion } from 'kubernetes-types/apiextensions/v1.js';
import { versionSchema } from '../../api/crd.js';
import { invalid, OMIT, required, type FieldError } from '../../api/field-errors.js';
import { isDNS1035Label } from '../../api/validation.js';
import { validateVersionSchema, type CompileSchemaRules } from './crd-schema.js';
import { validateColumn, validateSelectableFields, validateSubresources } from './crd-subresources.js';

/** validateDeprecationWarning. */
function deprecationWarningErrors(deprecated: boolean, warning: string | undefined): string[] {
  if (!deprecated && warning !== undefined) return ['can only be set for deprecated versions'];
  if (warning === undefined) return [];
  const errs: string[] = [];
  if (Buffer.byteLength(warning) > 256) errs.push('must be <= 256 characters long');
  if (warning.length === 0) errs.push('must not be an empty string');
  let at = 0;
  for (const ch of warning) {
    // unicode.IsControl, then IsPrint (letters, marks, numbers, punctuation, symbols and the ASCII space).
    if (/\p{Cc}/u.test(ch)) {
      errs.push(`must only contain printable UTF-8 characters; control character found at index ${at}`);
      break;
    }
    if (!/[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(ch)) {
      errs.push(`must only contain printable UTF-8 characters; non-printable character found at index ${at}`);
      break;
    }
    at += Buffer.byteLength(ch);
  }
  return errs;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * What v1's conversion to the internal type (which upstream validates) hoists to the spec: a
 * schema, subresources, columns or selectable fields that every version has alike (or none has)
 * move to spec.validation, spec.subresources, spec.additionalPrinterColumns, spec.selectableFields,
 * and their errors are reported there.
 */
function hoisted(versions: CustomResourceDefinitionVersion[]) {
  const first = versions[0];
  const all = (get: (v: CustomResourceDefinitionVersion) => unknown) => versions.every((v) => same(get(v), get(first!)));
  return {
    schema: all((v) => v.schema),
    subresources: all((v) => v.subresources),
    columns: all((v) => (v.additionalPrinterColumns?.length ? v.additionalPrinterColumns : undefined)),
    selectable: all((v) => (v.selectableFields?.length ? v.selectableFields : undefined)),
  };
}

function validateSelectable(v: CustomResourceDefinitionVersion, path: string, schemaPath: string): FieldError[] {
  if (!v.selectableFields?.length) return [];
  const schema = versionSchema(v);
  if (!schema) return [invalid(path, '', `selectableFields may only be set when ${schemaPath}`)];
  return validateSelectableFields(v.selectableFields, schema, path);
}

/** The parts of validateCustomResourceDefinitionSpec about versions, in upstream's order; `group` comes before them, names after. */
export function validateVersions(versions: CustomResourceDefinitionVersion[], path: string, compileRules?: CompileSchemaRules): { before: FieldError[]; after: FieldError[] } {
  const before: FieldError[] = [];
  const after: FieldError[] = [];
  if (!versions.length) return { before, after };
  const top = hoisted(versions);
  const anyStatus = versions.some((v) => v.subresources?.status !== undefined);
  if (!top.schema || !versionSchema(versions[0]!)) {
    versions.forEach((v, i) => {
      if (!versionSchema(v)) before.push(required(`${path}[${i}].schema.openAPIV3Schema`, 'schemas are required'));
    });
  }
  const names = new Set<string>();
  let unique = true;
  let storage = 0;
  versions.forEach((v, i) => {
    const at = `${path}[${i}]`;
    if (v.storage) storage++;
    if (names.has(v.name)) unique = false;
    names.add(v.name);
    const msgs = isDNS1035Label(v.name ?? '');
    if (msgs.length) before.push(invalid(`${at}.name`, v.name ?? '', msgs.join(',')));
    before.push(...deprecationWarningErrors(v.deprecated === true, v.deprecationWarning).map((msg) => invalid(`${at}.deprecationWarning`, v.deprecationWarning ?? '', msg)));
    const schema = versionSchema(v);
    const status = top.subresources ? anyStatus : v.subresources?.status !== undefined;
    if (!top.schema && schema) before.push(...validateVersionSchema(schema, status, `${at}.schema`, compileRules));
    if (!top.subresources) before.push(...validateSubresources(v.subresources, `${at}.subresources`));
    if (!top.columns) (v.additionalPrinterColumns ?? []).forEach((c, j) => before.push(...validateColumn(c, `${at}.additionalPrinterColumns[${j}]`)));
    if (!top.selectable) before.push(...validateSelectable(v, `${at}.selectableFields`, 'version.schema.openAPIV3Schema is not included'));
  });
  // Upstream prints the versions as Go structs; the value is left out here.
  if (!unique) before.push(invalid(path, OMIT, 'must contain unique version names'));
  if (storage !== 1) before.push(invalid(path, OMIT, 'must have exactly one version marked as storage version'));
  const first = versions[0]!;
  const msgs = isDNS1035Label(first.name ?? '');
  if (msgs.length) before.push(invalid('spec.version', first.name ?? '', msgs.join(',')));
  const schema = versionSchema(first);
  if (top.schema && schema) after.push(...validateVersionSchema(schema, anyStatus, 'spec.validation', compileRules));
  if (top.subresources) after.push(...validateSubresources(first.subresources, 'spec.subresources'));
  if (top.columns) (first.additionalPrinterColumns ?? []).forEach((c, j) => after.push(...validateColumn(c, `spec.additionalPrinterColumns[${j}]`)));
  if (top.selectable) after.push(...validateSelectable(first, 'spec.selectableFields', 'validations.schema is included'));
  return { before, after };
}

/** ValidateCustomResourceDefinitionStoredVersions. */
export function validateStoredVersions(stored: string[], versions: CustomResourceDefinitionVersion[], path: string): FieldError[] {
  if (!stored.length) return [invalid(path, stored, 'must have at least one stored version')];
  const errs: FieldError[] = [];
  const remaining = new Map(stored.map((v, i) => [v, i]));
  for (const v of versions) {
    if (v.storage && !remaining.has(v.name)) errs.push(invalid(path, stored, `must have the storage version ${v.name}`));
    remaining.delete(v.name);
  }
  for (const [v, i] of remaining) {
    errs.push(invalid(`${path}[${i}]`, v, `missing from spec.versions; ${v} was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in ${v} and removes ${v} from status.storedVersions`));
  }
  return errs;
}
