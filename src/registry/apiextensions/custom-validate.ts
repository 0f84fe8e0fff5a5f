// Validation of a custom resource against its CRD version's schema, with kube-apiserver's texts
// (kube-openapi pkg/validation/validate and errors, as AE pkg/apiserver/validation/validation.go
// turns them into field errors), then list-type uniqueness (AE …/schema/listtype) and embedded
// resources (AE …/schema/objectmeta). Paths are "spec.items[0].name"; messages name the path
// "in body".
import { deepEqual, isObject } from '../../api/meta.js';
import { duplicate, invalid, notSupported, required, tooLong, tooMany, type FieldError } from '../../api/field-errors.js';
import type { CrdSchema } from '../../api/crd.js';
import { goQuote } from '../../api/go-quote.js';
import { isSupportedFormat, matchesFormat } from './custom-formats.js';

/** The error types after which CEL rules are not run (a type or shape they cannot rely on). */
export const BLOCKING_TYPES = new Set<FieldError['type']>(['FieldValueNotSupported', 'FieldValueRequired', 'FieldValueTooLong', 'FieldValueTooMany', 'FieldValueTypeInvalid']);

const typeInvalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueTypeInvalid', field, value, detail });

/** The JSON type kube-openapi names a value by. */
function jsonTypeOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v === 'object' ? 'object' : typeof v;
}

const child = (path: string, k: string) => (path ? `${path}.${k}` : k);
const runes = (s: string) => [...s].length;

/** Go's %v of a JSON value (enum values are listed with it). */
function goValueText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null) return '<nil>';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/**
 * What one walk finds, kept apart because kube-apiserver reports them in separate passes: the
 * OpenAPI schema's errors, then (after the scale replicas) embedded resources, then list types.
 */
export interface Found {
  schema: FieldError[];
  embedded: FieldError[];
  lists: FieldError[];
}

const found = (): Found => ({ schema: [], embedded: [], lists: [] });

/** Validates `value` at `path` along `s`; errors in kube-openapi's order for each node. */
export function validateValue(value: unknown, s: CrdSchema, path: string, found: Found): void {
  const out = found.schema;
  const where = path || '.';
  if (value === null || value === undefined) {
    if (s.nullable || value === undefined) return;
    if (s.type || s['x-kubernetes-int-or-string']) out.push(typeInvalid(path, 'null', `${where} in body must be of type ${s['x-kubernetes-int-or-string'] ? 'integer,string' : s.type}: "null"`));
    return;
  }
  const actual = jsonTypeOf(value);
  if (s['x-kubernetes-int-or-string']) {
    if (actual !== 'integer' && actual !== 'string') return void out.push(typeInvalid(path, actual, `${where} in body must be of type integer,string: "${actual}"`));
  } else if (s.type && !(s.type === actual || (s.type === 'number' && actual === 'integer'))) {
    return void out.push(typeInvalid(path, actual, `${where} in body must be of type ${s.type}: "${actual}"`));
  }
  for (const sub of s.allOf ?? []) if (!matches(value, sub)) return void out.push(invalid(path, value, `${where} in body must validate all the schemas (allOf)`));
  if (s.anyOf && !s.anyOf.some((sub) => matches(value, sub))) out.push(invalid(path, value, `${where} in body must validate at least one schema (anyOf)`));
  if (s.oneOf && s.oneOf.filter((sub) => matches(value, sub)).length !== 1) out.push(invalid(path, value, `${where} in body must validate one and only one schema (oneOf)`));
  if (s.not && matches(value, s.not)) out.push(invalid(path, value, `${where} in body must not validate the schema (not)`));
  if (typeof value === 'string') validateString(value, s, path, where, out);
  if (typeof value === 'number') validateNumber(value, s, path, where, out);
  if (Array.isArray(value)) validateArray(value, s, path, where, found);
  if (s.enum && !s.enum.some((e) => deepEqual(e, value))) out.push(notSupported(path, value, s.enum.map(goValueText)));
  if (isObject(value)) validateObject(value, s, path, where, found);
}

function validateString(v: string, s: CrdSchema, path: string, where: string, out: FieldError[]): void {
  if (s.maxLength !== undefined && runes(v) > s.maxLength) out.push(tooLong(path, s.maxLength));
  if (s.minLength !== undefined && runes(v) < s.minLength) out.push(invalid(path, v, `${where} in body should be at least ${s.minLength} chars long`));
  if (s.pattern !== undefined && !patternOf(s.pattern).test(v)) out.push(invalid(path, v, `${where} in body should match '${s.pattern}'`));
  if (s.format && isSupportedFormat(s.type, s.format) && !matchesFormat(s.format, v)) out.push(invalid(path, v, `${where} in body must be of type ${s.format}: ${goQuote(v)}`));
}

function validateNumber(v: number, s: CrdSchema, path: string, where: string, out: FieldError[]): void {
  if (s.maximum !== undefined && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) {
    out.push(invalid(path, v, `${where} in body should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${s.maximum}`));
  }
  if (s.minimum !== undefined && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) {
    out.push(invalid(path, v, `${where} in body should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${s.minimum}`));
  }
  if (s.multipleOf !== undefined && s.multipleOf > 0 && !Number.isInteger(v / s.multipleOf)) out.push(invalid(path, v, `${where} in body should be a multiple of ${s.multipleOf}`));
  if (s.format === 'int32' && (v < -(2 ** 31) || v > 2 ** 31 - 1)) out.push(invalid(path, v, `${where} in body must be of type int32: "${v}"`));
}

