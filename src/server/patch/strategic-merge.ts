// Strategic merge patch (application/strategic-merge-patch+json), the server side: what
// k8s.io/apimachinery/pkg/util/strategicpatch StrategicMergeMapPatch does, driven by our schema nodes
// (patchStrategy, mergeKey) instead of Go struct tags.
//
//   - maps merge; `null` deletes; a value that is new or changes type is taken from the patch, with its
//     nulls and `$patch` maps dropped;
//   - lists whose patchStrategy includes 'merge' merge: maps by mergeKey, scalars as a set; the result
//     keeps the order of the patch, then of the live list; other lists are replaced whole;
//   - directives: `$patch: replace | delete` on a map, `$patch: delete | replace` on a list element,
//     `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`, `$retainKeys`;
//   - fields the schema does not know (or 'any') merge like a JSON merge patch: maps merge, lists replace.
//
// The library finds list elements by scanning (quadratic: 32,000 finalizers take 20 s); here every
// lookup goes through a Map or Set built once per list, with the same results, errors included.
//
// Errors carry the Status kube-apiserver gives them (endpoints/handlers/patch.go,
// interpretStrategicMergePatchError): the malformed-directive errors of mergepatch/errors.go are
// 400 BadRequest; "lists of lists" is 422 Invalid with the generic message; every other error of the
// library reaches the client unconverted, as a 500 with no reason and the library's message.
import { goTypeName } from '../../api/json-values.js';
import { ApiError, badRequest } from '../../api/errors.js';
import type { PatchStrategy, Schema } from '../../api/schema.js';

type Json = null | boolean | number | string | Json[] | JsonMap;
interface JsonMap {
  [key: string]: Json;
}
interface ListMeta {
  items: Schema | undefined;
  strategy: string;
  mergeKey: string;
}

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

/** Applies a strategic merge patch to a copy of `doc`; neither argument is modified. */
export function applyStrategicMergePatch(doc: unknown, patch: unknown, schema: Schema | undefined): unknown {
  if (patch === null) return structuredClone(doc); // a JSON null decodes to a nil map: nothing to do
  if (!isMap(patch)) throw badRequest(`json: cannot unmarshal ${jsonKind(patch)} into Go value of type map[string]interface {}`);
  // `doc` is never changed: each map the patch reaches is copied (mergeMap), the rest is shared.
  return mergeMap(isMap(doc) ? doc : {}, structuredClone(patch), schema);
}

// ---- maps ----

/** A new map: `live` (not changed) with `patch` merged in. */
function mergeMap(live: JsonMap, patch: JsonMap, schema: Schema | undefined): JsonMap {
  if (Object.hasOwn(patch, DIRECTIVE)) return mapDirective(patch);
  const original = { ...live };
  applyRetainKeys(original, patch);
  applyElementOrder(original, patch, schema);
  for (const [patchKey, value] of Object.entries(patch)) {
    const isDeleteList = patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST);
    const key = isDeleteList ? fieldOf(patchKey, DELETE_FROM_PRIMITIVE_LIST) : patchKey;
    if (value === null) {
      delete original[key];
      continue;
    }
    const current = Object.hasOwn(original, key) ? original[key] : undefined;
    if (current === undefined || kindOf(current) !== kindOf(value)) {
      if (!isDeleteList) takeFromPatch(original, key, value);
    } else if (isMap(current)) {
      put(original, key, mergeMapField(current, value as JsonMap, fieldSchema(schema, key)));
    } else if (Array.isArray(current)) {
      put(original, key, mergeListField(current, value as Json[], listMeta(schema, key), isDeleteList));
    } else {
      put(original, key, value);
    }
  }
  return original;
}

/** A map field merges, unless its patchStrategy is replace. */
function mergeMapField(live: JsonMap, patch: JsonMap, field: Schema | undefined): JsonMap {
  if (field?.type === 'object' && strategyOf(field.patchStrategy) === 'replace') return patch;
  return mergeMap(live, patch, field?.type === 'object' || field?.type === 'map' ? field : undefined);
}

