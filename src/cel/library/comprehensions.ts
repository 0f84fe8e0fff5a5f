// cel-go's two-variable comprehensions (ext/comprehensions.go) and ext.Lists' sortBy, as cel-js macros:
// `all(i, v, p)`, `exists(i, v, p)`, `existsOne(i, v, p)` (and `exists_one`), `transformList(i, v, [f,] e)`,
// `transformMap(k, v, [f,] e)`, `transformMapEntry(k, v, [f,] e)`; over a list i is the index, over a map the
// key. `sortBy(e, key)` sorts a list stably by the key each element gives. Every step runs through the
// evaluator, so cost.ts meters the bodies as it meters cel-js's own macros.
import type { Environment } from '@marcbachmann/cel-js';
import { charge } from '../cost.js';
import { compare } from './compare.js';

interface Node {
  op: string;
  args: unknown;
  start: number;
}
interface Type {
  kind: string;
  name: string;
  keyType?: Type;
  valueType?: Type;
}
interface Ctx {
  forkWithVariable(name: string, type: Type): Ctx;
  reuse(parent: Ctx): Ctx;
  setIterValue(v: unknown, ev: Evaluator): Ctx;
}
interface Checker {
  check(n: Node, ctx: Ctx): Type;
  getType(name: string): Type;
  dynType: Type;
  registry: { getListType(t: Type): Type; getMapType(k: Type, v: Type): Type };
  createError(code: string, msg: string, n: Node): Error;
}
interface Evaluator {
  run(n: Node, ctx: Ctx): unknown;
}

/** A cel-go macro error at the node it names, as cel-js reports parse errors. */
function macroError(msg: string, n: Node): Error {
  return Object.assign(new Error(msg), { code: 'invalid_macro_argument', range: { start: n.start, end: n.start } });
}

function iterVar(n: Node): string {
  if (n.op !== 'id') throw macroError('argument must be a simple name', n);
  const name = n.args as string;
  if (name === '__result__') throw macroError('iteration variable overwrites accumulator variable', n);
  return name;
}

/** The (key or index, value) pairs of a list or map. */
function entries(coll: unknown, n: Node): [unknown, unknown][] {
  if (Array.isArray(coll)) return coll.map((v, i) => [BigInt(i), v]);
  if (coll instanceof Map) return [...coll.entries()];
  if (coll && typeof coll === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(coll))) return Object.entries(coll);
  throw Object.assign(new Error(`Expression of type '${typeof coll}' cannot be range of a comprehension (must be list, map, or dynamic).`), { range: { start: n.start } });
}

type Kind = 'all' | 'exists' | 'existsOne' | 'transformList' | 'transformMap' | 'transformMapEntry';

interface TwoVar {
  kind: Kind;
  receiver: Node;
  k: string;
  v: string;
  filter?: Node;
  body: Node;
  outer?: Ctx;
  inner?: Ctx;
  typeCheck(chk: Checker, m: TwoVar, ctx: Ctx): Type;
  evaluate(ev: Evaluator, m: TwoVar, ctx: Ctx): unknown;
}

function rangeTypes(chk: Checker, receiver: Node, ctx: Ctx): [Type, Type] {
  const t = chk.check(receiver, ctx);
  if (t.kind === 'list') return [chk.getType('int'), t.valueType!];
  if (t.kind === 'map') return [t.keyType!, t.valueType!];
  if (t.kind === 'dyn') return [chk.dynType, chk.dynType];
  throw chk.createError('invalid_comprehension_range', `Expression of type '${t.name}' cannot be range of a comprehension (must be list, map, or dynamic).`, receiver);
}

function typeCheck(chk: Checker, m: TwoVar, ctx: Ctx): Type {
  const [kt, vt] = rangeTypes(chk, m.receiver, ctx);
  m.outer = ctx.forkWithVariable(m.k, kt);
  m.inner = m.outer.forkWithVariable(m.v, vt);
  const bool = chk.getType('bool');
  const mustBeBool = (n: Node, op: string) => {
    const t = chk.check(n, m.inner!);
    if (t.kind !== 'dyn' && t.name !== 'bool') throw chk.createError('no_matching_overload', `found no matching overload for '${op}' applied to '(bool, ${t.name})'`, n);
  };
  if (m.filter) mustBeBool(m.filter, '_?_:_');
  if (m.kind === 'all' || m.kind === 'exists' || m.kind === 'existsOne') {
    mustBeBool(m.body, m.kind === 'all' ? '_&&_' : m.kind === 'exists' ? '_||_' : '_?_:_');
    return bool;
  }
  const bt = chk.check(m.body, m.inner);
  if (m.kind === 'transformList') return chk.registry.getListType(bt);
  if (m.kind === 'transformMap') return chk.registry.getMapType(kt.kind === 'dyn' ? chk.dynType : kt, bt);
  if (bt.kind !== 'map' && bt.kind !== 'dyn') throw chk.createError('no_matching_overload', `found no matching overload for 'cel.@mapInsert' applied to '(map(dyn, dyn), ${bt.name})'`, m.body);
  return bt;
}

