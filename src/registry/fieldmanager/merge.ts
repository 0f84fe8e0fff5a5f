// An applied configuration merged over the live object (structured-merge-diff's typed/merge.go,
// with its ruleKeepRHS): leaves take the configuration's value, an explicit null included; structs
// and granular maps merge key by key; keyed lists and sets merge item by item, in an order that
// keeps both lists' relative orders where they agree; atomic lists and maps are replaced whole.
import { isObject } from '../../api/meta.js';
import type { Schema } from '../../api/schema.js';
import { elementString, fieldElement, pathString } from './path-element.js';
import { itemElement, shapeOf, ShapeError, type Shape } from './shape.js';
import { due, type Steps } from './steps.js';

type ListShape = Extract<Shape, { kind: 'list' }>;

export function merge(live: unknown, config: unknown, schema: Schema): Steps<unknown> {
  return mergeValue(live, config, schema, []);
}

/** `undefined` is absent; at least one side is present. */
function* mergeValue(l: unknown, r: unknown, schema: Schema | undefined, path: string[]): Steps<unknown> {
  const shape = shapeOf(schema, r !== undefined ? r : l);
  const leaf = () => (r !== undefined ? r : l);
  if (shape.kind === 'scalar') return leaf();
  if (shape.kind === 'list') {
    if (shape.relation === 'atomic' || !mergeable(l, r, Array.isArray)) return leaf();
    return yield* mergeList(shape, (l as unknown[] | null | undefined) ?? [], (r as unknown[] | null | undefined) ?? [], path);
  }
  if (shape.atomic || !mergeable(l, r, isObject)) return leaf();
  const lm = (l as Record<string, unknown> | null | undefined) ?? {};
  const rm = (r as Record<string, unknown> | null | undefined) ?? {};
  const out: Record<string, unknown> = {};
  function* child(key: string, lv: unknown, rv: unknown): Steps<void> {
    if (due()) yield;
    path.push(fieldElement(key));
    const v = yield* mergeValue(lv, rv, shape.kind === 'struct' ? shape.fields[key] : shape.kind === 'map' ? shape.values : undefined, path);
    path.pop();
    if (v !== undefined) out[key] = v;
  }
  for (const key of Object.keys(lm)) yield* child(key, lm[key], rm[key]);
  for (const key of Object.keys(rm)) if (!(key in lm)) yield* child(key, undefined, rm[key]);
  return Object.keys(out).length ? out : null;
}

/** Both sides are of the container's type (or absent or null), and not both empty. */
function mergeable(l: unknown, r: unknown, isType: (v: unknown) => boolean): boolean {
  const ok = (v: unknown) => v === undefined || v === null || isType(v);
  const size = (v: unknown) => (Array.isArray(v) ? v.length : isObject(v) ? Object.keys(v).length : 0);
  return ok(l) && ok(r) && size(l) + size(r) > 0;
}

function* mergeList(shape: ListShape, l: unknown[], r: unknown[], path: string[]): Steps<unknown> {
  const right = indexItems(shape, r, path, true);
  const left = indexItems(shape, l, path, false);
  const shared = right.order.filter((e) => left.items.has(e));
  let next = 0;
  const out: unknown[] = [];
  const mergedRight = new Set<string>();
  function* item(element: string, lv: unknown, rv: unknown): Steps<void> {
    if (due()) yield;
    path.push(element);
    const v = yield* mergeValue(lv, rv, shape.items, path);
    path.pop();
    if (v !== undefined) out.push(v);
  }
  const advance = (element: string) => {
    if (shared[next] === element) next++;
  };
  let li = 0;
  let ri = 0;
  while (li < left.order.length || ri < right.order.length) {
    if (li < left.order.length && ri < right.order.length) {
      const e = left.order[li]!;
      if (e === right.order[ri]) {
        mergedRight.add(e);
        yield* item(e, left.items.get(e), right.items.get(e));
        li++;
        ri++;
        advance(e);
        continue;
      }
      // An item both lists hold waits until the configuration's order reaches it.
      if (right.items.has(e) && next < shared.length && shared[next] !== e) {
        li++;
        continue;
      }
    }
    if (li < left.order.length) {
      const e = left.order[li]!;
      if (!right.items.has(e)) {
        yield* item(e, left.items.get(e), undefined);
        li++;
        continue;
      }
      if (mergedRight.has(e)) {
        li++;
        continue;
      }
    }
    if (ri < right.order.length) {
      const e = right.order[ri]!;
      mergedRight.add(e);
      yield* item(e, left.items.get(e), right.items.get(e));
      ri++;
      advance(e);
    }
  }
  return out.length ? out : null;
}

/** Items by path element, in list order. The configuration may not repeat one; the live object may. */
function indexItems(shape: ListShape, list: unknown[], path: string[], strict: boolean): { order: string[]; items: Map<string, unknown> } {
  const order: string[] = [];
  const items = new Map<string, unknown>();
  for (let i = 0; i < list.length; i++) {
    let element: string;
    try {
      element = itemElement(shape, i, list[i]);
    } catch (err) {
      if (err instanceof ShapeError) throw new ShapeError(`${pathString(path)}: element ${i}: ${err.message}`);
      throw err;
    }
    if (items.has(element)) {
      if (strict) throw new ShapeError(`${pathString(path)}: duplicate entries for key ${elementString(element)}`);
      continue;
    }
    items.set(element, list[i]);
    order.push(element);
  }
  return { order, items };
}