/** `$patch` in a map: `replace` keeps the patch as it is, `delete` leaves an empty map. */
function mapDirective(patch: JsonMap): JsonMap {
  const directive = patch[DIRECTIVE] as Json;
  if (directive === 'delete') return {};
  if (directive !== 'replace') throw failure(`unknown patch type: ${goString(directive)} in map: ${goValue(patch)}`);
  delete patch[DIRECTIVE];
  return patch;
}

/** `$retainKeys`: every key set by the patch must be listed; keys of the original not listed are cleared. */
function applyRetainKeys(original: JsonMap, patch: JsonMap): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw badRequest('invalid patch format of retainKeys');
  const retain = new Set<Json>(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!retain.has(k)) throw badRequest('invalid patch format of retainKeys');
  }
  for (const k of Object.keys(original)) if (!retain.has(k)) delete original[k];
}

/**
 * `$setElementOrder/<list>`: merges the list with its patch, then orders it: the listed items in the
 * listed order, with the items only the server has kept where they were relative to them.
 */
function applyElementOrder(original: JsonMap, patch: JsonMap, schema: Schema | undefined): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[directiveKey] as Json;
    delete patch[directiveKey];
    if (!Array.isArray(order)) throw failure(badArgType('[]interface {}', order));
    const key = fieldOf(directiveKey, SET_ELEMENT_ORDER);
    const inOriginal = Object.hasOwn(original, key);
    const inPatch = Object.hasOwn(patch, key);
    const live = inOriginal ? (original[key] as Json) : [];
    const patchList = inPatch ? (patch[key] as Json) : [];
    if (!Array.isArray(live)) throw failure(badArgType('[]interface {}', live));
    if (!Array.isArray(patchList)) throw failure(badArgType('[]interface {}', patchList));
    if (!inOriginal && !inPatch) continue;
    const meta = listMeta(schema, key);
    checkOrder(patchList, order, meta.mergeKey);
    let merged: Json[];
    if (inOriginal && inPatch) merged = mergeListField(live, patchList, meta, false);
    else if (inPatch) merged = removeDirectives(patchList)[0] as Json[];
    else merged = live;
    const [listed, serverOnly] = partition(merged, order, meta.mergeKey);
    const kind = elementKind(live, patchList);
    put(original, key, normalizeOrder(listed, serverOnly, order, live, meta.mergeKey, kind));
    delete patch[key];
  }
}

/** The items of the patch list, deletions aside, must appear in `$setElementOrder` in the same order. */
function checkOrder(patchList: Json[], order: Json[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey ? splitDeletions(patchList)[0] : patchList;
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p] as Json;
    if (isMap(item) && Object.hasOwn(item, DIRECTIVE)) {
      p++;
      continue;
    }
    if (sameKey(item, order[o] as Json, mergeKey)) p++;
    o++;
  }
  if (p < items.length && o >= order.length) {
    throw failure(`The order in patch list:\n${goValue(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goValue(order)}\n`);
  }
}

// ---- lists ----

function mergeListField(live: Json[], patch: Json[], meta: ListMeta, isDeleteList: boolean): Json[] {
  return meta.strategy === 'merge' || isDeleteList ? mergeList(live, patch, meta, isDeleteList) : patch;
}

function mergeList(live: Json[], patch: Json[], meta: ListMeta, isDeleteList: boolean): Json[] {
  if (live.length === 0 && patch.length === 0) return live;
  const kind = elementKind(live, patch);
  if (kind !== 'map') {
    if (isDeleteList) {
      const doomed = new Set(patch);
      return live.filter((v) => !doomed.has(v));
    }
    return mergeScalars(live, patch);
  }
  const { mergeKey } = meta;
  if (!mergeKey) throw failure(`cannot merge lists without merge key for ${goKindName(meta.items)}`);
  const [base, items] = applyListDirectives(live, patch, mergeKey);
  const merged = mergeByKey(base, items, mergeKey, meta.items);
  const [fromPatch, serverOnly] = partition(merged, items, mergeKey);
  return normalizeOrder(fromPatch, serverOnly, items, base, mergeKey, kind);
}

