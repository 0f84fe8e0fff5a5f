// metrics.k8s.io/v1beta1 NodeMetrics and PodMetrics, as metrics-server serves them: read-only,
// computed on each read from the node agent's samples (the ResourceUsage contract), for the nodes
// and pods the API has. Get and list only; label selectors go to the node or pod lists, field
// selectors know metadata.name and metadata.namespace. A node or pod without figures is left out
// of lists and NotFound by name (`pods.metrics.k8s.io "ns/name" not found`), one the API does not
// have is its lister's NotFound (`node "x" not found`, `pods "x" not found`).
import { isNotFound, notFound } from '../../api/errors.js';
import { goMillis } from '../../api/duration.js';
import { formatTime, type KubeObject } from '../../api/meta.js';
import { addQuantities, formatQuantity, parseQuantity, type Quantity } from '../../api/quantity.js';
import type { ResourceUsage, Usage, UsageWindow } from '../../api/resource-usage.js';
import { column } from '../columns.js';
import type { LiveContext, ResourceDef, TableDef } from '../resource.js';
import { METRICS_GROUP, nodeMetrics as nodeMetricsSchema, podMetrics as podMetricsSchema } from '../schemas/metrics.js';

/** CPU in nanocores and memory in bytes as metrics-server writes them (NewScaledQuantity(n, -9), BinarySI bytes). */
export function usageQuantities(u: Usage): { cpu: string; memory: string } {
  return {
    cpu: formatQuantity({ num: BigInt(u.cpuNanoCores), den: 1_000_000_000n, format: 'DecimalSI' }),
    memory: formatQuantity({ num: BigInt(u.memoryBytes), den: 1n, format: 'BinarySI' }),
  };
}

const ZERO: Quantity = { num: 0n, den: 1n, format: 'DecimalSI' };

/**
 * metrics-server's table: Name, a column per usage name (sorted: cpu, memory), Window; a pod's
 * cells add up its containers' usage (`usages` gives the usage maps of an object).
 */
function metricsTable(usages: (obj: KubeObject) => (Record<string, string> | undefined)[]): TableDef {
  const total = (obj: KubeObject, name: string) =>
    formatQuantity(usages(obj).reduce((a, u) => addQuantities(a, parseQuantity(u?.[name]) ?? ZERO), ZERO));
  return {
    columns: [
      column('Name', 'Name of the resource', { format: 'name' }),
      column('cpu', '', { format: 'quantity' }),
      column('memory', '', { format: 'quantity' }),
      column('Window', '', { format: 'duration' }),
    ],
    cells: (obj) => [obj.metadata.name, total(obj, 'cpu'), total(obj, 'memory'), obj.window],
  };
}

const meta = (obj: KubeObject, now: Date, namespace?: string) => ({
  name: obj.metadata.name,
  ...(namespace ? { namespace } : {}),
  creationTimestamp: formatTime(now),
  ...(obj.metadata.labels && Object.keys(obj.metadata.labels).length ? { labels: obj.metadata.labels } : {}),
});

const windowOf = (w: UsageWindow) => ({ timestamp: formatTime(w.timestamp), window: goMillis(w.windowMs) });

export function nodeMetrics(usage: () => ResourceUsage | undefined): ResourceDef {
  const toMetrics = (node: KubeObject, now: Date): KubeObject | undefined => {
    const u = usage()?.node(node.metadata.name ?? '');
    if (!u) return undefined;
    return { kind: 'NodeMetrics', apiVersion: `${METRICS_GROUP}/v1beta1`, metadata: meta(node, now), ...windowOf(u), usage: usageQuantities(u.usage) };
  };
  const nodes = ({ registry }: LiveContext) => registry.mustStore('', 'v1', 'nodes');
  return {
    group: METRICS_GROUP,
    version: 'v1beta1',
    kind: 'NodeMetrics',
    resource: 'nodes',
    singular: '',
    namespaced: false,
    schema: nodeMetricsSchema,
    table: metricsTable((o) => [o.usage as Record<string, string> | undefined]),
    live: {
      async get(c, _namespace, name) {
        // The node lister's NotFound names the resource "node".
        const node = await nodes(c).view(c.ctx, '', name).catch((err) => {
          throw isNotFound(err) ? notFound({ group: '', resource: 'node' }, name) : err;
        });
        const m = toMetrics(node, c.ctx.clock.now());
        if (!m) throw notFound({ group: METRICS_GROUP, resource: 'nodes' }, name);
        return m;
      },
      async list(c, _namespace, labelSelector) {
        const { items } = await nodes(c).list(c.ctx, '', { labelSelector });
        const now = c.ctx.clock.now();
        return items.flatMap((n) => toMetrics(n, now) ?? []);
      },
    },
  };
}

export function podMetrics(usage: () => ResourceUsage | undefined): ResourceDef {
  const toMetrics = (pod: KubeObject, now: Date): KubeObject | undefined => {
    const namespace = pod.metadata.namespace ?? '';
    const u = usage()?.pod(namespace, pod.metadata.name ?? '');
    if (!u) return undefined;
    const containers = u.containers.map((c) => ({ name: c.name, usage: usageQuantities(c.usage) }));
    return { kind: 'PodMetrics', apiVersion: `${METRICS_GROUP}/v1beta1`, metadata: meta(pod, now, namespace), ...windowOf(u), containers };
  };
  const pods = ({ registry }: LiveContext) => registry.mustStore('', 'v1', 'pods');
  return {
    group: METRICS_GROUP,
    version: 'v1beta1',
    kind: 'PodMetrics',
    resource: 'pods',
    singular: '',
    namespaced: true,
    schema: podMetricsSchema,
    table: metricsTable((o) => ((o.containers as { usage?: Record<string, string> }[] | undefined) ?? []).map((c) => c.usage)),
    live: {
      async get(c, namespace, name) {
        const pod = await pods(c).view(c.ctx, namespace, name);
        const m = toMetrics(pod, c.ctx.clock.now());
        if (!m) throw notFound({ group: METRICS_GROUP, resource: 'pods' }, `${namespace}/${name}`);
        return m;
      },
      async list(c, namespace, labelSelector) {
        const { items } = await pods(c).list(c.ctx, namespace, { labelSelector });
        const now = c.ctx.clock.now();
        return items.flatMap((p) => toMetrics(p, now) ?? []);
      },
    },
  };
}
