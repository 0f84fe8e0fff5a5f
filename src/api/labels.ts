// Label selectors: the string syntax of k8s.io/apimachinery pkg/labels/selector.go and the
// metav1.LabelSelector object (pkg/apis/meta/v1/helpers.go, metav1 validation), with Go's messages.

import { forbidden, invalid, required, type FieldError } from './field-errors.js';
import { isQualifiedName, isValidLabelValue, validateLabels } from './validation.js';
import { aggregateText } from './aggregate.js';
import { goCompare } from './utf8.js';

export { validateLabels };

/** selection.Operator values: '!' is DoesNotExist, 'gt'/'lt' are > and <. */
export type Operator = 'in' | 'notin' | 'exists' | '!' | '=' | '==' | '!=' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

/** AND of requirements, sorted by key; empty matches everything. */
export type LabelSelector = Requirement[];

export interface LabelSelectorRequirementObject {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirementObject[];
}

const sortByKey = (reqs: Requirement[]): Requirement[] => reqs.sort((a, b) => goCompare(a.key, b.key));


/** %#v of a []string; a nil slice (from an object without values) prints as []string(nil). */
const goSlice = (vals: string[] | null): string => (vals === null ? '[]string(nil)' : `[]string{${vals.map((v) => JSON.stringify(v)).join(', ')}}`);
const invalidText = (path: string, shown: string, detail: string): string => `${path}: Invalid value: ${shown}: ${detail}`;

/** strconv.ParseInt(s, 10, 64), or null. */
function parseInt64(s: string): bigint | null {
  if (!/^[+-]?[0-9]+$/.test(s)) return null;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n : null;
}

