// JSON text as Go's encoding/json writes it (kube-apiserver's replies): `<`, `>`, `&`, U+2028 and
// U+2029 escaped, so a reply is safe to embed in HTML; otherwise what JSON.stringify writes.

const NEEDS_ESCAPE = /[<>&\u2028\u2029]/;
const ESCAPED = /[<>&\u2028\u2029]/g;
const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** json.Marshal, or json.MarshalIndent(v, "", "  ") when `indent`. */
export function goJson(value: unknown, indent = false): string {
  const text = indent ? JSON.stringify(value, null, 2) : JSON.stringify(value);
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPED, escape) : text;
}
