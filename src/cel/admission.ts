// Expressions for ValidatingAdmissionPolicy: compiled against declared variables, run with a cost budget.
//
// The authorizer: Badge's Authorizer is async, while evaluation here is synchronous (the cost meter counts one
// evaluation at a time, and a synchronous run cannot be interleaved). So `evaluate` runs in rounds: checks
// the expression asks for are answered from the `decisions` cache of the activation; one not yet there is
// recorded and answered "pending" (not allowed). When a round asked for unknown checks, `evaluate` authorizes
// them all (the injected async function) and runs the expression again, at most 8 rounds (a later check can
// depend on an earlier answer). Every round is bounded by the same budget.
import { compileIn, type Program, run as runProgram } from './compile.js';
import { PER_CALL_LIMIT } from './cost.js';
import { checkingEnvironment } from './environment.js';
import { type AuthzCheck, type AuthzDecision, AuthorizerValue } from './library/authorizer.js';

export type { AuthzCheck, AuthzDecision };

/** A variable's declared CEL type: a type name (`bool`, `map<string, dyn>`, `dyn`…) or an object's fields. */
export type CelTypeDecl = string | { fields: Record<string, CelTypeDecl> };

export interface CompileOptions {
  /** Declares `authorizer` (and `authorizer.requestResource`). */
  authorizer?: boolean;
}

export type CompileResult = { program: Program } | { error: string };

/** Compiles an expression; an error reads as cel-go's (`ERROR: <input>:1:7: undefined field 'x'` …). */
export function compileExpression(expr: string, vars: Record<string, CelTypeDecl>, opts: CompileOptions = {}): CompileResult {
  const env = checkingEnvironment();
  let n = 0;
  const declare = (t: CelTypeDecl): string => {
    if (typeof t === 'string') return t;
    const name = `Object${++n}`;
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(t.fields)) fields[k] = declare(v);
    env.registerType(name, { fields });
    env.registerOperator(`${name} == ${name}`, () => false);
    return name;
  };
  for (const [name, t] of Object.entries(vars)) env.registerVariable(name, declare(t));
  if (opts.authorizer) env.registerVariable('authorizer', 'kubernetes.authorization.Authorizer');
  return compileIn(env, expr);
}

/** Asks the (async) authorizer one check. */
export type Authorize = (check: AuthzCheck) => Promise<AuthzDecision>;

export interface Activation {
  /** The variables' values (JSON values: numbers that are integers become CEL ints). */
  vars: Record<string, unknown>;
  /** The authorizer to ask, with the request's resource for `authorizer.requestResource`. */
  authorizer?: { authorize: Authorize; requestResource?: Omit<AuthzCheck, 'verb' | 'path' | 'user'> };
}

export type Evaluation = { value: unknown; cost: number } | { error: string; cost: number; costLimit?: true };

const MAX_ROUNDS = 8;

/** Runs a program with at most `budget` cost (1,000,000 by default), asking the authorizer what it needs. */
export async function evaluate(program: Program, activation: Activation, budget = PER_CALL_LIMIT): Promise<Evaluation> {
  const decisions = new Map<string, AuthzDecision>();
  for (let round = 0; ; round++) {
    const pending = new Map<string, AuthzCheck>();
    const vars = { ...activation.vars };
    if (activation.authorizer) vars.authorizer = new AuthorizerValue(decisions, pending, activation.authorizer.requestResource);
    const out = runProgram(program, vars, budget);
    if (pending.size === 0 || round + 1 >= MAX_ROUNDS || !activation.authorizer) return out;
    const asked = [...pending];
    const answers = await Promise.all(asked.map(([, c]) => activation.authorizer!.authorize(c).catch((e: Error) => ({ decision: 'NoOpinion', reason: '', error: e.message }) as AuthzDecision)));
    asked.forEach(([key], i) => decisions.set(key, answers[i]!));
  }
}