/** labels.NewRequirement: throws with the aggregated field errors Go returns. `null` values = a nil slice. */
function newRequirement(key: string, operator: Operator, values: string[] | null): Requirement {
  const vals = values ?? [];
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) errs.push(invalidText('key', JSON.stringify(key), keyErrs.join('; ')));
  switch (operator) {
    case 'in':
    case 'notin':
      if (vals.length === 0) errs.push(invalidText('values', goSlice(values), "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (vals.length !== 1) errs.push(invalidText('values', goSlice(values), 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (vals.length !== 0) errs.push(invalidText('values', goSlice(values), 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (vals.length !== 1) errs.push(invalidText('values', goSlice(values), "for 'Gt', 'Lt' operators, exactly one value is required"));
      vals.forEach((v, i) => {
        if (parseInt64(v) === null) errs.push(invalidText(`values[${i}]`, JSON.stringify(v), "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
  }
  vals.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length) errs.push(invalidText(`values[${i}][${key}]`, JSON.stringify(v), msgs.join('; ')));
  });
  if (errs.length) throw new Error(aggregateText(errs));
  return { key, operator, values: [...vals] };
}

// ---- lexer ----

type Token = 'error' | 'eos' | 'id' | ')' | ',' | '!' | '==' | '=' | '>' | 'in' | '<' | '!=' | 'notin' | '(';
interface Item {
  tok: Token;
  lit: string;
}

const LITERALS = new Map<string, Token>([
  [')', ')'], [',', ','], ['!', '!'], ['==', '=='], ['=', '='], ['>', '>'],
  ['in', 'in'], ['<', '<'], ['!=', '!='], ['notin', 'notin'], ['(', '('],
]);
const isWhitespace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const isSpecial = (c: string): boolean => SPECIAL.has(c);

/** Go's Lexer: reads past the end (and a NUL) as "\0". */
function lex(s: string): Item[] {
  let pos = 0;
  const read = (): string => (pos < s.length ? s[pos++]! : '\0');
  const unread = (): void => void pos--;

  const scanSpecial = (): Item => {
    let buffer = '';
    let last: Item | undefined;
    for (;;) {
      const ch = read();
      if (ch === '\0') break;
      if (!isSpecial(ch)) {
        unread();
        break;
      }
      buffer += ch;
      const tok = LITERALS.get(buffer);
      if (tok) last = { tok, lit: buffer };
      else if (last) {
        unread();
        break;
      }
    }
    return last ?? { tok: 'error', lit: `error expected: keyword found '${buffer}'` };
  };

  const scanIdOrKeyword = (): Item => {
    let buffer = '';
    for (;;) {
      const ch = read();
      if (ch === '\0') break;
      if (isSpecial(ch) || isWhitespace(ch)) {
        unread();
        break;
      }
      buffer += ch;
    }
    return { tok: LITERALS.get(buffer) ?? 'id', lit: buffer };
  };

  const items: Item[] = [];
  for (;;) {
    let ch = read();
    while (isWhitespace(ch)) ch = read();
    let item: Item;
    if (ch === '\0') item = { tok: 'eos', lit: '' };
    else {
      unread();
      item = isSpecial(ch) ? scanSpecial() : scanIdOrKeyword();
    }
    items.push(item);
    if (item.tok === 'eos') return items;
  }
}

// ---- parser ----

type Context = 'keyAndOperator' | 'values';
const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

class Parser {
  private position = 0;
  constructor(private readonly items: Item[]) {}

  /** In a values context the keywords in/notin are plain identifiers. */
  private view(item: Item | undefined, ctx: Context): Item {
    const it = item ?? this.items[this.items.length - 1]!;
    return ctx === 'values' && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'id', lit: it.lit } : it;
  }
  lookahead(ctx: Context): Item {
    return this.view(this.items[this.position], ctx);
  }
  consume(ctx: Context): Item {
    return this.view(this.items[this.position++], ctx);
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead('values');
      if (tok === 'eos') return reqs;
      if (tok !== 'id' && tok !== '!') throw new Error(`found '${lit}', expected: !, identifier, or 'end of string'`);
      try {
        reqs.push(this.parseRequirement());
      } catch (err) {
        throw new Error(`unable to parse requirement: ${(err as Error).message}`);
      }
      const next = this.consume('values');
      if (next.tok === 'eos') return reqs;
      if (next.tok !== ',') throw new Error(`found '${next.lit}', expected: ',' or 'end of string'`);
      const after = this.lookahead('values');
      if (after.tok !== 'id' && after.tok !== '!') throw new Error(`found '${after.lit}', expected: identifier after ','`);
    }
  }

  private parseRequirement(): Requirement {
    const { key, operator } = this.parseKeyAndInferOperator();
    if (operator === 'exists' || operator === '!') return newRequirement(key, operator, []);
    const op = this.parseOperator();
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, op, [...values].sort(goCompare));
  }

  private parseKeyAndInferOperator(): { key: string; operator: Operator | '' } {
    let operator: Operator | '' = '';
    let { tok, lit } = this.consume('values');
    if (tok === '!') {
      operator = '!';
      ({ tok, lit } = this.consume('values'));
    }
    if (tok !== 'id') throw new Error(`found '${lit}', expected: identifier`);
    const errs = isQualifiedName(lit);
    // The parser validates the key with a nil field path, which Go prints as "<nil>".
    if (errs.length) throw new Error(invalidText('<nil>', JSON.stringify(lit), errs.join('; ')));
    const next = this.lookahead('values').tok;
    if ((next === 'eos' || next === ',') && operator !== '!') operator = 'exists';
    return { key: lit, operator };
  }

  private parseOperator(): Operator {
    const { tok, lit } = this.consume('keyAndOperator');
    switch (tok) {
      case 'in':
      case 'notin':
      case '=':
      case '==':
      case '!=':
        return tok;
      case '>':
        return 'gt';
      case '<':
        return 'lt';
      default:
        throw new Error(`found '${lit}', expected: ${BINARY_OPERATORS}`);
    }
  }

  private parseValues(): Set<string> {
    const open = this.consume('values');
    if (open.tok !== '(') throw new Error(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.lookahead('values');
    if (tok === 'id' || tok === ',') {
      const set = this.parseIdentifiersList();
      if (this.consume('values').tok !== ')') throw new Error(`found '${lit}', expected: ')'`);
      return set;
    }
    if (tok === ')') {
      this.consume('values');
      return new Set(['']);
    }
    throw new Error(`found '${lit}', expected: ',', ')' or identifier`);
  }

  private parseIdentifiersList(): Set<string> {
    const set = new Set<string>();
    for (;;) {
      const { tok, lit } = this.consume('values');
      if (tok === 'id') {
        set.add(lit);
        const next = this.lookahead('values');
        if (next.tok === ',') continue;
        if (next.tok === ')') return set;
        throw new Error(`found '${next.lit}', expected: ',' or ')'`);
      }
      if (tok !== ',') throw new Error(`found '${lit}', expected: ',', or identifier`);
      // Empty values: "(,", ",)" and ",," each stand for "".
      if (set.size === 0) set.add('');
      const next = this.lookahead('values').tok;
      if (next === ')') {
        set.add('');
        return set;
      }
      if (next === ',') set.add('');
    }
  }

  private parseExactValue(): Set<string> {
    const next = this.lookahead('values').tok;
    if (next === 'eos' || next === ',') return new Set(['']);
    const { tok, lit } = this.consume('values');
    if (tok === 'id') return new Set([lit]);
    throw new Error(`found '${lit}', expected: identifier`);
  }
}

