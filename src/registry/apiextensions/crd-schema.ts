// The schema of a CustomResourceDefinition version (validateCustomResourceDefinitionValidation and
// ValidateCustomResourceDefinitionOpenAPISchema): what OpenAPI v3 parts Kubernetes refuses, the
// x-kubernetes-* extensions, the rules' fields; then the structural checks, and the CEL rules.
import type { JSONSchemaProps } from '../../api/crd.js';
import { forbidden, invalid, notSupported, OMIT, required, type FieldError } from '../../api/field-errors.js';
import { additionalSchema, itemsSchema, validateStructural } from './crd-structural.js';
import { isSupportedFormat } from './custom-formats.js';

/** Compiles the x-kubernetes-validations rules of a schema (src/cel/ compileSchemaRules), given by app.ts. */
export type CompileSchemaRules = (schema: JSONSchemaProps, path: string) => FieldError[];

const OPENAPI_V3_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const VALIDATION_REASONS = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];
const META_FIELDS = new Set(['metadata', 'kind', 'apiVersion']);

/** The fields allowed at the root with the status subresource, by JSON name, and as upstream lists their Go names. */
const ROOT_WITH_STATUS = ['description', 'type', 'format', 'title', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'multipleOf', 'required', 'items', 'properties', 'externalDocs', 'example', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-validations'];
const ROOT_WITH_STATUS_GO = '[Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations]';

interface Walk {
  /** Where defaults are refused, and why ('' when they are allowed). */
  noDefaults?: string;
  insideMeta?: boolean;
}

const isZero = (v: unknown) => v === undefined || v === null || v === false || v === '' || v === 0 || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && Object.keys(v).length === 0);
const sortedKeys = (o: Record<string, unknown> | undefined): string[] => Object.keys(o ?? {}).sort();
const hasNewlines = (s: string) => /[\n\r]/.test(s);

/** validateCustomResourceDefinitionValidation for one version's schema. */
export function validateVersionSchema(schema: JSONSchemaProps, statusEnabled: boolean, path: string, compileRules?: CompileSchemaRules): FieldError[] {
  const errs: FieldError[] = [];
  const at = `${path}.openAPIV3Schema`;
  if (statusEnabled) {
    for (const [key, value] of Object.entries(schema)) {
      if (isZero(value)) continue;
      if (key === 'type') {
        if (value !== 'object') {
          errs.push(invalid(`${at}.type`, value, 'only "object" is allowed as the type at the root of the schema if the status subresource is enabled'));
          break;
        }
        continue;
      }
      if (!ROOT_WITH_STATUS.includes(key)) {
        errs.push(invalid(at, OMIT, `only ${ROOT_WITH_STATUS_GO} fields are allowed at the root of the schema if the status subresource is enabled`));
        break;
      }
    }
  }
  if (schema.nullable) errs.push(forbidden(`${at}.nullable`, 'nullable cannot be true at the root'));
  const structural = validateStructural(schema, at);
  errs.push(...structural);
  const walked = walk(schema, at, true, {});
  errs.push(...walked);
  // The rules compile only on a schema that is otherwise valid, as upstream builds their types from it.
  if (!errs.length && compileRules) errs.push(...compileRules(schema, at));
  return errs;
}

