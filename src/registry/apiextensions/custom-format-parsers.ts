// The Go parsers kube-openapi's string formats lean on, as predicates: net.ParseIP (netip, strict),
// k8s.io/utils/net ParseIPSloppy / ParseCIDRSloppy (Go 1.16's parser: leading zeros allowed),
// net.ParseMAC, url.ParseRequestURI and net/mail.ParseAddress. Each is a single left-to-right scan.

const HEX = /^[0-9a-fA-F]$/;
const isHex = (c: string | undefined) => c !== undefined && HEX.test(c);

/** An IPv4 address of four dotted decimals; strict (netip) forbids leading zeros. */
function ipv4(s: string, sloppy: boolean): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  return parts.every((p) => /^[0-9]+$/.test(p) && Number(p) <= 255 && (sloppy || p === '0' || (p[0] !== '0' && p.length <= 3)));
}

/** An IPv6 address (no zone): hex groups, one "::" standing for at least one group, an IPv4 tail. */
function ipv6(s: string, sloppy: boolean): boolean {
  let groups = 0;
  let ellipsis = false;
  if (s.startsWith('::')) {
    ellipsis = true;
    s = s.slice(2);
    if (s === '') return true;
  }
  while (groups < 8) {
    let j = 0;
    while (j < s.length && isHex(s[j])) j++;
    if (j === 0 || (!sloppy && j > 4)) return false;
    if (s[j] === '.') {
      if ((!ellipsis && groups !== 6) || groups > 6 || !ipv4(s, sloppy)) return false;
      groups += 2;
      s = '';
      break;
    }
    // Go 1.16 read any number of digits (leading zeros) up to 0xFFFF.
    const digits = s.slice(0, j).replace(/^0+(?=.)/, '');
    if (digits.length > 4) return false;
    groups++;
    s = s.slice(j);
    if (s === '') break;
    if (s[0] !== ':' || s.length === 1) return false;
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis) return false;
      ellipsis = true;
      s = s.slice(1);
      if (s === '') break;
    }
  }
  if (s !== '') return false;
  return ellipsis ? groups < 8 : groups === 8;
}

/** net.ParseIP (Go ≥ 1.17, netip): no leading zeros in IPv4, at most four hex digits a group, no zone. */
export function parseIP(s: string): 'v4' | 'v6' | undefined {
  for (const c of s) {
    if (c === '.') return ipv4(s, false) ? 'v4' : undefined;
    if (c === ':') return ipv6(s, false) ? 'v6' : undefined;
  }
  return undefined;
}

/** k8s.io/utils/net ParseIPSloppy: Go 1.16's net.ParseIP, which allowed leading zeros. */
export function parseIPSloppy(s: string): boolean {
  for (const c of s) {
    if (c === '.') return ipv4(s, true);
    if (c === ':') return ipv6(s, true);
  }
  return false;
}

/** k8s.io/utils/net ParseCIDRSloppy: an address (IPv4 first), "/", a decimal prefix length in range. */
export function parseCIDRSloppy(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const addr = s.slice(0, slash);
  const mask = s.slice(slash + 1);
  const bits = ipv4(addr, true) ? 32 : ipv6(addr, true) ? 128 : 0;
  return bits > 0 && /^[0-9]+$/.test(mask) && Number(mask) <= bits;
}

/** net.ParseMAC: 6, 8 or 20 octets as "xx:xx…", "xx-xx…" or "xxxx.xxxx…". */
export function parseMAC(s: string): boolean {
  if (s.length < 14) return false;
  const sep = s[2] === ':' || s[2] === '-' ? s[2] : s[4] === '.' ? '.' : undefined;
  if (!sep) return false;
  const width = sep === '.' ? 4 : 2;
  if ((s.length + 1) % (width + 1) !== 0) return false;
  const groups = (s.length + 1) / (width + 1);
  const octets = (groups * width) / 2;
  if (octets !== 6 && octets !== 8 && octets !== 20) return false;
  for (let g = 0; g < groups; g++) {
    const at = g * (width + 1);
    for (let k = 0; k < width; k++) if (!isHex(s[at + k])) return false;
    if (g < groups - 1 && s[at + width] !== sep) return false;
  }
  return true;
}

