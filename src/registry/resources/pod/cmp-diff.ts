// github.com/google/go-cmp's cmp.Diff of two internal core.PodSpecs, the text of the Forbidden
// error a pod update that changes other fields gets: Go field names and order,
// `... // N identical fields` elision with two records of context, and aligned values.
import { goEqual, goPodSpec, goZero, type GoValue } from './go-pod-spec.js';
import type { Obj } from '../../narrow.js';

type Mode = 'same' | 'removed' | 'inserted';
type TypeMode = 'auto' | 'elide' | 'emit';

/** One formatted value on a line; `line` marks the plain values cmp aligns (not &x, {…}). */
interface Text {
  text: string;
  line: boolean;
}

function withType(type: string, body: string, mode: Mode, typeMode: TypeMode): string {
  const show = typeMode === 'emit' || (typeMode === 'auto' && mode !== 'same');
  return show ? `${type}${body}` : body;
}

/** cmp's FormatValue: a whole value on one line, zero struct fields left out. */
function formatValue(v: GoValue, mode: Mode, typeMode: TypeMode): Text {
  switch (v.k) {
    case 'scalar':
      return { text: v.text, line: true };
    case 'ptr':
      return v.elem === null ? { text: 'nil', line: true } : { text: `&${formatValue(v.elem, mode, typeMode).text}`, line: false };
    case 'slice':
      if (v.elems === null) return { text: 'nil', line: true };
      return { text: withType(v.type, `{${v.elems.map((e) => formatValue(e, mode, 'elide').text).join(', ')}}`, mode, typeMode), line: false };
    case 'map':
      if (v.entries === null) return { text: 'nil', line: true };
      return {
        text: withType(v.type, `{${v.entries.map(([k, e]) => `${mapKey(v.type, k)}: ${formatValue(e, mode, 'elide').text}`).join(', ')}}`, mode, typeMode),
        line: false,
      };
    case 'struct': {
      const parts = v.fields.filter(([, f]) => !goZero(f)).map(([k, f]) => `${k}: ${formatValue(f, mode, 'auto').text}`);
      return { text: withType(v.type, `{${parts.join(', ')}}`, mode, typeMode), line: false };
    }
  }
}

const mapKey = (type: string, k: string): string => (type === 'core.ResourceList' ? `s${JSON.stringify(k)}` : JSON.stringify(k));

interface Rec {
  mark: ' ' | '-' | '+';
  key: string;
  /** A value on one line, or an expanded node. */
  value: Text | { open: string; recs: Rec[]; close: string };
  comment?: string;
}

const ELLIPSIS: Text = { text: '...', line: false };

interface Pair {
  key: string;
  x?: GoValue;
  y?: GoValue;
}

function composite(v: GoValue | undefined): boolean {
  if (!v) return false;
  if (v.k === 'struct') return true;
  if (v.k === 'ptr') return v.elem !== null && composite(v.elem);
  if (v.k === 'slice') return v.elems !== null;
  if (v.k === 'map') return v.entries !== null;
  return false;
}

/** The records of one unequal pair. */
function diffPair(p: Pair, typeMode: TypeMode): Rec[] {
  const { x, y } = p;
  if (x && y && x.k === y.k && composite(x) && composite(y)) {
    if (x.k === 'ptr' && y.k === 'ptr') {
      const inner = diffPair({ key: p.key, x: x.elem!, y: y.elem! }, typeMode);
      const first = inner[0]!;
      if (inner.length === 1 && 'open' in first.value) return [{ ...first, value: { ...first.value, open: `&${first.value.open}` } }];
    } else return [{ mark: ' ', key: p.key, value: expand(x, y, typeMode) }];
  }
  const recs: Rec[] = [];
  if (x) recs.push({ mark: '-', key: p.key, value: formatValue(x, 'removed', typeMode) });
  if (y) recs.push({ mark: '+', key: p.key, value: formatValue(y, 'inserted', typeMode) });
  return recs;
}

function expand(x: GoValue, y: GoValue, typeMode: TypeMode): { open: string; recs: Rec[]; close: string } {
  const type = x.k === 'scalar' || x.k === 'ptr' ? '' : x.type;
  const open = `${typeMode === 'elide' ? '' : type}{`;
  if (x.k === 'struct' && y.k === 'struct') {
    return { open, recs: diffList(x.fields.map(([k, f], i) => ({ key: k, x: f, y: y.fields[i]![1] })), 'field', 'auto'), close: '}' };
  }
  if (x.k === 'slice' && y.k === 'slice') return { open, recs: diffList(slicePairs(x.elems!, y.elems!), 'element', 'elide'), close: '}' };
  if (x.k === 'map' && y.k === 'map') {
    const xm = new Map(x.entries!);
    const ym = new Map(y.entries!);
    const keys = [...new Set([...xm.keys(), ...ym.keys()])].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return { open, recs: diffList(keys.map((k) => ({ key: mapKey(x.type, k), x: xm.get(k), y: ym.get(k) })), 'entry', 'elide'), close: '}' };
  }
  return { open, recs: [], close: '}' };
}