/** `$patch` on list elements: `delete` removes the live items with that key, `replace` makes the list the patch. */
function applyListDirectives(live: Json[], patch: Json[], mergeKey: string): [Json[], Json[]] {
  const rest: Json[] = [];
  const doomed = new Set<Json>();
  let replace = false;
  for (const item of patch as JsonMap[]) {
    if (!Object.hasOwn(item, DIRECTIVE)) {
      rest.push(item);
      continue;
    }
    const directive = item[DIRECTIVE] as Json;
    if (directive === 'delete') {
      if (!Object.hasOwn(item, mergeKey)) throw failure(noMergeKey(item, mergeKey));
      doomed.add(item[mergeKey] as Json);
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw failure('merging lists cannot yet be specified in the patch');
    } else {
      throw failure(`unknown patch type: ${goString(directive)} in map: ${goValue(item)}`);
    }
  }
  if (replace) return [rest, []];
  // Every element is a map here (elementKind); one without the merge key is never deleted.
  return [doomed.size ? live.filter((v) => !(Object.hasOwn(v as JsonMap, mergeKey) && doomed.has((v as JsonMap)[mergeKey] as Json))) : live, rest];
}

function mergeByKey(live: Json[], patch: Json[], mergeKey: string, items: Schema | undefined): Json[] {
  const out = [...live];
  const index = keyIndex(out, mergeKey);
  for (const item of patch as JsonMap[]) {
    if (!Object.hasOwn(item, mergeKey)) throw failure(noMergeKey(item, mergeKey));
    const i = index.find(item[mergeKey] as Json);
    if (i >= 0) out[i] = mergeMap(out[i] as JsonMap, item, items);
    else index.add(item, out.push(item) - 1);
  }
  return out;
}

/**
 * findMapInSliceBasedOnKeyValue, indexed: the position of the first map in `list` whose merge key
 * is `value`, or -1. The library's scan stops at the first element that is not a map, so a value
 * not found before it fails there. `add` records an element appended to the list.
 */
function keyIndex(list: Json[], mergeKey: string) {
  const at = new Map<Json, number>();
  let notMap = -1;
  const add = (v: Json, i: number) => {
    if (notMap >= 0) return;
    if (!isMap(v)) notMap = i;
    else if (Object.hasOwn(v, mergeKey) && !at.has(v[mergeKey] as Json)) at.set(v[mergeKey] as Json, i);
  };
  list.forEach(add);
  return {
    add,
    find(value: Json): number {
      const i = at.get(value);
      if (i !== undefined) return i;
      if (notMap >= 0) throw failure(`value for key ${notMap} is not a map.`);
      return -1;
    },
  };
}

/** Splits `list` into the items found in `by` (by merge key, or by value for scalars) and the others. */
function partition(list: Json[], by: Json[], mergeKey: string): [Json[], Json[]] {
  const found: Json[] = [];
  const others: Json[] = [];
  const values = mergeKey ? undefined : new Set(by);
  const index = mergeKey ? keyIndex(by, mergeKey) : undefined;
  for (const item of list) {
    let present: boolean;
    if (values) present = values.has(item);
    else {
      if (!isMap(item)) throw failure(badArgType('map[string]interface {}', item));
      if (!Object.hasOwn(item, mergeKey)) throw failure(noMergeKey(item, mergeKey));
      present = index!.find(item[mergeKey] as Json) >= 0;
    }
    (present ? found : others).push(item);
  }
  return [found, others];
}

/**
 * The merge of two scalar lists, as partition and normalizeOrder would order it, in a few passes
 * (lists of tens of thousands of finalizers are patched): the patch's values in its order, the
 * live-only values in theirs, interleaved by their place in the live list.
 */
function mergeScalars(live: Json[], patch: Json[]): Json[] {
  const fromPatch = [...new Set(patch)];
  const inPatch = new Set(fromPatch);
  const serverOnly = [...new Set(live)].filter((v) => !inPatch.has(v));
  return interleave(serverOnly, fromPatch, positions(live, '', 'scalar'));
}

