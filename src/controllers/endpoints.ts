// The Endpoints controller (pkg/controller/endpoint): for each Service with a selector, an
// Endpoints object of the same name listing the pods it selects, ready ones under `addresses` and
// the others under `notReadyAddresses`, packed into subsets by the ports they serve
// (RepackSubsets), at most 1,000 addresses (then annotated over-capacity). Its labels are the
// Service's (and the headless label); it goes when the Service goes. Services without a selector
// keep the Endpoints their owners write. The last-change-trigger-time annotation is not written.
import type { EndpointAddress, EndpointPort, EndpointSubset } from 'kubernetes-types/core/v1.js';
import type { Endpoints, Pod, Service } from '../api/kinds.js';
import { isNotFound } from '../api/errors.js';
import { deepEqual } from '../api/meta.js';
import { R, type Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { waitForSync } from '../client/informer.js';
import { keyOf } from '../client/object-cache.js';
import { WorkQueue } from '../client/queue.js';
import { isPodReady, isTerminal, splitKey } from './controller-utils.js';
import { endpointPort, findPort, hostnameFor, isIPv6, podIPsOf, selectorOf, selects } from './service-pods.js';

const HEADLESS_LABEL = 'service.kubernetes.io/headless';
const OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity';
/** Endpoints of kube-controller-manager's leader election (older clusters) are not the controller's. */
const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';
export const MAX_ENDPOINT_ADDRESSES = 1000;

export interface EndpointsControllerDeps {
  client: Client;
  informers: InformerFactory;
}

/** ShouldPodBeInEndpoints: not finished, with an IP, and not terminating unless not-ready pods are published. */
const inEndpoints = (pod: Pod, publishNotReady: boolean) => !isTerminal(pod) && podIPsOf(pod).length > 0 && (publishNotReady || !pod.metadata.deletionTimestamp);

/** The pod's address of the Service's (first) IP family. */
function addressFor(svc: Service, pod: Pod): EndpointAddress | undefined {
  const family = svc.spec?.ipFamilies?.[0] ?? 'IPv4';
  const ip = podIPsOf(pod).find((a) => isIPv6(a) === (family === 'IPv6'));
  if (!ip) return undefined;
  const hostname = hostnameFor(svc, pod);
  return {
    ip,
    ...(hostname ? { hostname } : {}),
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
}

const addressKey = (a: EndpointAddress) => `${a.ip}/${a.targetRef?.uid ?? ''}`;
const portKey = (p: EndpointPort) => JSON.stringify([p.name ?? '', p.port, p.protocol ?? 'TCP', p.appProtocol ?? '']);

/**
 * RepackSubsets: addresses that serve the same set of ports share a subset; an address ready for
 * one port is ready. Ordered: addresses by IP, then pod uid; ports by name; subsets by their first address.
 */
export function repackSubsets(entries: { address: EndpointAddress; ready: boolean; port?: EndpointPort }[]): EndpointSubset[] {
  const addresses = new Map<string, { address: EndpointAddress; ready: boolean; ports: Map<string, EndpointPort> }>();
  for (const { address, ready, port } of entries) {
    const key = addressKey(address);
    const a = addresses.get(key) ?? { address, ready: false, ports: new Map() };
    a.ready ||= ready;
    if (port) a.ports.set(portKey(port), port);
    addresses.set(key, a);
  }
  const subsets = new Map<string, EndpointSubset>();
  for (const a of addresses.values()) {
    const ports = [...a.ports.values()].sort((x, y) => (x.name ?? '').localeCompare(y.name ?? '') || x.port - y.port);
    const key = JSON.stringify(ports.map(portKey));
    const s = subsets.get(key) ?? { ...(ports.length ? { ports } : {}) };
    const list = a.ready ? (s.addresses ??= []) : (s.notReadyAddresses ??= []);
    list.push(a.address);
    subsets.set(key, s);
  }
  const byAddress = (x: EndpointAddress, y: EndpointAddress) => compareIPs(x.ip, y.ip) || (x.targetRef?.uid ?? '').localeCompare(y.targetRef?.uid ?? '');
  const first = (s: EndpointSubset) => (s.addresses ?? s.notReadyAddresses)![0]!;
  const result = [...subsets.values()];
  for (const s of result) {
    s.addresses?.sort(byAddress);
    s.notReadyAddresses?.sort(byAddress);
  }
  return result.sort((x, y) => byAddress(first(x), first(y)));
}

/** IPs in numeric order (10.244.0.10 after 10.244.0.9). */
function compareIPs(a: string, b: string): number {
  const pa = a.split(/[.:]/).map((p) => parseInt(p || '0', isIPv6(a) ? 16 : 10));
  const pb = b.split(/[.:]/).map((p) => parseInt(p || '0', isIPv6(b) ? 16 : 10));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return a.localeCompare(b);
}

/** truncateEndpoints: at most 1,000 addresses, ready ones first. Answers whether any were dropped. */
function truncate(subsets: EndpointSubset[]): boolean {
  let room = MAX_ENDPOINT_ADDRESSES;
  const total = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0), 0);
  if (total <= room) return false;
  for (const field of ['addresses', 'notReadyAddresses'] as const) {
    for (const s of subsets) {
      const list = s[field];
      if (!list) continue;
      list.splice(room);
      room -= list.length;
      if (!list.length) delete s[field];
    }
  }
  return true;
}

