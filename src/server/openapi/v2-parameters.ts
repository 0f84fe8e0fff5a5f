// kube-openapi's v2 builder writes most parameters once, under the document's `parameters`, and
// refers to them (builder/parameters.go deduplicateParameters): every parameter but a few that
// name their kind (the `name` parameter, a body of the kind's schema) and the two kubectl looks for
// in the operation itself (fieldValidation, dryRun). The name is the parameter's name and a hash of
// its JSON: 8 characters of FNV-1 64 in URL-safe base64.
import { goJson } from '../../api/go-json.js';
import { sortKeys, type JsonObject } from './json.js';

const PARAMETERS_REF = '#/parameters/';

function kept(p: JsonObject): boolean {
  if ((p.in === 'query' || p.in === 'path') && p.name === 'name') return true;
  if (p.in === 'query' && (p.name === 'fieldValidation' || p.name === 'dryRun')) return true;
  const ref = (p.schema as JsonObject | undefined)?.$ref;
  return p.in === 'body' && typeof ref === 'string' && !ref.startsWith('#/definitions/io.k8s.apimachinery');
}

/** FNV-1 (Go's hash/fnv New64) of the text's UTF-8 bytes. */
function fnv1x64(text: string): Buffer {
  let h = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text)) h = ((h * 0x100000001b3n) & 0xffffffffffffffffn) ^ BigInt(byte);
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(h);
  return out;
}

const shortHash = (text: string) => fnv1x64(text).subarray(0, 6).toString('base64url');

/** Replaces the shared parameters of `paths` (changed in place) with references; returns the document's `parameters`. */
export function shareParameters(paths: JsonObject): JsonObject {
  const lists: JsonObject[][] = [];
  for (const item of Object.values(paths) as JsonObject[])
    for (const [key, value] of Object.entries(item)) {
      const list = (key === 'parameters' ? value : (value as JsonObject).parameters) as JsonObject[] | undefined;
      if (list) lists.push(list);
    }
  const nameByJson = new Map<string, string>();
  for (const list of lists) for (const p of list) if (!kept(p)) nameByJson.set(goJson(sortKeys(p)), '');
  const parameters: JsonObject = {};
  for (const json of [...nameByJson.keys()].sort()) {
    const p = JSON.parse(json) as JsonObject;
    let name = `${p.name}-${shortHash(json)}`;
    for (let i = 1; parameters[name]; i++) name = `${p.name}-${i}`;
    parameters[name] = p;
    nameByJson.set(json, name);
  }
  for (const list of lists)
    list.forEach((p, i) => {
      const name = !kept(p) && nameByJson.get(goJson(sortKeys(p)));
      if (name) list[i] = { $ref: PARAMETERS_REF + name };
    });
  return parameters;
}
