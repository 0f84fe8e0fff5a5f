// Ordering and equality of CEL values, for the list and set functions.

/** A namespace object (`sets`, `lists`, `strings`…) that namespaced functions are declared on. */
export function namespace(env: { registerType(n: string, d: unknown): unknown; registerConstant(n: string, t: string, v: unknown): unknown }, name: string, type: string) {
  const ctor = { [type]: class {} }[type]!;
  env.registerType(type, ctor);
  env.registerConstant(name, type, new ctor());
}

/** Orders two comparable CEL values (numbers across int/uint/double, strings, bools, bytes, times, durations). */
export function compare(a: unknown, b: unknown): number {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime());
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return a.length - b.length;
  }
  const da = durationParts(a);
  const db = durationParts(b);
  if (da && db) return da[0] !== db[0] ? (da[0] < db[0] ? -1 : 1) : Math.sign(da[1] - db[1]);
  if (typeof a === 'object' && a && 'compareTo' in a) return Number((a as { compareTo(o: unknown): bigint }).compareTo(b));
  throw new Error(`no such overload: compare ${typeName(a)} ${typeName(b)}`);
}

function durationParts(v: unknown): [bigint, number] | undefined {
  if (typeof v === 'object' && v && v.constructor?.name === 'Duration') {
    const d = v as { seconds: bigint; nanos: number };
    return [d.seconds, d.nanos];
  }
  return undefined;
}

/** The set and map lists of converted values (x-kubernetes-list-type): equal whatever their order. */
const unordered = new WeakMap<unknown[], { keys?: string[] }>();
/** The converted values that hold such a list, at any depth (their `==` is this file's, not cel-js's). */
const holders = new WeakSet<object>();

/** Marks a list as a set list, or a map list with these (escaped) key fields, and so a holder. */
export function markUnordered(list: unknown[], keys?: string[]): void {
  unordered.set(list, { keys });
  holders.add(list);
}

/** Marks a converted list or object that holds a marked list. */
export const markHolder = (v: object) => holders.add(v);
/** Whether a value is or holds a set or map list. */
export const holdsUnordered = (v: unknown) => typeof v === 'object' && v !== null && holders.has(v);

/** CEL equality: numbers across types, lists and maps deeply; set and map lists ignore order. */
export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return a == b;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    const mode = unordered.get(a) ?? unordered.get(b);
    if (mode) return mode.keys ? sameByKeys(a, b, mode.keys) : sameMembers(a, b);
    return a.every((x, i) => equal(x, b[i]));
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof Uint8Array && b instanceof Uint8Array) return compare(a, b) === 0;
  if (durationParts(a) && durationParts(b)) return compare(a, b) === 0;
  if (isMap(a) && isMap(b)) {
    const ea = entries(a);
    const mb = new Map(entries(b));
    return ea.length === mb.size && ea.every(([k, v]) => mb.has(k) && equal(v, mb.get(k)));
  }
  return false;
}

/** Scalars by a key (ints and doubles alike, as CEL compares them); others are undefined. */
function scalarKey(v: unknown): string | undefined {
  if (typeof v === 'bigint' || typeof v === 'number') return `n${v}`;
  if (typeof v === 'string') return `s${v}`;
  if (typeof v === 'boolean') return `b${v}`;
  return v === null ? 'null' : undefined;
}

/** The same elements, in any order, as many times each (linear for scalars, pairwise for others). */
function sameMembers(a: unknown[], b: unknown[]): boolean {
  const counts = new Map<string, number>();
  const others: unknown[] = [];
  for (const x of a) {
    const k = scalarKey(x);
    if (k === undefined) others.push(x);
    else counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  for (const y of b) {
    const k = scalarKey(y);
    if (k === undefined) {
      const at = others.findIndex((x) => equal(x, y));
      if (at < 0) return false;
      others.splice(at, 1);
    } else {
      const n = counts.get(k);
      if (!n) return false;
      counts.set(k, n - 1);
    }
  }
  return true;
}

/** Map lists: the element of each key equal on both sides (Kubernetes' unstructuredMapList.Equal). */
function sameByKeys(a: unknown[], b: unknown[], keys: string[]): boolean {
  const keyOf = (x: unknown) => JSON.stringify(keys.map((k) => scalarKey((x as Record<string, unknown> | null)?.[k] ?? null) ?? ''));
  const byKey = new Map<string, unknown>();
  for (const x of a) byKey.set(keyOf(x), x);
  return b.every((y) => {
    const k = keyOf(y);
    return byKey.has(k) && equal(byKey.get(k), y);
  });
}

const isMap = (v: unknown): v is object => v instanceof Map || (typeof v === 'object' && v !== null && [Object.prototype, null].includes(Object.getPrototypeOf(v)));
const entries = (v: object): [unknown, unknown][] => (v instanceof Map ? [...v.entries()] : Object.entries(v));

export function typeName(v: unknown): string {
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'double';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v === null) return 'null_type';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Uint8Array) return 'bytes';
  if (v instanceof Date) return 'google.protobuf.Timestamp';
  return typeof v === 'object' ? (v.constructor?.name === 'Duration' ? 'google.protobuf.Duration' : 'map') : typeof v;
}
