// Reading the loosely typed JSON of a PodSpec, and the Go behaviours its checks depend on.
import { isObject } from '../../../api/meta.js';

export type Obj = Record<string, unknown>;

export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
export const obj = (v: unknown): Obj | undefined => (isObject(v) ? v : undefined);
/** Go's len() of a string: UTF-8 bytes. */
export const byteLen = (s: string): number => Buffer.byteLength(s, 'utf8');
/** Go's sort.Strings order. */
export const goSorted = (values: readonly string[]): string[] => [...values].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

export const MAX_INT32 = 2147483647;
