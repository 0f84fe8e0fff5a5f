// Kubernetes' URL library (k8s.io/apiserver/pkg/cel/library/urls.go): `url(s)` of type kubernetes.URL, `isURL`,
// `getScheme`, `getHost`, `getHostname`, `getPort`, `getEscapedPath`, `getQuery`. Strings parse as Go's
// net/url parses them (ParseRequestURI to accept, then Parse), with its error texts.
import type { Environment } from '@marcbachmann/cel-js';
import { chargeSize } from '../cost.js';
import { parses } from './parses.js';

export class KubeURL {
  constructor(
    readonly scheme: string,
    readonly host: string,
    /** The path as written when it is a valid encoding, else the unescaped path re-escaped (EscapedPath). */
    readonly escapedPath: string,
    readonly rawQuery: string,
  ) {}
}

const isAlnum = (c: string) => /^[A-Za-z0-9]$/.test(c);
const isHex = (c: string | undefined) => c !== undefined && /^[0-9A-Fa-f]$/.test(c);

type Mode = 'path' | 'host' | 'query' | 'fragment';

/** Go's shouldEscape for the modes used here. */
function shouldEscape(c: string, mode: Mode): boolean {
  if (isAlnum(c) || '-_.~'.includes(c)) return false;
  if (mode === 'host' && "!$&'()*+,;=:[]<>\"".includes(c)) return false;
  if ('$&+,/:;=?@'.includes(c)) return mode === 'path' ? c === '?' : mode === 'query';
  if (mode === 'fragment' && "!()*".includes(c)) return false;
  return true;
}

/** Go's unescape: %XX checked (and in hosts only %25), `+` is a space in query components. */
function unescape(s: string, mode: Mode): string {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%') {
      if (!isHex(s[i + 1]) || !isHex(s[i + 2])) throw new Error(`invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`);
      if (mode === 'host' && parseInt(s[i + 1]!, 16) < 8 && s.slice(i, i + 3) !== '%25') throw new Error(`invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`);
      i += 2;
    } else if (mode === 'host' && s.charCodeAt(i) < 0x80 && shouldEscape(s[i]!, mode)) {
      throw new Error(`invalid character ${JSON.stringify(s[i])} in host name`);
    }
  }
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%') bytes.push(parseInt(s.slice(i + 1, i + 3), 16)), (i += 2);
    else if (s[i] === '+' && mode === 'query') bytes.push(0x20);
    else bytes.push(...Buffer.from(s[i]!));
  }
  return Buffer.from(bytes).toString();
}

function escapePath(s: string): string {
  let out = '';
  for (const b of Buffer.from(s)) {
    const c = String.fromCharCode(b);
    out += b < 0x80 && !shouldEscape(c, 'path') ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Go's validEncoded for paths. */
const validEncodedPath = (s: string) => [...s].every((c) => "!$&'()*+,;=:@[]%".includes(c) || (c.charCodeAt(0) < 0x80 && !shouldEscape(c, 'path')));

const validOptionalPort = (p: string) => p === '' || /^:[0-9]*$/.test(p);

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) throw new Error("missing ']' in host");
    const port = host.slice(i + 1);
    if (!validOptionalPort(port)) throw new Error(`invalid port ${JSON.stringify(port)} after host`);
  } else {
    const i = host.lastIndexOf(':');
    if (i >= 0 && !validOptionalPort(host.slice(i))) throw new Error(`invalid port ${JSON.stringify(host.slice(i))} after host`);
  }
  return unescape(host, 'host');
}

