// What an object counts against a ResourceQuota (k8s.io/kubernetes pkg/quota/v1 and its
// evaluators): resource lists, a pod's compute usage, scopes, and the names each resource is
// counted under. The quota controller sums it; ResourceQuota admission charges it.
import type { Container } from 'kubernetes-types/core/v1.js';
import type { Pod, ResourceQuota } from './kinds.js';
import type { KubeObject } from './meta.js';
import { addQuantities, compareQuantities, formatQuantity, isZeroQuantity, parseQuantity, type Quantity } from './quantity.js';

export type ResourceList = Record<string, Quantity>;

const ONE: Quantity = { num: 1n, den: 1n, format: 'DecimalSI' };
export const ZERO: Quantity = { num: 0n, den: 1n, format: 'DecimalSI' };
const count = (n: number): Quantity => ({ num: BigInt(n), den: 1n, format: 'DecimalSI' });

/** A ResourceList as stored (quantity strings) to one of Quantities; unparsable values are left out. */
export function parseResourceList(list: Record<string, unknown> | undefined): ResourceList {
  const out: ResourceList = {};
  for (const [k, v] of Object.entries(list ?? {})) {
    const q = parseQuantity(v);
    if (q) out[k] = q;
  }
  return out;
}

export function formatResourceList(list: ResourceList): Record<string, string> {
  return Object.fromEntries(Object.entries(list).map(([k, v]) => [k, formatQuantity(v)]));
}

/** quota.Add */
export function addLists(a: ResourceList, b: ResourceList): ResourceList {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = out[k] ? addQuantities(out[k], v) : v;
  return out;
}

/** quota.Mask: only the named resources. */
export function mask(list: ResourceList, names: Iterable<string>): ResourceList {
  const out: ResourceList = {};
  for (const n of names) if (list[n]) out[n] = list[n];
  return out;
}

/** The resources of `a` above their value in `b` (quota.LessThanOrEqual's exceeded list). */
export function exceeded(a: ResourceList, b: ResourceList): string[] {
  return Object.keys(a).filter((k) => b[k] && compareQuantities(a[k]!, b[k]) > 0);
}

/** quota.SubtractWithNonNegativeResult: a − b, a negative difference as zero. */
export function subtractNonNegative(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = {};
  for (const [k, v] of Object.entries(a)) {
    const d = b[k] ? addQuantities(v, { ...b[k], num: -b[k].num }) : v;
    out[k] = d.num < 0n ? ZERO : d;
  }
  return out;
}

export const removeZeros = (list: ResourceList): ResourceList => Object.fromEntries(Object.entries(list).filter(([, v]) => !isZeroQuantity(v)));

/** prettyPrint: `pods=1,requests.cpu=500m`, names sorted. */
export const prettyPrint = (list: ResourceList): string =>
  Object.keys(list)
    .sort()
    .map((k) => `${k}=${formatQuantity(list[k]!)}`)
    .join(',');

function maxLists(a: ResourceList, b: ResourceList): ResourceList {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) if (!out[k] || compareQuantities(v, out[k]) > 0) out[k] = v;
  return out;
}

// ---- names ----

/** count/<resource>.<group>, count/<resource> for the core group (ObjectCountQuotaResourceNameFor). */
export const objectCountName = (group: string, resource: string): string => `count/${group ? `${resource}.${group}` : resource}`;

/** Core resources also counted under their plain name. */
const LEGACY_COUNTS = ['services', 'secrets', 'configmaps', 'persistentvolumeclaims', 'replicationcontrollers', 'resourcequotas'];

const POD_COMPUTE = ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'ephemeral-storage', 'requests.ephemeral-storage', 'limits.ephemeral-storage'];
/** The resources whose quota needs every container to name them (the pod evaluator's validationSet). */
const CONTAINER_REQUIRED = ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];

