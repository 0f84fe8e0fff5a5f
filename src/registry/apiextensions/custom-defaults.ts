// Defaulting of a custom resource (AE pkg/apiserver/schema/defaulting/algorithm.go, prunenulls.go):
// a field that is absent, or null where the schema does not allow null, gets a copy of its default,
// then defaulting goes on inside it, so nested defaults apply; nulls in non-nullable fields without
// a default are removed. Applied to request bodies and to every object read from storage (never
// persisted by a read), as kube-apiserver's decoders apply it.
import { isObject } from '../../api/meta.js';
import type { CrdSchema } from '../../api/crd.js';

const nonNullableNull = (v: unknown, s: CrdSchema | undefined) => v === null && s !== undefined && !s.nullable;
const additional = (s: CrdSchema) => (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);

/** Sets defaults in `x` (in place) along `s`. */
export function applyDefaults(x: unknown, s: CrdSchema | undefined): void {
  if (!s) return;
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      if (nonNullableNull(x[i], s.items) && s.items!.default !== undefined) x[i] = structuredClone(s.items!.default);
      applyDefaults(x[i], s.items);
    }
    return;
  }
  if (!isObject(x)) return;
  for (const [k, prop] of Object.entries(s.properties ?? {})) {
    if (prop.default === undefined) continue;
    if (!(k in x) || nonNullableNull(x[k], prop)) x[k] = structuredClone(prop.default);
  }
  const ap = additional(s);
  for (const k of Object.keys(x)) {
    const prop = s.properties?.[k];
    if (prop) applyDefaults(x[k], prop);
    else if (ap) {
      if (nonNullableNull(x[k], ap) && ap.default !== undefined) x[k] = structuredClone(ap.default);
      applyDefaults(x[k], ap);
    }
  }
}

/** Removes nulls where the schema allows none and has no default to put in their place. */
export function pruneNulls(x: unknown, s: CrdSchema | undefined): void {
  if (!s) return;
  if (Array.isArray(x)) {
    for (const v of x) pruneNulls(v, s.items);
    return;
  }
  if (!isObject(x)) return;
  const ap = additional(s);
  for (const k of Object.keys(x)) {
    const prop = s.properties?.[k] ?? ap;
    if (x[k] === null && prop && !prop.nullable && prop.default === undefined) delete x[k];
    else pruneNulls(x[k], prop);
  }
}
