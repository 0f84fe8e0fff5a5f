// x-kubernetes-validations: compiling a CRD schema's rules with the field errors kube-apiserver gives
// (apiextensions validation.go, schema/cel/compilation.go) and running them on an object and its old value
// (schema/cel/validation.go, the kube-apiserver 1.33 failure texts).
import { Optional } from '@marcbachmann/cel-js';
import type { JSONSchemaProps as ApiSchema, ValidationRule } from 'kubernetes-types/apiextensions/v1.js';
import type { Schema as JSONSchemaProps } from './schema.js';
import { duplicate, errorText, type FieldError, forbidden, invalid, notSupported, required } from '../api/field-errors.js';
import { compileIn, type Program, run } from './compile.js';
import { costErrorText, estimateCost, maxSize, STATIC_RULE_LIMIT, STATIC_SCHEMA_LIMIT } from './cost-estimate.js';
import { COST_LIMIT_TEXT, PER_CALL_LIMIT, RUNTIME_BUDGET, sealSizes } from './cost.js';
import { checkingEnvironment } from './environment.js';
import { once, unchanged } from './ratcheting.js';
import { SchemaTypes } from './types-from-schema.js';
import { toCel } from './values.js';

const REASONS = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];
const MAX_MESSAGE_BYTES = 5 * 1024;
const hasNewlines = (s: string) => /[\n\r]/.test(s);

interface CompiledRule {
  rule: ValidationRule;
  program?: Program;
  message?: Program;
  usesOldSelf: boolean;
  error?: string;
  fieldPath?: string;
  cost: number;
}

/** The rules of one schema node, compiled, with the same for its children. */
interface CompiledNode {
  rules: CompiledRule[];
  properties: Map<string, CompiledNode>;
  items?: CompiledNode;
  additional?: CompiledNode;
}

const joinPath = (parent: string, child: string) => (parent ? (child.startsWith('[') ? parent + child : `${parent}.${child}`) : child);

/** Go's %#v of the apiextensions.ValidationRule a compile error prints as its value. */
function ruleValue(r: ValidationRule) {
  const q = (s: string | undefined) => JSON.stringify(s ?? '');
  const text = `apiextensions.ValidationRule{Rule:${q(r.rule)}, Message:${q(r.message)}, MessageExpression:${q(r.messageExpression)}, Reason:(*apiextensions.FieldValueErrorReason)(${r.reason === undefined ? 'nil' : '0xc000010000'}), FieldPath:${q(r.fieldPath)}, OptionalOldSelf:(*bool)(${r.optionalOldSelf === undefined ? 'nil' : '0xc000010008'})}`;
  return { goString: () => text };
}

/** The normalized form of a rule's fieldPath when it names a field of s (`.a`, `['a']`, nested), else undefined. */
function resolveFieldPath(s: JSONSchemaProps, path: string): string | undefined {
  let at: JSONSchemaProps | undefined = s;
  let out = '';
  const re = /\.([A-Za-z_][\w-]*)|\['((?:[^'\\]|\\.)*)'\]/y;
  let i = 0;
  while (i < path.length) {
    re.lastIndex = i;
    const m = re.exec(path);
    if (!m || !at) return undefined;
    const name = m[1] ?? m[2]!.replace(/\\(.)/g, '$1');
    const extra: JSONSchemaProps | undefined = typeof at.additionalProperties === 'object' ? at.additionalProperties : undefined;
    at = at.properties?.[name] ?? extra;
    if (!at) return undefined;
    out += m[1] !== undefined ? `.${name}` : `[${name}]`;
    i = re.lastIndex;
  }
  return out.startsWith('.') ? out.slice(1) : out;
}