/** The quota resource names an object of `group`/`resource` is counted under (an evaluator's MatchingResources). */
export function trackedNames(group: string, resource: string): string[] {
  const names = [objectCountName(group, resource)];
  if (group !== '') return names;
  if (resource === 'pods') return [...names, 'pods', ...POD_COMPUTE];
  if (LEGACY_COUNTS.includes(resource)) names.push(resource);
  if (resource === 'services') names.push('services.nodeports', 'services.loadbalancers');
  if (resource === 'persistentvolumeclaims') names.push('requests.storage');
  return names;
}

// ---- pods ----

/** QuotaV1Pod: a pod in a terminal phase, or past its deletion's grace period, no longer counts. */
export function podCounts(pod: Pod, now: Date): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') return false;
  const { deletionTimestamp, deletionGracePeriodSeconds } = pod.metadata;
  if (deletionTimestamp && deletionGracePeriodSeconds !== undefined) {
    if (now.getTime() > Date.parse(deletionTimestamp) + deletionGracePeriodSeconds * 1000) return false;
  }
  return true;
}

const containerList = (c: Container, which: 'requests' | 'limits'): ResourceList => parseResourceList(c.resources?.[which]);

/** resourcehelper.PodRequests / PodLimits: containers summed, sidecars added, the largest init container, overhead. */
function podResources(pod: Pod, which: 'requests' | 'limits'): ResourceList {
  let total: ResourceList = {};
  for (const c of pod.spec?.containers ?? []) total = addLists(total, containerList(c, which));
  let sidecars: ResourceList = {};
  let initMax: ResourceList = {};
  for (const c of pod.spec?.initContainers ?? []) {
    const own = containerList(c, which);
    if (c.restartPolicy === 'Always') {
      total = addLists(total, own);
      sidecars = addLists(sidecars, own);
      initMax = maxLists(initMax, sidecars);
    } else initMax = maxLists(initMax, addLists(own, sidecars));
  }
  return addLists(maxLists(total, initMax), parseResourceList(pod.spec?.overhead));
}

/** podComputeUsageHelper */
function computeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const out: ResourceList = { pods: ONE };
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    if (requests[r]) out[r] = out[`requests.${r}`] = requests[r];
    if (limits[r]) out[`limits.${r}`] = limits[r];
  }
  return out;
}

/** A pod's requests and limits as LimitRanger's Pod limits see them (PodRequests, PodLimits), as quantity strings. */
export function podRequestsAndLimits(pod: Pod): { requests: Record<string, string>; limits: Record<string, string> } {
  return { requests: formatResourceList(podResources(pod, 'requests')), limits: formatResourceList(podResources(pod, 'limits')) };
}

/** PodUsageFunc: count/pods always; pods and compute resources while the pod counts. */
export function podUsage(pod: Pod, now: Date): ResourceList {
  const usage: ResourceList = { 'count/pods': ONE };
  if (!podCounts(pod, now)) return usage;
  return { ...usage, ...computeUsage(podResources(pod, 'requests'), podResources(pod, 'limits')) };
}

/**
 * The pod evaluator's Constraints: with cpu or memory under quota, every container must name them.
 * Answers the error ("must specify limits.cpu for: a,b; …"), or '' when none is missing.
 */
export function podConstraints(pod: Pod, required: string[]): string {
  const need = required.filter((r) => CONTAINER_REQUIRED.includes(r));
  const missing = new Map<string, Set<string>>();
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    const has = computeUsage(containerList(c, 'requests'), containerList(c, 'limits'));
    for (const r of need) if (!has[r]) missing.set(r, (missing.get(r) ?? new Set()).add(c.name));
  }
  if (!missing.size) return '';
  const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}

// ---- scopes ----

interface ScopeRequirement {
  scopeName: string;
  operator: string;
  values?: string[];
}