/** Patch items in `patchOrder`, server-only items in `serverOrder`, interleaved by their place in `serverOrder`. */
function normalizeOrder(fromPatch: Json[], serverOnly: Json[], patchOrder: Json[], serverOrder: Json[], mergeKey: string, kind: string): Json[] {
  const right = sortBy(fromPatch, patchOrder, mergeKey, kind);
  const left = sortBy(serverOnly, serverOrder, mergeKey, kind);
  return interleave(left, right, positions(serverOrder, mergeKey, kind));
}

/** Server-only items (`left`) and patch items (`right`), each in order, merged by their server place `at`. */
function interleave(left: Json[], right: Json[], at: (value: Json) => number): Json[] {
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const l = at(left[i] as Json);
    const r = at(right[j] as Json);
    if (l >= 0 && r >= 0 && l < r) out.push(left[i++] as Json);
    else out.push(right[j++] as Json);
  }
  return [...out, ...left.slice(i), ...right.slice(j)];
}

/** Stable sort by place in `order`; for maps, items carrying `$patch: delete` go last. */
function sortBy(list: Json[], order: Json[], mergeKey: string, kind: string): Json[] {
  let items = list;
  let deletions: Json[] = [];
  if (kind === 'map') {
    for (const v of [...list, ...order]) {
      if (!isMap(v)) throw failure(badArgType('map[string]interface {}', v));
      if (!Object.hasOwn(v, mergeKey)) throw failure(noMergeKey(v, mergeKey));
    }
    [items, deletions] = splitDeletions(list);
  }
  const at = positions(order, mergeKey, kind);
  // Stable; an element missing from `order` goes after those in it.
  const placed = items.map((v) => ({ v, i: at(v) < 0 ? order.length : at(v) }));
  return [...placed.sort((a, b) => a.i - b.i).map((p) => p.v), ...deletions];
}

function splitDeletions(list: Json[]): [Json[], Json[]] {
  const keep: Json[] = [];
  const deletions: Json[] = [];
  for (const v of list) {
    if (!isMap(v)) throw failure(badArgType('map[string]interface {}', v));
    (v[DIRECTIVE] === 'delete' ? deletions : keep).push(v);
  }
  return [keep, deletions];
}

/**
 * The library's index(list, value) for any value, from one pass over `list`: the first place of the
 * value (for maps, of its merge key; Go reads a missing key, a null and a non-map alike as nil), or -1.
 */
function positions(list: Json[], mergeKey: string, kind: string): (value: Json) => number {
  const id = (v: Json) => (kind !== 'map' ? v : isMap(v) ? (v[mergeKey] ?? null) : null);
  const at = new Map<Json, number>();
  list.forEach((v, i) => {
    if (!at.has(id(v))) at.set(id(v), i);
  });
  return (value) => at.get(id(value)) ?? -1;
}

/** The kind shared by all elements: lists of lists and mixed lists are errors. */
function elementKind(...lists: Json[][]): string {
  let kind: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const k = kindOf(v);
      if (kind === undefined) {
        if (k === 'list') throw unprocessable('lists of lists are not supported');
        kind = k;
      } else if (k !== kind) {
        throw failure(`list element types are not identical: ${goValue(lists)}`);
      }
    }
  }
  if (kind === undefined) throw failure('no elements in any of the given slices');
  return kind;
}

function sameKey(left: Json, right: Json, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  if (!isMap(left)) throw failure(badArgType('map[string]interface {}', left));
  if (!isMap(right)) throw failure(badArgType('map[string]interface {}', right));
  if (!Object.hasOwn(left, mergeKey)) throw failure(noMergeKey(left, mergeKey));
  if (!Object.hasOwn(right, mergeKey)) throw failure(noMergeKey(right, mergeKey));
  return left[mergeKey] === right[mergeKey];
}

// ---- values taken from the patch ----

function takeFromPatch(original: JsonMap, key: string, value: Json): void {
  discardNulls(value);
  const [v, keep] = removeDirectives(value);
  if (keep) put(original, key, v);
  else delete original[key];
}