function validateArray(v: unknown[], s: CrdSchema, path: string, where: string, found: Found): void {
  const out = found.schema;
  if (s.maxItems !== undefined && v.length > s.maxItems) out.push(tooMany(path, v.length, s.maxItems));
  if (s.minItems !== undefined && v.length < s.minItems) out.push(invalid(path, v, `${where} in body should have at least ${s.minItems} items`));
  if (s.items) for (let i = 0; i < v.length; i++) validateValue(v[i], s.items, `${path}[${i}]`, found);
  validateListType(v, s, path, found.lists);
}

function validateObject(v: Record<string, unknown>, s: CrdSchema, path: string, where: string, found: Found): void {
  const out = found.schema;
  const n = Object.keys(v).length;
  if (s.maxProperties !== undefined && n > s.maxProperties) out.push(tooMany(path, n, s.maxProperties));
  if (s.minProperties !== undefined && n < s.minProperties) out.push(invalid(path, v, `${where} in body should have at least ${s.minProperties} properties`));
  for (const r of s.required ?? []) if (v[r] === undefined) out.push(required(child(path, r)));
  const ap = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  for (const [k, value] of Object.entries(v)) {
    const prop = s.properties?.[k] ?? ap;
    if (prop) validateValue(value, prop, child(path, k), found);
  }
  if (s['x-kubernetes-embedded-resource']) {
    if (typeof v.apiVersion !== 'string' || v.apiVersion === '') found.embedded.push(required(child(path, 'apiVersion'), 'must not be empty'));
    if (typeof v.kind !== 'string' || v.kind === '') found.embedded.push(required(child(path, 'kind'), 'must not be empty'));
  }
}

/** x-kubernetes-list-type set and map: no two items alike (by value, or by their keys). */
function validateListType(v: unknown[], s: CrdSchema, path: string, out: FieldError[]): void {
  const type = s['x-kubernetes-list-type'];
  if (type === 'set') {
    const seen = new Set<string>();
    v.forEach((item, i) => {
      const key = JSON.stringify(item);
      if (seen.has(key)) out.push(duplicate(`${path}[${i}]`, item));
      seen.add(key);
    });
  } else if (type === 'map') {
    const keys = s['x-kubernetes-list-map-keys'] ?? [];
    const seen = new Set<string>();
    v.forEach((item, i) => {
      if (!isObject(item)) return;
      const id: Record<string, unknown> = {};
      for (const k of keys) if (item[k] !== undefined) id[k] = item[k];
      const key = JSON.stringify(id);
      if (seen.has(key)) out.push(duplicate(`${path}[${i}]`, id));
      seen.add(key);
    });
  }
}

/** Whether a value passes a schema (for allOf, anyOf, oneOf and not). */
function matches(value: unknown, s: CrdSchema): boolean {
  const f = found();
  validateValue(value, s, '', f);
  return f.schema.length === 0;
}

const patterns = new Map<string, RegExp>();
/** ECMA-262 as the OpenAPI pattern dialect; compiled once per pattern. */
function patternOf(p: string): RegExp {
  let re = patterns.get(p);
  if (!re) {
    if (patterns.size > 1000) patterns.clear();
    patterns.set(p, (re = new RegExp(p, 'u')));
  }
  return re;
}

export interface CustomValidateOptions {
  /** The CEL rules of the schema (src/cel), when the server has them: see validateCustomResource. */
  celRules?: (schema: CrdSchema, obj: unknown, old: unknown, warnings: string[] | undefined) => FieldError[];
}

/** Whether any node of a schema has x-kubernetes-validations. */
export function hasCelRules(s: CrdSchema | undefined): boolean {
  if (!s) return false;
  if (s['x-kubernetes-validations']?.length) return true;
  const subs = [...Object.values(s.properties ?? {}), s.items, typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined];
  return subs.some(hasCelRules);
}

/**
 * A custom resource's validation after its ObjectMeta (strategy.go): the OpenAPI schema, the scale
 * replicas (`scaleErrors`, worked out by the caller), embedded resources, list types, then the CEL
 * rules, unless an earlier error leaves them nothing to rely on. `path` and `value` name the part
 * validated (the object, or its status for /status).
 */
export function validateCustomResource(value: unknown, s: CrdSchema, path: string, old: unknown, opts: CustomValidateOptions, scaleErrors: FieldError[] = [], warnings?: string[]): FieldError[] {
  const f = found();
  validateValue(value, s, path, f);
  const out = [...f.schema, ...scaleErrors, ...f.embedded, ...f.lists];
  if (!opts.celRules || !hasCelRules(s)) return out;
  // CEL x-kubernetes-validations (src/cel), wired by app.ts.
  if (out.some((e) => BLOCKING_TYPES.has(e.type))) {
    out.push(invalid('<nil>', null, 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation'));
    return out;
  }
  // Rules that ratchet (unchanged values) become warnings of the reply.
  return [...out, ...opts.celRules(s, value, old, warnings)];
}
