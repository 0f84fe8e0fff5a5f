// Running one CEL expression as the library tests do: compile it (declared variables: dyn), run it metered.
import assert from 'node:assert/strict';
import { compileIn, run } from '../cel/compile.js';
import { checkingEnvironment } from '../cel/environment.js';

export type Result = { value: unknown } | { error: string } | { compileError: string };

/** Compiles and runs expr; vars are declared dyn and given these values. */
export function celEval(expr: string, vars: Record<string, unknown> = {}): Result {
  const env = checkingEnvironment();
  for (const name of Object.keys(vars)) env.registerVariable(name, 'dyn');
  const c = compileIn(env, expr);
  if ('error' in c) return { compileError: c.error };
  const out = run(c.program, vars);
  return 'error' in out ? { error: out.error } : { value: out.value };
}

/** The value of expr; throws with the error's text when it fails. */
export function celValue(expr: string, vars: Record<string, unknown> = {}): unknown {
  const r = celEval(expr, vars);
  if ('value' in r) return r.value;
  throw new Error(`${expr}: ${'error' in r ? r.error : r.compileError}`);
}

/** Asserts each expression's value. */
export function assertValues(cases: [string, unknown][]): void {
  for (const [expr, want] of cases) assert.deepEqual(celValue(expr), want, expr);
}

/** Asserts each expression fails at run time with this text. */
export function assertErrors(cases: [string, string][]): void {
  for (const [expr, error] of cases) assert.deepEqual(celEval(expr), { error }, expr);
}
