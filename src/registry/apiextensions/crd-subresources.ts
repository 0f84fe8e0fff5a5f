// The parts of a CustomResourceDefinition version around its schema: subresources, printer
// columns, selectable fields, and the conversion of the spec (AE …/apiextensions/validation).
import type { CustomResourceColumnDefinition, CustomResourceConversion, CustomResourceSubresources, SelectableField } from 'kubernetes-types/apiextensions/v1.js';
import type { JSONSchemaProps } from '../../api/crd.js';
import { duplicate, forbidden, invalid, required, tooMany, type FieldError } from '../../api/field-errors.js';
import { validateReviewVersions } from '../../api/validation.js';
import { validateEnum } from './crd-names.js';

const PRINTER_COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const PRINTER_COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];
const MAX_SELECTABLE_FIELDS = 8;
const CONVERSION_REVIEW_VERSIONS = ['v1', 'v1beta1'];

/** validateSimpleJSONPath. */
function simpleJsonPath(s: string, path: string): FieldError[] {
  if (!s) return [invalid(path, s, 'must not be empty')];
  if (!s.startsWith('.')) return [invalid(path, s, 'must be a simple json path starting with .')];
  return [];
}

/** A replicas or selector path: a simple JSON path under one of the prefixes. */
function pathUnder(s: string | undefined, path: string, prefixes: string[], detail: string): FieldError[] {
  if (!s) return [];
  const errs = simpleJsonPath(s, path);
  if (errs.length) return errs;
  return prefixes.some((p) => s.startsWith(p)) ? [] : [invalid(path, s, detail)];
}

/** ValidateCustomResourceDefinitionSubresources. */
export function validateSubresources(sub: CustomResourceSubresources | undefined, path: string): FieldError[] {
  const scale = sub?.scale;
  if (!scale) return [];
  const errs: FieldError[] = [];
  if (!scale.specReplicasPath) errs.push(required(`${path}.scale.specReplicasPath`));
  else errs.push(...pathUnder(scale.specReplicasPath, `${path}.scale.specReplicasPath`, ['.spec.'], 'should be a json path under .spec'));
  if (!scale.statusReplicasPath) errs.push(required(`${path}.scale.statusReplicasPath`));
  else errs.push(...pathUnder(scale.statusReplicasPath, `${path}.scale.statusReplicasPath`, ['.status.'], 'should be a json path under .status'));
  errs.push(...pathUnder(scale.labelSelectorPath, `${path}.scale.labelSelectorPath`, ['.spec.', '.status.'], 'should be a json path under either .spec or .status'));
  return errs;
}

/** ValidateCustomResourceColumnDefinition. */
export function validateColumn(col: CustomResourceColumnDefinition, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!col.name) errs.push(required(`${path}.name`));
  const types = `must be one of ${PRINTER_COLUMN_TYPES.join(',')}`;
  if (!col.type) errs.push(required(`${path}.type`, types));
  else if (!PRINTER_COLUMN_TYPES.includes(col.type)) errs.push(invalid(`${path}.type`, col.type, types));
  if (col.format && !PRINTER_COLUMN_FORMATS.includes(col.format)) errs.push(invalid(`${path}.format`, col.format, `must be one of ${PRINTER_COLUMN_FORMATS.join(',')}`));
  if (!col.jsonPath) errs.push(required(`${path}.JSONPath`));
  else errs.push(...simpleJsonPath(col.jsonPath, `${path}.JSONPath`));
  return errs;
}

/** The schema a dotted path names, through properties (cel.ValidFieldPath without array notation). */
function schemaAtPath(schema: JSONSchemaProps, jsonPath: string): { root: string; found?: JSONSchemaProps; error?: string } {
  if (!jsonPath.startsWith('.')) return { root: '', error: 'expected [ or . but got: ' + jsonPath[0] };
  const parts = jsonPath.slice(1).split('.');
  let node: JSONSchemaProps | undefined = schema;
  for (const part of parts) {
    if (!part || part.includes('[')) return { root: parts[0]!, error: 'unexpected end of JSON path' };
    node = node?.properties?.[part];
    if (!node) return { root: parts[0]!, error: `does not refer to a valid field` };
  }
  return { root: parts[0]!, found: node };
}

/** ValidateCustomResourceSelectableFields. */
export function validateSelectableFields(fields: SelectableField[], schema: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const unique = new Set<string>();
  fields.forEach((f, i) => {
    const at = `${path}[${i}].jsonPath`;
    if (!f.jsonPath) return void errs.push(required(at));
    const { root, found, error } = schemaAtPath(schema, f.jsonPath);
    if (error) return void errs.push(invalid(at, f.jsonPath, `is an invalid path: ${error}`));
    if (root === 'metadata') errs.push(invalid(at, f.jsonPath, 'must not point to fields in metadata'));
    if (!['string', 'boolean', 'integer'].includes(found?.type ?? '')) {
      errs.push(invalid(at, f.jsonPath, 'must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.'));
    }
    if (unique.has(f.jsonPath)) errs.push(duplicate(at, f.jsonPath));
    else unique.add(f.jsonPath);
  });
  if (unique.size > MAX_SELECTABLE_FIELDS) errs.push(tooMany(path, unique.size, MAX_SELECTABLE_FIELDS));
  return errs;
}

/**
 * validateCustomResourceConversion. Upstream checks the internal type, where the webhook's settings
 * sit on the conversion itself: the paths name them so (spec.conversion.webhookClientConfig).
 */
export function validateConversion(conversion: CustomResourceConversion | undefined, path: string): FieldError[] {
  if (!conversion) return [];
  const errs = validateEnum(conversion.strategy, ['None', 'Webhook'], `${path}.strategy`);
  const config = conversion.webhook?.clientConfig;
  if (conversion.strategy === 'Webhook') {
    const configPath = `${path}.webhookClientConfig`;
    if (!config) errs.push(required(configPath, 'required when strategy is set to Webhook'));
    else if ((config.url === undefined) === (config.service === undefined)) errs.push(required(configPath, 'exactly one of url or service is required'));
    else if (config.url !== undefined && !config.url.startsWith('https://')) errs.push(invalid(`${configPath}.url`, config.url, "'https' is the only allowed URL scheme"));
    errs.push(...validateReviewVersions(conversion.webhook?.conversionReviewVersions ?? [], `${path}.conversionReviewVersions`, CONVERSION_REVIEW_VERSIONS, { requireSent: true }));
  } else {
    if (config) errs.push(forbidden(`${path}.webhookClientConfig`, 'should not be set when strategy is not set to Webhook'));
    if (conversion.webhook?.conversionReviewVersions?.length) errs.push(forbidden(`${path}.conversionReviewVersions`, 'should not be set when strategy is not set to Webhook'));
  }
  return errs;
}
