// core/v1 Endpoints: the addresses behind a service. Also home of the IP address checks that
// Services and Nodes share (IsValidIP, ValidateNonSpecialIP, IsValidCIDR of Kubernetes 1.32).
import { invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { isDNS1123Label, isQualifiedName, isValidPortNum, validateName } from '../../api/validation.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import { apiserverUser } from '../../api/user.js';
import type { ResourceDef } from '../resource.js';
import { endpoints as endpointsSchema } from '../schemas/core.js';
import { age } from '../../api/duration.js';
import type { OpContext } from '../../api/operations.js';

// ---- IP addresses (k8s.io/utils/net ParseIPSloppy: IPv4 octets may have leading zeros) ----

/** 16 bytes, IPv4 as ::ffff:a.b.c.d (Go's net.IP), or null. */
export type IPBytes = number[];

function parseIPv4(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]+$/.test(p)) return null;
    let n = 0;
    for (const c of p) {
      n = n * 10 + (c.charCodeAt(0) - 48);
      if (n > 255) return null;
    }
    out.push(n);
  }
  return out;
}

function parseIPv6(s: string): number[] | null {
  const groupsOf = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const groups = part.split(':');
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIPv4(g);
        if (!v4) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) out.push(parseInt(g, 16));
      else return null;
    }
    return out;
  };
  const gap = s.indexOf('::');
  let groups: number[];
  if (gap >= 0) {
    if (s.indexOf('::', gap + 1) >= 0) return null;
    const head = groupsOf(s.slice(0, gap));
    const tail = groupsOf(s.slice(gap + 2));
    if (!head || !tail || head.length + tail.length > 7) return null;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = groupsOf(s);
    if (!all || all.length !== 8) return null;
    groups = all;
  }
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

export function parseIP(s: string): IPBytes | null {
  if (s.includes(':')) return parseIPv6(s);
  const v4 = parseIPv4(s);
  return v4 ? [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4] : null;
}

