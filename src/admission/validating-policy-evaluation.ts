// One evaluation of a policy for a (binding, param) pair, as k8s.io/apiserver's validator does
// (pkg/admission/plugin/policy/validating/validator.go, plugin/cel/filter.go, composition.go): match
// conditions (a false one skips the policy, errors follow failurePolicy), then the validations and their
// messages, then the audit annotations. `variables.<name>` are computed on first use and kept for the
// expression; the evaluation has a budget of 10,000,000 (each expression at most the per-call 1,000,000).
import { evaluate, type Activation, type Authorize, type AuthzCheck } from '../cel/admission.js';
import { run as runProgram } from '../cel/compile.js';
import { charge, CostLimitError, PER_CALL_LIMIT, RUNTIME_BUDGET } from '../cel/cost.js';
import { yieldToEventLoop } from '../api/event-loop.js';
import type { CompiledExpression, CompiledPolicy } from './validating-policy-compile.js';
import type { PolicySpec } from './validating-policy-types.js';

/** The CEL values of the request (object, oldObject, request, namespaceObject, params). */
export interface EvaluationInput {
  vars: Record<string, unknown>;
  authorize?: Authorize;
  requestResource?: Omit<AuthzCheck, 'verb' | 'path' | 'user'>;
}

export interface Decision {
  action: 'admit' | 'deny';
  evaluation: 'admit' | 'deny' | 'error';
  message: string;
  reason?: string;
  /** The index of the validation (for the audit annotation). */
  index: number;
}

export interface AuditAnnotationResult {
  key: string;
  action: 'publish' | 'exclude' | 'error';
  value?: string;
  error?: string;
}

export interface ValidateResult {
  decisions: Decision[];
  auditAnnotations: AuditAnnotationResult[];
}

export const OUT_OF_BUDGET = 'validation failed due to running out of cost budget, no further validation rules will be run';
/** celconfig.MaxEvaluatedMessageExpressionSizeBytes */
const MAX_MESSAGE_BYTES = 5 * 1024;

class OutOfBudget extends Error {}

type Result = { value: unknown } | { error: string };

/** Runs expressions against one input, sharing a budget. */
class Evaluator {
  private remaining = RUNTIME_BUDGET;
  constructor(
    private readonly policy: CompiledPolicy,
    private readonly input: EvaluationInput,
  ) {}

  async run(c: CompiledExpression, withAuthorizer: boolean): Promise<Result> {
    if ('error' in c.result) return { error: `compilation error: ${c.result.error}` };
    const activation: Activation = { vars: this.input.vars, bindLazy: (vars) => (vars.variables = this.variables(vars)) };
    if (withAuthorizer && this.input.authorize) activation.authorizer = { authorize: this.input.authorize, requestResource: this.input.requestResource };
    const out = await evaluate(c.result.program, activation, Math.min(PER_CALL_LIMIT, this.remaining));
    this.remaining -= out.cost;
    // One expression runs synchronously (at most the per-call limit); other requests get in between.
    await yieldToEventLoop();
    if (this.remaining < 0) throw new OutOfBudget(OUT_OF_BUDGET);
    if ('error' in out) return { error: `expression '${c.expression}' resulted in error: ${out.error}` };
    return { value: out.value };
  }

  /** `variables`: each computed when first read, with the round's variables (its authorizer included). */
  private variables(vars: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = Object.create(null);
    const cache = new Map<string, { value: unknown } | { error: string; costLimit?: true }>();
    for (const v of this.policy.variables) {
      Object.defineProperty(out, v.name, {
        enumerable: true,
        get: () => {
          let r = cache.get(v.name);
          if (!r) {
            if ('error' in v.result) r = { error: `composited variable "${v.name}" fails to compile: ${v.result.error}` };
            else {
              const res = runProgram(v.result.program, vars, PER_CALL_LIMIT);
              charge(res.cost);
              r = res;
            }
            cache.set(v.name, r);
          }
          if ('error' in r) throw r.costLimit ? new CostLimitError() : new Error(r.error);
          return r.value;
        },
      });
    }
    return out;
  }
}

const errorAction = (failurePolicy: string | undefined): 'admit' | 'deny' => (failurePolicy === 'Ignore' ? 'admit' : 'deny');

