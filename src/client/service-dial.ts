// Reaching a Service from the API server, as kube-apiserver reaches webhooks and aggregated APIs
// with endpoint routing (k8s.io/apiserver/pkg/util/proxy ResolveEndpoint): the Service's port is
// found by number, the Endpoints' subsets give the addresses that serve that port's name, and one
// of them is chosen at random. An address backed by a Pod is reached through the node agent's port
// forwarding (a process-runtime pod listens on the host's network); any other address by TCP.
// What the caller gets is the raw byte stream: TLS and HTTP are the caller's.
import { connect } from 'node:net';
import { Duplex } from 'node:stream';
import { ApiError, isNotFound, serviceUnavailable } from '../api/errors.js';
import { dialError } from '../api/go-net.js';
import type { PodStreams } from '../api/node-streams.js';
import { R, type Client } from './client.js';

/** A byte stream to one endpoint of the Service's `port` (its port number, not the target port). */
export type ServiceDialer = (namespace: string, name: string, port: number) => Promise<Duplex>;

export interface ServiceDialDeps {
  client: Client;
  /** The node agent, once it runs. */
  podStreams: () => PodStreams | undefined;
  random?: () => number;
}

interface Target {
  ip: string;
  port: number;
  pod?: { namespace: string; name: string };
}

/** The endpoints serving `port` of the Service, or an ApiError with ResolveEndpoints' text. */
export async function resolveEndpoints(client: Client, namespace: string, name: string, port: number): Promise<Target[]> {
  const svc = await client.get(R.services, namespace, name).catch((err) => {
    throw isNotFound(err) ? new ApiError(404, 'NotFound', `service "${name}" not found`, { name, kind: 'service' }) : err;
  });
  const svcPort = svc.spec?.ports?.find((p) => p.port === port);
  if (!svcPort) throw serviceUnavailable(`no service port ${port} found for service "${name}"`);
  const type = svc.spec?.type ?? 'ClusterIP';
  if (type !== 'ClusterIP' && type !== 'LoadBalancer' && type !== 'NodePort') throw new Error(`unsupported service type "${type}"`);
  const eps = await client.get(R.endpoints, namespace, name).catch((err) => {
    throw isNotFound(err) ? new ApiError(404, 'NotFound', `endpoints "${name}" not found`, { name, kind: 'endpoints' }) : err;
  });
  const targets: Target[] = [];
  for (const subset of eps.subsets ?? []) {
    for (const p of subset.ports ?? []) {
      if ((p.name ?? '') !== (svcPort.name ?? '')) continue;
      for (const a of subset.addresses ?? []) {
        const ref = a.targetRef;
        const pod = ref?.kind === 'Pod' && ref.name ? { namespace: ref.namespace ?? namespace, name: ref.name } : undefined;
        targets.push({ ip: a.ip, port: p.port, ...(pod ? { pod } : {}) });
      }
    }
  }
  if (!targets.length) throw serviceUnavailable(`no endpoints available for service "${name}"`);
  return targets;
}

export function serviceDialer(deps: ServiceDialDeps): ServiceDialer {
  const random = deps.random ?? Math.random;
  return async (namespace, name, port) => {
    const targets = await resolveEndpoints(deps.client, namespace, name, port);
    const t = targets[Math.floor(random() * targets.length)];
    return t.pod ? dialPod(deps.podStreams(), t.pod, t.port, address(t)) : dialTcp(t.ip, t.port);
  };
}

const address = (t: Target) => (t.ip.includes(':') ? `[${t.ip}]:${t.port}` : `${t.ip}:${t.port}`);

function dialTcp(host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.off('error', onError);
      resolve(s);
    });
    const onError = (err: Error) => reject(new Error(dialError('tcp', `${host.includes(':') ? `[${host}]` : host}:${port}`, err)));
    s.once('error', onError);
  });
}

/**
 * A stream to the pod's port through the node agent. A failure to reach the port (nothing listens
 * there, the pod is not running here, the runtime runs no processes) destroys the stream with the
 * error kube-apiserver's dial of the pod IP meets: nothing answers there.
 */
async function dialPod(streams: PodStreams | undefined, pod: { namespace: string; name: string }, port: number, addr: string): Promise<Duplex> {
  const refused = () => new Error(dialError('tcp', addr, { code: 'ECONNREFUSED' }));
  if (!streams) throw refused();
  const forward = await streams.portForward(pod.namespace, pod.name).catch(() => {
    throw refused();
  });
  const [mine, theirs] = duplexPair();
  forward(port, theirs).then(
    () => theirs.end(),
    () => mine.destroy(refused()),
  );
  return mine;
}

/** Two connected Duplex streams: what is written to one is read from the other, with backpressure. */
export function duplexPair(): [Duplex, Duplex] {
  const a = new PairSide();
  const b = new PairSide();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

class PairSide extends Duplex {
  peer!: PairSide;
  /** The callback of a write the peer has not read yet. */
  private waiting?: () => void;

  override _read(): void {
    const cb = this.peer.waiting;
    this.peer.waiting = undefined;
    cb?.();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.peer.destroyed) return cb(new Error('write after the other side closed'));
    if (this.peer.push(chunk)) cb();
    else this.waiting = cb;
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.peer.push(null);
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
    if (!this.peer.destroyed) this.peer.destroy();
    cb(err);
  }
}
