// Facts about parsed JSON values, as Go's decoder words and limits them.

/**
 * How deep a JSON value from a client may nest. Go's JSON decoder stops past 10000 levels; Node's
 * own recursion (structuredClone, JSON.stringify), which the store and the patch code use, gives out
 * near 2000 levels, so Badge stops past 1000.
 */
export const MAX_JSON_DEPTH = 1000;

/** The JSON type of a value as Go's decoder names it in errors ("string", "array", …). */
export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

/**
 * How deeply `value` nests (a scalar is 0, `{}` is 1), measured without recursion: a hostile value
 * may nest deeper than the stack allows. The count stops once it passes `limit`.
 */
export function jsonDepth(value: unknown, limit: number): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d > max) max = d;
    if (max > limit) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, d + 1]);
  }
  return max;
}

/** Go's %T of a value decoded into interface{} (unstructured JSON). */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'object') return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v === 'boolean' ? 'bool' : 'string';
}
