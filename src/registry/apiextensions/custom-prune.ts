// Pruning of a custom resource (AE pkg/apiserver/schema/pruning/algorithm.go): fields the schema
// does not declare are removed, except below x-kubernetes-preserve-unknown-fields (where declared
// properties are still pruned) and apiVersion, kind and metadata at the root and in embedded
// resources. It answers the paths it removed, sorted ("spec.foo", "spec.items[0].bar"), which
// fieldValidation warns about or refuses.
import { isObject } from '../../api/meta.js';
import type { Schema } from '../../api/schema.js';

const META_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/** Prunes `obj` (a custom resource) in place along its kind's schema; answers the removed paths. */
export function pruneUnknown(obj: unknown, schema: Schema): string[] {
  const pruned: string[] = [];
  prune(obj, schema, '', true, pruned);
  return pruned.sort();
}

const key = (path: string, k: string) => (path ? `${path}.${k}` : k);

function prune(x: unknown, s: Schema | undefined, path: string, embedded: boolean, out: string[]): void {
  if (s?.type === 'any' || s?.type === 'int-or-string') return;
  if (Array.isArray(x)) {
    const items = s?.type === 'array' ? s.items : undefined;
    for (let i = 0; i < x.length; i++) prune(x[i], items, `${path}[${i}]`, items?.type === 'object' && !!items.embeddedResource, out);
    return;
  }
  if (!isObject(x)) return;
  if (s?.type === 'map') {
    for (const k in x) prune(x[k], s.values, key(path, k), false, out);
    return;
  }
  const props = s?.type === 'object' ? s.properties : undefined;
  const preserve = s?.type === 'object' && !!s.preserveUnknownFields;
  for (const k of Object.keys(x)) {
    if (embedded && META_FIELDS.has(k)) continue;
    const prop = props?.[k];
    if (prop) prune(x[k], prop, key(path, k), prop.type === 'object' && !!prop.embeddedResource, out);
    else if (!preserve) {
      delete x[k];
      out.push(key(path, k));
    }
  }
}
