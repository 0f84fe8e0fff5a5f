// What JSON.parse hides of a JSON body and Go's decoder sees: keys that appear twice (strict
// decoding reports `duplicate field "spec.replicas"`), and number literals a JS number does not
// tell apart (`1.0`, `1e3`, digits past 2^53), which Go refuses or keeps exactly in an integer
// field. Every request body with fields passes through here, so it scans character codes and
// builds a path only for a finding.

const BACKSLASH = 0x5c;
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
/** Where a number, true, false or null ends. */
const endsScalar = (c: number) => c === 0x2c || c === 0x7d || c === 0x5d || isSpace(c);

/** The index of the quote that closes the string opening at `start` (the text's end if none). */
function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  for (;;) {
    if (end < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
}

/** The index of the first bracket nested deeper than `max`, outside strings; -1 when none is. */
export function tooDeepAt(text: string, max: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) i = stringEnd(text, i);
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

/** A field path from its parts (keys, and indexes of array elements) as Go's decoder words it: "spec.containers[0].name". */
export const fieldPath = (parts: (string | number)[]): string =>
  parts.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${p}` : p), '');

export interface JsonTextFindings {
  /** The paths of keys that appear twice in one object. */
  duplicates: string[];
  /** By path, number literals that are not plain integers of at most 15 digits. */
  numbers: Map<string, string>;
}

/** Scans a JSON text (assumed valid JSON). */
export function scanJsonText(text: string): JsonTextFindings {
  const found: string[] = [];
  const numbers = new Map<string, string>();
  /** The path to the current value. */
  const path: (string | number)[] = [];
  const pathText = () => fieldPath(path);
  let i = 0;
  const ws = () => {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  };
  /** Reads a string (for a key, whose text is needed) and moves past it. */
  const str = (): string => {
    const start = i;
    const end = stringEnd(text, start);
    i = end + 1;
    const raw = text.slice(start + 1, end);
    return raw.includes('\\') ? (JSON.parse(text.slice(start, end + 1)) as string) : raw;
  };
  // Iterative, not recursive: a body may nest as deep as the decoder allows.
  /** The keys seen in each open object; undefined for an open array. */
  const open: (Set<string> | undefined)[] = [];
  const key = (keys: Set<string>) => {
    ws();
    const k = str();
    path.push(k);
    if (keys.has(k)) found.push(pathText());
    keys.add(k);
    ws();
    i++; // ':'
  };
  for (;;) {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      ws();
      if (text[i] !== (c === '{' ? '}' : ']')) {
        if (c === '{') {
          const keys = new Set<string>();
          open.push(keys);
          key(keys);
        } else {
          open.push(undefined);
          path.push(0);
        }
        continue;
      }
      i++;
    } else if (c === '"') i = stringEnd(text, i) + 1;
    else {
      const start = i;
      let plain = true;
      for (let d = text.charCodeAt(i); i < text.length && !endsScalar(d); d = text.charCodeAt(++i)) if (d === 0x2e || d === 0x65 || d === 0x45) plain = false;
      const isNumber = c === '-' || (c! >= '0' && c! <= '9');
      if (isNumber && (!plain || i - start > 15)) numbers.set(pathText(), text.slice(start, i));
    }
    // A value ended: close what ends with it, then go on to the next value.
    for (;;) {
      if (!open.length) return { duplicates: found, numbers };
      ws();
      const last = path.pop()!;
      if (text[i++] === ',') {
        const keys = open[open.length - 1];
        if (keys) key(keys);
        else path.push((last as number) + 1);
        break;
      }
      open.pop();
    }
  }

}