/** Compiles the rules of one node; field errors go to errs. */
function compileNode(s: JSONSchemaProps, root: boolean, path: string, cardinality: number, uncorrelatable: string | undefined, errs: FieldError[], costs: { path: string; cost: number }[]): CompiledRule[] {
  const rules = s['x-kubernetes-validations'] ?? [];
  const out: CompiledRule[] = [];
  const before = errs.length;
  rules.forEach((r, i) => {
    const p = `${path}.x-kubernetes-validations[${i}]`;
    const rule = (r.rule ?? '').trim();
    const msg = (r.message ?? '').trim();
    if (!rule) errs.push(required(`${p}.rule`, 'rule is not specified'));
    else if ((r.message ?? '').length > 0 && !msg) errs.push(invalid(`${p}.message`, r.message, 'message must be non-empty if specified'));
    else if (hasNewlines(msg)) errs.push(invalid(`${p}.message`, r.message, 'message must not contain line breaks'));
    else if (hasNewlines(rule) && !msg) errs.push(required(`${p}.message`, 'message must be specified if rule contains line breaks'));
    if ((r.messageExpression ?? '').length > 0 && !r.messageExpression!.trim()) errs.push(required(`${p}.messageExpression`, 'messageExpression must be non-empty if specified'));
    if (r.reason !== undefined && !REASONS.includes(r.reason)) errs.push(notSupported(`${p}.reason`, r.reason, REASONS));
    if ((r.fieldPath ?? '').length > 0 && !r.fieldPath!.trim()) errs.push(invalid(`${p}.fieldPath`, r.fieldPath, 'fieldPath must be non-empty if specified'));
    if (hasNewlines(r.fieldPath ?? '')) errs.push(invalid(`${p}.fieldPath`, r.fieldPath, 'fieldPath must not contain line breaks'));
    if (r.fieldPath && resolveFieldPath(s, r.fieldPath.trim()) === undefined) errs.push(invalid(`${p}.fieldPath`, r.fieldPath, 'fieldPath must be a valid path'));
  });
  const fieldErrors = errs.length > before;
  const envs = new Map<boolean, ReturnType<typeof checkingEnvironment>>();
  const envFor = (optional: boolean) => {
    let env = envs.get(optional);
    if (!env) {
      env = checkingEnvironment();
      const type = new SchemaTypes(env, 'selfType').typeOf(s, root);
      env.registerVariable('self', type);
      env.registerVariable('oldSelf', optional ? `optional<${type}>` : type);
      envs.set(optional, env);
    }
    return env;
  };
  rules.forEach((r, i) => {
    const p = `${path}.x-kubernetes-validations[${i}]`;
    const c: CompiledRule = { rule: r, usesOldSelf: false, cost: 0, fieldPath: r.fieldPath ? resolveFieldPath(s, r.fieldPath.trim()) : undefined };
    out.push(c);
    if (fieldErrors || !(r.rule ?? '').trim()) return;
    const env = envFor(r.optionalOldSelf === true);
    const compiled = compileIn(env, r.rule);
    if ('error' in compiled) {
      c.error = `compilation failed: ${compiled.error}`;
      errs.push(invalid(`${p}.rule`, ruleValue(r), c.error));
      return;
    }
    if (compiled.program.type !== 'bool') {
      c.error = 'cel expression must evaluate to a bool';
      errs.push(invalid(`${p}.rule`, ruleValue(r), c.error));
      return;
    }
    c.program = compiled.program;
    c.usesOldSelf = compiled.program.reads.has('oldSelf');
    c.cost = estimateCost(compiled.program.run.ast, s) * cardinality;
    if (c.cost > STATIC_RULE_LIMIT) errs.push(forbidden(`${p}.rule`, costErrorText('estimated rule cost', c.cost, STATIC_RULE_LIMIT)));
    costs.push({ path: `${p}.rule`, cost: c.cost });
    if (r.messageExpression?.trim()) {
      const m = compileIn(env, r.messageExpression);
      if ('error' in m) errs.push(invalid(`${p}.messageExpression`, ruleValue(r), `messageExpression compilation failed: ${m.error}`));
      else if (m.program.type !== 'string') errs.push(invalid(`${p}.messageExpression`, ruleValue(r), 'must evaluate to a string'));
      else {
        c.message = m.program;
        const cost = estimateCost(m.program.run.ast, s) * cardinality;
        if (cost > STATIC_RULE_LIMIT) errs.push(forbidden(`${p}.messageExpression`, costErrorText('estimated messageExpression cost', cost, STATIC_RULE_LIMIT)));
        costs.push({ path: `${p}.messageExpression`, cost });
      }
    }
    if (c.usesOldSelf && uncorrelatable !== undefined) {
      errs.push(invalid(`${p}.rule`, r.rule, `oldSelf cannot be used on the uncorrelatable portion of the schema within ${uncorrelatable}`));
    } else if (!c.usesOldSelf && r.optionalOldSelf !== undefined) {
      errs.push(invalid(`${p}.optionalOldSelf`, r.optionalOldSelf, 'may not be set if oldSelf is not used in rule'));
    }
  });
  return out;
}

