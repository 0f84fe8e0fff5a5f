// A static upper bound of a rule's cost, in the spirit of cel-go's checker/cost.go as the apiextensions
// validation uses it: sizes come from maxItems, maxProperties and maxLength, and where none is declared from the
// largest request (3 MiB) filled with the smallest possible elements. This is an approximation: it follows
// paths from self/oldSelf through the schema, multiplies comprehensions by the size of their range and charges
// calls by the size of the string or list they read, so rules that are unbounded (nested comprehensions over
// undeclared sizes, regexes over unbounded strings in unbounded lists) are rejected as Kubernetes rejects them,
// while its exact numbers differ from cel-go's.
import type { Schema as JSONSchemaProps } from './schema.js';
import { escapeName } from './escaping.js';

/** Cost limit of one rule's estimate times the number of times it may run (StaticEstimatedCostLimit). */
export const STATIC_RULE_LIMIT = 10_000_000;
/** Limit of all rules of one schema (StaticEstimatedCRDCostLimit). */
export const STATIC_SCHEMA_LIMIT = 100_000_000;
const MAX_REQUEST_BYTES = 3 * 1024 * 1024;

/** The fewest bytes a JSON value of this schema takes. */
function minSize(s: JSONSchemaProps | undefined): number {
  if (!s || s['x-kubernetes-int-or-string']) return 1;
  switch (s.type) {
    case 'string':
      return 2 + (s.minLength ?? 0);
    case 'boolean':
      return 4;
    case 'integer':
    case 'number':
      return 1;
    default:
      return 2;
  }
}

/** The most elements (or bytes, for strings) a value of this schema can have. */
export function maxSize(s: JSONSchemaProps | undefined): number {
  if (!s) return MAX_REQUEST_BYTES;
  if (s.type === 'string') return s.maxLength ?? MAX_REQUEST_BYTES;
  if (s.type === 'array') return s.maxItems ?? Math.floor(MAX_REQUEST_BYTES / (minSize(s.items) + 1));
  if (s.type === 'object') {
    const extra = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
    if (s.maxProperties !== undefined) return s.maxProperties;
    if (extra) return Math.floor(MAX_REQUEST_BYTES / (minSize(extra) + 4));
    return Object.keys(s.properties ?? {}).length || Math.floor(MAX_REQUEST_BYTES / 5);
  }
  return 1;
}

interface Node {
  op: string;
  args: unknown;
  meta?: { macro?: { callAst?: Node } };
}

/** The schema an expression denotes when it is a path from self or oldSelf, else undefined. */
function schemaOf(n: Node, self: JSONSchemaProps, iter: Map<string, JSONSchemaProps | undefined>): JSONSchemaProps | undefined {
  if (n.op === 'id') return n.args === 'self' || n.args === 'oldSelf' ? self : iter.get(n.args as string);
  if (n.op === '.' || n.op === '.?') {
    const [of, field] = n.args as [Node, string];
    const parent = schemaOf(of, self, iter);
    if (!parent) return undefined;
    if (typeof parent.additionalProperties === 'object') return parent.additionalProperties;
    for (const [k, p] of Object.entries(parent.properties ?? {})) if (escapeName(k) === field) return p;
    return undefined;
  }
  if (n.op === '[]' || n.op === '[?]') {
    const parent = schemaOf((n.args as Node[])[0]!, self, iter);
    return parent?.items ?? (typeof parent?.additionalProperties === 'object' ? parent.additionalProperties : undefined);
  }
  return undefined;
}

const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'existsOne', 'map', 'filter', 'transformList', 'transformMap', 'transformMapEntry', 'sortBy']);

/** Macros whose result has at most as many elements as their receiver. */
const SIZE_KEEPING = new Set(['map', 'filter', 'transformList', 'transformMap', 'sortBy']);

/** An upper bound of the cost of one evaluation of the expression. */
export function estimateCost(ast: unknown, self: JSONSchemaProps): number {
  const iter = new Map<string, JSONSchemaProps | undefined>();
  const cost = (n: unknown): number => {
    if (Array.isArray(n)) return n.reduce((a: number, x) => a + cost(x), 0);
    if (!n || typeof n !== 'object' || !('op' in n)) return 0;
    const node = n as Node;
    if (node.op === 'rcall') {
      const [name, receiver, args] = node.args as [string, Node, Node[]];
      const range = schemaOf(receiver, self, iter);
      if (COMPREHENSIONS.has(name) && args[0]?.op === 'id') {
        const size = rangeSize(receiver);
        // One variable (the element, or a map's key) or two (index or key, then the element or value).
        const two = args.length >= 3 && args[1]?.op === 'id' && !['map', 'filter'].includes(name);
        const element = range?.items ?? (typeof range?.additionalProperties === 'object' ? range.additionalProperties : undefined);
        const vars = two ? [args[0].args as string, args[1]!.args as string] : [args[0].args as string];
        const outer = vars.map((v) => iter.get(v));
        vars.forEach((v, i) => iter.set(v, i === vars.length - 1 ? element : undefined));
        const body = cost(args.slice(vars.length));
        vars.forEach((v, i) => iter.set(v, outer[i]));
        return 1 + cost(receiver) + size * (body + 1);
      }
      return 1 + cost(receiver) + cost(args) + (range ? Math.ceil(maxSize(range) * 0.1) : 0) + argSizes(args);
    }
    if (node.op === 'call') {
      const [, args] = node.args as [string, Node[]];
      return 1 + cost(args) + argSizes(args);
    }
    if (['==', '!=', 'in', '+'].includes(node.op)) return 1 + cost(node.args) + argSizes(node.args as Node[]);
    return 1 + cost(node.args);
  };
  /** The most elements a comprehension's range has: a literal's, a schema's, or that of what a macro maps. */
  const rangeSize = (n: Node): number => {
    if (n.op === 'list') return (n.args as unknown[]).length;
    if (n.op === 'rcall') {
      const [name, receiver] = n.args as [string, Node];
      if (SIZE_KEEPING.has(name)) return rangeSize(receiver);
    }
    return maxSize(schemaOf(n, self, iter));
  };
  const argSizes = (args: Node[]) => args.reduce((a, x) => {
    const s = schemaOf(x, self, iter);
    return a + (s && (s.type === 'string' || s.type === 'array' || s.type === 'object') ? Math.ceil(maxSize(s) * 0.1) : 0);
  }, 0);
  return cost(ast);
}

/** Kubernetes' text for an estimate over its limit. */
export function costErrorText(name: string, cost: number, limit: number): string {
  const factor = cost / limit;
  const f = factor > 100 ? 'more than 100x' : factor < 1.5 ? `${factor.toFixed(6)}x` : `${factor.toFixed(1)}x`;
  return `${name} exceeds budget by factor of ${f} (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)`;
}
