// Reading JSON the registry has not validated yet (a body on its way to defaulting and
// validation) field by field: each helper answers the value when it has the type asked for, else
// an empty or undefined one — the shape of Go's zero values, which validation and defaulting code
// follow. Code outside the registry reads stored objects through the typed kinds (api/kinds.ts).
import { isObject } from '../api/meta.js';

export type Obj = Record<string, unknown>;

export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
export const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
export const obj = (v: unknown): Obj | undefined => (isObject(v) ? v : undefined);
/** The elements of an array (none for anything else). */
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** The object elements of an array, the others skipped. */
export const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** A field holding an object: that object, or a fresh empty one (not stored back). */
export const field = (o: unknown, key: string): Obj => (isObject(o) && isObject(o[key]) ? o[key] : {});
/** `o[key]`, made an empty object first when it is not one: for code that fills it in. */
export function fieldToFill(o: Obj, key: string): Obj {
  if (!isObject(o[key])) o[key] = {};
  return o[key] as Obj;
}

/** An object's spec (or an empty one), read as `T`. */
export const specOf = <T extends object = Obj>(o: object): T => field(o, 'spec') as T;
/** An object's status (or an empty one), read as `T`. */
export const statusOf = <T extends object = Obj>(o: object): T => field(o, 'status') as T;
/** An object's spec, made first when missing: for code that fills it in. */
export const specToFill = <T extends object = Obj>(o: object): T => fieldToFill(o as Obj, 'spec') as T;
