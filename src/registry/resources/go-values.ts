// Field-error values as Go prints them. A field.Invalid value that is a struct or a map is
// printed with %#v (`map[string]string{"app":"web"}`, `rbac.RoleRef{APIGroup:"…", …}`), and a nil
// pointer as "null" in quotes. Each helper returns a value carrying that text in `goString()`
// (Go's fmt.GoStringer); field-errors.ts prints it instead of the JSON of the plain value.
import { OMIT, type FieldError } from '../../api/field-errors.js';
import { isObject } from '../../api/meta.js';
import type { LabelSelectorObject } from '../../api/labels.js';
import { goQuote } from '../../api/go-quote.js';

export interface GoStringer {
  goString(): string;
}

/** `plain` as JSON-like data, printed by field errors as `text`. */
export function goValue(plain: unknown, text: string): GoStringer {
  const holder: object = isObject(plain) ? { ...plain } : { value: plain };
  Object.defineProperty(holder, 'goString', { value: () => text, enumerable: false });
  return holder as GoStringer;
}

/** A nil pointer in a field error: Go substitutes the string "null", printed quoted. */
export const goNil = (): string => 'null';

/** A pointer field's value: the value itself, or "null" when it is nil. */
export const goPtr = (v: unknown): unknown => (v === undefined || v === null ? goNil() : v);

/** %#v of a map[string]string: keys sorted, `map[string]string(nil)` for nil. */
export function goStringMapText(m: Record<string, string> | null | undefined): string {
  if (m === null || m === undefined) return 'map[string]string(nil)';
  const entries = Object.keys(m)
    .sort()
    .map((k) => `${goQuote(k)}:${goQuote(String(m[k]))}`);
  return `map[string]string{${entries.join(', ')}}`;
}

export const goStringMap = (m: Record<string, string> | null | undefined): GoStringer => goValue(m ?? null, goStringMapText(m));

/** %#v of a []string: `[]string(nil)` for nil. */
export function goStringSliceText(list: string[] | null | undefined): string {
  if (list === null || list === undefined) return '[]string(nil)';
  return `[]string{${list.map(goQuote).join(', ')}}`;
}

/** %#v of a []byte: `[]byte{0x2d, 0x2d}`, `[]byte(nil)` for nil. */
export function goBytes(b: Buffer | undefined): GoStringer {
  const text = b === undefined ? '[]byte(nil)' : `[]byte{${[...b].map((x) => `0x${x.toString(16)}`).join(', ')}}`;
  return goValue(b === undefined ? null : b.toString('base64'), text);
}

/** %#v of a metav1.LabelSelector (the value a *LabelSelector points to), "null" for nil. */
export function goLabelSelector(sel: LabelSelectorObject | null | undefined): GoStringer | string {
  if (sel === null || sel === undefined) return goNil();
  const exprs = sel.matchExpressions;
  const exprText =
    exprs === null || exprs === undefined
      ? '[]v1.LabelSelectorRequirement(nil)'
      : `[]v1.LabelSelectorRequirement{${exprs
          .map((e) => `v1.LabelSelectorRequirement{Key:${goQuote(e.key ?? '')}, Operator:${goQuote(e.operator ?? '')}, Values:${goStringSliceText(e.values)}}`)
          .join(', ')}}`;
  return goValue(sel, `v1.LabelSelector{MatchLabels:${goStringMapText(sel.matchLabels)}, MatchExpressions:${exprText}}`);
}

/** %#v of an intstr.IntOrString (Type 0 is an int, 1 a string). */
export function goIntOrString(v: unknown): GoStringer {
  const text =
    typeof v === 'string'
      ? `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}`
      : `intstr.IntOrString{Type:0, IntVal:${typeof v === 'number' ? v : 0}, StrVal:""}`;
  return goValue(v, text);
}

/** %#v of a struct with string fields, in the order given: `pkg.Type{A:"x", B:"y"}`. */
export function goStringStruct(type: string, fields: [goName: string, value: string | undefined][], plain: unknown): GoStringer {
  return goValue(plain, `${type}{${fields.map(([n, v]) => `${n}:${goQuote(v ?? '')}`).join(', ')}}`);
}

/** field-errors' private "omit the value" marker (Go's field.OmitValueType{}), as TooMany(-1) carries it. */


/** field.Invalid(path, field.OmitValueType{}, detail): "Invalid value: <detail>" with no value. */
export const invalidOmitValue = (path: string, detail: string): FieldError => ({ type: 'FieldValueInvalid', field: path, value: OMIT, detail });
