// fieldValidation: fields the kind's schema does not know (Strict: 400, Warn: a Warning header,
// Ignore: dropped), and values of the wrong JSON type (always 400, as Go's decoder rejects them).
// The result of a strategic merge patch is converted from unstructured data instead of decoded,
// which words type errors its own way and answers 422 (validateMergedFields).
import { badRequest, invalid } from '../api/errors.js';
import { invalid as invalidField } from '../api/field-errors.js';
import { goQuote } from '../api/go-quote.js';
import { isObject, type KubeObject } from '../api/meta.js';
import type { EitherSchema, ObjectSchema, Schema } from '../api/schema.js';
import { jsonType } from '../api/json-values.js';
import { fieldPath, type JsonTextFindings } from './json-text.js';
import { goValue } from './patch/strategic-merge.js';
import { pruneUnknown } from '../registry/apiextensions/custom-prune.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

const MAX_STRICT_ERRORS = 100;

const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

interface Findings {
  /** Word type errors as runtime.DefaultUnstructuredConverter does, not as the JSON decoder. */
  converter: boolean;
  unknown: string[];
  typeError?: string;
  /** Number literals of the JSON text JS numbers do not tell apart, by path (json-text.ts). */
  numbers?: Map<string, string>;
}

const INT_RANGE = { int32: [-(2n ** 31n), 2n ** 31n - 1n], int64: [-(2n ** 63n), 2n ** 63n - 1n] } as const;

/**
 * Whether Go decodes a number into an integer field of `format`: strconv.ParseInt of its literal
 * (no fraction or exponent) within range. `literal` is the text sent, when a JS number hides it.
 */
function fitsInteger(value: number, literal: string | undefined, format: 'int32' | 'int64'): boolean {
  if (literal !== undefined && !/^-?\d+$/.test(literal)) return false;
  if (literal === undefined && !Number.isInteger(value)) return false;
  const n = literal !== undefined ? BigInt(literal) : BigInt(value);
  const [min, max] = INT_RANGE[format];
  return n >= min && n <= max;
}

function goType(s: Schema): string {
  switch (s.type) {
    case 'string':
      return s.format === 'byte' ? '[]uint8' : s.format === 'date-time' ? 'v1.Time' : 'string';
    case 'integer':
      return s.format;
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'object':
      return s.name ? `v1.${s.name.split('.').pop()}` : 'struct';
    case 'array':
      return `[]${goType(s.items)}`;
    case 'map':
      return `map[string]${goType(s.values)}`;
    case 'quantity':
      return 'resource.Quantity';
    case 'int-or-string':
      return 'intstr.IntOrString';
    case 'any':
      return 'interface {}';
    case 'either':
      return `v1.${s.name.slice(s.name.lastIndexOf('.') + 1)}`;
  }
}

/** The Go struct name of a named object schema ("io.k8s.api.core.v1.PodSpec" is PodSpec). */
const structName = (s: Schema & { type: 'object' }) => s.name!.slice(s.name!.lastIndexOf('.') + 1);

/**
 * Walks `value` along `schema`. `path` holds the parts from the root (joined only for a finding);
 * `fields` the struct field names alone, which type errors name (Go's errorContext has no
 * indexes or map keys); `owner` is the nearest named object schema, whose Go struct they name.
 */
