// The fields an object sets (structured-merge-diff's typed/tofieldset.go): what an applied
// configuration owns. Scalars, list items, map keys and atomic lists and maps are members; a
// struct's own fields are not (only what they hold), so an applier owns `spec.replicas`, not `spec`.
import { isObject } from '../../api/meta.js';
import type { Schema } from '../../api/schema.js';
import { SetBuilder, type Fields } from './field-set.js';
import { itemElement, shapeOf, ShapeError } from './shape.js';
import { fieldElement, pathString } from './path-element.js';
import { due, type Steps } from './steps.js';

export function* toFieldSet(value: unknown, schema: Schema): Steps<Fields> {
  const set = new SetBuilder();
  yield* walk(value, schema, set, []);
  return yield* set.finish();
}

function* walk(value: unknown, schema: Schema | undefined, set: SetBuilder, path: string[]): Steps<void> {
  const shape = shapeOf(schema, value);
  switch (shape.kind) {
    case 'scalar':
      return set.insert(path);
    case 'list': {
      if (shape.relation === 'atomic') return set.insert(path);
      if (!Array.isArray(value)) return;
      for (let i = 0; i < value.length; i++) {
        const element = elementOf(shape, i, value[i], path);
        path.push(element);
        if (due()) yield;
        yield* walk(value[i], shape.items, set, path);
        set.insert(path);
        path.pop();
      }
      return;
    }
    default: {
      if (shape.atomic) return set.insert(path);
      if (!isObject(value)) return;
      const fields = shape.kind === 'struct' ? shape.fields : undefined;
      for (const [key, v] of Object.entries(value)) {
        const declared = fields?.[key];
        const element = fieldElement(key);
        path.push(element);
        if (due()) yield;
        const childSchema = declared ?? (shape.kind === 'map' ? shape.values : undefined);
        if (shapeOf(childSchema, v).kind === 'scalar') set.insert(path);
        else yield* walk(v, childSchema, set, path);
        if (!declared) set.insert(path);
        path.pop();
      }
    }
  }
}

function elementOf(shape: Parameters<typeof itemElement>[0], index: number, item: unknown, path: string[]): string {
  try {
    return itemElement(shape, index, item);
  } catch (err) {
    if (err instanceof ShapeError) throw new ShapeError(`${pathString(path)}: element ${index}: ${err.message}`);
    throw err;
  }
}
