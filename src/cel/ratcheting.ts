// Validation ratcheting (CRDValidationRatcheting, GA in 1.33): on update, a rule that does not read oldSelf
// does not fail a value that is unchanged from its correlated old value; its failure becomes a warning.
// Unchanged is apiextensions' CorrelatedObject.CachedDeepEqual: objects key by key, map lists item by item
// by their keys (in any order), other lists and scalars as they are.
import type { Schema } from './schema.js';

/** Whether v equals old as Kubernetes' correlation compares them. */
export function unchanged(s: Schema | undefined, v: unknown, old: unknown): boolean {
  if (v === null || v === undefined || old === null || old === undefined) return (v ?? null) === (old ?? null);
  if (Array.isArray(v) || Array.isArray(old)) {
    if (!Array.isArray(v) || !Array.isArray(old) || v.length !== old.length) return false;
    if (s?.['x-kubernetes-list-type'] !== 'map') return deepEqual(v, old);
    const keys = s['x-kubernetes-list-map-keys'] ?? [];
    const keyOf = (x: unknown) => JSON.stringify(keys.map((k) => (x as Record<string, unknown> | null)?.[k] ?? null));
    const byKey = new Map(old.map((x) => [keyOf(x), x]));
    return v.every((x) => byKey.has(keyOf(x)) && unchanged(s.items, x, byKey.get(keyOf(x))));
  }
  if (typeof v === 'object' || typeof old === 'object') {
    if (typeof v !== 'object' || typeof old !== 'object') return false;
    const a = v as Record<string, unknown>;
    const b = old as Record<string, unknown>;
    if (Object.keys(a).length !== Object.keys(b).length) return false;
    const extra = typeof s?.additionalProperties === 'object' ? s.additionalProperties : undefined;
    return Object.keys(a).every((k) => k in b && unchanged(s?.properties?.[k] ?? extra, a[k], b[k]));
  }
  return v === old;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/** A check computed at most once (a node's equality is asked by each of its failing rules and children). */
export function once(f: () => boolean): () => boolean {
  let r: boolean | undefined;
  return () => (r ??= f());
}
