// fieldValidation: fields the kind's schema does not know (Strict: 400, Warn: a Warning header,
// Ignore: dropped), and values of the wrong JSON type (always 400, as Go's decoder rejects them).
// The result of a strategic merge patch is converted from unstructured data instead of decoded,
// which words type errors its own way and answers 422 (validateMergedFields).
import { badRequest, invalid } from '../api/errors.js';
import { invalid as invalidField } from '../api/field-errors.js';
import { isObject, type KubeObject } from '../api/meta.js';
import type { ObjectSchema, Schema } from '../api/schema.js';
import { jsonType } from './body.js';
import { fieldPath } from './duplicate-fields.js';
import { goValue } from './patch/strategic-merge.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

interface Findings {
  /** Word type errors as runtime.DefaultUnstructuredConverter does, not as the JSON decoder. */
  converter: boolean;
  unknown: string[];
  typeError?: string;
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
  }
}

/** The Go struct name of a named object schema ("io.k8s.api.core.v1.PodSpec" is PodSpec). */
const structName = (s: Schema & { type: 'object' }) => s.name!.slice(s.name!.lastIndexOf('.') + 1);

/**
 * Walks `value` along `schema`. `path` holds the parts from the root (joined only for a finding);
 * `owner` is the nearest named object schema, whose Go struct the decoder's messages name.
 */
function walk(value: unknown, schema: Schema, path: (string | number)[], owner: string | (Schema & { type: 'object' }), out: Findings, drop: boolean): void {
  if (value === null || value === undefined || out.typeError) return;
  const wrong = (v: unknown = value) => {
    const restore = out.converter ? restoreError(v, schema) : undefined;
    if (restore) return void (out.typeError = restore);
    const what = typeof v === 'number' && schema.type === 'integer' ? `number ${v}` : jsonType(v);
    const struct = typeof owner === 'string' ? owner : structName(owner);
    out.typeError = `json: cannot unmarshal ${what} into Go struct field ${struct}.${fieldPath(path)} of type ${goType(schema)}`;
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
        } else walk(value[key], prop, path, inner, out, drop);
        path.pop();
      }
      return;
    }
    case 'array':
      if (!Array.isArray(value)) return wrong();
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        walk(value[i], schema.items, path, owner, out, drop);
        path.pop();
      }
      return;
    case 'map':
      if (!isObject(value)) return wrong();
      for (const k in value) {
        path.push(k);
        walk(value[k], schema.values, path, owner, out, drop);
        path.pop();
      }
      return;
    case 'string':
      if (typeof value !== 'string') return wrong();
      if (schema.format === 'byte' && !BASE64.test(value)) out.typeError = `${out.converter ? 'error decoding from json: ' : ''}illegal base64 data at input byte ${badBase64Offset(value)}`;
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return wrong();
      return;
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
      if (typeof value !== 'number' && typeof value !== 'string') return wrong();
      return;
    case 'any':
      return;
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
 * Checks `obj` against its kind's schema. Returns the warnings to send (Warn) and throws the
 * apiserver's BadRequest for type errors, and for unknown fields under Strict. Under Ignore and
 * Warn, unknown fields are removed from `obj`.
 */
export function validateFields(obj: KubeObject, schema: ObjectSchema, mode: FieldValidation, duplicates: string[] = []): string[] {
  const out: Findings = { converter: false, unknown: [] };
  walk(obj, schema, [], schema.name ? schema : '', out, mode !== 'Strict');
  const kind = String(obj.kind);
  const version = String(obj.apiVersion).split('/').pop();
  const prefix = `${kind} in version "${version}" cannot be handled as a ${kind}`;
  if (out.typeError) throw badRequest(`${prefix}: ${out.typeError}`);
  const messages = [...duplicates.map((f) => `duplicate field "${f}"`), ...out.unknown.map((f) => `unknown field "${f}"`)];
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
  walk(obj, schema, [], schema.name ? schema : '', out, mode !== 'Strict');
  const messages = out.unknown.map((f) => `unknown field "${f}"`).sort();
  const why = out.typeError ?? (mode === 'Strict' && messages.length ? `strict decoding error: ${messages.join(', ')}` : undefined);
  if (why) throw invalid('', '', '', [invalidField('patch', goValue(patch), why)]);
  return mode === 'Warn' ? messages : [];
}
