// Runtime cost of CEL evaluation, bounded as kube-apiserver bounds it (k8s.io/apiserver/pkg/apis/cel/config.go):
// every evaluated node costs 1, and operators and functions add a cost proportional to the size of what they
// read (0.1 per byte or element, as cel-go's traversal factor), so no big list, long string or nested
// comprehension escapes the limit. The units approximate cel-go's; they are not identical to them.
import type { Environment } from '@marcbachmann/cel-js';

/** Cost limit of one evaluation (celconfig.PerCallLimit). */
export const PER_CALL_LIMIT = 1_000_000;
/** Cost budget of all rules run on one object (celconfig.RuntimeCELCostBudget). */
export const RUNTIME_BUDGET = 10_000_000;

/** cel-go's text when an evaluation passes its limit. */
export const COST_LIMIT_TEXT = 'operation cancelled: actual cost limit exceeded';

export class CostLimitError extends Error {
  constructor() {
    super(COST_LIMIT_TEXT);
  }
}

/** The cost counter of the evaluation running now (evaluation is synchronous, so one at a time). */
class Meter {
  used = 0;
  limit = Infinity;
}
let current: Meter | undefined;

/** Adds cost to the running evaluation; past its limit the evaluation stops. Library functions call it. */
export function charge(n: number): void {
  if (!current) return;
  current.used += n;
  if (current.used > current.limit) throw new CostLimitError();
}

/** Charges for reading a value of this size at cel-go's traversal factor (0.1 per element or byte). */
export const chargeSize = (size: number) => charge(Math.ceil(size * 0.1));

/** Runs fn as one metered evaluation; answers its value and the cost it took. */
export function metered<T>(limit: number, fn: () => T): { value: T; cost: number } {
  const outer = current;
  const meter = (current = new Meter());
  meter.limit = limit;
  try {
    return { value: fn(), cost: meter.used };
  } finally {
    current = outer;
  }
}

/** The cost spent so far by the running evaluation (for a CostLimitError's caller). */
export const spent = () => current?.used ?? 0;

const SIZED_OPS = new Set(['==', '!=', 'in', '+', '<', '<=', '>', '>=', 'call', 'rcall']);

interface Node {
  op: string;
  args: unknown;
  meta: { macro?: unknown };
  evaluate(ev: Evaluator, ast: Node, ctx: unknown): unknown;
}
interface Evaluator {
  run(ast: Node, ctx: unknown): unknown;
}
type Override = (ev: Evaluator, ast: Node, ctx: unknown) => { value: unknown } | undefined;

/**
 * Meters every node an environment evaluates. cel-js evaluates each node through its evaluator's `run`, which
 * is reached from a first evaluation; `run` is wrapped there. `override` may evaluate a node itself (a safer
 * `matches`). Operators and calls (not macros) are charged by the size of their operands.
 */
export function meterEnvironment(env: Environment, override: Override): void {
  const probe = env.parse('true');
  let evaluator: Evaluator | undefined;
  (probe.ast as unknown as { evaluate: unknown }).evaluate = (ev: Evaluator) => ((evaluator = ev), true);
  probe({});
  if (!evaluator) throw new Error('cel: the evaluator could not be reached to meter it');
  let operands: unknown[] | undefined;
  evaluator.run = function run(ast: Node, ctx: unknown) {
    charge(1);
    const outer = operands;
    operands = current && SIZED_OPS.has(ast.op) && !ast.meta.macro ? [] : undefined;
    let value: unknown;
    try {
      const own = override(this, ast, ctx);
      value = own ? own.value : ast.evaluate(this, ast, ctx);
      if (operands) chargeSize(operands.reduce<number>((n, x) => n + sizeOf(x), 0));
    } finally {
      operands = outer;
    }
    operands?.push(value);
    return value;
  };
}

const known = new WeakMap<object, number>();

/** Remembers the sizes in a value that will not change (a converted input), so reading them again is free. */
export function sealSizes(v: unknown): number {
  return sizeOf(v, true);
}

/** The size of a value as cost counts it: bytes of strings, elements of lists and maps, deeply. */
export function sizeOf(v: unknown, seal = false): number {
  if (typeof v === 'string') return v.length;
  if (typeof v !== 'object' || v === null) return 0;
  if (v instanceof Uint8Array) return v.length;
  const k = known.get(v);
  if (k !== undefined) return k;
  let n = 0;
  if (Array.isArray(v)) for (const x of v) n += 1 + sizeOf(x, seal);
  else if (v instanceof Map) for (const [key, x] of v) n += 1 + sizeOf(key, seal) + sizeOf(x, seal);
  else if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)
    for (const key in v) n += 1 + key.length + sizeOf((v as Record<string, unknown>)[key], seal);
  if (seal) known.set(v, n);
  return n;
}