/** getScopeSelectorsFromQuota: spec.scopes as Exists requirements, then the scope selector's. */
function quotaScopes(q: ResourceQuota): ScopeRequirement[] {
  return [...(q.spec?.scopes ?? []).map((s) => ({ scopeName: s, operator: 'Exists' })), ...(q.spec?.scopeSelector?.matchExpressions ?? [])];
}

const RESOURCE_NAMES = ['cpu', 'memory'];
function isBestEffort(pod: Pod): boolean {
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].every((c) =>
    RESOURCE_NAMES.every((r) => {
      const req = parseQuantity(c.resources?.requests?.[r]);
      const lim = parseQuantity(c.resources?.limits?.[r]);
      return (!req || isZeroQuantity(req)) && (!lim || isZeroQuantity(lim));
    }),
  );
}

function podMatchesScope(pod: Pod, s: ScopeRequirement): boolean {
  const deadline = pod.spec?.activeDeadlineSeconds;
  const terminating = deadline !== undefined && deadline >= 0;
  const priorityClass = pod.spec?.priorityClassName ?? '';
  switch (s.scopeName) {
    case 'Terminating':
      return terminating;
    case 'NotTerminating':
      return !terminating;
    case 'BestEffort':
      return isBestEffort(pod);
    case 'NotBestEffort':
      return !isBestEffort(pod);
    case 'PriorityClass':
      // The pod's labels for the selector: {PriorityClass: its class name}, always present.
      if (s.operator === 'Exists') return priorityClass !== '';
      if (s.operator === 'In') return (s.values ?? []).includes(priorityClass);
      if (s.operator === 'NotIn') return !(s.values ?? []).includes(priorityClass);
      return false;
    case 'CrossNamespacePodAffinity': {
      const terms = [pod.spec?.affinity?.podAffinity, pod.spec?.affinity?.podAntiAffinity].flatMap((a) => [
        ...(a?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
        ...(a?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.podAffinityTerm),
      ]);
      return terms.some((t) => (t.namespaces?.length ?? 0) > 0 || t.namespaceSelector !== undefined);
    }
    default:
      return false;
  }
}

/**
 * Whether a quota counts an object (generic.Matches): it limits one of the names the object is
 * counted under, and the object is in every scope (only pods are; other kinds match no scope).
 */
export function quotaMatches(q: ResourceQuota, group: string, resource: string, obj: KubeObject): boolean {
  const hard = Object.keys(q.status?.hard ?? {});
  const tracked = trackedNames(group, resource);
  if (!hard.some((h) => tracked.includes(h))) return false;
  const isPod = group === '' && resource === 'pods';
  return quotaScopes(q).every((s) => isPod && podMatchesScope(obj as Pod, s));
}

// ---- usage ----

interface ServiceLike {
  spec?: { type?: string; ports?: { nodePort?: number }[]; allocateLoadBalancerNodePorts?: boolean };
}

/** What one object counts for, by quota resource name (the evaluators' Usage). */
export function usageOf(group: string, resource: string, obj: KubeObject, now: Date): ResourceList {
  if (group === '' && resource === 'pods') return podUsage(obj as Pod, now);
  const usage: ResourceList = { [objectCountName(group, resource)]: ONE };
  if (group !== '') return usage;
  if (LEGACY_COUNTS.includes(resource)) usage[resource] = ONE;
  if (resource === 'services') {
    const spec = (obj as ServiceLike).spec ?? {};
    const ports = spec.ports ?? [];
    usage['services.loadbalancers'] = spec.type === 'LoadBalancer' ? ONE : ZERO;
    usage['services.nodeports'] =
      spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false)
        ? count(ports.length)
        : spec.type === 'LoadBalancer'
          ? count(ports.filter((p) => p.nodePort).length)
          : ZERO;
  }
  if (resource === 'persistentvolumeclaims') {
    const storage = parseQuantity((obj.spec as { resources?: { requests?: Record<string, unknown> } } | undefined)?.resources?.requests?.storage);
    if (storage) usage['requests.storage'] = storage;
  }
  return usage;
}
