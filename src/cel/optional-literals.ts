// Optional elements of list and map literals (cel-go's OptionalTypes): `[a, ?b]` holds b's value when the
// optional b has one, `{?k: v}` holds the entry k when the optional v has a value. cel-js's parser lacks them;
// its parser class is reached once through a macro's `parser` argument and its list and map parsing wrapped:
// a `?` at the start of an element marks it, and a literal with marked elements becomes a node of its own whose
// checking is cel-js's list or map checking over the unwrapped element types.
import { Environment, Optional } from '@marcbachmann/cel-js';

interface Type {
  kind: string;
  name: string;
  valueType?: Type;
}
interface Node {
  op: string;
  args: unknown;
  meta: { check(chk: Checker, ast: Node, ctx: unknown): Type; evaluate(ev: Evaluator, ast: Node, ctx: unknown): unknown };
  clone(op: Op, args: unknown): Node;
  setMeta(key: string, value: unknown): Node;
}
interface Op {
  name: string;
  check(chk: Checker, ast: Node, ctx: unknown): Type;
  evaluate(ev: Evaluator, ast: Node, ctx: unknown): unknown;
}
interface Checker {
  check(n: Node, ctx: unknown): Type;
  dynType: Type;
  createError(code: string, msg: string, n: Node): Error;
  registry: { getListType(t: Type): Type; getMapType(k: Type, v: Type): Type };
}
interface Evaluator {
  run(n: Node, ctx: unknown): unknown;
  createError(code: string, msg: string, n: Node): Error;
}
interface Parser {
  type: number;
  consume(type: number): number;
  parseExpression(): Node;
  parseList(): Node;
  parseMap(): Node;
}

/** cel-js 8's token number of `?`. */
const QUESTION = 30;

/** A `?`-marked element where none may stand (a call argument, a map value…). */
const MARKED: Op = {
  name: 'optionalElement',
  check(chk, ast) {
    throw chk.createError('unexpected_token', "unexpected '?'", ast);
  },
  evaluate() {
    throw new Error('unreachable');
  },
};

/** A marked element in its place: checked as the optional's value type, evaluated to the optional itself. */
const UNWRAP: Op = {
  name: 'optionalValue',
  check(chk, ast, ctx) {
    const t = chk.check(ast.args as Node, ctx);
    if (t.kind === 'optional') return t.valueType!;
    if (t.kind === 'dyn') return chk.dynType;
    throw chk.createError('no_matching_overload', `expected type 'optional_type' but found '${t.name}'`, ast.args as Node);
  },
  evaluate(ev, ast, ctx) {
    const v = ev.run(ast.args as Node, ctx);
    if (!(v instanceof Optional)) throw ev.createError('optional_expected', 'optional element must be optional', ast);
    return v;
  },
};

const unwrap = (inner: Node) => inner.clone(UNWRAP, inner).setMeta('async', false);

/** The type an element adds to its literal: an unwrapped optional.none() (an unbound type) adds none. */
function elementType(chk: Checker, e: Node, ctx: unknown): Type | undefined {
  const t = chk.check(e, ctx);
  if (e.op !== UNWRAP.name) return t;
  const inner = chk.check(e.args as Node, ctx);
  return inner.kind === 'optional' && inner.valueType?.kind === 'param' ? undefined : t;
}

/** Kubernetes' literals are homogeneous: every element (key, value) of one type, dyn aside. */
function homogeneous(chk: Checker, types: (Type | undefined)[], nodes: Node[], what: string): Type {
  let out: Type | undefined;
  types.forEach((t, i) => {
    if (!t || t.kind === 'dyn') return;
    if (out && out.name !== t.name) throw chk.createError('heterogeneous_literal', `${what}, expected type '${out.name}' but found '${t.name}'`, nodes[i]!);
    out ??= t;
  });
  return out ?? chk.dynType;
}

function optionalList(list: Node): Node {
  const op: Op = {
    name: 'list',
    check(chk, ast, ctx) {
      const elements = ast.args as Node[];
      return chk.registry.getListType(homogeneous(chk, elements.map((e) => elementType(chk, e, ctx)), elements, 'List elements must have the same type'));
    },
    evaluate(ev, ast, ctx) {
      const out: unknown[] = [];
      for (const e of ast.args as Node[]) {
        const v = ev.run(e, ctx);
        if (!(v instanceof Optional)) out.push(v);
        else if (e.op !== UNWRAP.name) out.push(v);
        else if (v.hasValue()) out.push(v.value());
      }
      return out;
    },
  };
  return list.clone(op, (list.args as Node[]).map((e) => (e.op === MARKED.name ? unwrap(e.args as Node) : e))).setMeta('async', false);
}

function optionalMap(map: Node): Node {
  const op: Op = {
    name: 'map',
    check(chk, ast, ctx) {
      const entries = ast.args as [Node, Node][];
      const keys = entries.map(([k]) => k);
      const values = entries.map(([, v]) => v);
      const key = homogeneous(chk, keys.map((k) => chk.check(k, ctx)), keys, 'Map key uses wrong type');
      return chk.registry.getMapType(key, homogeneous(chk, values.map((v) => elementType(chk, v, ctx)), values, 'Map value uses wrong type'));
    },
    evaluate(ev, ast, ctx) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of ast.args as [Node, Node][]) {
        const key = ev.run(k, ctx);
        const value = ev.run(v, ctx);
        if (['__proto__', 'constructor', 'prototype'].includes(String(key))) continue;
        if (v.op !== UNWRAP.name) out[String(key)] = value;
        else if ((value as Optional).hasValue()) out[String(key)] = (value as Optional).value();
      }
      return out;
    },
  };
  const entries = (map.args as [Node, Node][]).map(([k, v]): [Node, Node] => (k.op === MARKED.name ? [k.args as Node, unwrap(v)] : [k, v]));
  return map.clone(op, entries).setMeta('async', false);
}

let done = false;

/** Teaches cel-js's parser (shared by every environment) the `?` of list elements and map keys. */
export function parseOptionalLiterals(): void {
  if (done) return;
  done = true;
  let parser: Parser | undefined;
  const probe = new Environment();
  probe.registerFunction('probe(ast): bool', (({ parser: p }: { parser: Parser }) => ((parser = p), { callAst: undefined, typeCheck: () => undefined, evaluate: () => true })) as never);
  probe.parse('probe(x)');
  if (!parser) throw new Error('cel: the parser could not be reached');
  const proto = Object.getPrototypeOf(parser) as Parser;
  const parseExpression = proto.parseExpression;
  proto.parseExpression = function (this: Parser) {
    if (this.type !== QUESTION) return parseExpression.call(this);
    this.consume(QUESTION);
    const e = parseExpression.call(this);
    return e.clone(MARKED, e).setMeta('async', false);
  };
  const parseList = proto.parseList;
  proto.parseList = function (this: Parser) {
    const list = parseList.call(this);
    return (list.args as Node[]).some((e) => e.op === MARKED.name) ? optionalList(list) : list;
  };
  const parseMap = proto.parseMap;
  proto.parseMap = function (this: Parser) {
    const map = parseMap.call(this);
    return (map.args as [Node, Node][]).some(([k]) => k.op === MARKED.name) ? optionalMap(map) : map;
  };
}
