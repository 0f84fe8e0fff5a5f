// Cluster IPs (from 10.96.0.0/12, single stack IPv4) and node ports (30000-32767) for services,
// given as kube-apiserver's service REST storage gives them in its begin-create / begin-update
// hooks: the services resource's `begin` hook. What is in use is read by listing the services, so
// nothing needs releasing; a short-lived reservation covers concurrent writes in this process.
import { internalError, invalid as invalidObject } from '../../api/errors.js';
import { invalid, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { familyOf, parseCIDR, parseIP, type IPBytes } from './endpoints.js';
import { CLUSTER_IP_NONE, initIPFamilyFields, matchingPreferDualStack, needsHealthCheck, needsNodePort, normalizeClusterIPs, patchAllocatedValues, type ServiceSpec, shouldAllocateNodePorts } from './services.js';
import type { OpContext } from '../../api/operations.js';
import type { BeginWrite, ResourceDef } from '../resource.js';
import { specToFill } from '../narrow.js';

export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
export const DEFAULT_NODE_PORT_RANGE = '30000-32767';

export interface ServiceIpAllocatorOptions {
  serviceCIDR?: string;
  nodePortRange?: string;
}

const RESERVATION_MS = 30_000;

class AllocationError extends Error {}

/** A range of numbers handed out as the Kubernetes bitmap allocators do: random, upper band first. */
class Range {
  constructor(
    readonly base: number,
    readonly size: number,
    /** The first `staticBand` offsets are left for explicitly requested values while others remain. */
    readonly staticBand: number,
  ) {}

  contains(n: number): boolean {
    return n >= this.base && n < this.base + this.size;
  }

  next(used: Set<number>, random: number): number | undefined {
    const scan = (lo: number, hi: number): number | undefined => {
      const span = hi - lo;
      if (span <= 0) return undefined;
      const start = random % span;
      for (let i = 0; i < span; i++) {
        const n = this.base + lo + ((start + i) % span);
        if (!used.has(n)) return n;
      }
      return undefined;
    };
    return scan(this.staticBand, this.size) ?? scan(0, this.staticBand);
  }
}

/** min(max(min, size/step), max), 0 for tiny ranges (ipallocator and portallocator calculateRangeOffset). */
function bandOf(size: number, min: number, max: number, step: number): number {
  if (size <= min) return 0;
  return Math.min(Math.max(min, Math.floor(size / step)), max);
}

const ipv4Number = (ip: IPBytes): number => ((ip[12]! << 24) >>> 0) + (ip[13]! << 16) + (ip[14]! << 8) + ip[15]!;
const ipv4Text = (n: number): string => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');

/** net.IP.String() */
function formatIP(ip: IPBytes): string {
  if (familyOf(ip) === 'IPv4') return ipv4Text(ipv4Number(ip));
  const groups = Array.from({ length: 8 }, (_, i) => (ip[2 * i]! << 8) | ip[2 * i + 1]!);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  return best < 0 ? hex(groups) : `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLen))}`;
}

function ipRange(cidr: string): { range: Range; text: string } {
  const parsed = parseCIDR(cidr);
  if (!parsed || parsed.family !== 'IPv4') throw new Error(`service CIDR ${cidr} is not an IPv4 CIDR`);
  const size = 2 ** (32 - parsed.bits);
  const network = Math.floor(ipv4Number(parsed.ip) / size) * size;
  // The network and broadcast addresses are never handed out.
  const usable = Math.max(size - 2, 0);
  return { range: new Range(network + 1, usable, bandOf(size, 16, 256, 16)), text: `${ipv4Text(network)}/${parsed.bits}` };
}

function portRange(spec: string): { range: Range; text: string } {
  const m = /^(\d+)-(\d+)$/.exec(spec);
  if (!m) throw new Error(`node port range ${spec} is not <low>-<high>`);
  const base = Number(m[1]);
  const size = Number(m[2]) - base + 1;
  return { range: new Range(base, size, bandOf(size, 16, 128, 32)), text: spec };
}

interface InUse {
  ips: Set<number>;
  ports: Set<number>;
}

/** The services resource's begin hook: allocates what a service asks for, or refuses it. */
export function serviceIpAllocator(opts: ServiceIpAllocatorOptions = {}): NonNullable<ResourceDef['begin']> {
  const ips = ipRange(opts.serviceCIDR ?? DEFAULT_SERVICE_CIDR);
  const ports = portRange(opts.nodePortRange ?? DEFAULT_NODE_PORT_RANGE);
  const reserved = { ips: new Map<number, { owner: string; until: number }>(), ports: new Map<number, { owner: string; until: number }>() };
  let anonymous = 0;

  async function inUse(a: BeginWrite, owner: string): Promise<InUse> {
    const ctx = a.ctx;
    const { items } = await a.store.list(ctx, '', {});
    const used: InUse = { ips: new Set(), ports: new Set() };
    for (const item of items) {
      if (`${item.metadata.namespace}/${item.metadata.name}` === owner) continue;
      const s = specToFill<ServiceSpec>(item);
      for (const ip of s.clusterIPs ?? []) {
        const parsed = parseIP(ip);
        if (parsed && familyOf(parsed) === 'IPv4') used.ips.add(ipv4Number(parsed));
      }
      for (const p of s.ports ?? []) if (p.nodePort) used.ports.add(p.nodePort);
      if (s.healthCheckNodePort) used.ports.add(s.healthCheckNodePort);
    }
    const now = ctx.clock.now().getTime();
    for (const [kind, map] of [['ips', reserved.ips], ['ports', reserved.ports]] as const) {
      for (const [n, r] of map) {
        if (r.until <= now) map.delete(n);
        else if (r.owner !== owner) used[kind].add(n);
      }
    }
    return used;
  }

  const randomNumber = (ctx: OpContext) => parseInt(ctx.random.string(8, '0123456789abcdef'), 16);

  /** One allocation pass over a service: what it takes is marked used as it goes. */
  function allocator(a: BeginWrite, used: InUse, owner: string) {
    const until = a.ctx.clock.now().getTime() + RESERVATION_MS;
    const take = (kind: 'ips' | 'ports', n: number) => {
      used[kind].add(n);
      if (!a.dryRun) reserved[kind].set(n, { owner, until });
    };
    return {
      ip(requested: string): string {
        if (!requested) {
          const n = ips.range.next(used.ips, randomNumber(a.ctx));
          if (n === undefined) throw internalError(new Error('failed to allocate a serviceIP: range is full'));
          take('ips', n);
          return ipv4Text(n);
        }
        const parsed = parseIP(requested)!;
        const n = familyOf(parsed) === 'IPv4' ? ipv4Number(parsed) : -1;
        if (n < 0 || !ips.range.contains(n)) {
          throw new AllocationError(`the provided IP (${formatIP(parsed)}) is not in the valid range. The range of valid IPs is ${ips.text}`);
        }
        if (used.ips.has(n)) throw new AllocationError('provided IP is already allocated');
        take('ips', n);
        return requested;
      },
      port(requested: number): number {
        if (!requested) {
          const n = ports.range.next(used.ports, randomNumber(a.ctx));
          if (n === undefined) throw new AllocationError('range is full');
          take('ports', n);
          return n;
        }
        if (!ports.range.contains(requested)) {
          throw new AllocationError(`provided port is not in the valid range. The range of valid ports is ${ports.text}`);
        }
        if (used.ports.has(requested)) throw new AllocationError('provided port is already allocated');
        take('ports', requested);
        return requested;
      },
    };
  }

  const refuse = (name: string, errs: FieldError[]) => invalidObject('', 'Service', name, errs);

  /** allocClusterIPs: every family without an IP gets one; requested IPs must be free and in range. */
  function allocClusterIPs(s: ServiceSpec, alloc: ReturnType<typeof allocator>, name: string): void {
    if (s.type === 'ExternalName' || s.clusterIPs?.[0] === CLUSTER_IP_NONE) return;
    const clusterIPs = [...(s.clusterIPs ?? [])];
    (s.ipFamilies ?? []).forEach((_, i) => {
      if (i >= clusterIPs.length) clusterIPs.push('');
    });
    s.clusterIPs = clusterIPs;
    for (let i = 0; i < clusterIPs.length; i++) {
      const ip = clusterIPs[i]!;
      try {
        clusterIPs[i] = alloc.ip(ip);
      } catch (err) {
        if (!(err instanceof AllocationError)) throw err;
        throw refuse(name, [invalid('spec.clusterIPs', [...clusterIPs], `failed to allocate IP ${ip}: ${err.message}`)]);
      }
      if (i === 0) s.clusterIP = clusterIPs[0];
    }
  }

  const nodePortError = (name: string, i: number, np: number, err: unknown) => {
    if (!(err instanceof AllocationError)) return err;
    return refuse(name, [invalid(`spec.ports[${i}].nodePort`, np, err.message)]);
  };

  /** initNodePorts: requested node ports are taken, the others allocated; one node port per service port number. */
  function initNodePorts(s: ServiceSpec, alloc: ReturnType<typeof allocator>, name: string): void {
    const byPort = new Map<number, number>();
    const list = s.ports ?? [];
    list.forEach((p, i) => {
      if (!p.nodePort && !shouldAllocateNodePorts(s)) return;
      const port = p.port ?? 0;
      const allocated = byPort.get(port);
      if (allocated === undefined) {
        const requested = list.find((q) => (q.port ?? 0) === port && q.nodePort)?.nodePort ?? 0;
        try {
          p.nodePort = requested ? alloc.port(requested) : alloc.port(0);
        } catch (err) {
          if (!requested) throw internalError(new Error(`failed to allocate a nodePort: ${(err as Error).message}`));
          throw nodePortError(name, i, requested, err);
        }
        byPort.set(port, p.nodePort);
      } else if (p.nodePort !== allocated) {
        if (!p.nodePort) p.nodePort = allocated;
        else {
          try {
            alloc.port(p.nodePort);
          } catch (err) {
            throw nodePortError(name, i, p.nodePort, err);
          }
        }
      }
    });
  }

  /** updateNodePorts: new node ports must be free; missing ones are allocated. */
  function updateNodePorts(s: ServiceSpec, old: ServiceSpec, alloc: ReturnType<typeof allocator>, name: string): void {
    const oldPorts = new Set((old.ports ?? []).map((p) => p.nodePort ?? 0).filter((n) => n));
    const taken = new Set<number>();
    (s.ports ?? []).forEach((p, i) => {
      if (!p.nodePort && !shouldAllocateNodePorts(s)) return;
      if (p.nodePort) {
        if (oldPorts.has(p.nodePort) || taken.has(p.nodePort)) return;
        try {
          alloc.port(p.nodePort);
        } catch (err) {
          throw nodePortError(name, i, p.nodePort, err);
        }
        taken.add(p.nodePort);
      } else {
        try {
          p.nodePort = alloc.port(0);
        } catch (err) {
          throw internalError(new Error(`failed to allocate a nodePort: ${(err as Error).message}`));
        }
      }
    });
  }

  function allocHealthCheckNodePort(s: ServiceSpec, alloc: ReturnType<typeof allocator>): void {
    const requested = s.healthCheckNodePort ?? 0;
    try {
      s.healthCheckNodePort = alloc.port(requested);
    } catch (err) {
      const msg = requested
        ? `failed to allocate requested HealthCheck NodePort ${requested}: ${(err as Error).message}`
        : `failed to allocate a HealthCheck NodePort 0: ${(err as Error).message}`;
      throw internalError(new Error(msg));
    }
  }

  return async (a) => {
      if (a.subresource !== '') return;
      const obj: KubeObject = a.object;
      const s = specToFill<ServiceSpec>(obj);
      const name = obj.metadata.name ?? obj.metadata.generateName ?? '';
      const owner = obj.metadata.name ? `${a.namespace}/${obj.metadata.name}` : `?${++anonymous}`;
      const old = a.operation === 'UPDATE' && a.oldObject ? specToFill<ServiceSpec>(structuredClone(a.oldObject)) : undefined;

      if (old) {
        patchAllocatedValues(s, old);
        normalizeClusterIPs(old, s);
      } else {
        normalizeClusterIPs(undefined, s);
      }
      const errs = initIPFamilyFields(s, old);
      if (errs.length) throw refuse(name, errs);

      const used = await inUse(a, owner);
      const alloc = allocator(a, used, owner);
      if (!old) {
        allocClusterIPs(s, alloc, name);
        if (needsNodePort(s)) initNodePorts(s, alloc, name);
        if (needsHealthCheck(s)) allocHealthCheckNodePort(s, alloc);
        return;
      }
      if (!matchingPreferDualStack(s, old) && old.type === 'ExternalName' && s.type !== 'ExternalName') allocClusterIPs(s, alloc, name);
      if (needsNodePort(s)) updateNodePorts(s, old, alloc, name);
      if (needsHealthCheck(s) && !needsHealthCheck(old)) allocHealthCheckNodePort(s, alloc);
  };
}