function compileTree(s: JSONSchemaProps, root: boolean, path: string, cardinality: number, uncorrelatable: string | undefined, errs: FieldError[], costs: { path: string; cost: number }[]): CompiledNode {
  const node: CompiledNode = { rules: compileNode(s, root, path, cardinality, uncorrelatable, errs, costs), properties: new Map() };
  for (const [k, p] of Object.entries(s.properties ?? {})) node.properties.set(k, compileTree(p, false, `${path}.properties[${k}]`, cardinality, uncorrelatable, errs, costs));
  if (s.items) {
    const itemsPath = `${path}.items`;
    const forbid = uncorrelatable ?? (s['x-kubernetes-list-type'] === 'map' ? undefined : itemsPath);
    node.items = compileTree(s.items, false, itemsPath, cardinality * maxSize(s), forbid, errs, costs);
  }
  if (typeof s.additionalProperties === 'object') {
    node.additional = compileTree(s.additionalProperties, false, `${path}.additionalProperties`, cardinality * maxSize(s), uncorrelatable, errs, costs);
  }
  return node;
}

/** Every x-kubernetes-validations rule of a (structural) schema compiled: the field errors a CRD write gets. */
export function compileSchemaRules(apiSchema: ApiSchema, path: string): FieldError[] {
  const schema = apiSchema as JSONSchemaProps;
  const errs: FieldError[] = [];
  const costs: { path: string; cost: number }[] = [];
  compileTree(schema, true, path, 1, undefined, errs, costs);
  const total = costs.reduce((a, c) => a + c.cost, 0);
  if (total > STATIC_SCHEMA_LIMIT) {
    for (const c of [...costs].sort((a, b) => b.cost - a.cost).slice(0, 4)) {
      errs.push(forbidden(c.path, 'contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema'));
    }
    errs.push(forbidden(path, costErrorText('x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema', total, STATIC_SCHEMA_LIMIT)));
  }
  return errs;
}

const compiledSchemas = new WeakMap<JSONSchemaProps, CompiledNode>();

function compiledOf(schema: JSONSchemaProps): CompiledNode {
  let c = compiledSchemas.get(schema);
  if (!c) compiledSchemas.set(schema, (c = compileTree(schema, true, '', 1, undefined, [], [])));
  return c;
}

/**
 * Runs every rule at every node of obj (old correlated where Kubernetes correlates it); the failures. On update
 * (old given), the failure of a rule without oldSelf on a value unchanged from its old value is ratcheted: it
 * goes to `warnings` (kube-apiserver's warning text) instead, unless `ratcheting` is false.
 */
export function validateCelRules(apiSchema: ApiSchema, obj: unknown, old: unknown | undefined, opts: { budget?: number; ratcheting?: boolean; warnings?: string[] } = {}): FieldError[] {
  const schema = apiSchema as JSONSchemaProps;
  const errs: FieldError[] = [];
  const ratcheting = old !== undefined && old !== null && opts.ratcheting !== false;
  const state: State = { budget: opts.budget ?? RUNTIME_BUDGET, warnings: opts.warnings ?? [], ratcheting };
  const ratchet = ratcheting ? once(() => unchanged(schema, obj, old)) : () => false;
  visit(schema, compiledOf(schema), true, '', obj, old, ratchet, errs, state);
  return errs;
}

type State = { budget: number; warnings: string[]; ratcheting: boolean };
/** Whether the node's failures are ratcheted: its value (or, uncorrelated, its nearest correlated parent's) is unchanged. */
type Ratchet = () => boolean;

function visit(s: JSONSchemaProps, c: CompiledNode, root: boolean, path: string, v: unknown, old: unknown, ratchet: Ratchet, errs: FieldError[], state: State): boolean {
  if (v === null || v === undefined) return true;
  if (c.rules.length && !runRules(s, c, root, path, v, old, ratchet, errs, state)) return false;
  const child = (cs: JSONSchemaProps, x: unknown, o: unknown): Ratchet => (o === undefined || !state.ratcheting ? ratchet : once(() => unchanged(cs, x, o)));
  if (Array.isArray(v) && c.items) {
    const oldItems = s['x-kubernetes-list-type'] === 'map' && Array.isArray(old) ? mapListIndex(s['x-kubernetes-list-map-keys'] ?? [], old) : undefined;
    for (let i = 0; i < v.length; i++) {
      const o = oldItems?.get(mapKey(s['x-kubernetes-list-map-keys'] ?? [], v[i]));
      if (!visit(s.items!, c.items, false, `${path}[${i}]`, v[i], o, child(s.items!, v[i], o), errs, state)) return false;
    }
    return true;
  }
  if (typeof v === 'object' && !Array.isArray(v)) {
    const o = old && typeof old === 'object' && !Array.isArray(old) ? (old as Record<string, unknown>) : undefined;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const sub = c.properties.get(k);
      if (sub) {
        if (!visit(s.properties![k]!, sub, false, joinPath(path, k), x, o?.[k], child(s.properties![k]!, x, o?.[k]), errs, state)) return false;
      } else if (c.additional && typeof s.additionalProperties === 'object') {
        if (!visit(s.additionalProperties, c.additional, false, `${path}[${k}]`, x, o?.[k], child(s.additionalProperties, x, o?.[k]), errs, state)) return false;
      }
    }
  }
  return true;
}