/** Go's url.parse: the components, or an Error with net/url's text (without the `parse "…": ` wrapper). */
function parse(raw: string, viaRequest: boolean): KubeURL {
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new Error('net/url: invalid control character in URL');
  if (raw === '' && viaRequest) throw new Error('empty url');
  if (raw === '*') return new KubeURL('', '', '*', '');
  let scheme = '';
  let rest = raw;
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(raw);
  if (raw.startsWith(':')) throw new Error('missing protocol scheme');
  if (m) [scheme, rest] = [m[0].slice(0, -1).toLowerCase(), raw.slice(m[0].length)];
  let query = '';
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) rest = rest.slice(0, -1);
  else if (rest.includes('?')) [rest, query] = [rest.slice(0, rest.indexOf('?')), rest.slice(rest.indexOf('?') + 1)];
  if (!rest.startsWith('/')) {
    if (scheme) return new KubeURL(scheme, '', '', query);
    if (viaRequest) throw new Error('invalid URI for request');
    if (rest.split('/')[0]!.includes(':')) throw new Error('first path segment in URL cannot contain colon');
  }
  let host = '';
  if ((scheme || (!viaRequest && !rest.startsWith('///'))) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const slash = authority.indexOf('/');
    if (slash >= 0) [authority, rest] = [authority.slice(0, slash), authority.slice(slash)];
    const at = authority.lastIndexOf('@');
    host = parseHost(authority.slice(at + 1));
    if (at >= 0) {
      const user = authority.slice(0, at);
      if (![...user].every((c) => isAlnum(c) || "-._:~!$&'()*+,;=%@".includes(c))) throw new Error('net/url: invalid userinfo');
      unescape(user, 'fragment');
    }
  }
  const path = unescape(rest, 'path');
  return new KubeURL(scheme, host, validEncodedPath(rest) ? rest : escapePath(path), query);
}

const wrap = (raw: string, e: unknown) => new Error(`URL parse error during conversion from string: parse ${JSON.stringify(raw)}: ${(e as Error).message}`);

function toURL(s: string): KubeURL {
  chargeSize(s.length);
  try {
    parse(s, true);
  } catch (e) {
    throw wrap(s, e);
  }
  const hash = s.indexOf('#');
  const noFragment = hash < 0 ? s : s.slice(0, hash);
  try {
    const u = parse(noFragment, false);
    if (hash >= 0) unescape(s.slice(hash + 1), 'fragment');
    return u;
  } catch (e) {
    throw wrap(hash < 0 ? s : noFragment, e);
  }
}

/** Go's Hostname and Port: the port after the last colon when it is all digits; brackets dropped. */
function splitHostPort(hostPort: string): [string, string] {
  let host = hostPort;
  let port = '';
  const colon = host.lastIndexOf(':');
  if (colon >= 0 && validOptionalPort(host.slice(colon))) [host, port] = [host.slice(0, colon), host.slice(colon + 1)];
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return [host, port];
}

/** Go's ParseQuery, errors skipped: `&`-separated, keys with `;` dropped, `+` as space. */
function query(raw: string): Map<string, string[]> {
  chargeSize(raw.length);
  const out = new Map<string, string[]>();
  for (const part of raw.split('&')) {
    if (!part || part.includes(';')) continue;
    const eq = part.indexOf('=');
    try {
      const key = unescape(eq < 0 ? part : part.slice(0, eq), 'query');
      const value = eq < 0 ? '' : unescape(part.slice(eq + 1), 'query');
      out.set(key, [...(out.get(key) ?? []), value]);
    } catch {
      continue;
    }
  }
  return out;
}

export function registerURL(env: Environment): void {
  env.registerType('kubernetes.URL', KubeURL);
  env.registerFunction('url(string): kubernetes.URL', toURL);
  env.registerFunction('isURL(string): bool', parses((s) => parse(s, true)));
  env.registerFunction('kubernetes.URL.getScheme(): string', (u: KubeURL) => u.scheme);
  env.registerFunction('kubernetes.URL.getHost(): string', (u: KubeURL) => u.host);
  env.registerFunction('kubernetes.URL.getHostname(): string', (u: KubeURL) => splitHostPort(u.host)[0]);
  env.registerFunction('kubernetes.URL.getPort(): string', (u: KubeURL) => splitHostPort(u.host)[1]);
  env.registerFunction('kubernetes.URL.getEscapedPath(): string', (u: KubeURL) => u.escapedPath);
  env.registerFunction('kubernetes.URL.getQuery(): map<string, list<string>>', (u: KubeURL) => query(u.rawQuery));
}
