// The server's identity Lease (KEP-1965, kube-apiserver's start-kube-apiserver-identity-lease-*
// post-start hooks): every server keeps a Lease in kube-system named `apiserver-<hash>`, labelled
// apiserver.kubernetes.io/identity=kube-apiserver and kubernetes.io/hostname, renewed every 10 s
// with leaseDurationSeconds 3600 (component-helpers' lease controller: the Lease is created once,
// then only its renewTime and duration change). Every server also deletes the identity Leases
// whose renewTime is more than their duration ago, once an hour (apiserverleasegc).
//
// The name hashes the host name upstream; several Badge servers may share a host, so Badge hashes
// the server's node name (--node-name, by default the host name) and labels the Lease with it.
import { createHash } from 'node:crypto';
import type { Clock, Random } from '../api/clock.js';
import { isNotFound } from '../api/errors.js';
import type { Lease } from '../api/kinds.js';
import { formatMicroTime } from '../api/meta.js';
import { R, type Client } from '../client/client.js';

export const IDENTITY_LEASE_LABEL = 'apiserver.kubernetes.io/identity';
export const KUBE_APISERVER = 'kube-apiserver';
export const IDENTITY_LEASE_DURATION_SECONDS = 3600;
const RENEW_INTERVAL_MS = 10_000;
const GC_PERIOD_MS = 3600_000;
const NAMESPACE = 'kube-system';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** base32.StdEncoding without padding, lower case. */
function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** A uint16 length, then the bytes (cryptobyte's AddUint16LengthPrefixed). */
function lengthPrefixed(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(bytes.length);
  return Buffer.concat([len, bytes]);
}

/** The APIServerID: `apiserver-` and the first 16 bytes of sha256(host, "kube-apiserver") in base32. */
export function apiServerId(host: string): string {
  const hash = createHash('sha256').update(Buffer.concat([lengthPrefixed(host), lengthPrefixed(KUBE_APISERVER)])).digest();
  return `apiserver-${base32(hash.subarray(0, 16))}`;
}

export interface IdentityLeaseDeps {
  client: Client;
  clock: Clock;
  random: Random;
  /** The node name this server runs under (the host name by default). */
  host: string;
  renewIntervalMs?: number;
  gcPeriodMs?: number;
}

const expired = (l: Lease, now: Date) =>
  !l.spec?.renewTime || l.spec.leaseDurationSeconds === undefined || Date.parse(l.spec.renewTime) + l.spec.leaseDurationSeconds * 1000 < now.getTime();

export function apiServerIdentity(deps: IdentityLeaseDeps) {
  const { client, clock, host } = deps;
  const name = apiServerId(host);
  const holderIdentity = `${name}_${deps.random.uuid()}`;
  const timers: NodeJS.Timeout[] = [];

  /** Renews the Lease, or creates it (labelAPIServerHeartbeatFunc sets the labels each time). */
  async function renew(): Promise<void> {
    const labelled = (l: Lease): Lease => ({
      ...l,
      metadata: { ...l.metadata, labels: { ...l.metadata.labels, [IDENTITY_LEASE_LABEL]: KUBE_APISERVER, 'kubernetes.io/hostname': host } },
      spec: { ...l.spec, leaseDurationSeconds: IDENTITY_LEASE_DURATION_SECONDS, renewTime: formatMicroTime(clock.now()) },
    });
    try {
      await client.mutate(R.leases, NAMESPACE, name, labelled);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await client.create(R.leases, NAMESPACE, labelled({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: NAMESPACE }, spec: { holderIdentity } }));
    }
  }

  /** Deletes the identity Leases that expired, each read again first (another server may have renewed or deleted it). */
  async function gc(): Promise<void> {
    const { items } = await client.list(R.leases, NAMESPACE, { labelSelector: `${IDENTITY_LEASE_LABEL}=${KUBE_APISERVER}` });
    for (const cached of items) {
      if (!expired(cached, clock.now())) continue;
      try {
        const lease = await client.get(R.leases, NAMESPACE, cached.metadata.name!);
        if (expired(lease, clock.now())) await client.delete(R.leases, NAMESPACE, lease.metadata.name!);
      } catch (err) {
        if (!isNotFound(err)) console.error(`badge: apiserver lease gc: ${(err as Error).message}`);
      }
    }
  }

  const every = (ms: number, fn: () => Promise<void>, what: string) => {
    const t = setInterval(() => void fn().catch((err) => console.error(`badge: ${what}: ${(err as Error).message}`)), ms);
    t.unref();
    timers.push(t);
  };

  return {
    name,
    async start() {
      await renew().catch((err) => console.error(`badge: apiserver identity lease: ${(err as Error).message}`));
      await gc().catch((err) => console.error(`badge: apiserver lease gc: ${(err as Error).message}`));
      every(deps.renewIntervalMs ?? RENEW_INTERVAL_MS, renew, 'apiserver identity lease');
      every(deps.gcPeriodMs ?? GC_PERIOD_MS, gc, 'apiserver lease gc');
    },
    stop() {
      for (const t of timers.splice(0)) clearInterval(t);
    },
    renew,
    gc,
  };
}
