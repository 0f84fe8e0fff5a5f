// Go's %q, which Kubernetes' messages use for names, fields and values: strconv.Quote.

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const SHORT: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };

/** unicode.IsPrint of one character. */
export const isGoPrintable = (ch: string): boolean => {
  const c = ch.codePointAt(0)!;
  return c < 0x80 ? c >= 0x20 && c < 0x7f : PRINTABLE.test(ch);
};

/** strconv.Quote: `"` and `\` escaped, printable runes as they are, the others as escapes. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (isGoPrintable(ch)) out += ch;
    else if (SHORT[ch]) out += SHORT[ch];
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    // A lone surrogate cannot come from valid UTF-8: Go's decoder made it U+FFFD.
    else if (c >= 0xd800 && c <= 0xdfff) out += '\uFFFD';
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** %q of a []string: `["a" "b"]`. */
export const goQuoteList = (list: readonly string[]): string => `[${list.map(goQuote).join(' ')}]`;
