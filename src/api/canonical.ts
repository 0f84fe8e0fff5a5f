// The canonical JSON form of an object, as a round trip through Kubernetes' Go types gives it.
// Go's JSON encoding drops the zero value of a non-pointer field tagged omitempty, and keeps a
// pointer field that is set, even to its zero value. So, for a property of an object:
//   - null vanishes (an unset pointer, slice or map);
//   - an empty list or map vanishes, unless the field is required;
//   - "", 0 and false vanish, unless the field is a pointer (`pointer`), has no omitempty
//     (`keepZero`) or is required (`hostPort: 0`, `stdin: false` go; `replicas: 0`,
//     `automountServiceAccountToken: false`, `containerPort`, `allowed: false` stay);
//   - everything else stays, empty objects included (Go's omitempty never drops a struct).
// List elements and map values are never dropped (`apiGroups: [""]`, a label `a: ""`).
import { isObject } from './meta.js';
import type { Schema } from './schema.js';

export function canonicalize(value: unknown, schema: Schema): void {
  if (schema.type === 'either') {
    if (isObject(value)) canonicalize(value, schema.object);
    else if (schema.list && Array.isArray(value)) for (const item of value) canonicalize(item, schema.list.items);
    return;
  }
  if (schema.type === 'array' && Array.isArray(value)) {
    for (const item of value) canonicalize(item, schema.items);
    return;
  }
  if (schema.type === 'map' && isObject(value)) {
    for (const v of Object.values(value)) canonicalize(v, schema.values);
    return;
  }
  if (schema.type !== 'object' || !isObject(value)) return;
  if (schema.unstructured) {
    // A custom resource is kept as sent; only the Go types inside it (its metadata) take their form.
    for (const [key, prop] of Object.entries(schema.properties)) if (prop.type === 'object' && isObject(value[key])) canonicalize(value[key], prop);
    return;
  }
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

/** Whether Go's omitempty drops `v` as the value of a field described by `schema`. */
function isEmpty(v: unknown, schema: Schema): boolean {
  switch (schema.type) {
    case 'array':
      return Array.isArray(v) && v.length === 0 && !schema.keepEmpty;
    case 'map':
      return isObject(v) && Object.keys(v).length === 0;
    case 'string':
      return v === '' && !keepsZero(schema);
    case 'integer':
    case 'number':
      return v === 0 && !keepsZero(schema);
    case 'boolean':
      return v === false && !keepsZero(schema);
    default:
      return false;
  }
}

const keepsZero = (schema: Schema): boolean => schema.pointer === true || schema.keepZero === true;