const HOST_SAFE = /[A-Za-z0-9!$&'()*+,;=:[\]<>"\-_.~]/;

/**
 * url.unescape's checks: every "%" starts two hex digits; in a host no escape below 0x80 but
 * "%25" and no raw ASCII byte that is not host-safe; in a zone, escapes may stand for a space or a
 * host-safe byte.
 */
function unescapes(s: string, mode: 'path' | 'host' | 'zone'): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '%') {
      if (!isHex(s[i + 1]) || !isHex(s[i + 2])) return false;
      const code = parseInt(s.slice(i + 1, i + 3), 16);
      const pct25 = s.slice(i, i + 3) === '%25';
      if (mode === 'host' && code < 0x80 && !pct25) return false;
      if (mode === 'zone' && !pct25 && code !== 0x20 && (code >= 0x80 || !HOST_SAFE.test(String.fromCharCode(code)))) return false;
      i += 2;
    } else if (mode !== 'path' && c < '\x80' && !HOST_SAFE.test(c)) return false;
  }
  return true;
}

const validOptionalPort = (p: string) => p === '' || /^:[0-9]*$/.test(p);
/** url.validUserinfo: unreserved, sub-delims, ":", "%" and "@" only (ASCII). */
const validUserinfo = (u: string) => /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(u);

/** url.parseHost: a bracketed IPv6 literal with optional zone and port, or a name with optional port. */
function parseHost(host: string): boolean {
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0 || !validOptionalPort(host.slice(close + 1))) return false;
    const zone = host.slice(0, close).indexOf('%25');
    if (zone < 0) return unescapes(host, 'host');
    return unescapes(host.slice(0, zone), 'host') && unescapes(host.slice(zone, close), 'zone') && unescapes(host.slice(close), 'host');
  }
  const colon = host.lastIndexOf(':');
  if (colon >= 0 && !validOptionalPort(host.slice(colon))) return false;
  return unescapes(host, 'host');
}

/** url.ParseRequestURI: an absolute URI (scheme:…) or an absolute path; no fragment split, no control bytes. */
export function parseRequestURI(raw: string): boolean {
  if (raw === '' || /[\x00-\x1f\x7f]/.test(raw)) return false;
  if (raw === '*') return true;
  let scheme = '';
  let rest = raw;
  const m = /^[A-Za-z][A-Za-z0-9+\-.]*:/.exec(raw);
  if (m) {
    scheme = m[0].slice(0, -1);
    rest = raw.slice(m[0].length);
  } else if (raw[0] === ':') return false; // missing protocol scheme
  const q = rest.indexOf('?');
  if (q >= 0) rest = rest.slice(0, q);
  if (!rest.startsWith('/')) return scheme !== '';
  if (scheme && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? '' : rest.slice(slash);
    const at = authority.lastIndexOf('@');
    if (at >= 0 && !(validUserinfo(authority.slice(0, at)) && unescapes(authority.slice(0, at), 'path'))) return false;
    if (!parseHost(authority.slice(at + 1))) return false;
  }
  return unescapes(rest, 'path');
}

// net/mail: an address parser over the string with a cursor.
const isVchar = (c: string) => (c >= '!' && c <= '~') || c >= '\x80';
const isAtext = (c: string, dot: boolean) => (c === '.' ? dot : isVchar(c) && !'()<>[]:;@\\,"'.includes(c));
const isWSP = (c: string) => c === ' ' || c === '\t';

