// `Warning: 299 - "…"` reply headers, as kube-apiserver's warning recorder writes them
// (endpoints/filters/warning.go, util/net NewWarningHeader): each text once, at most 4 Ki runes
// in all (past that every text is cut to 256 runes), texts with control characters dropped, the
// text as UTF-8 with only `"` and `\` escaped.

const TOTAL_RUNES = 4 * 1024;
const ITEM_RUNES = 256;
const CONTROL = /\p{Cc}/u;

const runes = (s: string) => [...s];

/** The header value, its UTF-8 bytes carried as latin1 characters (see writeJson). */
function header(text: string): string {
  return Buffer.from(`299 - "${text.replace(/["\\]/g, '\\$&')}"`, 'utf8').toString('latin1');
}

/** The Warning header values for `texts`, in order (the recorder's AddWarning, one text at a time). */
export function warningHeaders(texts: readonly string[]): string[] {
  const recorded = new Set<string>();
  const ordered: string[] = [];
  let out: string[] = [];
  let written = 0;
  let truncating = false;
  const cut = (t: string) => runes(t).slice(0, ITEM_RUNES).join('');
  for (const t of texts) {
    if (!t) continue;
    if (truncating && written >= TOTAL_RUNES) break;
    if (recorded.has(t)) continue;
    recorded.add(t);
    ordered.push(t);
    const text = truncating ? cut(t) : t;
    if (CONTROL.test(text)) continue;
    const length = runes(text).length;
    if (truncating || written + length <= TOTAL_RUNES) {
      written += length;
      out.push(header(text));
      continue;
    }
    // Over the limit: every text so far again, cut to ITEM_RUNES.
    truncating = true;
    written = 0;
    out = [];
    for (const w of ordered.map(cut)) {
      if (CONTROL.test(w)) continue;
      written += runes(w).length;
      out.push(header(w));
    }
  }
  return out;
}
