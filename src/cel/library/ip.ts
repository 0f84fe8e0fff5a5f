// Kubernetes' IP library (k8s.io/apiserver/pkg/cel/library/ip.go): `ip(s)` of type net.IP, `isIP`,
// `ip.isCanonical`, `family`, `isUnspecified`, `isLoopback`, `isLinkLocalMulticast`, `isLinkLocalUnicast`,
// `isGlobalUnicast`, `string(ip)`. Addresses parse as Go's netip.ParseAddr parses them, with its error texts.
import type { Environment } from '@marcbachmann/cel-js';
import { chargeSize } from '../cost.js';
import { namespace } from './compare.js';
import { parses } from './parses.js';

/** An IPv4 (32 bits) or IPv6 (128 bits) address. */
export class IPAddr {
  constructor(
    readonly value: bigint,
    readonly bits: 32 | 128,
  ) {}
  toString(): string {
    return this.bits === 32 ? v4String(this.value) : v6String(this.value);
  }
}

class AddrError extends Error {
  constructor(input: string, msg: string, at = '') {
    super(`ParseAddr(${JSON.stringify(input)}): ${msg}${at ? ` (at ${JSON.stringify(at)})` : ''}`);
  }
}

/** netip.ParseAddr: the address, or an AddrError (zones are kept only to be refused). */
function parseAddr(s: string): { addr: IPAddr; zone: string } {
  for (const c of s) {
    if (c === '.') return { addr: new IPAddr(v4Fields(s, 0, s.length), 32), zone: '' };
    if (c === ':') return v6(s);
    if (c === '%') throw new AddrError(s, 'missing IPv6 address');
  }
  throw new AddrError(s, 'unable to parse IP');
}

function v4Fields(input: string, from: number, to: number): bigint {
  const s = input.slice(from, to);
  let val = 0;
  let digits = 0;
  let out = 0n;
  let pos = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c >= '0' && c <= '9') {
      if (digits === 1 && val === 0) throw new AddrError(input, 'IPv4 field has octet with leading zero');
      val = val * 10 + Number(c);
      digits++;
      if (val > 255) throw new AddrError(input, 'IPv4 field has value >255');
    } else if (c === '.') {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.') throw new AddrError(input, 'IPv4 field must have at least one digit', s.slice(i));
      if (pos === 3) throw new AddrError(input, 'IPv4 address too long');
      out = (out << 8n) | BigInt(val);
      pos++;
      val = 0;
      digits = 0;
    } else {
      throw new AddrError(input, 'unexpected character', s.slice(i));
    }
  }
  if (pos < 3) throw new AddrError(input, 'IPv4 address too short');
  return (out << 8n) | BigInt(val);
}

function v6(input: string): { addr: IPAddr; zone: string } {
  let s = input;
  let zone = '';
  const pct = s.indexOf('%');
  if (pct >= 0) {
    zone = s.slice(pct + 1);
    s = s.slice(0, pct);
    if (!zone) throw new AddrError(input, 'zone must be a non-empty string');
  }
  const groups: number[] = []; // 16-bit groups
  let ellipsis = -1;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (!s) return { addr: new IPAddr(0n, 128), zone };
  }
  while (groups.length < 8) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const d = parseInt(s[off]!, 16);
      if (Number.isNaN(d)) break;
      acc = acc * 16 + d;
      if (off > 3) throw new AddrError(input, 'each group must have 4 or less digits', s);
      if (acc > 0xffff) throw new AddrError(input, 'IPv6 field has value >=2^16', s);
    }
    if (off === 0) throw new AddrError(input, 'each colon-separated field must have at least one digit', s);
    if (off < s.length && s[off] === '.') {
      if (ellipsis < 0 && groups.length !== 6) throw new AddrError(input, 'embedded IPv4 address must replace the final 2 fields of the address', s);
      if (groups.length + 2 > 8) throw new AddrError(input, 'too many hex fields to fit an embedded IPv4 at the end of the address', s);
      const end = input.length - (zone ? zone.length + 1 : 0);
      const v4 = Number(v4Fields(input, end - s.length, end));
      groups.push(v4 >>> 16, v4 & 0xffff);
      s = '';
      break;
    }
    groups.push(acc);
    s = s.slice(off);
    if (!s) break;
    if (s[0] !== ':') throw new AddrError(input, 'unexpected character, want colon', s);
    if (s.length === 1) throw new AddrError(input, 'colon must be followed by more characters', s);
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) throw new AddrError(input, 'multiple :: in address', s);
      ellipsis = groups.length;
      s = s.slice(1);
      if (!s) break;
    }
  }
  if (s) throw new AddrError(input, 'trailing garbage after address', s);
  if (groups.length < 8) {
    if (ellipsis < 0) throw new AddrError(input, 'address string too short');
    groups.splice(ellipsis, 0, ...new Array<number>(8 - groups.length).fill(0));
  } else if (ellipsis >= 0) {
    throw new AddrError(input, 'the :: must expand to at least one field of zeros', s);
  }
  return { addr: new IPAddr(groups.reduce((a, g) => (a << 16n) | BigInt(g), 0n), 128), zone };
}

