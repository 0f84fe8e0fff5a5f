// The QoS class of a pod (qos.GetPodQOS), written to its status on create.
import type { KubeObject } from '../../../api/meta.js';
import { addQuantities, compareQuantities, parseQuantity, type Quantity } from '../../../api/quantity.js';
import { list, obj } from '../../narrow.js';

/** BestEffort, Burstable or Guaranteed, from the cpu and memory requests and limits of all containers. */
export function podQOSClass(o: KubeObject): string {
  const spec = obj(o.spec) ?? {};
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const add = (m: Map<string, Quantity>, k: string, q: Quantity) => m.set(k, m.has(k) ? addQuantities(m.get(k)!, q) : q);
  for (const c of [...list(spec.containers), ...list(spec.initContainers)]) {
    const res = obj(obj(c)?.resources) ?? {};
    for (const [k, v] of Object.entries(obj(res.requests) ?? {})) {
      const q = parseQuantity(v);
      if ((k === 'cpu' || k === 'memory') && q && q.num > 0n) add(requests, k, q);
    }
    const found = new Set<string>();
    for (const [k, v] of Object.entries(obj(res.limits) ?? {})) {
      const q = parseQuantity(v);
      if ((k === 'cpu' || k === 'memory') && q && q.num > 0n) {
        found.add(k);
        add(limits, k, q);
      }
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [k, req] of requests) {
      const lim = limits.get(k);
      if (!lim || compareQuantities(lim, req) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