function walk(value: unknown, schema: Schema, path: (string | number)[], fields: string[], owner: string | (Schema & { type: 'object' }), out: Findings, drop: boolean): void {
  if (value === null || value === undefined || out.typeError) return;
  const wrong = (what = jsonType(value), type = goType(schema)) => {
    const restore = out.converter ? restoreError(value, schema) : undefined;
    if (restore) return void (out.typeError = restore);
    const struct = typeof owner === 'string' ? owner : structName(owner);
    out.typeError = `json: cannot unmarshal ${what} into Go struct field ${struct}.${fields.join('.')} of type ${type}`;
  };
  const checkInteger = (n: number, format: 'int32' | 'int64', type?: string) => {
    const literal = out.numbers?.size ? out.numbers.get(fieldPath(path)) : undefined;
    if (!fitsInteger(n, literal, format)) wrong(`number ${literal ?? n}`, type);
  };
  switch (schema.type) {
    case 'object': {
      if (!isObject(value)) return wrong();
      const inner = schema.name ? schema : owner;
      for (const key in value) {
        const prop = schema.properties[key];
        path.push(key);
        if (!prop) {
          out.unknown.push(fieldPath(path));
          if (drop) delete value[key];
        } else {
          fields.push(key);
          walk(value[key], prop, path, fields, inner, out, drop);
          fields.pop();
        }
        path.pop();
      }
      return;
    }
    case 'array':
      if (!Array.isArray(value)) return wrong();
      for (let i = 0; i < value.length; i++) {
        if (value[i] === null) value[i] = zeroValue(schema.items);
        path.push(i);
        walk(value[i], schema.items, path, fields, owner, out, drop);
        path.pop();
      }
      return;
    case 'map':
      if (!isObject(value)) return wrong();
      for (const k in value) {
        if (value[k] === null) value[k] = zeroValue(schema.values);
        path.push(k);
        walk(value[k], schema.values, path, fields, owner, out, drop);
        path.pop();
      }
      return;
    case 'string':
      if (typeof value !== 'string') return wrong();
      if (schema.format === 'byte' && !BASE64.test(value)) out.typeError = `${out.converter ? 'error decoding from json: ' : ''}illegal base64 data at input byte ${badBase64Offset(value)}`;
      return;
    case 'integer':
      if (typeof value !== 'number') return wrong();
      return checkInteger(value, schema.format);
    case 'number':
      if (typeof value !== 'number') return wrong();
      return;
    case 'boolean':
      if (typeof value !== 'boolean') return wrong();
      return;
    case 'quantity':
      if (typeof value === 'number') return;
      if (typeof value !== 'string') return wrong();
      if (!QUANTITY.test(value)) out.typeError = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
      return;
    case 'int-or-string':
      // IntOrString decodes a number as its int32 (the error names that type).
      if (typeof value === 'number') return checkInteger(value, 'int32', 'int32');
      if (typeof value !== 'string') return wrong();
      return;
    case 'any':
      return;
    case 'either':
      return walkEither(value, schema, path, out);
  }
}

/**
 * A value of an `either` type, which its own UnmarshalJSON decodes with a lenient decoder: fields
 * it does not know are dropped without a word, whatever fieldValidation says.
 */
function walkEither(value: unknown, schema: EitherSchema, path: (string | number)[], out: Findings): void {
  if (typeof value === 'boolean' && schema.boolPb !== undefined) return;
  const lenient: Findings = { converter: out.converter, unknown: [] };
  if (isObject(value)) walk(value, schema.object, path, [], schema.object, lenient, true);
  else if (Array.isArray(value) && schema.list) for (const item of value) walk(item, schema.list.items, path, [], schema.object, lenient, true);
  else if (schema.boolPb !== undefined) lenient.typeError = 'boolean or JSON schema expected';
  out.typeError ??= lenient.typeError;
}

/**
 * What Go decodes a null list item or map value into: the zero value of the element type, as it
 * prints back (an empty struct, "", 0, false, "0" for a quantity). Nil slices, maps, times and
 * byte strings print as null, so those stay null.
 */
function zeroValue(schema: Schema): unknown {
  switch (schema.type) {
    case 'object':
      return {};
    case 'string':
      return schema.format === 'byte' || schema.format === 'date-time' ? null : '';
    case 'integer':
    case 'number':
    case 'int-or-string':
      return 0;
    case 'boolean':
      return false;
    case 'quantity':
      return '0';
    default:
      return null;
  }
}

/**
 * The converter's words for `value` where `schema` wants another type (fromUnstructured); undefined
 * for the types whose own UnmarshalJSON answers (times, quantities, int-or-string).
 */
