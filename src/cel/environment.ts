// The two cel-js environments behind every expression: a checking one (declared types, for compile errors and
// the result type; cloned per compilation to hold that compilation's object types) and one shared evaluating
// one, where every variable is dyn and values are plain CEL values, metered by cost.ts.
import { Environment } from '@marcbachmann/cel-js';
import { meterEnvironment } from './cost.js';
import { parseOptionalLiterals } from './optional-literals.js';
import { registerAuthorizer } from './library/authorizer.js';
import { registerCIDR } from './library/cidr.js';
import { registerComprehensions } from './library/comprehensions.js';
import { registerExtLists } from './library/ext-lists.js';
import { registerFormat } from './library/format.js';
import { registerIP } from './library/ip.js';
import { registerLists } from './library/lists.js';
import { registerOptional } from './library/optional.js';
import { registerQuantity } from './library/quantity.js';
import { equal, holdsUnordered } from './library/compare.js';
import { matches, registerRegex } from './library/regex.js';
import { registerSemver } from './library/semver.js';
import { registerSets } from './library/sets.js';
import { registerStrings } from './library/strings.js';
import { registerURL } from './library/url.js';

/** Kubernetes' parse limits (cel-go defaults as the API server sets them). */
const LIMITS = { maxDepth: 250, maxAstNodes: 100_000, maxListElements: 1000, maxMapEntries: 1000, maxCallArguments: 32 };

interface Checker {
  dynType: unknown;
  check(ast: { checkedType?: unknown }, ctx: unknown): { kind: string };
}

/**
 * cel-js leaves a call's unbound type parameter as the type of its result (`dyn.value()` is `A`), where cel-go
 * gives dyn: a field of it then fails (`Cannot index type 'undefined'`, so `oldSelf.value().a` with
 * optionalOldSelf). The type checker's prototype, reached through a first check, answers dyn instead.
 */
function unboundResultsAreDyn(env: Environment): void {
  const probe = env.parse('true');
  const node = probe.ast as unknown as { check(chk: Checker, ast: unknown, ctx: unknown): unknown };
  const check = node.check;
  let checker: Checker | undefined;
  node.check = function (chk, ast, ctx) {
    checker = chk;
    return check.call(this, chk, ast, ctx);
  };
  probe.check();
  if (!checker) throw new Error('cel: the type checker could not be reached');
  const proto = Object.getPrototypeOf(checker) as Checker;
  const checkNode = proto.check;
  proto.check = function (ast, ctx) {
    const t = checkNode.call(this, ast, ctx);
    return t.kind === 'param' ? (ast.checkedType = this.dynType) as { kind: string } : t;
  };
}

let patched = false;

interface BinaryNode {
  handle(a: unknown, b: unknown, ast: unknown, ev: unknown): unknown;
}

function withLibraries(env: Environment): Environment {
  if (!patched) unboundResultsAreDyn(env);
  patched = true;
  parseOptionalLiterals();
  registerLists(env);
  registerRegex(env);
  registerStrings(env);
  registerSets(env);
  registerExtLists(env);
  registerQuantity(env);
  registerFormat(env);
  registerAuthorizer(env);
  registerIP(env);
  registerCIDR(env);
  registerURL(env);
  registerSemver(env);
  registerComprehensions(env);
  registerOptional(env);
  return env;
}

let checking: Environment | undefined;

/** A fresh checking environment with the libraries, to declare one compilation's variables and types in. */
export function checkingEnvironment(): Environment {
  checking ??= withLibraries(new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: true, limits: LIMITS }));
  return checking.clone();
}

let evaluating: Environment | undefined;

/** The shared, metered evaluating environment. */
export function evaluatingEnvironment(): Environment {
  if (evaluating) return evaluating;
  const env = withLibraries(new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false, unlistedVariablesAreDyn: true, limits: LIMITS }));
  // cel-js's string.matches uses JavaScript's backtracking RegExp: the metered evaluator runs RE2 instead.
  // Values holding set or map lists compare with compare.ts's equality, which ignores those lists' order.
  meterEnvironment(env, (ev, ast, ctx) => {
    const args = ast.args as unknown[];
    if (ast.op === '==' || ast.op === '!=') {
      const a = ev.run(args[0] as never, ctx);
      const b = ev.run(args[1] as never, ctx);
      if (!holdsUnordered(a) && !holdsUnordered(b)) return { value: (ast as unknown as BinaryNode).handle(a, b, ast, ev) };
      return { value: equal(a, b) === (ast.op === '==') };
    }
    if (ast.op !== 'rcall' || args[0] !== 'matches' || (args[2] as unknown[]).length !== 1) return undefined;
    const s = ev.run(args[1] as never, ctx);
    const p = ev.run((args[2] as never[])[0]!, ctx);
    if (typeof s !== 'string' || typeof p !== 'string') return undefined;
    return { value: matches(s, p) };
  });
  evaluating = env;
  return env;
}