export function endpointsController({ client, informers }: EndpointsControllerDeps) {
  const services = informers.forResource(R.services);
  const pods = informers.forResource(R.pods);
  const endpoints = informers.forResource(R.endpoints);
  const queue = new WorkQueue('endpoint', syncService, 50, 30_000);

  /** The Services selecting a pod (as it is now or was before). */
  function podChanged(...versions: Pod[]): void {
    for (const svc of services.list(versions[0]!.metadata.namespace ?? '')) {
      const selector = selectorOf(svc);
      if (selector && versions.some((p) => selects(selector, p))) queue.add(keyOf(svc));
    }
  }

  async function syncService(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const svc = services.get(ns, name);
    if (!svc) {
      // The Service is gone: so are its Endpoints (as upstream, whoever wrote them).
      const current = endpoints.get(ns, name);
      if (current && !current.metadata.annotations?.[LEADER_ANNOTATION]) {
        await client.delete(R.endpoints, ns, name, { preconditions: { uid: current.metadata.uid } }).catch((err) => {
          if (!isNotFound(err) && (err as { code?: number }).code !== 409) throw err;
        });
      }
      return;
    }
    const selector = selectorOf(svc);
    if (!selector || svc.metadata.deletionTimestamp) return;
    const publishNotReady = !!svc.spec?.publishNotReadyAddresses;
    const entries: Parameters<typeof repackSubsets>[0] = [];
    for (const pod of pods.list(ns)) {
      if (!selects(selector, pod) || !inEndpoints(pod, publishNotReady)) continue;
      const address = addressFor(svc, pod);
      if (!address) continue;
      const ready = publishNotReady || isPodReady(pod);
      const ports = svc.spec?.ports ?? [];
      // A headless Service without ports still lists its pods.
      if (!ports.length && svc.spec?.clusterIP === 'None') entries.push({ address, ready });
      for (const sp of ports) {
        const port = findPort(pod, sp);
        if (port !== undefined) entries.push({ address, ready, port: endpointPort(sp, port) });
      }
    }
    const subsets = repackSubsets(entries);
    const overCapacity = truncate(subsets);
    const labels: Record<string, string> = { ...svc.metadata.labels };
    delete labels[HEADLESS_LABEL];
    if (svc.spec?.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
    const current = endpoints.get(ns, name);
    const annotations = { ...current?.metadata.annotations };
    if (overCapacity) annotations[OVER_CAPACITY] = 'truncated';
    else delete annotations[OVER_CAPACITY];
    if (current && deepEqual(current.subsets ?? [], subsets) && deepEqual(current.metadata.labels ?? {}, labels) && deepEqual(current.metadata.annotations ?? {}, annotations)) return;
    const metadata = { ...current?.metadata, name, namespace: ns, labels, ...(Object.keys(annotations).length ? { annotations } : {}) };
    if (!Object.keys(annotations).length) delete metadata.annotations;
    const next: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata, ...(subsets.length ? { subsets } : {}) };
    if (current) await client.update(R.endpoints, ns, next);
    else await client.create(R.endpoints, ns, next);
  }

  return {
    async start() {
      informers.start();
      await Promise.all([waitForSync(services), waitForSync(pods), waitForSync(endpoints)]);
      services.on({ add: (s) => queue.add(keyOf(s)), update: (_, s) => queue.add(keyOf(s)), delete: (s) => queue.add(keyOf(s)) });
      pods.on({ add: (p) => podChanged(p), update: (old, p) => podChanged(old, p), delete: (p) => podChanged(p) });
      services.list().forEach((s) => queue.add(keyOf(s)));
      // checkLeftoverEndpoints: Endpoints whose Service went while the controller was not running.
      for (const e of endpoints.list()) if (!services.get(e.metadata.namespace ?? '', e.metadata.name!)) queue.add(keyOf(e));
    },
    stop() {
      queue.stop();
    },
  };
}
