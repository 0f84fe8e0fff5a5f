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

/** CEL equality: numbers across types, lists and maps deeply. */
export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return a == b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
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

const isMap = (v: unknown): v is object => v instanceof Map || (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype);
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