/** IPv4 (also an IPv4-mapped IPv6 address, as Go's To4 sees it) or IPv6. */
export function familyOf(ip: IPBytes): 'IPv4' | 'IPv6' {
  return ip.slice(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff ? 'IPv4' : 'IPv6';
}

/** validation.IsValidIP (1.32 wording). */
export function validateIP(value: string, path: string): FieldError[] {
  return parseIP(value) ? [] : [invalid(path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
}

/** ValidateNonSpecialIP: no unspecified, loopback or link-local addresses. */
export function validateNonSpecialIP(value: string, path: string): FieldError[] {
  const ip = parseIP(value);
  if (!ip) return [invalid(path, value, 'must be a valid IP address')];
  const errs: FieldError[] = [];
  const v4 = familyOf(ip) === 'IPv4' ? ip.slice(12) : null;
  const unspecified = v4 ? v4.every((b) => b === 0) : ip.every((b) => b === 0);
  const loopback = v4 ? v4[0] === 127 : ip.slice(0, 15).every((b) => b === 0) && ip[15] === 1;
  const linkLocalUnicast = v4 ? v4[0] === 169 && v4[1] === 254 : ip[0] === 0xfe && (ip[1]! & 0xc0) === 0x80;
  const linkLocalMulticast = v4 ? v4[0] === 224 && v4[1] === 0 && v4[2] === 0 : ip[0] === 0xff && (ip[1]! & 0x0f) === 0x02;
  if (unspecified) errs.push(invalid(path, value, `may not be unspecified (${value})`));
  if (loopback) errs.push(invalid(path, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (linkLocalUnicast) errs.push(invalid(path, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (linkLocalMulticast) errs.push(invalid(path, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}

/** ParseCIDRSloppy: the address and prefix length, or null. */
export function parseCIDR(value: string): { ip: IPBytes; bits: number; family: 'IPv4' | 'IPv6' } | null {
  const slash = value.indexOf('/');
  if (slash < 0) return null;
  const addr = value.slice(0, slash);
  const len = value.slice(slash + 1);
  const ip = parseIP(addr);
  if (!ip || !/^[0-9]{1,3}$/.test(len)) return null;
  const family = addr.includes(':') ? 'IPv6' : 'IPv4';
  const bits = Number(len);
  if (bits > (family === 'IPv4' ? 32 : 128)) return null;
  return { ip, bits, family };
}

/** validation.IsValidCIDR (1.32 wording). */
export function validateCIDR(value: string, path: string): FieldError[] {
  return parseCIDR(value) ? [] : [invalid(path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
}

// ---- Endpoints ----

interface EndpointAddress {
  ip?: string;
  hostname?: string;
  nodeName?: string;
}
interface EndpointPort {
  name?: string;
  port?: number;
  protocol?: string;
  appProtocol?: string;
}
interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

const subsetsOf = (o: KubeObject): EndpointSubset[] => (Array.isArray(o.subsets) ? (o.subsets as EndpointSubset[]) : []);

function validateAddress(a: EndpointAddress, path: string, anyAddress: boolean): FieldError[] {
  const ip = a.ip ?? '';
  const errs = validateIP(ip, `${path}.ip`);
  if (a.hostname) for (const msg of isDNS1123Label(a.hostname)) errs.push(invalid(`${path}.hostname`, a.hostname, msg));
  if (a.nodeName !== undefined) for (const msg of validateName(a.nodeName, 'subdomain', false)) errs.push(invalid(`${path}.nodeName`, a.nodeName, msg));
  if (anyAddress) {
    if (!parseIP(ip)) errs.push(invalid(`${path}.ip`, ip, 'must be a valid IP address'));
  } else errs.push(...validateNonSpecialIP(ip, `${path}.ip`));
  return errs;
}

function validatePort(p: EndpointPort, requireName: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !p.name) errs.push(required(`${path}.name`));
  else if (p.name) for (const msg of isDNS1123Label(p.name)) errs.push(invalid(`${path}.name`, p.name, msg));
  for (const msg of isValidPortNum(p.port ?? 0)) errs.push(invalid(`${path}.port`, p.port ?? 0, msg));
  if (!p.protocol) errs.push(required(`${path}.protocol`));
  else if (!PROTOCOLS.includes(p.protocol)) errs.push(notSupported(`${path}.protocol`, p.protocol, PROTOCOLS));
  if (p.appProtocol !== undefined) for (const msg of isQualifiedName(p.appProtocol)) errs.push(invalid(`${path}.appProtocol`, p.appProtocol, msg));
  return errs;
}

/**
 * ValidateEndpoints without ObjectMeta (the store checks that). One departure: the API server's
 * own writes may name a loopback address, because Badge serves on one and the `kubernetes`
 * Endpoints must point at it.
 */
function validateEndpoints(o: KubeObject, ctx: OpContext): FieldError[] {
  const anyAddress = ctx.user.username === apiserverUser.username;
  const errs: FieldError[] = [];
  subsetsOf(o).forEach((ss, i) => {
    const path = `subsets[${i}]`;
    const ready = ss.addresses ?? [];
    const notReady = ss.notReadyAddresses ?? [];
    if (!ready.length && !notReady.length) errs.push(required(path, 'must specify `addresses` or `notReadyAddresses`'));
    ready.forEach((a, j) => errs.push(...validateAddress(a, `${path}.addresses[${j}]`, anyAddress)));
    notReady.forEach((a, j) => errs.push(...validateAddress(a, `${path}.notReadyAddresses[${j}]`, anyAddress)));
    const ports = ss.ports ?? [];
    ports.forEach((p, j) => errs.push(...validatePort(p, ports.length > 1, `${path}.ports[${j}]`)));
  });
  return errs;
}

/** net.JoinHostPort */
const joinHostPort = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** printers.go formatEndpoints: up to three ip:port entries, then "+ N more...". */
export function formatEndpoints(o: KubeObject): string {
  const subsets = subsetsOf(o);
  if (!subsets.length) return '<none>';
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  const add = (s: string) => {
    if (list.length === max) more = true;
    else list.push(s);
  };
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    if (!ss.ports?.length) {
      count += addresses.length;
      for (const a of addresses) add(a.ip ?? '');
      continue;
    }
    for (const p of ss.ports) {
      count += addresses.length;
      for (const a of addresses) add(joinHostPort(a.ip ?? '', p.port ?? 0));
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

export const endpoints: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  resource: 'endpoints',
  singular: 'endpoints',
  shortNames: ['ep'],
  namespaced: true,
  schema: endpointsSchema,
  storagePrefix: 'services/endpoints',
  allowCreateOnUpdate: true,
  defaults(o) {
    // SetDefaults_Endpoints: ports speak TCP unless they say otherwise.
    for (const ss of subsetsOf(o)) for (const p of ss.ports ?? []) if (!p.protocol) p.protocol = 'TCP';
  },
  validate: validateEndpoints,
  validateUpdate: (o, _old, ctx) => validateEndpoints(o, ctx),
  table: {
    columns: [nameColumn, column('Endpoints', 'The set of all endpoints is the union of all subsets.'), ageColumn],
    cells: (o, now) => [o.metadata.name, formatEndpoints(o), age(o.metadata.creationTimestamp, now)],
  },
};
