// RFC 7386 JSON merge patch (application/merge-patch+json) as kube-apiserver applies it, with the
// details of gopkg.in/evanphx/json-patch.v4 `MergePatch`:
//   - a value put where there was none (or null) has its nulls pruned, in objects and in arrays;
//   - a patch that is an array replaces the document (the decode that follows rejects it);
//   - a patch that is null, a string, a number or a boolean is 400 BadRequest "Invalid JSON Patch"
//     (ErrBadJSONPatch, turned into NewBadRequest by endpoints/handlers/patch.go).
import { badRequest } from '../../api/errors.js';

type Json = null | boolean | number | string | Json[] | JsonMap;
interface JsonMap {
  [key: string]: Json;
}

/** Applies a merge patch to a copy of `doc`; neither argument is modified. */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object') throw badRequest('Invalid JSON Patch');
  const p = structuredClone(patch) as Json;
  if (!isMap(p) || !isMap(doc)) return prune(p);
  return mergeInto(structuredClone(doc), p);
}

function mergeInto(doc: JsonMap, patch: JsonMap): JsonMap {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete doc[key];
      continue;
    }
    const current = Object.hasOwn(doc, key) ? doc[key] : null;
    put(doc, key, current === null || current === undefined ? prune(value) : merge(current, value));
  }
  return doc;
}

function merge(current: Json, patch: Json): Json {
  if (!isMap(current)) return prune(patch);
  if (!isMap(patch)) return patch;
  return mergeInto(current, patch);
}

/** Removes null members of objects and null elements of arrays, recursively. */
function prune(value: Json): Json {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map(prune);
  if (isMap(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (v === null) delete value[k];
      else put(value, k, prune(v));
    }
  }
  return value;
}

function put(m: JsonMap, key: string, value: Json): void {
  Object.defineProperty(m, key, { value, writable: true, enumerable: true, configurable: true });
}

const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);