function evaluate(ev: Evaluator, m: TwoVar, ctx: Ctx): unknown {
  const pairs = entries(ev.run(m.receiver, ctx), m.receiver);
  const outer = m.outer!.reuse(ctx);
  const inner = m.inner!.reuse(outer);
  const step = (k: unknown, v: unknown, n: Node) => (outer.setIterValue(k, ev), inner.setIterValue(v, ev), ev.run(n, inner));
  if (m.kind === 'all' || m.kind === 'exists') {
    // Errors are kept until a decisive element (false for all, true for exists) makes them irrelevant.
    const decisive = m.kind === 'exists';
    let error: unknown;
    for (const [k, v] of pairs) {
      try {
        const r = step(k, v, m.body);
        if (typeof r !== 'boolean') throw new Error(`no such overload: ${m.kind === 'all' ? '_&&_' : '_||_'}`);
        if (r === decisive) return decisive;
      } catch (e) {
        error ??= e;
      }
    }
    if (error) throw error;
    return !decisive;
  }
  if (m.kind === 'existsOne') return pairs.filter(([k, v]) => step(k, v, m.body) === true).length === 1;
  const list: unknown[] = [];
  const map = new Map<unknown, unknown>();
  for (const [k, v] of pairs) {
    if (m.filter && step(k, v, m.filter) !== true) continue;
    const r = step(k, v, m.body);
    if (m.kind === 'transformList') list.push(r);
    else if (m.kind === 'transformMap') map.set(k, r);
    else {
      for (const [ek, ev2] of entries(r, m.body)) {
        if (map.has(ek)) throw new Error(`insert failed: key ${String(ek)} already exists`);
        map.set(ek, ev2);
      }
    }
  }
  return m.kind === 'transformList' ? list : map;
}

function twoVar(kind: Kind) {
  return ({ args, receiver }: { args: Node[]; receiver: Node }): TwoVar => {
    const k = iterVar(args[0]!);
    const v = iterVar(args[1]!);
    if (k === v) throw macroError(`duplicate variable name: ${k}`, args[1]!);
    const [filter, body] = args.length === 4 ? [args[2], args[3]!] : [undefined, args[2]!];
    return { kind, receiver, k, v, filter, body, typeCheck, evaluate };
  };
}

interface SortBy {
  receiver: Node;
  v: string;
  key: Node;
  iter?: Ctx;
  typeCheck(chk: Checker, m: SortBy, ctx: Ctx): Type;
  evaluate(ev: Evaluator, m: SortBy, ctx: Ctx): unknown;
}

const SORT_KEYS = new Set(['int', 'uint', 'double', 'bool', 'string', 'bytes', 'google.protobuf.Duration', 'google.protobuf.Timestamp', 'dyn']);

function sortBy({ args, receiver }: { args: Node[]; receiver: Node }): SortBy {
  return {
    receiver,
    v: iterVar(args[0]!),
    key: args[1]!,
    typeCheck(chk, m, ctx) {
      const t = chk.check(m.receiver, ctx);
      if (t.kind !== 'list' && t.kind !== 'dyn') throw chk.createError('no_matching_overload', `found no matching overload for 'sortBy' applied to '${t.name}'`, m.receiver);
      m.iter = ctx.forkWithVariable(m.v, t.kind === 'list' ? t.valueType! : chk.dynType);
      const kt = chk.check(m.key, m.iter);
      if (!SORT_KEYS.has(kt.name)) throw chk.createError('no_matching_overload', `found no matching overload for '@sortByAssociatedKeys' applied to '(${t.name}, list(${kt.name}))'`, m.key);
      return t.kind === 'list' ? t : chk.registry.getListType(chk.dynType);
    },
    evaluate(ev, m, ctx) {
      const list = ev.run(m.receiver, ctx);
      if (!Array.isArray(list)) throw new Error("no such overload: sortBy");
      const iter = m.iter!.reuse(ctx);
      const keyed = list.map((x, i) => ({ x, i, k: ev.run(m.key, iter.setIterValue(x, ev)) }));
      charge(Math.ceil(list.length * Math.log2(list.length + 1) * 0.1) + 1);
      keyed.sort((a, b) => compare(a.k, b.k) || a.i - b.i);
      return keyed.map((e) => e.x);
    },
  };
}

export function registerComprehensions(env: Environment): void {
  const macro = (sig: string, handler: unknown) => env.registerFunction(sig, handler as never);
  macro('list.all(ast, ast, ast): bool', twoVar('all'));
  macro('list.exists(ast, ast, ast): bool', twoVar('exists'));
  macro('list.existsOne(ast, ast, ast): bool', twoVar('existsOne'));
  macro('list.exists_one(ast, ast, ast): bool', twoVar('existsOne'));
  for (const kind of ['transformList', 'transformMap', 'transformMapEntry'] as const) {
    macro(`list.${kind}(ast, ast, ast): dyn`, twoVar(kind));
    macro(`list.${kind}(ast, ast, ast, ast): dyn`, twoVar(kind));
  }
  macro('list.sortBy(ast, ast): list<dyn>', sortBy);
}
