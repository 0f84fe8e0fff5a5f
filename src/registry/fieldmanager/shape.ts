// How ownership sees a schema node (structured-merge-diff's schema atoms, as kube-openapi's
// schemaconv derives them from x-kubernetes-list-type, -list-map-keys, -map-type and the patch
// strategy): a scalar leaf, a struct of named fields, a map of keys, or a list that is atomic, a
// set, or keyed by some of its items' fields. Nodes without a type (`any`) are deduced from the
// value: objects are granular maps, lists atomic; so are `either` nodes, which OpenAPI gives no type.
import { isObject } from '../../api/meta.js';
import type { ArraySchema, Schema } from '../../api/schema.js';
import { indexElement, keyElement, valueElement } from './path-element.js';

export type Shape =
  | { kind: 'scalar' }
  | { kind: 'struct'; fields: Record<string, Schema>; atomic: boolean }
  | { kind: 'map'; values: Schema | undefined; atomic: boolean }
  | { kind: 'list'; items: Schema | undefined; relation: 'atomic' | 'set' | 'map'; keys: readonly string[] };

const SCALAR: Shape = { kind: 'scalar' };
const DEDUCED_MAP: Shape = { kind: 'map', values: undefined, atomic: false };
const DEDUCED_LIST: Shape = { kind: 'list', items: undefined, relation: 'atomic', keys: [] };

const shapes = new WeakMap<Schema, Shape>();

export function shapeOf(schema: Schema | undefined, value: unknown): Shape {
  if (!schema || schema.type === 'any' || schema.type === 'either') return isObject(value) ? DEDUCED_MAP : Array.isArray(value) ? DEDUCED_LIST : SCALAR;
  let shape = shapes.get(schema);
  if (!shape) shapes.set(schema, (shape = shapeOfSchema(schema)));
  return shape;
}

function shapeOfSchema(schema: Schema): Shape {
  switch (schema.type) {
    case 'object':
      return { kind: 'struct', fields: schema.properties, atomic: schema.mapType === 'atomic' };
    case 'map':
      return { kind: 'map', values: schema.values, atomic: false };
    case 'array':
      return { kind: 'list', items: schema.items, ...listRelation(schema) };
    default:
      return SCALAR;
  }
}

/** x-kubernetes-list-type wins; without it a merge patch strategy makes a keyed list (or a set), else atomic. */
function listRelation(schema: ArraySchema): { relation: 'atomic' | 'set' | 'map'; keys: readonly string[] } {
  if (schema.listType === 'map') return { relation: 'map', keys: schema.listMapKeys ?? [] };
  if (schema.listType) return { relation: schema.listType, keys: [] };
  if (schema.patchStrategy?.startsWith('merge')) {
    return schema.mergeKey ? { relation: 'map', keys: [schema.mergeKey] } : { relation: 'set', keys: [] };
  }
  return { relation: 'atomic', keys: [] };
}

export class ShapeError extends Error {}

/** The path element of a list item (typed/helpers.go listItemToPathElement). */
export function itemElement(shape: Extract<Shape, { kind: 'list' }>, index: number, item: unknown): string {
  if (shape.relation === 'atomic') return indexElement(index);
  if (shape.relation === 'set') {
    if (item === null || item === undefined) throw new ShapeError("associative list without keys has an element that's an explicit null");
    if (Array.isArray(item)) throw new ShapeError('not supported: associative list with lists as elements');
    if (isObject(item)) throw new ShapeError("associative list without keys has an element that's a map type");
    return valueElement(item);
  }
  if (item === null || item === undefined) throw new ShapeError('associative list with keys may not have a null element');
  if (!isObject(item)) throw new ShapeError('associative list with keys may not have non-map elements');
  const fields: [string, unknown][] = [];
  const itemSchema = shape.items?.type === 'object' ? shape.items : undefined;
  for (const key of shape.keys) {
    let v = item[key];
    if (v === undefined) v = itemSchema?.properties[key]?.default;
    if (v === undefined) throw new ShapeError(`associative list with keys has an element that omits key field ${JSON.stringify(key)} (and doesn't have default value)`);
    fields.push([key, v]);
  }
  return keyElement(fields);
}