const isV4Mapped = (a: IPAddr) => a.bits === 128 && a.value >> 32n === 0xffffn;

/** Kubernetes' parseIPAddr: netip's parse without zones or IPv4-mapped IPv6 addresses. */
export function parseIP(raw: string): IPAddr {
  let parsed: { addr: IPAddr; zone: string };
  try {
    parsed = parseAddr(raw);
  } catch (e) {
    throw new Error(`IP Address ${JSON.stringify(raw)} parse error during conversion from string: ${(e as Error).message}`);
  }
  if (parsed.zone) throw new Error(`IP address ${JSON.stringify(raw)} with zone value is not allowed`);
  if (isV4Mapped(parsed.addr)) throw new Error(`IPv4-mapped IPv6 address ${JSON.stringify(raw)} is not allowed`);
  return parsed.addr;
}

/** netip.ParsePrefix's address part: the error text netip gives, for cidr.ts. */
export function parsePrefixAddr(s: string): { addr: IPAddr; zone: string } {
  return parseAddr(s);
}

const v4String = (v: bigint) => [24n, 16n, 8n, 0n].map((sh) => String((v >> sh) & 0xffn)).join('.');

/** RFC 5952: lower-case hex, the longest run of two or more zero groups (the first of equals) as `::`. */
function v6String(v: bigint): string {
  const g = Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(112 - 16 * i)) & 0xffffn));
  if (isV4Mapped(new IPAddr(v, 128))) return `::ffff:${v4String(v & 0xffffffffn)}`;
  let start = -1;
  let len = 0;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i >= 2 && j - i > len) [start, len] = [i, j - i];
  }
  const hex = (xs: number[]) => xs.map((x) => x.toString(16)).join(':');
  return start < 0 ? hex(g) : `${hex(g.slice(0, start))}::${hex(g.slice(start + len))}`;
}

const top = (a: IPAddr, n: number) => Number(a.value >> BigInt(a.bits - n));
const isMulticast = (a: IPAddr) => (a.bits === 32 ? top(a, 4) === 0xe : top(a, 8) === 0xff);
const isLoopback = (a: IPAddr) => (a.bits === 32 ? top(a, 8) === 127 : a.value === 1n);
const isLinkLocalUnicast = (a: IPAddr) => (a.bits === 32 ? top(a, 16) === 0xa9fe : top(a, 10) === 0x3fa);

export function registerIP(env: Environment): void {
  env.registerType('net.IP', IPAddr);
  namespace(env, 'ip', 'IPNamespace');
  env.registerFunction('ip(string): net.IP', (s: string) => (chargeSize(s.length), parseIP(s)));
  env.registerFunction('isIP(string): bool', parses(parseIP));
  env.registerFunction('IPNamespace.isCanonical(string): bool', (_n: unknown, s: string) => (chargeSize(s.length), parseIP(s).toString() === s));
  env.registerFunction('string(net.IP): string', (a: IPAddr) => a.toString());
  env.registerFunction('net.IP.family(): int', (a: IPAddr) => (a.bits === 32 ? 4n : 6n));
  env.registerFunction('net.IP.isUnspecified(): bool', (a: IPAddr) => a.value === 0n);
  env.registerFunction('net.IP.isLoopback(): bool', isLoopback);
  env.registerFunction('net.IP.isLinkLocalMulticast(): bool', (a: IPAddr) => (a.bits === 32 ? top(a, 24) === 0xe00000 : (top(a, 16) & 0xff0f) === 0xff02));
  env.registerFunction('net.IP.isLinkLocalUnicast(): bool', isLinkLocalUnicast);
  env.registerFunction('net.IP.isGlobalUnicast(): bool', (a: IPAddr) => {
    if (a.bits === 32 && (a.value === 0n || a.value === 0xffffffffn)) return false;
    return !(a.bits === 128 && a.value === 0n) && !isLoopback(a) && !isMulticast(a) && !isLinkLocalUnicast(a);
  });
  env.registerOperator('net.IP == net.IP', (a: IPAddr, b: IPAddr) => a.bits === b.bits && a.value === b.value);
}
