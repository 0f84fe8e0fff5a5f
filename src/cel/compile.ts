// Compiling one expression: parse and type-check against declared variables, then keep a program for the
// shared evaluating environment. Compile errors are worded as cel-go's issues print them:
// `ERROR: <input>:1:6: undefined field 'foo'` followed by the source line and a caret.
import { type Environment, ParseError, type ParseResult } from '@marcbachmann/cel-js';
import { CostLimitError, metered, PER_CALL_LIMIT } from './cost.js';
import { evaluatingEnvironment } from './environment.js';

export interface Program {
  /** The CEL type the checker inferred (`bool`, `string`, `optional<…>`…). */
  readonly type: string;
  /** The names of the variables the expression reads. */
  readonly reads: ReadonlySet<string>;
  readonly source: string;
  readonly run: ParseResult;
}

export type Compiled = { program: Program } | { error: string };

/** cel-go reports at most this many issues of one expression. */
const MAX_ISSUES = 100;

/**
 * Compiles source in env (variables and types declared there). cel-js's checker stops at the first issue;
 * cel-go reports them all. So the node at fault is then checked as dyn (as cel-go's error type, it hides what
 * follows from it) and the expression checked again, for every issue, which are printed in source order.
 */
export function compileIn(env: Environment, source: string): Compiled {
  let parsed: ParseResult;
  try {
    parsed = env.parse(source);
  } catch (e) {
    return { error: celIssue(source, e as CelLibError) };
  }
  let checked = parsed.check();
  const issues: { at: number; text: string }[] = [];
  const retyped = new Set<object>();
  while (!checked.valid && issues.length < MAX_ISSUES) {
    const err = checked.error as CelLibError;
    issues.push({ at: position(source, err), text: celIssue(source, err) });
    const node = err.node as unknown as { setMeta(k: string, v: unknown): unknown; checkedType?: unknown } | undefined;
    if (!node?.setMeta || err instanceof ParseError || retyped.has(node)) break;
    retyped.add(node);
    node.checkedType = undefined;
    node.setMeta('alternate', undefined);
    node.setMeta('macro', undefined);
    node.setMeta('check', (chk: { dynType: unknown }) => chk.dynType);
    checked = parsed.check();
  }
  if (issues.length) return { error: issues.sort((a, b) => a.at - b.at).map((i) => i.text).join('\n') };
  // cel-js evaluates the root node without its evaluator's `run`, which cost.ts meters: wrap it in a node.
  const run = evaluatingEnvironment().parse(`[${source}\n][0]`);
  // Checked when first run, against the values' runtime types (the declared types were checked above).
  return { program: { type: checked.type!, reads: identifiers(run.ast), source, run } };
}

export type Outcome = { value: unknown; cost: number } | { error: string; cost: number; costLimit?: true };

/** Runs a program against an activation with at most `limit` cost (the per-call limit by default). */
export function run(program: Program, activation: Record<string, unknown>, limit = PER_CALL_LIMIT): Outcome {
  let cost = 0;
  try {
    return metered(limit, () => program.run(activation));
  } catch (e) {
    if (e instanceof CostLimitError) return { error: e.message, cost: limit + 1, costLimit: true };
    cost = 0;
    return { error: runtimeText(e), cost };
  }
}

function runtimeText(e: unknown): string {
  const err = e as { summary?: string; message?: string };
  const text = err.summary ?? err.message ?? String(e);
  if (text.startsWith('No such key: ')) return `no such key: ${text.slice('No such key: '.length)}`;
  if (text.startsWith('no such overload')) return text;
  return text;
}

interface CelLibError {
  code?: string;
  summary?: string;
  message: string;
  range?: { start: number; end: number };
  node?: { op?: string; args?: unknown; start: number; end: number };
}

/** The text cel-go gives a compile issue: `ERROR: <input>:line:col: msg`, the line, and a caret under col. */
export function celIssue(source: string, err: CelLibError): string {
  const start = position(source, err);
  const before = source.slice(0, start);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const col = start - lineStart;
  const text = source.split('\n')[line - 1]!;
  return `ERROR: <input>:${line}:${col + 1}: ${wording(err)}\n | ${text}\n | ${'.'.repeat(col)}^`;
}

/** Where cel-go puts the issue: a selection at its dot, a call at its name, else where cel-js does. */
function position(source: string, err: CelLibError): number {
  const at = err.range?.start ?? 0;
  if (err.code === 'no_such_key' || (err.code === 'cannot_index_type' && err.node?.op === '.')) return Math.max(0, at - 1);
  const node = err.node;
  if (node?.op === 'rcall') {
    const receiver = (node.args as [string, { end: number }])[1];
    const dot = source.indexOf('.', receiver.end);
    return dot < 0 ? at : dot;
  }
  if (node?.op === 'call') {
    const open = source.indexOf('(', node.start);
    return open < 0 ? at : open;
  }
  if (node && Array.isArray(node.args) && node.args.length === 2 && typeof node.op === 'string' && /^[=!<>+\-*/%]|^in$/.test(node.op)) {
    const left = node.args[0] as { end: number };
    const op = source.indexOf(node.op, left.end);
    return op < 0 ? at : op;
  }
  return at;
}

const BINARY_NAMES: Record<string, string> = {
  '==': '_==_', '!=': '_!=_', '<': '_<_', '<=': '_<=_', '>': '_>_', '>=': '_>=_', '+': '_+_', '-': '_-_', '*': '_*_', '/': '_/_', '%': '_%_', in: '@in',
};

/** cel-js's summaries in cel-go's words where they differ. */
function wording(err: CelLibError): string {
  const s = err.summary ?? err.message;
  let m = /^No such key: (.*)$/.exec(s);
  if (m) return `undefined field '${m[1]}'`;
  m = /^Cannot index type '(.*)'$/.exec(s);
  if (m && err.node?.op === '.') return `type '${m[1]}' does not support field selection`;
  m = /^Unknown variable: (.*)$/.exec(s);
  if (m) return `undeclared reference to '${m[1]}' (in container '')`;
  m = /^no such overload: (.+) (==|!=|<=|>=|<|>|\+|-|\*|\/|%|in) (.+)$/.exec(s);
  if (m) return `found no matching overload for '${BINARY_NAMES[m[2]!]}' applied to '(${m[1]}, ${m[3]})'`;
  m = /^found no matching overload for '(?:(.+)\.)?([A-Za-z_][\w]*)\((.*)\)'$/.exec(s);
  if (m) return `found no matching overload for '${m[2]}' applied to '${m[1] ?? ''}${m[1] ? '.' : ''}(${m[3]})'`;
  // Homogeneous literals: cel-go says only what it expected.
  m = /^(?:List elements must have the same type|Map key uses wrong type|Map value uses wrong type), (expected type .*)$/.exec(s);
  if (m) return m[1]!;
  if (err instanceof ParseError || err.code === 'unexpected_token') return `Syntax error: ${s}`;
  return s;
}

/** The identifiers an AST reads (variables; comprehension variables too, which do not collide). */
function identifiers(ast: unknown, out = new Set<string>()): Set<string> {
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object' && 'op' in n) {
      const node = n as { op: string; args: unknown };
      if (node.op === 'id') out.add(node.args as string);
      else walk(node.args);
    }
  };
  walk(ast);
  return out;
}
