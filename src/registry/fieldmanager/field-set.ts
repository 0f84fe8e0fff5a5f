// Sets of field paths (structured-merge-diff's fieldpath.Set) held in their FieldsV1 form: an
// object whose keys are path elements (path-element.ts); a key's value is `{}` when the path is a
// member, or the set of its children, with `".": {}` when it is a member as well. Keys are kept in
// Kubernetes' order, so a set is written back exactly as Kubernetes writes it. Sets are never
// changed once made: operations answer new sets, sharing what did not change.
import { isObject } from '../../api/meta.js';
import { canonicalElement, compareElements, PathElementError, sortKey } from './path-element.js';
import { due, type Steps } from './steps.js';

export interface Fields {
  [element: string]: Fields;
}

export const EMPTY: Fields = Object.freeze({}) as Fields;

const SELF = '.';

/**
 * Sets known to hold something. A large level is a dictionary-mode object, and for-in over one
 * lists every key before the first (about 8 ms for 30,000 finalizers), so the answer is kept, and
 * the operations below mark the sets they make. Sets are never changed once made: the mark stays true.
 */
const nonEmpty = new WeakSet<Fields>();

export const isEmpty = (s: Fields): boolean => {
  if (nonEmpty.has(s)) return false;
  for (const _ in s) {
    nonEmpty.add(s);
    return false;
  }
  return true;
};

/** A set made here, marked when it holds something. */
function made(out: Fields, holds: boolean): Fields {
  if (holds) nonEmpty.add(out);
  return out;
}

/** Whether the path ending at this node is itself in the set. */
const isMember = (node: Fields): boolean => SELF in node || isEmpty(node);

function elementsOf(s: Fields): string[] {
  const keys = Object.keys(s);
  return SELF in s ? keys.filter((k) => k !== SELF) : keys;
}

/** The children of a node, as a set (the node without its `.`). */
function childrenOf(node: Fields): Fields {
  if (!(SELF in node)) return node;
  const out: Fields = {};
  const elements = elementsOf(node);
  for (const k of elements) out[k] = node[k]!;
  return made(out, elements.length > 0);
}

/** A node from its membership and children; undefined when it holds nothing. */
function node(member: boolean, children: Fields): Fields | undefined {
  if (isEmpty(children)) return member ? EMPTY : undefined;
  if (!member) return children;
  const out: Fields = {};
  for (const k in children) out[k] = children[k]!;
  out[SELF] = EMPTY;
  return made(out, true);
}

function* sortedSet(entries: [string, Fields][]): Steps<Fields> {
  if (entries.length > 1) sortEntries(entries);
  const out: Fields = {};
  for (const [k, v] of entries) {
    if (due()) yield;
    out[k] = v;
  }
  return made(out, entries.length > 0);
}

/**
 * Sorts by element; a level of plain fields, indexes or string set items (the large ones: data
 * keys, finalizers) compares precomputed keys rather than parsing elements again and again.
 */
function sortEntries(entries: [string, Fields][]): void {
  const keys = entries.map(([e]) => sortKey(e));
  const first = keys[0];
  const uniform = keys.every((k) => k !== undefined && typeof k === typeof first && (typeof k === 'number' || k[0] === (first as string)[0]));
  if (!uniform) {
    entries.sort(([a], [b]) => compareElements(a, b));
    return;
  }
  const order = entries.map((_, i) => i).sort((i, j) => (keys[i]! < keys[j]! ? -1 : keys[i]! > keys[j]! ? 1 : 0));
  const copy = order.map((i) => entries[i]!);
  for (let i = 0; i < copy.length; i++) entries[i] = copy[i]!;
}

// The operations are walks (steps.ts): a level of 30,000 elements takes tens of milliseconds to
// build, so they pause like the other walks. `runNow` runs one at once where sets are small.

export function* union(a: Fields, b: Fields): Steps<Fields> {
  if (a === b || isEmpty(b)) return a;
  if (isEmpty(a)) return b;
  // Both levels are in order: one merge of the two, as Go's PathElementSet.Union.
  const ka = elementsOf(a);
  const kb = elementsOf(b);
  const out: Fields = {};
  let i = 0;
  let j = 0;
  while (i < ka.length || j < kb.length) {
    if (due()) yield;
    const c = i === ka.length ? 1 : j === kb.length ? -1 : compareElements(ka[i]!, kb[j]!);
    if (c < 0) {
      out[ka[i]!] = a[ka[i]!]!;
      i++;
    } else if (c > 0) {
      out[kb[j]!] = b[kb[j]!]!;
      j++;
    } else {
      const na = a[ka[i]!]!;
      const nb = b[kb[j]!]!;
      // A leaf is a member with nothing below it (most elements of a large level are leaves).
      if (na === nb) out[ka[i]!] = na;
      else if (isEmpty(nb)) out[ka[i]!] = isEmpty(na) ? EMPTY : node(true, childrenOf(na))!;
      else if (isEmpty(na)) out[ka[i]!] = node(true, childrenOf(nb))!;
      else out[ka[i]!] = node(isMember(na) || isMember(nb), yield* union(childrenOf(na), childrenOf(nb)))!;
      i++;
      j++;
    }
  }
  return made(out, true);
}

/** The paths of `a` not in `b`; a member of `b` does not take the paths below it from `a`. */
export function difference(a: Fields, b: Fields): Steps<Fields> {
  return subtract(a, b, false);
}

/** The paths of `a` neither in `b` nor below a member of `b`. */
export function recursiveDifference(a: Fields, b: Fields): Steps<Fields> {
  return subtract(a, b, true);
}

