// What a write changed (structured-merge-diff's typed/compare.go): the paths added, modified and
// removed between the live object and the new one. Leaves (scalars, atomic lists and maps, and
// lists or maps empty on both sides) compare by value; a list item, map key or struct field that
// appears or disappears is itself added or removed, which is why a new map records `.`.
//
// The objects compared are JSON, where Kubernetes compares Go values: a struct held by value
// (schema `keepZero`, and every kind's metadata, spec and status) exists in Go even when empty, and
// a zero metav1.Time is null, so both count as present, as they do upstream.
import { deepEqual, isObject } from '../../api/meta.js';
import type { ObjectSchema, Schema } from '../../api/schema.js';
import { SetBuilder, type Fields } from './field-set.js';
import { fieldElement } from './path-element.js';
import { itemElement, shapeOf } from './shape.js';
import { due, type Steps } from './steps.js';

export interface Comparison {
  added: Fields;
  modified: Fields;
  removed: Fields;
}

const ROOT_STRUCTS = new Set(['metadata', 'spec', 'status']);
/** What `yield*` of a walk with no steps takes. */
const NOTHING: [] = [];

export function* compare(lhs: unknown, rhs: unknown, schema: Schema): Steps<Comparison> {
  const w = new Walk();
  yield* w.visit(lhs, rhs, schema, true);
  return { added: yield* w.added.finish(), modified: yield* w.modified.finish(), removed: yield* w.removed.finish() };
}

class Walk {
  readonly added = new SetBuilder();
  readonly modified = new SetBuilder();
  readonly removed = new SetBuilder();
  private readonly path: string[] = [];

  /** `undefined` is absent; at least one side is present. */
  *visit(l: unknown, r: unknown, schema: Schema | undefined, root = false): Steps<void> {
    const shape = shapeOf(schema, r !== undefined ? r : l);
    if (shape.kind === 'scalar') return this.leaf(l, r);
    if (shape.kind === 'list') {
      const ll = Array.isArray(l) ? l : undefined;
      const rl = Array.isArray(r) ? r : undefined;
      if (shape.relation === 'atomic' || (!ll?.length && !rl?.length) || (l !== undefined && l !== null && !ll) || (r !== undefined && r !== null && !rl)) return this.leaf(l, r);
      yield* this.listItems(shape, ll ?? [], rl ?? []);
    } else {
      const lm = isObject(l) ? l : undefined;
      const rm = isObject(r) ? r : undefined;
      const empty = (m: Record<string, unknown> | undefined) => !m || Object.keys(m).length === 0;
      if (shape.atomic || (empty(lm) && empty(rm)) || (l !== undefined && l !== null && !lm) || (r !== undefined && r !== null && !rm)) return this.leaf(l, r);
      const struct = shape.kind === 'struct' ? (schema as ObjectSchema) : undefined;
      yield* this.mapItems(struct, shape.kind === 'map' ? shape.values : undefined, lm ?? {}, rm ?? {}, l !== undefined, r !== undefined, root);
    }
    if (root) return;
    if (l === undefined) this.added.insert(this.path);
    else if (r === undefined) this.removed.insert(this.path);
  }

  private leaf(l: unknown, r: unknown): void {
    if (l === undefined) this.added.insert(this.path);
    else if (r === undefined) this.removed.insert(this.path);
    else if (!deepEqual(l, r)) this.modified.insert(this.path);
  }

  /** `lIn` and `rIn`: whether each side exists (Go's value of an existing struct holds its zero fields). */
  private *mapItems(struct: ObjectSchema | undefined, values: Schema | undefined, l: Record<string, unknown>, r: Record<string, unknown>, lIn: boolean, rIn: boolean, root: boolean): Steps<void> {
    const keys = Object.keys(l);
    for (const key of Object.keys(r)) if (!(key in l)) keys.push(key);
    for (const key of keys) {
      if (due()) yield;
      let lv = l[key];
      let rv = r[key];
      const declared = struct?.properties[key];
      if (declared) {
        if (lv === undefined && lIn) lv = zeroOf(struct!, declared, key, root, rv);
        if (rv === undefined && rIn) rv = zeroOf(struct!, declared, key, root, lv);
      }
      if (lv === undefined && rv === undefined) continue;
      this.path.push(fieldElement(key));
      yield* this.child(lv, rv, declared ?? values);
      this.path.pop();
    }
  }

  /** A child: scalars compared in place (no generator made for them), containers walked. */
  private child(l: unknown, r: unknown, schema: Schema | undefined): Steps<void> | [] {
    if (shapeOf(schema, r !== undefined ? r : l).kind !== 'scalar') return this.visit(l, r, schema);
    this.leaf(l, r);
    return NOTHING;
  }

  /** Items in both lists are compared in place; the order of the output does not matter here. */
  private *listItems(shape: Parameters<typeof itemElement>[0], l: unknown[], r: unknown[]): Steps<void> {
    const left = yield* index(shape, l);
    const right = yield* index(shape, r);
    for (const [element, lv] of left) {
      if (due()) yield;
      this.path.push(element);
      yield* this.child(lv, right.get(element), shape.items);
      this.path.pop();
    }
    for (const [element, rv] of right) {
      if (left.has(element)) continue;
      if (due()) yield;
      this.path.push(element);
      yield* this.child(undefined, rv, shape.items);
      this.path.pop();
    }
  }
}

/**
 * What Go's value of an existing struct holds for a field its JSON leaves out, when that matters to
 * ownership: a struct value is `{}`; a field without omitempty (required), or a zero time, is null.
 */
function zeroOf(parent: ObjectSchema, field: Schema, key: string, root: boolean, other: unknown): unknown {
  if (field.type === 'object' && (field.keepZero || (root && ROOT_STRUCTS.has(key)))) return {};
  if (other === null || field.keepZero || parent.required?.includes(key)) return null;
  return undefined;
}

/** The items of a list by path element; a repeated element keeps its first item, as upstream ignores repeats. */
function* index(shape: Parameters<typeof itemElement>[0], list: unknown[]): Steps<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for (let i = 0; i < list.length; i++) {
    if (due()) yield;
    const element = itemElement(shape, i, list[i]);
    if (!out.has(element)) out.set(element, list[i]);
  }
  return out;
}