function walk(s: JSONSchemaProps, path: string, isRoot: boolean, w: Walk): FieldError[] {
  const errs = standard(s, path, w);
  if (s.uniqueItems) errs.push(forbidden(`${path}.uniqueItems`, 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  if (s.additionalProperties !== undefined) {
    if (Object.keys(s.properties ?? {}).length && (s.additionalProperties === false || additionalSchema(s))) {
      errs.push(forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
    }
    const sub = w.insideMeta ? { ...w, noDefaults: 'inside additionalProperties applying to object metadata' } : w;
    const add = additionalSchema(s);
    if (add) errs.push(...walk(add, `${path}.additionalProperties`, false, sub));
  }
  for (const key of sortedKeys(s.properties)) {
    let sub = w;
    if ((isRoot || s['x-kubernetes-embedded-resource']) && META_FIELDS.has(key)) {
      sub = { ...sub, insideMeta: true };
      if (isRoot) sub = { ...sub, noDefaults: `in top-level ${key}` };
    }
    errs.push(...walk(s.properties![key]!, `${path}.properties[${key}]`, false, sub));
  }
  if (s.not) errs.push(...walk(s.not, `${path}.not`, false, w));
  for (const [name, list] of [['allOf', s.allOf], ['oneOf', s.oneOf], ['anyOf', s.anyOf]] as const) (list ?? []).forEach((x, i) => errs.push(...walk(x, `${path}.${name}[${i}]`, false, w)));
  for (const key of sortedKeys(s.definitions)) errs.push(...walk(s.definitions![key]!, `${path}.definitions[${key}]`, false, w));
  const items = itemsSchema(s);
  if (items) errs.push(...walk(items, `${path}.items`, false, w));
  if (Array.isArray(s.items)) s.items.forEach((x, i) => errs.push(...walk(x, `${path}.items[${i}]`, false, w)));
  for (const key of sortedKeys(s.dependencies)) {
    const d = s.dependencies![key];
    if (d && !Array.isArray(d)) errs.push(...walk(d, `${path}.dependencies[${key}]`, false, w));
  }
  errs.push(...extensions(s, path), ...rules(s, path));
  return errs;
}

/** specStandardValidatorV3.validate: OpenAPI parts Kubernetes does not support. */
function standard(s: JSONSchemaProps, path: string, w: Walk): FieldError[] {
  const errs: FieldError[] = [];
  if (s.type && !OPENAPI_V3_TYPES.includes(s.type)) errs.push(notSupported(`${path}.type`, s.type, OPENAPI_V3_TYPES));
  if (s.default !== undefined && w.noDefaults) errs.push(forbidden(`${path}.default`, `must not be set ${w.noDefaults}`));
  if (s.id) errs.push(forbidden(`${path}.id`, 'id is not supported'));
  if (s.additionalItems !== undefined) errs.push(forbidden(`${path}.additionalItems`, 'additionalItems is not supported'));
  if (Object.keys(s.patternProperties ?? {}).length) errs.push(forbidden(`${path}.patternProperties`, 'patternProperties is not supported'));
  if (Object.keys(s.definitions ?? {}).length) errs.push(forbidden(`${path}.definitions`, 'definitions is not supported'));
  if (s.dependencies !== undefined) errs.push(forbidden(`${path}.dependencies`, 'dependencies is not supported'));
  if (s.$ref !== undefined) errs.push(forbidden(`${path}.$ref`, '$ref is not supported'));
  if (s.type === 'null') errs.push(forbidden(`${path}.type`, 'type cannot be set to null, use nullable as an alternative'));
  if (Array.isArray(s.items) && s.items.length) errs.push(forbidden(`${path}.items`, 'items must be a schema object and not an array'));
  if (w.insideMeta && s['x-kubernetes-embedded-resource']) errs.push(forbidden(`${path}.x-kubernetes-embedded-resource`, 'must not be used inside of resource meta'));
  return errs;
}

/** The x-kubernetes-* extensions: preserve-unknown-fields, map and list types, list map keys. */
function extensions(s: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (s['x-kubernetes-preserve-unknown-fields'] === false) errs.push(invalid(`${path}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined'));
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined && s.type !== 'object') {
    const detail = 'must be object if x-kubernetes-map-type is specified';
    errs.push(s.type ? invalid(`${path}.type`, s.type, detail) : required(`${path}.type`, detail));
  }
  if (mapType !== undefined && mapType !== 'atomic' && mapType !== 'granular') errs.push(notSupported(`${path}.x-kubernetes-map-type`, mapType, ['atomic', 'granular']));
  const listType = s['x-kubernetes-list-type'];
  const items = itemsSchema(s);
  if (listType !== undefined && s.type !== 'array') {
    const detail = 'must be array if x-kubernetes-list-type is specified';
    errs.push(s.type ? invalid(`${path}.type`, s.type, detail) : required(`${path}.type`, detail));
  } else if (listType === 'set' && items) {
    const setDetail = 'must be atomic as item of a list with x-kubernetes-list-type=set';
    if (items.type === 'array' && items['x-kubernetes-list-type'] !== undefined && items['x-kubernetes-list-type'] !== 'atomic') errs.push(invalid(`${path}.items.x-kubernetes-list-type`, items['x-kubernetes-list-type'], setDetail));
    if (items.type === 'object' && items['x-kubernetes-map-type'] !== 'atomic') errs.push(invalid(`${path}.items.x-kubernetes-map-type`, items['x-kubernetes-list-type'] ?? null, setDetail));
  }
  if (listType !== undefined && !['atomic', 'set', 'map'].includes(listType)) errs.push(notSupported(`${path}.x-kubernetes-list-type`, listType, ['atomic', 'set', 'map']));
  const keys = s['x-kubernetes-list-map-keys'] ?? [];
  if (keys.length) {
    const detail = 'must be map if x-kubernetes-list-map-keys is non-empty';
    if (listType === undefined) errs.push(required(`${path}.x-kubernetes-list-type`, detail));
    else if (listType !== 'map') errs.push(invalid(`${path}.x-kubernetes-list-type`, listType, detail));
  }
  if (listType === 'map') {
    if (!keys.length) errs.push(required(`${path}.x-kubernetes-list-map-keys`, 'must not be empty if x-kubernetes-list-type is map'));
    if (s.items === undefined) errs.push(required(`${path}.items`, 'must have a schema if x-kubernetes-list-type is map'));
    else if (!items) errs.push(invalid(`${path}.items`, OMIT, 'must only have a single schema if x-kubernetes-list-type is map'));
    else if (items.type !== 'object') errs.push(invalid(`${path}.items.type`, items.type ?? '', "must be object if parent array's x-kubernetes-list-type is map"));
    else {
      const seen = new Set<string>();
      for (const k of keys) {
        const prop = items.properties?.[k];
        if (!prop) errs.push(invalid(`${path}.x-kubernetes-list-map-keys`, keys, 'entries must all be names of item properties'));
        else if (prop.type === 'array' || prop.type === 'object') errs.push(invalid(`${path}.items.properties[${k}].type`, items.type, "must be a scalar type if parent array's x-kubernetes-list-type is map"));
        if (seen.has(k)) errs.push(invalid(`${path}.x-kubernetes-list-map-keys`, keys, 'must not contain duplicate entries'));
        seen.add(k);
      }
    }
  }
  if (items && (listType === 'set' || listType === 'map')) {
    if (items.nullable) errs.push(forbidden(`${path}.items.nullable`, `cannot be nullable when x-kubernetes-list-type is ${listType}`));
    if (listType === 'map') {
      for (const k of keys) {
        const prop = items.properties?.[k];
        if (!prop) continue;
        if (!(items.required ?? []).includes(k) && prop.default === undefined) {
          errs.push(required(`${path}.items.properties[${k}].default`, 'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property'));
        }
        if (prop.nullable) errs.push(forbidden(`${path}.items.properties[${k}].nullable`, 'this property is in x-kubernetes-list-map-keys, so it cannot be nullable'));
      }
    }
  }
  return errs;
}

/** The fields of x-kubernetes-validations rules (their expressions are compiled by compileRules). */
function rules(s: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (s['x-kubernetes-validations'] ?? []).forEach((rule, i) => {
    const at = `${path}.x-kubernetes-validations[${i}]`;
    const text = (rule.rule ?? '').trim();
    const message = rule.message ?? '';
    if (!text) errs.push(required(`${at}.rule`, 'rule is not specified'));
    else if (message && !message.trim()) errs.push(invalid(`${at}.message`, message, 'message must be non-empty if specified'));
    else if (hasNewlines(message.trim())) errs.push(invalid(`${at}.message`, message, 'message must not contain line breaks'));
    else if (hasNewlines(text) && !message.trim()) errs.push(required(`${at}.message`, 'message must be specified if rule contains line breaks'));
    if (rule.messageExpression && !rule.messageExpression.trim()) errs.push(required(`${at}.messageExpression`, 'messageExpression must be non-empty if specified'));
    if (rule.reason !== undefined && !VALIDATION_REASONS.includes(rule.reason)) errs.push(notSupported(`${at}.reason`, rule.reason, VALIDATION_REASONS));
    const fieldPath = rule.fieldPath ?? '';
    if (fieldPath && !fieldPath.trim()) errs.push(invalid(`${at}.fieldPath`, fieldPath, 'fieldPath must be non-empty if specified'));
    if (hasNewlines(fieldPath)) errs.push(invalid(`${at}.fieldPath`, fieldPath, 'fieldPath must not contain line breaks'));
  });
  return errs;
}

/** The warning for each format the validator does not know (strategy WarningsOnCreate). */
export function unrecognizedFormats(schema: JSONSchemaProps | undefined): string[] {
  const out: string[] = [];
  const visit = (s: JSONSchemaProps | undefined): void => {
    if (!s) return;
    if (s.format && !isSupportedFormat(typeof s.type === 'string' ? s.type : undefined, s.format)) out.push(`unrecognized format ${JSON.stringify(s.format)}`);
    if (Array.isArray(s.items)) s.items.forEach(visit);
    else visit(itemsSchema(s));
    for (const list of [s.allOf, s.anyOf, s.oneOf]) (list ?? []).forEach(visit);
    visit(s.not);
    for (const key of sortedKeys(s.properties)) visit(s.properties![key]);
    visit(additionalSchema(s));
  };
  visit(schema);
  return out;
}