class MailParser {
  i = 0;
  constructor(readonly s: string) {}
  get empty() {
    return this.i >= this.s.length;
  }
  peek() {
    return this.s[this.i];
  }
  consume(c: string) {
    if (this.peek() !== c) return false;
    this.i++;
    return true;
  }
  skipSpace() {
    while (this.peek() === ' ' || this.peek() === '\t') this.i++;
  }
  /** A comment after its "(": nested parentheses, backslash escapes; false if unclosed. */
  comment(): boolean {
    let depth = 1;
    while (!this.empty && depth > 0) {
      const c = this.peek();
      if (c === '\\' && this.i + 1 < this.s.length) this.i++;
      else if (c === '(') depth++;
      else if (c === ')') depth--;
      this.i++;
    }
    return depth === 0;
  }
  skipCFWS(): boolean {
    this.skipSpace();
    while (this.consume('(')) {
      if (!this.comment()) return false;
      this.skipSpace();
    }
    return true;
  }
  atom(permissive: boolean): string | undefined {
    const start = this.i;
    while (!this.empty && isAtext(this.peek()!, true)) this.i++;
    const a = this.s.slice(start, this.i);
    if (a === '' || (!permissive && (a.startsWith('.') || a.endsWith('.') || a.includes('..')))) return undefined;
    return a;
  }
  quoted(): string | undefined {
    this.i++;
    let out = '';
    let escaped = false;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) return undefined;
      this.i++;
      if (escaped) {
        if (!isVchar(c) && !isWSP(c)) return undefined;
        out += c;
        escaped = false;
      } else if ((isVchar(c) && c !== '\\' && c !== '"') || isWSP(c)) out += c;
      else if (c === '"') return out;
      else if (c === '\\') escaped = true;
      else return undefined;
    }
  }
  domainLiteral(): boolean {
    this.i++;
    const start = this.i;
    while (!this.empty && isVchar(this.peek()!) && !'[]\\'.includes(this.peek()!)) this.i++;
    const text = this.s.slice(start, this.i);
    return this.consume(']') && parseIP(text) !== undefined;
  }
  addrSpec(): boolean {
    const start = this.i;
    const fail = () => ((this.i = start), false);
    this.skipSpace();
    if (this.empty) return fail();
    const local = this.peek() === '"' ? this.quoted() : this.atom(false);
    if (!local || !this.consume('@')) return fail();
    this.skipSpace();
    if (this.empty) return fail();
    if (this.peek() === '[' ? !this.domainLiteral() : this.atom(false) === undefined) return fail();
    return true;
  }
  phrase(): boolean {
    let words = 0;
    for (;;) {
      this.skipSpace();
      if (this.empty) break;
      const w = this.peek() === '"' ? this.quoted() : this.atom(true);
      if (w === undefined) break;
      words++;
    }
    return words > 0;
  }
  /** One address (or, with groups, a group's addresses): how many were read, or -1. */
  address(groups: boolean): number {
    this.skipSpace();
    if (this.empty) return -1;
    if (this.addrSpec()) {
      this.skipSpace();
      if (this.consume('(') && !this.comment()) return -1;
      return 1;
    }
    if (this.peek() !== '<' && !this.phrase()) return -1;
    this.skipSpace();
    if (groups && this.consume(':')) return this.groupList();
    if (!this.consume('<') || !this.addrSpec() || !this.consume('>')) return -1;
    return 1;
  }
  groupList(): number {
    let n = 0;
    this.skipSpace();
    if (this.consume(';')) return this.skipCFWS() ? 0 : -1;
    for (;;) {
      this.skipSpace();
      const got = this.address(false);
      if (got < 0 || !this.skipCFWS()) return -1;
      n += got;
      if (this.consume(';')) return this.skipCFWS() ? n : -1;
      if (!this.consume(',')) return -1;
    }
  }
}

/** net/mail.ParseAddress: exactly one address (possibly named, possibly a one-member group). */
export function parseMailAddress(s: string): boolean {
  const p = new MailParser(s);
  return p.address(true) === 1 && p.skipCFWS() && p.empty;
}
