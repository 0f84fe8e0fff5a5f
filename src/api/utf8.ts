// Go's view of strings as UTF-8 bytes, without Buffer (the console runs this code in the browser):
// byte order (which is code point order) and byte length.

/** A UTF-16 code unit moved so that units compare in code point order: surrogates (code points past U+FFFF) above U+E000–U+FFFF. */
const unitRank = (c: number) => (c >= 0xe000 ? c - 0x800 : c >= 0xd800 ? c + 0x2000 : c);

/** Go's string order (UTF-8 bytes). */
export function goCompare(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return unitRank(x) - unitRank(y);
  }
  return a.length - b.length;
}

const encoder = new TextEncoder();

/** Go's len(): UTF-8 bytes. */
export const utf8Length = (s: string): number => (/^[\x00-\x7f]*$/.test(s) ? s.length : encoder.encode(s).length);
