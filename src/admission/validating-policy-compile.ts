// Compiling a ValidatingAdmissionPolicy's expressions as k8s.io/apiserver's admission CEL compiler does
// (pkg/admission/plugin/cel/compile.go): `object`, `oldObject` and `params` are dyn, `request` and
// `namespaceObject` typed, `authorizer` everywhere but in messageExpression, `variables.<name>` for the
// variables declared before. The registry words the errors as field errors; the plugin runs the programs.
import { compileExpression, type CelTypeDecl } from '../cel/admission.js';
import type { Program } from '../cel/compile.js';

const str = 'string';
const gvk: CelTypeDecl = { fields: { group: str, version: str, kind: str } };
const gvr: CelTypeDecl = { fields: { group: str, version: str, resource: str } };

/** kubernetes.AdmissionRequest (BuildRequestType). */
const REQUEST: CelTypeDecl = {
  fields: {
    kind: gvk,
    resource: gvr,
    subResource: str,
    requestKind: gvk,
    requestResource: gvr,
    requestSubResource: str,
    name: str,
    namespace: str,
    operation: str,
    userInfo: { fields: { username: str, uid: str, groups: 'list<string>', extra: 'map<string, list<string>>' } },
    dryRun: 'bool',
    options: 'dyn',
  },
};

/** kubernetes.Namespace (BuildNamespaceType). */
const NAMESPACE: CelTypeDecl = {
  fields: {
    metadata: {
      fields: {
        name: str, generateName: str, namespace: str, labels: 'map<string, string>', annotations: 'map<string, string>', UID: str,
        creationTimestamp: 'google.protobuf.Timestamp', deletionGracePeriodSeconds: 'int', deletionTimestamp: 'google.protobuf.Timestamp',
        generation: 'int', resourceVersion: str, finalizers: 'list<string>',
      },
    },
    spec: { fields: { finalizers: 'list<string>' } },
    status: {
      fields: {
        conditions: 'list<dyn>',
        phase: str,
      },
    },
  },
};

/** What an expression must evaluate to; `any` takes every type. */
export type ReturnKind = 'bool' | 'string' | 'string-or-null' | 'any';

export interface Declarations {
  params: boolean;
  authorizer: boolean;
  /** The variables declared before this expression, with the types they compiled to. */
  variables?: Record<string, string>;
}

export type PolicyCompileResult = { program: Program } | { error: string };

/** cel-go's type names: `list(string)` where cel-js writes `list<string>`. */
const celGoType = (t: string) => t.replaceAll('<', '(').replaceAll('>', ')');

/** Compiles one expression; an error is the detail kube-apiserver gives (`compilation failed: ERROR: …`, `must evaluate to bool but got int`). */
export function compilePolicyExpression(expression: string, returns: ReturnKind, decl: Declarations): PolicyCompileResult {
  const vars: Record<string, CelTypeDecl> = { object: 'dyn', oldObject: 'dyn', request: REQUEST, namespaceObject: NAMESPACE };
  if (decl.params) vars.params = 'dyn';
  vars.variables = { fields: decl.variables ?? {} };
  const out = compileExpression(expression, vars, { authorizer: decl.authorizer });
  if ('error' in out) return { error: `compilation failed: ${out.error}` };
  const type = out.program.type;
  if (returns === 'bool' && type !== 'bool') return { error: `must evaluate to bool but got ${celGoType(type)}` };
  if (returns === 'string' && type !== 'string') return { error: `must evaluate to string but got ${celGoType(type)}` };
  if (returns === 'string-or-null' && type !== 'string' && type !== 'null') return { error: `must evaluate to one of [string null_type] but got ${celGoType(type)}` };
  return out;
}

export interface PolicyExpressions {
  paramKind?: unknown;
  matchConditions?: { name?: string; expression?: string }[];
  variables?: { name?: string; expression?: string }[];
  validations?: { expression?: string; messageExpression?: string }[];
  auditAnnotations?: { key?: string; valueExpression?: string }[];
}

/** A compiled expression, or why it does not compile, at the field path of its source. */
export interface CompiledExpression {
  path: string;
  expression: string;
  result: PolicyCompileResult;
}

export interface CompiledPolicy {
  matchConditions: (CompiledExpression & { name: string })[];
  variables: (CompiledExpression & { name: string })[];
  validations: { expression: CompiledExpression; message?: CompiledExpression }[];
  auditAnnotations: (CompiledExpression & { key: string })[];
}

/** Compiles every expression of a policy spec (variables first, each seeing the ones before it). */
export function compilePolicy(spec: PolicyExpressions): CompiledPolicy {
  const params = spec.paramKind !== undefined && spec.paramKind !== null;
  const declared: Record<string, string> = {};
  const variables = (spec.variables ?? []).map((v, i) => {
    const expression = v.expression ?? '';
    const result = compilePolicyExpression(expression, 'any', { params, authorizer: true, variables: { ...declared } });
    if (v.name) declared[v.name] = 'program' in result ? result.program.type : 'dyn';
    return { name: v.name ?? '', path: `spec.variables[${i}].expression`, expression, result };
  });
  const full: Declarations = { params, authorizer: true, variables: declared };
  const one = (path: string, expression: string, returns: ReturnKind, decl = full): CompiledExpression => ({ path, expression, result: compilePolicyExpression(expression, returns, decl) });
  return {
    // Match conditions are evaluated before the variables, which they cannot see.
    matchConditions: compileMatchConditions(spec.matchConditions ?? [], params, 'spec.matchConditions'),
    variables,
    validations: (spec.validations ?? []).map((v, i) => ({
      expression: one(`spec.validations[${i}].expression`, v.expression ?? '', 'bool'),
      message: v.messageExpression?.trim() ? one(`spec.validations[${i}].messageExpression`, v.messageExpression, 'string', { ...full, authorizer: false }) : undefined,
    })),
    auditAnnotations: (spec.auditAnnotations ?? []).map((a, i) => ({ key: a.key ?? '', ...one(`spec.auditAnnotations[${i}].valueExpression`, (a.valueExpression ?? '').trim(), 'string-or-null') })),
  };
}

/** Match conditions (of policies and webhooks): bool expressions that see the request, the authorizer and params, not variables. */
export function compileMatchConditions(conditions: { name?: string; expression?: string }[], params: boolean, at: string): (CompiledExpression & { name: string })[] {
  return conditions.map((m, i) => {
    const expression = (m.expression ?? '').trim();
    return { name: m.name ?? '', path: `${at}[${i}].expression`, expression, result: compilePolicyExpression(expression, 'bool', { params, authorizer: true }) };
  });
}