function restoreError(value: unknown, schema: Schema): string | undefined {
  const from = Array.isArray(value) ? 'slice' : isObject(value) ? 'map' : typeof value === 'boolean' ? 'bool' : typeof value === 'number' ? (Number.isInteger(value) ? 'int64' : 'float64') : 'string';
  switch (schema.type) {
    case 'object':
      return `cannot restore struct from: ${from}`;
    case 'map':
      return `cannot restore map from ${from}`;
    case 'array':
      return `cannot restore slice from ${from}`;
    case 'string':
      if (schema.format === 'byte') return `cannot restore slice from ${from}`;
      if (schema.format === 'date-time') return undefined;
      return from === 'int64' ? 'cannot convert int64 to string' : 'unrecognized type: string';
    case 'integer':
      return from === 'float64' ? `cannot convert float64 to ${schema.format}` : `unrecognized type: ${schema.format}`;
    case 'number':
      return 'unrecognized type: float64';
    case 'boolean':
      return 'unrecognized type: bool';
    default:
      return undefined;
  }
}

function badBase64Offset(s: string): number {
  const i = s.search(/[^A-Za-z0-9+/=]/);
  return i >= 0 ? i : Math.floor(s.length / 4) * 4;
}

/**
 * The walk of a kind's fields. A custom resource is decoded as unstructured JSON: its unknown
 * fields are what pruning removes (kube-apiserver's schemaCoercingDecoder), its metadata is
 * checked as the ObjectMeta it is, and wrong types are left to its validation.
 */
function checkFields(obj: KubeObject, schema: ObjectSchema, out: Findings, mode: FieldValidation): void {
  if (!schema.unstructured) return walk(obj, schema, [], [], schema.name ? schema : '', out, mode !== 'Strict');
  const meta = schema.properties.metadata;
  if (meta && isObject(obj.metadata)) walk(obj.metadata, meta, ['metadata'], ['metadata'], meta.type === 'object' && meta.name ? meta : '', out, mode !== 'Strict');
  out.unknown.push(...pruneUnknown(obj, schema));
}

/**
 * Checks `obj` against its kind's schema. Returns the warnings to send (Warn) and throws the
 * apiserver's BadRequest for type errors, and for unknown fields under Strict. Under Ignore and
 * Warn, unknown fields are removed from `obj`. `text` is what the JSON text showed (json-text.ts).
 */
export function validateFields(obj: KubeObject, schema: ObjectSchema, mode: FieldValidation, text?: JsonTextFindings): string[] {
  const out: Findings = { converter: false, unknown: [], numbers: text?.numbers };
  const duplicates = text?.duplicates ?? [];
  checkFields(obj, schema, out, mode);
  const kind = String(obj.kind);
  const version = String(obj.apiVersion).split('/').pop();
  const prefix = `${kind} in version "${version}" cannot be handled as a ${kind}`;
  if (out.typeError) throw badRequest(`${prefix}: ${out.typeError}`);
  // The decoder keeps the first 100 distinct strict errors (sigs.k8s.io/json saveStrictError).
  const all = [...duplicates.map((f) => `duplicate field ${goQuote(f)}`), ...out.unknown.map((f) => `unknown field ${goQuote(f)}`)];
  const messages = [...new Set(all)].slice(0, MAX_STRICT_ERRORS);
  if (mode === 'Strict' && messages.length) throw badRequest(`${prefix}: strict decoding error: ${messages.join(', ')}`);
  return mode === 'Warn' ? messages : [];
}

export function parseFieldValidation(value: string | null): FieldValidation {
  if (value === null || value === '') return 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw badRequest(`fieldValidation parameter unsupported: ${value}`);
}

/**
 * validateFields for the object a strategic merge patch made, which the apiserver converts from
 * unstructured data (FromUnstructuredWithValidation): a type error, or unknown fields under
 * Strict, is 422 Invalid `patch: Invalid value: "<the patch as Go prints it>": <why>`.
 */
export function validateMergedFields(obj: KubeObject, schema: ObjectSchema, mode: FieldValidation, patch: unknown): string[] {
  const out: Findings = { converter: true, unknown: [] };
  checkFields(obj, schema, out, mode);
  const messages = out.unknown.map((f) => `unknown field ${goQuote(f)}`).sort();
  const why = out.typeError ?? (mode === 'Strict' && messages.length ? `strict decoding error: ${messages.join(', ')}` : undefined);
  if (why) throw invalid('', '', '', [invalidField('patch', goValue(patch), why)]);
  return mode === 'Warn' ? messages : [];
}
