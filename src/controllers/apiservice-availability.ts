// The Available condition of APIServices, as kube-aggregator's availability controllers keep it
// (pkg/controllers/status/local and remote, 1.32): a Local one is always available; one served by
// a Service is available when the Service exists, listens on the port, has endpoints with an
// address on that port's name, and answers a GET of its discovery document /apis/<group>/<version>
// (any of five attempts, each within 5 s) with a 2xx. Checked again every 30 s and whenever its
// Service or Endpoints change, with upstream's reasons and messages.
import { localAvailable, withCondition, type APIService, type APIServiceCondition } from '../api/apiservices.js';
import type { Clock } from '../api/clock.js';
import { isNotFound } from '../api/errors.js';
import type { Service } from '../api/kinds.js';
import { deepEqual, formatTime } from '../api/meta.js';
import { R, type Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { WorkQueue } from '../client/queue.js';

/**
 * GETs `path` from the server behind an APIService's Service, as the system:kube-aggregator user in
 * system:masters; answers the status code, or rejects with why there was no answer (Go's client
 * error after the URL: `dial tcp …: connect: connection refused`).
 */
export type DiscoveryProbe = (apiService: APIService, path: string) => Promise<number>;

export interface ApiServiceAvailabilityDeps {
  client: Client;
  informers: InformerFactory;
  clock: Clock;
  /** The discovery check; none: skipped (the Service and its endpoints decide). */
  probe?: DiscoveryProbe;
  /** Between checks of one APIService (upstream's resync: 30 s). */
  resyncMs?: number;
}

const ATTEMPTS = 5;

type Verdict = Omit<APIServiceCondition, 'type' | 'lastTransitionTime'>;

const condition = (status: string, reason: string, message: string): Verdict => ({ status, reason, message });

/** The discovery check's URL as the cluster IP resolver gives it, and its path. */
function discoveryTarget(s: APIService, service: Service): { url: string; path: string } {
  const { group = '', version = '' } = s.spec ?? {};
  const path = s.metadata.name === 'v1.' ? `/api/${version}` : `/apis/${group}/${version}`;
  const host = service.spec?.type === 'ExternalName' ? service.spec.externalName : service.spec?.clusterIP;
  return { url: `https://${host}:${s.spec?.service?.port ?? 443}${path}`, path };
}

/** Upstream's checks in order; the first that fails decides. */
export async function checkAvailability(s: APIService, service: Service | undefined, endpoints: { subsets?: { addresses?: unknown[]; ports?: { name?: string }[] }[] } | undefined, probe?: DiscoveryProbe): Promise<Verdict> {
  const { namespace = '', name = '', port = 443 } = s.spec?.service ?? {};
  const ns = JSON.stringify(namespace);
  if (!service) return condition('False', 'ServiceNotFound', `service/${name} in ${ns} is not present`);
  if ((service.spec?.type ?? 'ClusterIP') === 'ClusterIP') {
    const servicePort = service.spec?.ports?.find((p) => p.port === port);
    if (!servicePort) return condition('False', 'ServicePortError', `service/${name} in ${ns} is not listening on port ${port}`);
    if (!endpoints) return condition('False', 'EndpointsNotFound', `cannot find endpoints for service/${name} in ${ns}`);
    const portName = servicePort.name ?? '';
    const active = (endpoints.subsets ?? []).some((subset) => (subset.addresses ?? []).length > 0 && (subset.ports ?? []).some((p) => (p.name ?? '') === portName));
    if (!active) return condition('False', 'MissingEndpoints', `endpoints for service/${name} in ${ns} have no addresses with port name ${JSON.stringify(portName)}`);
  }
  if (probe) {
    const { url, path } = discoveryTarget(s, service);
    const attempt = async (): Promise<string | undefined> => {
      try {
        const code = await probe(s, path);
        return code >= 200 && code < 300 ? undefined : `failing or missing response from ${url}: bad status from ${url}: ${code}`;
      } catch (err) {
        return `failing or missing response from ${url}: Get ${JSON.stringify(url)}: ${(err as Error).message}`;
      }
    };
    const failures = await Promise.all(Array.from({ length: ATTEMPTS }, attempt));
    if (failures.every((f) => f !== undefined)) return condition('False', 'FailedDiscoveryCheck', failures[ATTEMPTS - 1]!);
  }
  return condition('True', 'Passed', 'all checks passed');
}

export function apiServiceAvailability(deps: ApiServiceAvailabilityDeps) {
  const client = deps.client.withFieldManager('kube-apiserver');
  const apiServices = deps.informers.forResource(R.apiservices);
  const services = deps.informers.forResource(R.services);
  const endpoints = deps.informers.forResource(R.endpoints);
  const resyncMs = deps.resyncMs ?? 30_000;
  const queue = new WorkQueue('apiservice-availability', reconcile, 5, 30_000);
  /** The conditions last written, by name: the update that brings them back is no reason to check again. */
  const written = new Map<string, APIServiceCondition[]>();
  let resync: NodeJS.Timeout | undefined;

  async function reconcile(name: string): Promise<void> {
    const cached = apiServices.get('', name);
    if (!cached) return;
    const ref = cached.spec?.service;
    const now = formatTime(deps.clock.now());
    let next: APIServiceCondition;
    if (!ref) next = localAvailable(now);
    else {
      const verdict = await checkAvailability(cached, services.get(ref.namespace ?? '', ref.name ?? ''), endpoints.get(ref.namespace ?? '', ref.name ?? ''), deps.probe);
      next = { type: 'Available', ...verdict, lastTransitionTime: now };
    }
    // The check took time: write over what is current then, if it still is this APIService.
    const current = apiServices.get('', name);
    if (!current || current.metadata.uid !== cached.metadata.uid) return;
    const conditions = withCondition(current.status?.conditions, next);
    if (deepEqual(conditions, current.status?.conditions)) return;
    written.set(name, conditions);
    try {
      await client.update(R.apiservices, '', { ...structuredClone(current), status: { ...current.status, conditions } }, 'status');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** The APIServices a Service's (or its Endpoints') change may decide. */
  const enqueueFor = (o: { metadata: { namespace?: string; name?: string } }) => {
    for (const s of apiServices.list()) {
      const ref = s.spec?.service;
      if (ref && ref.namespace === o.metadata.namespace && ref.name === o.metadata.name) queue.add(s.metadata.name!);
    }
  };
  const watchOf = { add: enqueueFor, update: (_: unknown, o: { metadata: { namespace?: string; name?: string } }) => enqueueFor(o), delete: enqueueFor };

  return {
    async start() {
      deps.informers.start();
      await Promise.all([apiServices.waitForSync(), services.waitForSync(), endpoints.waitForSync()]);
      apiServices.on({
        add: (s) => queue.add(s.metadata.name!),
        update: (old, s) => {
          if (!deepEqual(old.spec, s.spec) || !deepEqual(s.status?.conditions, written.get(s.metadata.name!))) queue.add(s.metadata.name!);
        },
        delete: (s) => written.delete(s.metadata.name!),
      });
      services.on(watchOf);
      endpoints.on(watchOf);
      // Something outside the API (a backend that stopped answering) changes availability too.
      resync = setInterval(() => {
        for (const s of apiServices.list()) if (s.spec?.service) queue.add(s.metadata.name!);
      }, resyncMs);
      resync.unref();
    },
    stop: () => {
      clearInterval(resync);
      queue.stop();
    },
  };
}
