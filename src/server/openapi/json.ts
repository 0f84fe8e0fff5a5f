// The JSON of the documents: serialized as Go's encoding/json writes maps (keys sorted, <, >, & and
// U+2028/9 escaped), hashed as kube-openapi hashes them, and searched for references.
import { createHash } from 'node:crypto';
import { goJson } from '../../api/go-json.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Where components (v3) and definitions (v2) are referenced from. */
export const REF = '#/components/schemas/';
export const REF_V2 = '#/definitions/';

export function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  const out: JsonObject = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]!);
  return out;
}

/** The bytes served: json.Marshal of the document, its maps' keys sorted. */
export const documentJson = (v: Json): string => goJson(sortKeys(v));

export const sha512Hex = (s: string) => createHash('sha512').update(s).digest('hex').toUpperCase();

/** The names a value refers to through `$ref`s starting with `prefix`. */
export function collectRefs(v: Json, prefix = REF, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) for (const x of v) collectRefs(x, prefix, out);
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string' && x.startsWith(prefix)) out.add(x.slice(prefix.length));
      else collectRefs(x, prefix, out);
    }
  return out;
}
