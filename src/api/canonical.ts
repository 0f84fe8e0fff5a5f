// The canonical JSON form of an object, as a round trip through Kubernetes' Go types gives it:
// nulls, empty lists, empty maps and empty strings of optional fields (Go's omitempty) vanish,
// while empty objects stay.
import { isObject } from './meta.js';
import type { Schema } from './schema.js';

export function canonicalize(value: unknown, schema: Schema): void {
  if (schema.type === 'array' && Array.isArray(value)) {
    for (const item of value) canonicalize(item, schema.items);
    return;
  }
  if (schema.type === 'map' && isObject(value)) {
    for (const v of Object.values(value)) canonicalize(v, schema.values);
    return;
  }
  if (schema.type !== 'object' || !isObject(value)) return;
  const required = schema.required ?? [];
  for (const [key, v] of Object.entries(value)) {
    const prop = schema.properties[key];
    if (!prop) continue;
    if (v === null || v === undefined) {
      delete value[key];
      continue;
    }
    if (!required.includes(key) && isEmpty(v, prop)) {
      delete value[key];
      continue;
    }
    canonicalize(v, prop);
  }
}

function isEmpty(v: unknown, schema: Schema): boolean {
  if (schema.type === 'array') return Array.isArray(v) && v.length === 0;
  if (schema.type === 'map') return isObject(v) && Object.keys(v).length === 0;
  if (schema.type === 'string') return v === '';
  return false;
}