/** Validates one (binding, param) pair; answers no decisions when a match condition is false. */
export async function validatePolicy(spec: PolicySpec, policy: CompiledPolicy, input: EvaluationInput): Promise<ValidateResult> {
  const onError = errorAction(spec.failurePolicy);
  const errorResult = (message: string): ValidateResult => ({ decisions: [{ action: onError, evaluation: 'error', message, index: 0 }], auditAnnotations: [] });
  const ev = new Evaluator(policy, input);
  try {
    const matched = await runMatchConditions(ev, policy.matchConditions);
    if (matched === false) return { decisions: [], auditAnnotations: [] };
    if (matched !== true) return errorResult(matched.error);
    const decisions: Decision[] = [];
    for (const [index, v] of policy.validations.entries()) {
      const r = await ev.run(v.expression, true);
      if ('error' in r) decisions.push({ action: onError, evaluation: 'error', message: r.error, index });
      else if (r.value === true) decisions.push({ action: 'admit', evaluation: 'admit', message: '', index });
      else {
        const source = spec.validations?.[index] ?? {};
        decisions.push({ action: 'deny', evaluation: 'deny', message: await failureMessage(ev, v.message, source), reason: source.reason ?? 'Invalid', index });
      }
    }
    return { decisions, auditAnnotations: await auditAnnotations(spec, policy, input) };
  } catch (e) {
    if (e instanceof OutOfBudget) return errorResult(e.message);
    throw e;
  }
}

/** matchconditions.Matcher: false when a condition is false, else the errors (aggregated as Go's), else true. */
async function runMatchConditions(ev: Evaluator, conditions: CompiledExpression[]): Promise<boolean | { error: string }> {
  const errors: string[] = [];
  for (const m of conditions) {
    const r = await ev.run(m, true);
    if ('error' in r) errors.push(r.error);
    else if (r.value !== true) return false;
  }
  return errors.length ? { error: errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]` } : true;
}

/** A webhook's match conditions (no variables), with the budget of one evaluation. */
export async function evaluateMatchConditions(conditions: CompiledExpression[], input: EvaluationInput): Promise<boolean | { error: string }> {
  try {
    return await runMatchConditions(new Evaluator({ matchConditions: [], variables: [], validations: [], auditAnnotations: [] }, input), conditions);
  } catch (e) {
    if (e instanceof OutOfBudget) return { error: e.message };
    throw e;
  }
}

/** messageExpression's string (trimmed, one line, at most 5 KiB), else message, else `failed expression: …`. */
async function failureMessage(ev: Evaluator, messageExpression: CompiledExpression | undefined, source: { expression?: string; message?: string }): Promise<string> {
  if (messageExpression) {
    const r = await ev.run(messageExpression, false);
    if ('value' in r && typeof r.value === 'string') {
      const m = r.value.trim();
      if (m && Buffer.byteLength(m) <= MAX_MESSAGE_BYTES && !m.includes('\n')) return m;
    }
  }
  if (source.message?.trim()) return source.message.trim();
  return `failed expression: ${(source.expression ?? '').trim()}`;
}

/** The audit annotations, with a budget of their own (no authorizer, as upstream). */
async function auditAnnotations(spec: PolicySpec, policy: CompiledPolicy, input: EvaluationInput): Promise<AuditAnnotationResult[]> {
  const ev = new Evaluator(policy, input);
  const onError = errorAction(spec.failurePolicy) === 'deny' ? 'error' : 'exclude';
  const out: AuditAnnotationResult[] = [];
  for (const a of policy.auditAnnotations) {
    const r = await ev.run(a, false);
    if ('error' in r) out.push({ key: a.key, action: onError, error: r.error });
    else if (r.value === null) out.push({ key: a.key, action: 'exclude' });
    else if (typeof r.value === 'string') out.push(r.value.trim() ? { key: a.key, action: 'publish', value: r.value.trim() } : { key: a.key, action: 'exclude' });
    else out.push({ key: a.key, action: 'error', error: `valueExpression '${a.expression}' resulted in unsupported return type: ${typeof r.value}. Return type must be either string or null.` });
  }
  return out;
}
