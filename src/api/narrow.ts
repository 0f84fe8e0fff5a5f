// Reading untyped JSON (a request body, an object from the API) field by field: each helper
// answers the value when it has the type asked for, else an empty or undefined one — the shape
// of Go's zero values, which validation and defaulting code follow.
import { isObject } from './meta.js';

export type Obj = Record<string, unknown>;

export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
export const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
export const obj = (v: unknown): Obj | undefined => (isObject(v) ? v : undefined);
/** The elements of an array (none for anything else). */
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** The object elements of an array, the others skipped. */
export const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObject) : []);