/** labels.Parse: throws an Error whose message is Go's. */
export function parseLabelSelector(s: string): LabelSelector {
  return sortByKey(new Parser(lex(s)).parse());
}

// ---- matching and printing ----

function matchesRequirement(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key]! : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return value !== undefined && r.values.includes(value);
    case 'notin':
    case '!=':
      return value === undefined || !r.values.includes(value);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      const actual = value === undefined ? null : parseInt64(value);
      const wanted = r.values.length === 1 ? parseInt64(r.values[0]!) : null;
      if (actual === null || wanted === null) return false;
      return r.operator === 'gt' ? actual > wanted : actual < wanted;
    }
  }
}

export function matchesLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  return sel.every((r) => matchesRequirement(r, labels ?? {}));
}

const OPERATOR_TEXT: Record<Operator, string> = { in: ' in ', notin: ' notin ', exists: '', '!': '', '=': '=', '==': '==', '!=': '!=', gt: '>', lt: '<' };

function requirementString(r: Requirement): string {
  if (r.operator === 'exists') return r.key;
  if (r.operator === '!') return `!${r.key}`;
  const values = r.values.length === 1 ? r.values[0]! : [...r.values].sort(goCompare).join(',');
  const set = r.operator === 'in' || r.operator === 'notin';
  return `${r.key}${OPERATOR_TEXT[r.operator]}${set ? `(${values})` : values}`;
}

/** Selector.String(): "a in (x,y),b!=c,!d". */
export function labelSelectorString(sel: LabelSelector): string {
  return sel.map(requirementString).join(',');
}

// ---- metav1.LabelSelector ----

const OBJECT_OPERATORS: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * LabelSelectorAsSelector: null for a missing selector (matches nothing), [] for an empty one
 * (matches everything). Throws with Go's message for an invalid one.
 */
export function fromLabelSelectorObject(o: LabelSelectorObject | null | undefined): LabelSelector | null {
  if (o === null || o === undefined) return null;
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(o.matchLabels ?? {})) reqs.push(newRequirement(k, '=', [v]));
  for (const expr of o.matchExpressions ?? []) {
    const op = Object.hasOwn(OBJECT_OPERATORS, expr.operator) ? OBJECT_OPERATORS[expr.operator]! : undefined;
    if (!op) throw new Error(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    reqs.push(newRequirement(expr.key, op, expr.values?.length ? expr.values : null));
  }
  return sortByKey(reqs);
}

/** Whether a metav1.LabelSelector selects these labels (a null selector or an invalid one selects nothing). */
export function selectorObjectMatches(o: LabelSelectorObject | null | undefined, labels: Record<string, string> | undefined): boolean {
  try {
    const sel = fromLabelSelectorObject(o);
    return sel !== null && matchesLabels(sel, labels);
  } catch {
    return false;
  }
}

/** metav1.FormatLabelSelector (kubectl's SELECTOR column): "<none>" when empty, "<error>" when invalid. */
export function formatLabelSelector(o: LabelSelectorObject | null | undefined): string {
  try {
    const sel = fromLabelSelectorObject(o);
    return (sel && labelSelectorString(sel)) || '<none>';
  } catch {
    return '<error>';
  }
}

export interface LabelSelectorValidationOptions {
  allowInvalidLabelValueInSelector?: boolean;
}

/** metav1validation.ValidateLabelSelector. */
export function validateLabelSelectorObject(
  o: LabelSelectorObject | null | undefined,
  path: string,
  opts: LabelSelectorValidationOptions = {},
): FieldError[] {
  if (!o) return [];
  const errs = validateLabels(o.matchLabels, `${path}.matchLabels`);
  (o.matchExpressions ?? []).forEach((expr, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(invalid(`${p}.operator`, expr.operator ?? '', 'not a valid selector operator'));
    }
    for (const msg of isQualifiedName(expr.key ?? '')) errs.push(invalid(`${p}.key`, expr.key ?? '', msg));
    if (!opts.allowInvalidLabelValueInSelector) {
      values.forEach((v, j) => {
        for (const msg of isValidLabelValue(v)) errs.push(invalid(`${p}.values[${j}]`, v, msg));
      });
    }
  });
  return errs;
}

/** labels.FormatLabels: sorted k=v pairs, `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort(goCompare);
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}