const mapKey = (keys: string[], item: unknown) => JSON.stringify(keys.map((k) => (item as Record<string, unknown> | null)?.[k] ?? null));

function mapListIndex(keys: string[], items: unknown[]): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (const it of items) m.set(mapKey(keys, it), it);
  return m;
}

/** Runs the rules of one node; false when validation must stop (cost). */
function runRules(s: JSONSchemaProps, c: CompiledNode, root: boolean, path: string, v: unknown, old: unknown, ratchet: Ratchet, errs: FieldError[], state: State): boolean {
  const type = s.type ?? '';
  const at = path || '<nil>';
  const self = toCel(s, v, root);
  sealSizes(self);
  const oldSelf = old === undefined || old === null ? undefined : toCel(s, old, root);
  if (oldSelf !== undefined) sealSizes(oldSelf);
  for (const r of c.rules) {
    const ruleText = (r.rule.message ?? '').trim() || (r.rule.rule ?? '').trim();
    if (r.error) {
      errs.push(invalid(at, type, `rule compile error: ${r.error}`));
      continue;
    }
    if (!r.program) continue;
    let oldVar: unknown = oldSelf;
    if (r.rule.optionalOldSelf) oldVar = oldSelf === undefined ? Optional.none() : Optional.of(oldSelf);
    else if (r.usesOldSelf && oldSelf === undefined) continue;
    const activation = { self, oldSelf: oldVar };
    const out = run(r.program, activation, Math.min(PER_CALL_LIMIT, state.budget + 1));
    if ('error' in out && out.costLimit) {
      if (state.budget < PER_CALL_LIMIT) errs.push(invalid(at, type, 'validation failed due to running out of cost budget, no further validation rules will be run'));
      else errs.push(invalid(at, type, `'${COST_LIMIT_TEXT}': no further validation rules will be run due to call cost exceeds limit for rule: ${ruleText}`));
      return false;
    }
    state.budget -= out.cost;
    if ('error' in out) {
      if (out.error.startsWith('no such overload')) errs.push(invalid(at, type, `'${out.error}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleText}`));
      else errs.push(invalid(at, type, `${out.error} evaluating rule: ${ruleText}`));
      continue;
    }
    if (out.value === true) continue;
    const fieldAt = r.fieldPath ? joinPath(path, r.fieldPath) : at;
    let detail = (r.rule.message ?? '').trim() || `failed rule: ${ruleText}`;
    if (r.message) {
      const m = run(r.message, activation, Math.min(PER_CALL_LIMIT, state.budget + 1));
      if ('error' in m && m.costLimit) {
        errs.push(invalid(at, type, state.budget < PER_CALL_LIMIT ? 'messageExpression evaluation failed due to running out of cost budget, no further validation rules will be run' : `no further validation rules will be run due to call cost exceeds limit for messageExpression: ${JSON.stringify(r.rule.messageExpression)}`));
        return false;
      }
      state.budget -= m.cost;
      if ('value' in m && typeof m.value === 'string') {
        const text = m.value.trim();
        if (text && !/\n/.test(text) && Buffer.byteLength(text) <= MAX_MESSAGE_BYTES) detail = text;
      }
    }
    const failure = reasonError(r.rule.reason, fieldAt, type, detail);
    if (!r.usesOldSelf && ratchet()) state.warnings.push(errorText(failure));
    else errs.push(failure);
  }
  return true;
}

function reasonError(reason: string | undefined, path: string, type: string, detail: string): FieldError {
  switch (reason) {
    case 'FieldValueForbidden':
      return forbidden(path, detail);
    case 'FieldValueRequired':
      return required(path, detail);
    case 'FieldValueDuplicate':
      return duplicate(path, type);
    default:
      return invalid(path, type, detail);
  }
}
