// What the Endpoints and EndpointSlice controllers both ask of a Service and its pods: its
// selector, whether it selects a pod, and the port a pod serves for each of its ports.
import type { Pod, Service } from '../api/kinds.js';

export type ServicePort = NonNullable<NonNullable<Service['spec']>['ports']>[number];

/** The Service's selector; undefined when it has none (its endpoints are written by others). */
export const selectorOf = (svc: Service): Record<string, string> | undefined => (Object.keys(svc.spec?.selector ?? {}).length ? svc.spec!.selector : undefined);

export const selects = (selector: Record<string, string>, pod: Pod): boolean => Object.entries(selector).every(([k, v]) => pod.metadata.labels?.[k] === v);

export const isIPv6 = (ip: string): boolean => ip.includes(':');

/** podutil.FindPort: a numbered target port, or the named port of one of the pod's containers. */
export function findPort(pod: Pod, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP')) return p.containerPort;
  }
  return undefined;
}

/** The pod's port for a Service port, as both APIs' port objects write it. */
export function endpointPort(sp: ServicePort, port: number): { name: string; port: number; protocol: string; appProtocol?: string } {
  return { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol !== undefined ? { appProtocol: sp.appProtocol } : {}) };
}

/** The pod's IPs, in the order of status.podIPs. */
export const podIPsOf = (pod: Pod): string[] => pod.status?.podIPs?.map((p) => p.ip!) ?? (pod.status?.podIP ? [pod.status.podIP] : []);

/** How the Service's pods call a pod: its hostname, when the pod's subdomain is the Service. */
export const hostnameFor = (svc: Service, pod: Pod): string | undefined => (pod.spec?.hostname && pod.spec.subdomain === svc.metadata.name ? pod.spec.hostname : undefined);