/** Elements paired by position over the common prefix and suffix; the rest removed, then inserted. */
function slicePairs(xs: GoValue[], ys: GoValue[]): Pair[] {
  let pre = 0;
  while (pre < xs.length && pre < ys.length && goEqual(xs[pre]!, ys[pre]!)) pre++;
  let suf = 0;
  while (suf < xs.length - pre && suf < ys.length - pre && goEqual(xs[xs.length - 1 - suf]!, ys[ys.length - 1 - suf]!)) suf++;
  const pairs: Pair[] = [];
  for (let i = 0; i < pre; i++) pairs.push({ key: '', x: xs[i], y: ys[i] });
  const xm = xs.slice(pre, xs.length - suf);
  const ym = ys.slice(pre, ys.length - suf);
  const both = Math.min(xm.length, ym.length);
  for (let i = 0; i < both; i++) pairs.push({ key: '', x: xm[i], y: ym[i] });
  for (let i = both; i < xm.length; i++) pairs.push({ key: '', x: xm[i] });
  for (let i = both; i < ym.length; i++) pairs.push({ key: '', y: ym[i] });
  for (let i = xs.length - suf; i < xs.length; i++) pairs.push({ key: '', x: xs[i], y: ys[i - xs.length + ys.length] });
  return pairs;
}

const plural = (n: number, name: string): string => `${n} identical ${n > 1 ? (name === 'entry' ? 'entries' : `${name}s`) : name}`;

/** formatDiffList: equal runs shown with two records of context, the rest elided. */
function diffList(pairs: Pair[], name: string, typeMode: TypeMode): Rec[] {
  const equal = (p: Pair) => !!p.x && !!p.y && goEqual(p.x, p.y);
  const groups: { equal: boolean; pairs: Pair[] }[] = [];
  for (const p of pairs) {
    const eq = equal(p);
    const last = groups[groups.length - 1];
    if (last && last.equal === eq) last.pairs.push(p);
    else groups.push({ equal: eq, pairs: [p] });
  }
  const recs: Rec[] = [];
  groups.forEach((g, i) => {
    if (!g.equal) {
      for (const p of g.pairs) recs.push(...diffPair(p, typeMode));
      return;
    }
    const n = g.pairs.length;
    let lo = 0;
    let hi = 0;
    while (lo < 2 && lo + hi < n && i !== 0) lo++;
    while (hi < 2 && lo + hi < n && i !== groups.length - 1) hi++;
    if (n - (lo + hi) === 1) hi++;
    const same = (p: Pair): Rec => ({ mark: ' ', key: p.key, value: formatValue(p.x!, 'same', typeMode) });
    recs.push(...g.pairs.slice(0, lo).map(same));
    if (n > lo + hi) recs.push({ mark: ' ', key: '', value: ELLIPSIS, comment: plural(n - lo - hi, name) });
    recs.push(...g.pairs.slice(n - hi).map(same));
  });
  return recs;
}

function renderRecs(recs: Rec[], depth: number, out: string[]): void {
  // Runs of plain one-line values with keys share one key width.
  const width = new Array<number>(recs.length).fill(0);
  let start = 0;
  const flush = (end: number) => {
    const max = Math.max(0, ...recs.slice(start, end).map((r) => r.key.length));
    for (let j = start; j < end; j++) width[j] = max;
  };
  recs.forEach((r, j) => {
    const plain = 'text' in r.value && r.value.line && r.key !== '';
    if (!plain) {
      flush(j);
      start = j + 1;
    }
  });
  flush(recs.length);
  const tabs = '\t'.repeat(depth);
  recs.forEach((r, j) => {
    const key = r.key ? `${r.key}:${' '.repeat(Math.max(1, width[j]! - r.key.length + 1))}` : '';
    if ('text' in r.value) {
      const comment = r.comment ? ` // ${r.comment}` : '';
      out.push(`${r.mark} ${tabs}${key}${r.value.text}${r.value === ELLIPSIS ? '' : ','}${comment}`);
    } else {
      out.push(`${r.mark} ${tabs}${key}${r.value.open}`);
      renderRecs(r.value.recs, depth + 1, out);
      out.push(`${r.mark} ${tabs}${r.value.close},`);
    }
  });
}

/** cmp.Diff(old, new) of two internal PodSpecs, as ValidatePodUpdate prints it. */
export function cmpDiff(x: GoValue, y: GoValue): string {
  const root = expand(x, y, 'emit');
  const out = [`  ${root.open}`];
  renderRecs(root.recs, 1, out);
  out.push(`  ${root.close}`);
  return `${out.join('\n')}\n`;
}

/** For tests: the internal-layout diff ValidatePodUpdate prints for two v1 specs. */
export function podSpecDiff(oldSpec: Obj, newSpec: Obj): string {
  return cmpDiff(goPodSpec(oldSpec), goPodSpec(newSpec));
}
