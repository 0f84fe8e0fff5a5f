// Field-level validation errors, worded as k8s.io/apimachinery/pkg/util/validation/field words them.
import { aggregateText } from './aggregate.js';

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** A value an error message leaves out (Go's omitValue). */
export const OMIT = Symbol('omit');

export interface FieldError {
  type: FieldErrorType;
  field: string;
  value: unknown;
  detail: string;
}

/** The message without the field path (a Status cause's `message`). */
export function errorBody(e: FieldError): string {
  let s = TYPE_TEXT[e.type];
  const valueless = ['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong', 'InternalError'].includes(e.type);
  if (!valueless && e.value !== OMIT) s += `: ${formatValue(e.value)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

export function errorText(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

/** Go's %q for strings, %v for numbers and booleans, a Go-ish literal otherwise. */
function formatValue(v: unknown): string {
  // Structs and maps carry the text Go's %#v gives them (registry/resources/go-values.ts).
  if (typeof v === 'object' && v !== null && typeof (v as { goString?: unknown }).goString === 'function') return (v as { goString(): string }).goString();
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[]string{${v.map((x) => JSON.stringify(x)).join(', ')}}`;
  return JSON.stringify(v);
}

export const required = (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, value: '', detail });
export const invalid = (field: string, value: unknown, detail = ''): FieldError => ({ type: 'FieldValueInvalid', field, value, detail });
export const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, value: '', detail });
export const duplicate = (field: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, value, detail: '' });
export const notFound = (field: string, value: unknown): FieldError => ({ type: 'FieldValueNotFound', field, value, detail: '' });
export const notSupported = (field: string, value: unknown, valid: readonly string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  value,
  detail: valid.length ? `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}` : '',
});
export const tooLong = (field: string, max: number): FieldError => ({ type: 'FieldValueTooLong', field, value: '', detail: `may not be more than ${max} bytes` });
export const tooMany = (field: string, actual: number, max: number): FieldError => ({
  type: 'FieldValueTooMany',
  field,
  value: actual >= 0 ? actual : OMIT,
  detail: max >= 0 ? `must have at most ${max} items` : 'has too many items',
});

/** Go's utilerrors.Aggregate text: one message alone, several as "[a, b]", duplicates dropped. */
export function aggregate(errors: FieldError[]): string {
  return aggregateText(errors.map(errorText));
}
