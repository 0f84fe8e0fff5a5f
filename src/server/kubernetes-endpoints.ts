// The `kubernetes` Service's Endpoints list every live server, kept as kube-apiserver's lease
// endpoint reconciler keeps them (pkg/controlplane/reconcilers/lease.go): every 10 s each server
// writes its own key under /registry/masterleases/ with a TTL of 15 s (an Endpoints holding its
// address), lists the keys there, and rewrites default/kubernetes when its addresses differ
// (labelled endpointslice.kubernetes.io/skip-mirror, so no EndpointSlice mirrors it). A server
// that stops removes its key and reconciles; one that dies drops out when its key expires. An
// empty list is taken for a fault, not for "no servers": the Endpoints are then left as they are
// (so the last server to stop leaves its own address behind, as upstream does).
//
// Upstream keys the lease by IP alone: every kube-apiserver listens on the same port of its own
// machine. Several Badge servers may share a machine (127.0.0.1) on different ports, so the key is
// `<ip>:<port>`, the lease carries the port, and the Endpoints have one subset per port.
import { isNotFound } from '../api/errors.js';
import type { Endpoints } from '../api/kinds.js';
import { deepEqual } from '../api/meta.js';
import { R, type Client } from '../client/client.js';
import type { Storage } from '../storage/storage.js';

export const MASTER_LEASES_PREFIX = '/registry/masterleases/';
/** DefaultEndpointReconcilerTTL */
export const ENDPOINT_RECONCILER_TTL_SECONDS = 15;
/** DefaultEndpointReconcilerInterval */
export const ENDPOINT_RECONCILER_INTERVAL_MS = 10_000;
const SERVICE = 'kubernetes';
const SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';

export interface KubernetesEndpointsDeps {
  storage: Storage;
  client: Client;
  /** Where this server is reached. */
  ip: string;
  port: number;
  intervalMs?: number;
  ttlSeconds?: number;
}

interface Master {
  ip: string;
  port: number;
}

type Subsets = NonNullable<Endpoints['subsets']>;

const hostPort = (m: Master) => (m.ip.includes(':') ? `[${m.ip}]:${m.port}` : `${m.ip}:${m.port}`);

/** One subset per port, its addresses in order (RepackSubsets groups addresses by their ports). */
function subsetsOf(masters: Master[]): Subsets {
  const ports = [...new Set(masters.map((m) => m.port))].sort((a, b) => a - b);
  return ports.map((port) => ({
    addresses: [...new Set(masters.filter((m) => m.port === port).map((m) => m.ip))].sort().map((ip) => ({ ip })),
    ports: [{ name: 'https', port, protocol: 'TCP' }],
  }));
}

export function kubernetesEndpoints(deps: KubernetesEndpointsDeps) {
  const { storage, client } = deps;
  const self: Master = { ip: deps.ip, port: deps.port };
  const key = MASTER_LEASES_PREFIX + hostPort(self);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  /** Reconciles run one at a time (reconcilingLock). */
  let tail: Promise<unknown> = Promise.resolve();

  /** UpdateLease: writes this server's key again (generation + 1), which restarts its TTL. */
  async function updateLease(): Promise<void> {
    const opts = { ttlSeconds: deps.ttlSeconds ?? ENDPOINT_RECONCILER_TTL_SECONDS };
    for (;;) {
      const cur = await storage.get(key);
      const generation = cur ? (((JSON.parse(cur.value) as Endpoints).metadata?.generation ?? 0) + 1) : 1;
      const value = JSON.stringify({ kind: 'Endpoints', apiVersion: 'v1', metadata: { generation }, subsets: subsetsOf([self]) });
      if (!cur) {
        if (await storage.create(key, value, opts)) return;
      } else if ((await storage.update(key, value, cur.modRevision, opts)).succeeded) return;
    }
  }

  /** ListLeases: the servers whose keys have not expired. */
  async function listLeases(): Promise<Master[]> {
    const { kvs } = await storage.list(MASTER_LEASES_PREFIX);
    return kvs.flatMap((kv) => {
      const subset = (JSON.parse(kv.value) as Endpoints).subsets?.[0];
      const ip = subset?.addresses?.[0]?.ip;
      return ip ? [{ ip, port: subset?.ports?.[0]?.port ?? self.port }] : [];
    });
  }

  async function doReconcile(): Promise<void> {
    let current: Endpoints | undefined;
    try {
      current = await client.get(R.endpoints, 'default', SERVICE);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const masters = await listLeases();
    if (!masters.length) throw new Error('no master IPs were listed in storage, refusing to erase all endpoints for the kubernetes service');
    const subsets = subsetsOf(masters);
    if (current && current.metadata.labels?.[SKIP_MIRROR] === 'true' && deepEqual(current.subsets ?? [], subsets)) return;
    if (!current) {
      try {
        await client.create(R.endpoints, 'default', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: SERVICE, namespace: 'default', labels: { [SKIP_MIRROR]: 'true' } }, subsets });
      } catch (err) {
        if ((err as { code?: number }).code !== 409) throw err;
      }
      return;
    }
    await client.update(R.endpoints, 'default', { ...current, metadata: { ...current.metadata, labels: { ...current.metadata.labels, [SKIP_MIRROR]: 'true' } }, subsets });
  }

  /** Runs `work` after the reconciles before it, whatever became of them. */
  function serially(work: () => Promise<void>): Promise<void> {
    const run = tail.then(work);
    tail = run.catch(() => undefined);
    return run;
  }

  /** ReconcileEndpoints: this server's key first, whatever happens next, so that the others list it. */
  const reconcile = () =>
    serially(async () => {
      if (stopped) return;
      await updateLease();
      await doReconcile();
    });

  const logged = (p: Promise<void>) => p.catch((err) => console.error(`badge: kubernetes endpoints: ${(err as Error).message}`));

  return {
    async start() {
      await logged(reconcile());
      timer = setInterval(() => void logged(reconcile()), deps.intervalMs ?? ENDPOINT_RECONCILER_INTERVAL_MS);
      timer.unref();
    },
    /** StopReconciling, then RemoveEndpoints: this server's key goes, and the Endpoints follow. */
    async stop() {
      clearInterval(timer);
      await logged(
        serially(async () => {
          stopped = true;
          const cur = await storage.get(key);
          if (cur) await storage.delete(key, cur.modRevision);
          // The last server leaves its address (upstream refuses to erase them all, and says so).
          if ((await listLeases()).length) await doReconcile();
        }),
      );
    },
    reconcile,
  };
}
