// Taking a set of paths out of an object (structured-merge-diff's typed/remove.go), which is how
// apply prunes what a manager stopped applying; and the set with its struct fields made members
// (fieldpath.Set EnsureNamedFieldsAreMembers), so that pruning can take a whole struct field.
import { isObject } from '../../api/meta.js';
import type { Schema } from '../../api/schema.js';
import { below, EMPTY, has, isEmpty, type Fields } from './field-set.js';
import { fieldElement } from './path-element.js';
import { itemElement, shapeOf } from './shape.js';
import { due, type Steps } from './steps.js';

/** The value without the paths of the set (a container left empty becomes null, as upstream). */
export function* removeItems(value: unknown, set: Fields, schema: Schema | undefined): Steps<unknown> {
  if (isEmpty(set)) return value;
  const shape = shapeOf(schema, value);
  if (shape.kind === 'scalar') return value;
  if (shape.kind === 'list') {
    if (!Array.isArray(value)) return value;
    if (!value.length || shape.relation === 'atomic') return null;
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const element = itemElement(shape, i, value[i]);
      if (has(set, [element])) continue;
      const sub = below(set, element);
      if (due()) yield;
      out.push(isEmpty(sub) ? value[i] : yield* removeItems(value[i], sub, shape.items));
    }
    return out.length ? out : null;
  }
  if (!isObject(value)) return value;
  if (shape.atomic || !Object.keys(value).length) return null;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const element = fieldElement(key);
    if (has(set, [element])) continue;
    const sub = below(set, element);
    if (due()) yield;
    out[key] = isEmpty(sub) ? v : yield* removeItems(v, sub, shape.kind === 'struct' ? shape.fields[key] : shape.values);
  }
  return Object.keys(out).length ? out : null;
}

/** The set, with every struct field that has paths below it a member too. */
export function withNamedFields(set: Fields, schema: Schema | undefined): Fields {
  if (isEmpty(set)) return set;
  const shape = shapeOf(schema, undefined);
  const out: Fields = {};
  for (const [element, node] of Object.entries(set)) {
    if (isEmpty(node)) {
      out[element] = node;
      continue;
    }
    const declared = shape.kind === 'struct' && element.startsWith('f:') ? shape.fields[element.slice(2)] : undefined;
    const childSchema = declared ?? (shape.kind === 'map' ? shape.values : shape.kind === 'list' ? shape.items : undefined);
    const inner = withNamedFields(below(set, element), childSchema);
    out[element] = '.' in node || declared ? { ...inner, '.': EMPTY } : inner;
  }
  return out;
}
