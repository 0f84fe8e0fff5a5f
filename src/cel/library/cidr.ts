// Kubernetes' CIDR library (k8s.io/apiserver/pkg/cel/library/cidr.go): `cidr(s)` of type net.CIDR, `isCIDR`,
// `containsIP`, `containsCIDR`, `ip`, `masked`, `prefixLength`, `string(cidr)`. Prefixes parse as Go's
// netip.ParsePrefix parses them (the address is kept unmasked), with its error texts.
import type { Environment } from '@marcbachmann/cel-js';
import { chargeSize } from '../cost.js';
import { IPAddr, parseIP, parsePrefixAddr } from './ip.js';
import { parses } from './parses.js';

export class CIDR {
  constructor(
    readonly addr: IPAddr,
    readonly prefix: number,
  ) {}
  toString(): string {
    return `${this.addr.toString()}/${this.prefix}`;
  }
}

const mask = (bits: 32 | 128, prefix: number) => ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
const masked = (c: CIDR) => new CIDR(new IPAddr(c.addr.value & mask(c.addr.bits, c.prefix), c.addr.bits), c.prefix);

/** netip.ParsePrefix, then Kubernetes' refusal of IPv4-mapped addresses. */
function parsePrefix(raw: string): CIDR {
  const fail = (msg: string) => new Error(`network address parse error during conversion from string: netip.ParsePrefix(${JSON.stringify(raw)}): ${msg}`);
  const slash = raw.lastIndexOf('/');
  if (slash < 0) throw fail("no '/'");
  let parsed: { addr: IPAddr; zone: string };
  try {
    parsed = parsePrefixAddr(raw.slice(0, slash));
  } catch (e) {
    throw fail((e as Error).message);
  }
  if (parsed.addr.bits === 128 && parsed.zone) throw fail('IPv6 zones cannot be present in a prefix');
  const bits = raw.slice(slash + 1);
  if (!/^(0|[1-9][0-9]*)$/.test(bits) || BigInt(bits) > 9223372036854775807n) throw fail(`bad bits after slash: ${JSON.stringify(bits)}`);
  const n = Number(bits);
  if (n > parsed.addr.bits) throw fail('prefix length out of range');
  if (parsed.addr.bits === 128 && parsed.addr.value >> 32n === 0xffffn) throw new Error(`IPv4-mapped IPv6 address ${JSON.stringify(raw)} is not allowed`);
  return new CIDR(parsed.addr, n);
}

/** cidr(s): Kubernetes wraps parseCIDR's error in the same words once more. */
function cidr(s: string): CIDR {
  chargeSize(s.length);
  try {
    return parsePrefix(s);
  } catch (e) {
    throw new Error(`network address parse error during conversion from string: ${(e as Error).message}`);
  }
}

function containsIP(c: CIDR, ip: IPAddr): boolean {
  if (c.addr.bits !== ip.bits) return false;
  const m = mask(ip.bits, c.prefix);
  return (c.addr.value & m) === (ip.value & m);
}

/** As Kubernetes: the other prefix's address equals this one's masked address, and it is no shorter. */
function containsCIDR(c: CIDR, other: CIDR): boolean {
  const m = masked(c);
  return m.addr.bits === other.addr.bits && m.addr.value === other.addr.value && c.prefix <= other.prefix;
}

export function registerCIDR(env: Environment): void {
  env.registerType('net.CIDR', CIDR);
  env.registerFunction('cidr(string): net.CIDR', cidr);
  env.registerFunction('isCIDR(string): bool', parses(parsePrefix));
  env.registerFunction('net.CIDR.containsIP(net.IP): bool', containsIP);
  env.registerFunction('net.CIDR.containsIP(string): bool', (c: CIDR, s: string) => containsIP(c, parseIP(s)));
  env.registerFunction('net.CIDR.containsCIDR(net.CIDR): bool', containsCIDR);
  env.registerFunction('net.CIDR.containsCIDR(string): bool', (c: CIDR, s: string) => containsCIDR(c, cidr(s)));
  env.registerFunction('net.CIDR.ip(): net.IP', (c: CIDR) => c.addr);
  env.registerFunction('net.CIDR.masked(): net.CIDR', masked);
  env.registerFunction('net.CIDR.prefixLength(): int', (c: CIDR) => BigInt(c.prefix));
  env.registerFunction('string(net.CIDR): string', (c: CIDR) => c.toString());
  // `net.IP` and `net.CIDR` name the types (`type(ip(s)) == net.IP`): fields of a `net` constant.
  const types = { IP: env.evaluate('type(ip("0.0.0.0"))'), CIDR: env.evaluate('type(cidr("0.0.0.0/0"))') };
  class NetNamespace {
    readonly IP = types.IP;
    readonly CIDR = types.CIDR;
  }
  env.registerType('NetNamespace', { ctor: NetNamespace, fields: { IP: 'type', CIDR: 'type' } });
  env.registerConstant('net', 'NetNamespace', new NetNamespace());
  env.registerOperator('net.CIDR == net.CIDR', (a: CIDR, b: CIDR) => a.prefix === b.prefix && a.addr.bits === b.addr.bits && a.addr.value === b.addr.value);
}
