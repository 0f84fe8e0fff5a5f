// The parts of cel-go's ext.Strings (version 2) that cel-js lacks: charAt, replace, reverse, format,
// strings.quote. (indexOf, lastIndexOf, lowerAscii, upperAscii, split, substring, trim and join are cel-js's.)
import type { Environment } from '@marcbachmann/cel-js';
import { chargeSize } from '../cost.js';
import { namespace, typeName } from './compare.js';

export function registerStrings(env: Environment): void {
  env.registerFunction('string.charAt(int): string', (s: string, i: bigint) => {
    const cps = [...s];
    if (i < 0n || i > BigInt(cps.length)) throw new Error(`index out of range: ${i}`);
    return cps[Number(i)] ?? '';
  });
  env.registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) => replace(s, a, b, -1n));
  env.registerFunction('string.replace(string, string, int): string', replace);
  env.registerFunction('string.reverse(): string', (s: string) => (chargeSize(s.length), [...s].reverse().join('')));
  env.registerFunction('string.format(list<dyn>): string', format);
  namespace(env, 'strings', 'StringsNamespace');
  env.registerFunction('StringsNamespace.quote(string): string', (_ns: unknown, s: string) => quote(s));
}

function replace(s: string, from: string, to: string, n: bigint): string {
  chargeSize(s.length + to.length);
  if (n < 0n) return s.split(from).join(to);
  let out = '';
  let rest = s;
  for (let i = 0n; i < n; i++) {
    const at = rest.indexOf(from);
    if (at < 0) break;
    out += rest.slice(0, at) + to;
    rest = rest.slice(at + Math.max(from.length, 0));
    if (from === '') {
      out += rest.slice(0, 1);
      rest = rest.slice(1);
    }
  }
  return out + rest;
}

/** strings.quote: a double-quoted CEL string literal. */
function quote(s: string): string {
  chargeSize(s.length);
  const esc: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\', '"': '\\"' };
  return `"${[...s].map((c) => esc[c] ?? c).join('')}"`;
}

/** string.format: %s %d %f %e %x %X %o %b %% with optional precision, as ext.Strings formats them. */
function format(f: string, args: unknown[]): string {
  chargeSize(f.length + args.length);
  let i = 0;
  return f.replace(/%(?:\.(\d+))?([a-zA-Z%])?/g, (_m, prec: string | undefined, verb: string | undefined) => {
    if (verb === '%') return '%';
    if (verb === undefined) throw new Error('could not parse formatting clause: unexpected end of format string');
    if (i >= args.length) throw new Error(`index ${i} out of range`);
    const v = args[i++];
    switch (verb) {
      case 's':
        return asString(v);
      case 'd':
        if (typeof v !== 'bigint') throw new Error(`error during formatting: decimal clause can only be used on integers, was given ${typeName(v)}`);
        return String(v);
      case 'f':
      case 'e':
        if (typeof v !== 'number' && typeof v !== 'bigint') throw new Error(`error during formatting: fixed-point clause can only be used on doubles, was given ${typeName(v)}`);
        return verb === 'f' ? Number(v).toFixed(prec === undefined ? 6 : Number(prec)) : Number(v).toExponential(prec === undefined ? 6 : Number(prec)).replace(/e([+-])(\d)$/, 'e$10$2');
      case 'x':
      case 'X':
      case 'o':
      case 'b': {
        const base = { x: 16, X: 16, o: 8, b: 2 }[verb]!;
        let out: string;
        if (typeof v === 'bigint') out = v.toString(base);
        else if (typeof v === 'string') out = Buffer.from(v).toString('hex');
        else if (v instanceof Uint8Array) out = Buffer.from(v).toString('hex');
        else throw new Error(`error during formatting: only integers, byte buffers, and strings can be formatted as hex, was given ${typeName(v)}`);
        return verb === 'X' ? out.toUpperCase() : out;
      }
      default:
        throw new Error(`could not parse formatting clause: unrecognized formatting clause "${verb}"`);
    }
  });
}

function asString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(asString).join(', ')}]`;
  if (v instanceof Date) return v.toISOString().replace('.000Z', 'Z');
  if (v instanceof Uint8Array) return Buffer.from(v).toString();
  if (typeof v === 'object') return `{${Object.entries(v as object).map(([k, x]) => `${asString(k)}:${asString(x)}`).join(', ')}}`;
  return String(v);
}