function* subtract(a: Fields, b: Fields, recursive: boolean): Steps<Fields> {
  if (isEmpty(a) || isEmpty(b)) return a;
  let changes: Map<string, Fields | undefined> | undefined;
  for (const k of elementsOf(b)) {
    if (due()) yield;
    const na = a[k];
    if (na === undefined || k === SELF) continue;
    const nb = b[k]!;
    let next: Fields | undefined;
    if (recursive && isMember(nb)) next = undefined;
    else {
      const children = childrenOf(na);
      const rest = yield* subtract(children, childrenOf(nb), recursive);
      const member = isMember(na) && !(isMember(nb) && !recursive);
      if (rest === children && member === isMember(na)) continue;
      next = node(member, rest);
    }
    (changes ??= new Map()).set(k, next);
  }
  if (!changes) return a;
  const out: Fields = {};
  let holds = false;
  for (const k of elementsOf(a)) {
    if (due()) yield;
    const v = changes.has(k) ? changes.get(k) : a[k];
    if (v) [out[k], holds] = [v, true];
  }
  return made(out, holds);
}

export function* intersection(a: Fields, b: Fields): Steps<Fields> {
  if (isEmpty(a) || isEmpty(b)) return EMPTY;
  const out: Fields = {};
  let holds = false;
  for (const k of elementsOf(b)) {
    if (due()) yield;
    const na = a[k];
    if (na === undefined) continue;
    const nb = b[k]!;
    const n = node(isMember(na) && isMember(nb), yield* intersection(childrenOf(na), childrenOf(nb)));
    if (n) [out[k], holds] = [n, true];
  }
  return made(out, holds);
}

/** Whether the path is a member of the set. */
export function has(s: Fields, path: readonly string[]): boolean {
  let level = s;
  for (let i = 0; i < path.length; i++) {
    const n = level[path[i]!];
    if (!n || path[i] === SELF) return false;
    if (i === path.length - 1) return isMember(n);
    level = n;
  }
  return false;
}

/** The set of the paths below one element (Set.WithPrefix). */
export function below(s: Fields, element: string): Fields {
  const n = s[element];
  return n && element !== SELF ? childrenOf(n) : EMPTY;
}

/** Every path of the set, as fieldpath.Set.Iterate gives them: a level's members, then its children's paths. */
export function paths(s: Fields, prefix: string[] = [], out: string[][] = []): string[][] {
  const elements = elementsOf(s);
  for (const k of elements) if (isMember(s[k]!)) out.push([...prefix, k]);
  for (const k of elements) {
    const children = childrenOf(s[k]!);
    if (!isEmpty(children)) paths(children, [...prefix, k], out);
  }
  return out;
}

/** A set of one path. */
export function single(path: readonly string[]): Fields {
  let s: Fields = EMPTY;
  for (let i = path.length - 1; i >= 0; i--) s = { [path[i]!]: s };
  return s;
}

// ---- building a set while walking an object ----

/** A set under construction: paths are inserted as a walk of an object meets them. */
export class SetBuilder {
  private readonly root: Record<string, Record<string, unknown>> = {};

  insert(path: readonly string[]): void {
    let level = this.root;
    for (const element of path) level = (level[element] ??= {}) as Record<string, Record<string, unknown>>;
    level[SELF] = {};
  }

  /** The set, in Kubernetes' order. */
  finish(): Steps<Fields> {
    return finishLevel(this.root);
  }
}

function* finishLevel(level: Record<string, Record<string, unknown>>): Steps<Fields> {
  const entries: [string, Fields][] = [];
  for (const k in level) {
    if (k === SELF) continue;
    if (due()) yield;
    const v = level[k]!;
    // A path with nothing below it (most of them) needs no walk of its own.
    let only = true;
    for (const c in v) if (c !== SELF) only = false;
    entries.push([k, only ? EMPTY : node(SELF in v, yield* finishLevel(v as Record<string, Record<string, unknown>>))!]);
  }
  return yield* sortedSet(entries);
}

// ---- FieldsV1 sent by clients ----

/** Reading stops past this many path elements (a stored object holds far fewer). */
const MAX_ELEMENTS = 1_000_000;

/**
 * A client's FieldsV1 as a set in canonical form (Set.FromJSON): elements re-written as
 * Kubernetes writes them, unknown prefixes dropped, any order accepted. Throws on malformed input.
 */
export function* readFields(value: unknown): Steps<Fields> {
  const budget = { left: MAX_ELEMENTS };
  if (value === null || value === undefined) return EMPTY;
  if (!isObject(value)) throw new PathElementError('FieldsV1 must be a JSON object');
  return (yield* readLevel(value, budget)).children;
}

function* readLevel(value: Record<string, unknown>, budget: { left: number }): Steps<{ children: Fields; member: boolean }> {
  const entries = new Map<string, Fields>();
  let member = false;
  for (const [key, v] of Object.entries(value)) {
    if (--budget.left < 0) throw new PathElementError('too many path elements');
    if (due()) yield;
    if (key === SELF) {
      member = true;
      continue;
    }
    const element = canonicalElement(key);
    if (element === undefined) continue;
    if (!isObject(v)) throw new PathElementError(`expected object for ${key}`);
    const inner = yield* readLevel(v, budget);
    // A node with nothing readable below it is a member (readIterV1).
    const n = node(inner.member || isEmpty(inner.children), inner.children)!;
    const prev = entries.get(element);
    entries.set(element, prev ? (yield* union({ [element]: prev }, { [element]: n }))[element]! : n);
  }
  return { children: yield* sortedSet([...entries]), member };
}
