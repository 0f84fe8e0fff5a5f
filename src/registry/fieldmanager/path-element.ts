// The path elements of a field set, in their FieldsV1 text (structured-merge-diff's
// fieldpath/serialize-pe.go): `f:<name>` a field or map key, `k:<json>` the item of a keyed list,
// `v:<json>` the item of a set, `i:<n>` the item of an atomic list. Sets hold the text itself as
// their keys, so this file writes the text exactly as Kubernetes does (Go's JSON, key fields
// sorted by name), orders it as Kubernetes orders it, and renders it for conflict messages.
import { goJson } from '../../api/go-json.js';
import { goQuote } from '../../api/go-quote.js';
import { isObject } from '../../api/meta.js';

export class PathElementError extends Error {}

/** `k:` text for the key fields of a list item, given as [name, value] pairs in any order. */
export function keyElement(fields: [string, unknown][]): string {
  const sorted = fields.length > 1 ? [...fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : fields;
  return `k:{${sorted.map(([name, value]) => `${goJson(name)}:${valueJson(value)}`).join(',')}}`;
}

export const fieldElement = (name: string): string => `f:${name}`;
export const valueElement = (value: unknown): string => `v:${valueJson(value)}`;
export const indexElement = (index: number): string => `i:${index}`;

/** A value as Go writes an unstructured value: object keys sorted, HTML characters escaped. */
function valueJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(valueJson).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${goJson(k)}:${valueJson(value[k])}`).join(',')}}`;
  }
  return goJson(value ?? null);
}

/**
 * The canonical text of a path element read from a client's FieldsV1, or undefined for an unknown
 * prefix (dropped, as a newer format's element would be). Throws on malformed text.
 */
export function canonicalElement(text: string): string | undefined {
  if (text.length < 2 || text[1] !== ':') throw new PathElementError(text.length < 2 ? 'key must be 2 characters long:' : `missing colon: ${text}`);
  const body = text.slice(2);
  switch (text[0]) {
    case 'f':
      return text;
    case 'v':
      return `v:${valueJson(parseJson(body))}`;
    case 'k': {
      const fields = parseJson(body);
      if (fields !== null && !isObject(fields)) throw new PathElementError(`expected object: ${text}`);
      return keyElement(Object.entries(fields ?? {}));
    }
    case 'i': {
      if (!/^[+-]?\d+$/.test(body)) throw new PathElementError(`strconv.Atoi: parsing ${JSON.stringify(body)}: invalid syntax`);
      return `i:${Number(body)}`;
    }
    default:
      return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new PathElementError((err as Error).message);
  }
}

// ---- order (fieldpath/element.go Compare): fields, then keys, then values, then indexes ----

const RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** Parsed `k:` and `v:` texts, kept so that sorting does not parse the same text again and again. */
const parsed = new Map<string, unknown>();

function parsedBody(text: string): unknown {
  // A string without escapes (finalizers, most set items) is the text between its quotes.
  if (text.charCodeAt(2) === 34 && !text.includes('\\')) return text.slice(3, -1);
  let v = parsed.get(text);
  if (v === undefined) {
    if (parsed.size > 100_000) parsed.clear();
    v = JSON.parse(text.slice(2)) as unknown;
    parsed.set(text, v);
  }
  return v;
}

/**
 * A key that orders elements as compareElements does, compared with < alone: the rank, then the
 * field name, set string or index; undefined where only compareElements can tell (keys, other values).
 */
export function sortKey(text: string): string | number | undefined {
  switch (text[0]) {
    case 'f':
      return text;
    case 'i':
      return Number(text.slice(2));
    case 'v': {
      const v = parsedBody(text);
      return typeof v === 'string' ? `v${v}` : undefined;
    }
    default:
      return undefined;
  }
}

export function compareElements(a: string, b: string): number {
  if (a === b) return 0;
  const ra = RANK[a[0]!]!;
  const rb = RANK[b[0]!]!;
  if (ra !== rb) return ra - rb;
  switch (a[0]) {
    case 'f':
      return a < b ? -1 : 1;
    case 'i':
      return Number(a.slice(2)) - Number(b.slice(2));
    case 'k':
      return compareFieldLists(parsedBody(a) as Record<string, unknown>, parsedBody(b) as Record<string, unknown>);
    default:
      return compareValues(parsedBody(a), parsedBody(b));
  }
}

/** value.FieldList Compare: field by field (name, then value); the shorter list first. */
function compareFieldLists(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  for (let i = 0; ; i++) {
    if (i >= ka.length || i >= kb.length) return ka.length - kb.length;
    if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
    const c = compareValues(a[ka[i]!], b[kb[i]!]);
    if (c !== 0) return c;
  }
}

/** value.Compare: numbers, then strings, booleans, lists, maps, null. */
function compareValues(a: unknown, b: unknown): number {
  const ta = typeRank(a);
  const tb = typeRank(b);
  if (ta !== tb) return ta - tb;
  if (typeof a === 'number') return Math.sign(a - (b as number));
  if (typeof a === 'string') return a === b ? 0 : a < (b as string) ? -1 : 1;
  if (typeof a === 'boolean') return Number(a) - Number(b);
  if (Array.isArray(a)) {
    const bl = b as unknown[];
    for (let i = 0; i < Math.min(a.length, bl.length); i++) {
      const c = compareValues(a[i], bl[i]);
      if (c !== 0) return c;
    }
    return a.length - bl.length;
  }
  if (isObject(a)) return compareFieldLists(sortedEntries(a), sortedEntries(b as Record<string, unknown>));
  return 0;
}

const sortedEntries = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));

function typeRank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (isObject(v)) return 4;
  return 5;
}

// ---- rendering (fieldpath/element.go String, value.ToString) ----

/** `.name`, `[k="v",k2=1]`, `[="v"]` or `[3]`. */
export function elementString(text: string): string {
  switch (text[0]) {
    case 'f':
      return `.${text.slice(2)}`;
    case 'i':
      return `[${text.slice(2)}]`;
    case 'v':
      return `[=${valueString(parsedBody(text))}]`;
    default: {
      const fields = parsedBody(text) as Record<string, unknown>;
      return `[${Object.entries(fields).map(([k, v]) => `${k}=${valueString(v)}`).join(',')}]`;
    }
  }
}

function valueString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goQuote(v);
  if (Array.isArray(v)) return `[${v.map(valueString).join(',')}]`;
  if (isObject(v)) return Object.entries(v).map(([k, x]) => `${k}=${valueString(x)}`).join('');
  return String(v);
}

/** A path as fieldpath.Path String writes it: `.spec.containers[name="app"].image`. */
export const pathString = (path: readonly string[]): string => path.map(elementString).join('');
