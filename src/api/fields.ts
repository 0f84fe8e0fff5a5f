// Field selectors as k8s.io/apimachinery pkg/fields/selector.go parses them: comma-separated
// field=value, field==value or field!=value terms; "\," "\=" and "\\" escape a value's characters.
import { goCompare } from './utf8.js';

export interface FieldRequirement {
  field: string;
  operator: '=' | '==' | '!=';
  value: string;
}

/** AND of requirements (sorted as Go sorts the raw terms); empty matches everything. */
export type FieldSelector = FieldRequirement[];

/** Split on commas not escaped by a backslash (the backslash stays in the term). */
function splitTerms(s: string): string[] {
  if (s === '') return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

const OPERATORS = ['!=', '==', '='] as const;

/** The first operator occurrence splits the term; the field part has no escaping. */
function splitTerm(term: string): FieldRequirement | undefined {
  for (let i = 0; i < term.length; i++) {
    const op = OPERATORS.find((o) => term.startsWith(o, i));
    if (op) return { field: term.slice(0, i), operator: op, value: term.slice(i + op.length) };
  }
  return undefined;
}

function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw new Error(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      // Go prints the rune with %v: its code point number.
      throw new Error(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw new Error('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** fields.ParseSelector: throws an Error whose message is Go's. */
export function parseFieldSelector(s: string): FieldSelector {
  const sel: FieldSelector = [];
  for (const part of splitTerms(s).sort(goCompare)) {
    if (part === '') continue;
    const req = splitTerm(part);
    if (!req) throw new Error(`invalid selector: '${s}'; can't understand '${part}'`);
    sel.push({ ...req, value: unescapeValue(req.value) });
  }
  return sel;
}

/** A missing field reads as "" (fields.Set.Get). */
export function matchesFields(sel: FieldSelector, get: (field: string) => string | undefined): boolean {
  return sel.every((r) => {
    const equal = (get(r.field) ?? '') === r.value;
    return r.operator === '!=' ? !equal : equal;
  });
}

/** RequiresExactMatch: the value of the first field=value requirement on this field. */
export function requiredValue(sel: FieldSelector, field: string): string | undefined {
  return sel.find((r) => r.field === field && r.operator !== '!=')?.value;
}

export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** Selector.String(): "a=b,c!=d" with values escaped ('==' prints as '='). */
export function fieldSelectorString(sel: FieldSelector): string {
  return sel.map((r) => `${r.field}${r.operator === '!=' ? '!=' : '='}${escapeFieldValue(r.value)}`).join(',');
}
