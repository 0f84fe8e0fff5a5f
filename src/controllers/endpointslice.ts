// The EndpointSlice controller (pkg/controller/endpointslice): for each Service with a selector,
// slices of at most 100 endpoints listing the addresses, conditions and ports of the pods it
// selects, grouped by the ports the pods resolve. The Service owns its slices, so the garbage
// collector removes them with it. Topology hints are not set.
import type { EndpointPort, Endpoint } from 'kubernetes-types/discovery/v1.js';
import type { EndpointSlice, Pod, Service } from '../api/kinds.js';
import { deepEqual } from '../api/meta.js';
import { R, type Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { waitForSync } from '../client/informer.js';
import { keyOf } from '../client/object-cache.js';
import { WorkQueue } from '../client/queue.js';
import { isPodReady, isTerminal, newControllerRef, splitKey } from './controller-utils.js';
import { endpointPort, findPort, hostnameFor, isIPv6, podIPsOf, selectorOf, selects } from './service-pods.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
const HEADLESS_LABEL = 'service.kubernetes.io/headless';
const ZONE_LABEL = 'topology.kubernetes.io/zone';
/** --max-endpoints-per-slice */
export const MAX_ENDPOINTS_PER_SLICE = 100;

export interface EndpointSliceControllerDeps {
  client: Client;
  informers: InformerFactory;
  maxEndpointsPerSlice?: number;
}

/** getEndpointPorts: the Service's ports as this pod serves them (ports it lacks are left out). */
function endpointPorts(svc: Service, pod: Pod): EndpointPort[] {
  return (svc.spec?.ports ?? []).flatMap((sp) => {
    const port = findPort(pod, sp);
    return port === undefined ? [] : [endpointPort(sp, port)];
  });
}

/** podToEndpoint: the pod's addresses of the slice's family, its conditions, node, zone and reference. */
function podToEndpoint(svc: Service, pod: Pod, addressType: string, zone: string | undefined): Endpoint | undefined {
  const addresses = podIPsOf(pod).filter((ip) => isIPv6(ip) === (addressType === 'IPv6'));
  if (!addresses.length) return undefined;
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  // Ready is never true for a terminating pod unless the Service publishes addresses that are not ready.
  const ready = !!svc.spec?.publishNotReadyAddresses || (serving && !terminating);
  const ep: Endpoint = {
    addresses,
    conditions: { ready, serving, terminating },
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
  if (zone) ep.zone = zone;
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const hostname = hostnameFor(svc, pod);
  if (hostname) ep.hostname = hostname;
  return ep;
}

/** The labels of a Service's slices: the Service's own, and the controller's. */
function sliceLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = { ...svc.metadata.labels };
  delete labels[HEADLESS_LABEL];
  if (svc.spec?.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  return { ...labels, [SERVICE_NAME_LABEL]: svc.metadata.name!, [MANAGED_BY_LABEL]: CONTROLLER_NAME };
}

const uidOf = (e: Endpoint) => e.targetRef?.uid ?? e.addresses.join(',');

export function endpointSliceController({ client, informers, maxEndpointsPerSlice = MAX_ENDPOINTS_PER_SLICE }: EndpointSliceControllerDeps) {
  const services = informers.forResource(R.services);
  const pods = informers.forResource(R.pods);
  const slices = informers.forResource(R.endpointslices);
  const nodes = informers.forResource(R.nodes);
  const queue = new WorkQueue('endpointslice', syncService, 50, 30_000);

  /** The Services selecting a pod (as it is now or was before). */
  function podChanged(...versions: Pod[]): void {
    for (const svc of services.list(versions[0]!.metadata.namespace ?? '')) {
      const selector = selectorOf(svc);
      if (selector && versions.some((p) => selects(selector, p))) queue.add(keyOf(svc));
    }
  }
  const sliceChanged = (s: EndpointSlice) => {
    const name = s.metadata.labels?.[SERVICE_NAME_LABEL];
    if (name && s.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME) queue.add(`${s.metadata.namespace}/${name}`);
  };

  async function syncService(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const svc = services.get(ns, name);
    const selector = svc && svc.spec?.type !== 'ExternalName' ? selectorOf(svc) : undefined;
    // Slices of a deleted Service go with it (the garbage collector); a Service without a selector gets none.
    if (!svc || !selector || svc.metadata.deletionTimestamp) return;
    // The server's slices, not the cache's: slices this controller has just written must be seen.
    const existing = (await client.list(R.endpointslices, ns, { labelSelector: `${SERVICE_NAME_LABEL}=${name},${MANAGED_BY_LABEL}=${CONTROLLER_NAME}` })).items.filter(
      (s) => s.metadata.ownerReferences?.some((r) => r.uid === svc.metadata.uid) && !s.metadata.deletionTimestamp,
    );
    const addressTypes = svc.spec?.ipFamilies?.length ? svc.spec.ipFamilies : ['IPv4'];
    // Desired endpoints, grouped by address type and ports.
    const groups = new Map<string, { addressType: string; ports: EndpointPort[]; endpoints: Endpoint[] }>();
    const matching = pods.list(ns).filter((p) => selects(selector, p) && !isTerminal(p)).sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
    for (const addressType of addressTypes) {
      for (const pod of matching) {
        const ep = podToEndpoint(svc, pod, addressType, nodes.get('', pod.spec?.nodeName ?? '')?.metadata.labels?.[ZONE_LABEL]);
        if (!ep) continue;
        const ports = endpointPorts(svc, pod);
        const groupKey = JSON.stringify([addressType, ports]);
        if (!groups.has(groupKey)) groups.set(groupKey, { addressType, ports, endpoints: [] });
        groups.get(groupKey)!.endpoints.push(ep);
      }
    }
    const writes: Promise<unknown>[] = [];
    const unused = new Set(existing);
    for (const { addressType, ports, endpoints } of groups.values()) {
      const wanted = new Map(endpoints.map((e) => [uidOf(e), e]));
      const mine = existing.filter((s) => s.addressType === addressType && deepEqual(s.ports ?? [], ports));
      // Endpoints stay in the slice that holds them; new ones fill slices with room, then new slices.
      const kept = mine.map((s) =>
        (s.endpoints ?? []).flatMap((e) => {
          const desired = wanted.get(uidOf(e));
          wanted.delete(uidOf(e));
          return desired ? [desired] : [];
        }),
      );
      const rest = [...wanted.values()];
      mine.forEach((s, i) => {
        const eps = kept[i]!;
        eps.push(...rest.splice(0, Math.max(0, maxEndpointsPerSlice - eps.length)));
        if (!eps.length) return;
        unused.delete(s);
        if (!deepEqual(s.endpoints ?? [], eps) || !deepEqual(s.metadata.labels, sliceLabels(svc))) writes.push(update(s, svc, eps));
      });
      while (rest.length) writes.push(create(svc, addressType, ports, rest.splice(0, maxEndpointsPerSlice)));
    }
    // With no endpoint at all, one empty slice stands for the Service (a placeholder).
    if (!groups.size) {
      const placeholder = [...unused].find((s) => !s.endpoints?.length && !s.ports?.length && s.addressType === addressTypes[0]);
      if (placeholder) unused.delete(placeholder);
      else writes.push(create(svc, addressTypes[0]!, [], []));
    }
    for (const s of unused) writes.push(client.delete(R.endpointslices, ns, s.metadata.name!, { preconditions: { uid: s.metadata.uid } }));
    await Promise.all(writes);
  }

  const create = (svc: Service, addressType: string, ports: EndpointPort[], endpoints: Endpoint[]) =>
    client.create(R.endpointslices, svc.metadata.namespace!, {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { generateName: `${svc.metadata.name}-`, labels: sliceLabels(svc), ownerReferences: [newControllerRef(svc, 'v1', 'Service')] },
      addressType,
      endpoints,
      ports,
    });

  const update = (s: EndpointSlice, svc: Service, endpoints: Endpoint[]) =>
    client.update(R.endpointslices, s.metadata.namespace!, { ...s, metadata: { ...s.metadata, labels: sliceLabels(svc) }, endpoints });

  return {
    async start() {
      informers.start();
      await Promise.all([waitForSync(services), waitForSync(pods), waitForSync(slices), waitForSync(nodes)]);
      services.on({ add: (s) => queue.add(keyOf(s)), update: (_, s) => queue.add(keyOf(s)) });
      pods.on({ add: (p) => podChanged(p), update: (old, p) => podChanged(old, p), delete: (p) => podChanged(p) });
      slices.on({ update: (_, s) => sliceChanged(s), delete: sliceChanged });
      services.list().forEach((s) => queue.add(keyOf(s)));
    },
    stop() {
      queue.stop();
    },
  };
}