function discardNulls(value: Json): void {
  if (Array.isArray(value)) value.forEach(discardNulls);
  else if (isMap(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (v === null) delete value[k];
      else discardNulls(v);
    }
  }
}

/** Drops maps that carry `$patch` (as values and as list elements); `false` when `value` itself is one. */
function removeDirectives(value: Json): [Json, boolean] {
  if (Array.isArray(value)) return [value.map(removeDirectives).filter(([, keep]) => keep).map(([v]) => v), true];
  if (!isMap(value)) return [value, true];
  if (Object.hasOwn(value, DIRECTIVE)) return [null, false];
  for (const [k, v] of Object.entries(value)) {
    const [nv, keep] = removeDirectives(v);
    if (keep) put(value, k, nv);
    else delete value[k];
  }
  return [value, true];
}

// ---- schema lookups ----

function fieldSchema(parent: Schema | undefined, key: string): Schema | undefined {
  if (parent?.type === 'object') return Object.hasOwn(parent.properties, key) ? parent.properties[key] : undefined;
  if (parent?.type === 'map') return parent.values;
  return undefined;
}

function listMeta(parent: Schema | undefined, key: string): ListMeta {
  const field = fieldSchema(parent, key);
  if (field?.type !== 'array') return { items: undefined, strategy: '', mergeKey: '' };
  return { items: field.items, strategy: strategyOf(field.patchStrategy), mergeKey: field.mergeKey ?? '' };
}

/** The strategy besides retainKeys, which only matters to the client that builds `$retainKeys`. */
const strategyOf = (s: PatchStrategy | undefined): string => s?.split(',').find((x) => x !== 'retainKeys') ?? '';

/** `$setElementOrder/containers` → `containers`; a malformed key is a 400. */
function fieldOf(directiveKey: string, prefix: string): string {
  const slash = directiveKey.indexOf('/');
  if (slash < 0 || directiveKey.slice(0, slash) !== prefix) {
    throw badRequest(prefix === SET_ELEMENT_ORDER ? 'invalid patch format of setElementOrder list' : 'invalid patch format of primitive list');
  }
  return directiveKey.slice(slash + 1);
}

// ---- errors, worded as Go prints them ----

/** An error the apiserver does not convert: 500, no reason, the library's message. */
const failure = (message: string) => new ApiError(500, '', message);

function unprocessable(cause: string): ApiError {
  const err = new ApiError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
  err.cause = new Error(cause);
  return err;
}

const noMergeKey = (m: JsonMap, key: string) => `map: ${goValue(m)} does not contain declared merge key: ${key}`;
const badArgType = (expected: string, actual: Json) => `expected a ${expected}, but received a ${goType(actual)}`;

/** fmt's %v of a decoded JSON value. */
export function goValue(v: unknown): string {
  if (v === null) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (isMap(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goValue(v[k])}`).join(' ')}]`;
  return String(v);
}

/** fmt's %s: strings print as they are, other values as Go reports a wrong verb. */
function goString(v: Json): string {
  if (typeof v === 'string') return v;
  if (v === null) return '%!s(<nil>)';
  if (typeof v === 'object') return goValue(v);
  return `%!s(${goType(v)}=${v})`;
}

/** reflect.TypeOf(v) printed with %s. */
const goType = (v: Json): string => (v === null ? '%!s(<nil>)' : goTypeName(v));

/** The Go kind of a list's element type, as PatchMetaFromStruct.Name() reports it. */
function goKindName(items: Schema | undefined): string {
  switch (items?.type) {
    case 'string':
      return 'string';
    case 'integer':
      return items.format;
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'map':
      return 'map';
    case 'array':
      return 'slice';
    case undefined:
      return 'interface';
    default:
      return 'struct';
  }
}

function kindOf(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  return typeof v === 'object' ? 'map' : typeof v;
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'object' ? 'object' : typeof v;
}

const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

function put(m: JsonMap, key: string, value: Json): void {
  Object.defineProperty(m, key, { value, writable: true, enumerable: true, configurable: true });
}
