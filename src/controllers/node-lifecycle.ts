// The node lifecycle controller (pkg/controller/nodelifecycle), in small. Every monitor period
// (5 s) it looks at each Node's health signals, the Ready condition's heartbeat and the renewTime
// of its Lease in kube-node-lease, noting the local time each last changed (so that clock skew
// does not matter). A node heard from no longer than the grace period ago (--node-monitor-grace-period,
// 50 s since Kubernetes 1.32; 60 s for a node that never posted a Ready condition) gets Ready,
// MemoryPressure, DiskPressure and PIDPressure Unknown (NodeStatusUnknown, "Kubelet stopped
// posting node status."; NodeStatusNeverUpdated for a condition never set), its pods Ready=False
// (MarkPodsNotReady, so that Endpoints drop them) and the events upstream records. Conditions map to
// NoSchedule taints (doNoScheduleTaintingPass: Ready False → not-ready, Unknown → unreachable, the
// pressure conditions, spec.unschedulable), and a node that was not Ready at the last look gets the
// not-ready or unreachable NoExecute taint, which the taint eviction controller acts on; a Ready node
// loses it. As upstream, no NoExecute taint is added in a zone in partial disruption (more than 2 and
// at least 55% of its nodes not Ready, in a zone of at most 50 nodes), and when every zone is fully
// disrupted (no node Ready) the NoExecute taints are taken off: the trouble is more likely the
// control plane's. Not done: the rate limit of NoExecute tainting (0.1 node/s), the label
// reconciliation of beta os/arch labels.
import type { NodeCondition, Taint } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../api/clock.js';
import { isNotFound } from '../api/errors.js';
import type { Node, Pod } from '../api/kinds.js';
import { formatTime } from '../api/meta.js';
import {
  TAINT_NODE_DISK_PRESSURE,
  TAINT_NODE_MEMORY_PRESSURE,
  TAINT_NODE_NETWORK_UNAVAILABLE,
  TAINT_NODE_NOT_READY,
  TAINT_NODE_PID_PRESSURE,
  TAINT_NODE_UNREACHABLE,
  TAINT_NODE_UNSCHEDULABLE,
} from '../api/well-known.js';
import { R, type Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { waitForSync } from '../client/informer.js';
import { keyOf, NODE_NAME_INDEX, podsByNodeName } from '../client/object-cache.js';
import { WorkQueue } from '../client/queue.js';
import { podCondition, splitKey } from './controller-utils.js';
import type { EventRecorder } from './events.js';

export const NODE_LIFECYCLE_CONTROLLER = 'node-lifecycle-controller';
/** The component of its events. */
const COMPONENT = 'node-controller';
const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** --node-monitor-grace-period (50 s since 1.32, kubernetes#126287), --node-startup-grace-period, --node-monitor-period. */
export const DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS = 50_000;
const NODE_STARTUP_GRACE_PERIOD_MS = 60_000;
const NODE_MONITOR_PERIOD_MS = 5_000;
/** --unhealthy-zone-threshold and --large-cluster-size-threshold. */
const UNHEALTHY_ZONE_THRESHOLD = 0.55;
const LARGE_CLUSTER_THRESHOLD = 50;

/** The conditions a silent node's kubelet no longer vouches for (not NetworkUnavailable: the control plane's). */
const KUBELET_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];
/** nodeConditionToTaintKeyStatusMap: which condition in which status means which NoSchedule taint. */
const CONDITION_TAINTS: { type: string; status: string; key: string }[] = [
  { type: 'Ready', status: 'False', key: TAINT_NODE_NOT_READY },
  { type: 'Ready', status: 'Unknown', key: TAINT_NODE_UNREACHABLE },
  { type: 'MemoryPressure', status: 'True', key: TAINT_NODE_MEMORY_PRESSURE },
  { type: 'DiskPressure', status: 'True', key: TAINT_NODE_DISK_PRESSURE },
  { type: 'NetworkUnavailable', status: 'True', key: TAINT_NODE_NETWORK_UNAVAILABLE },
  { type: 'PIDPressure', status: 'True', key: TAINT_NODE_PID_PRESSURE },
];
const CONTROLLER_TAINT_KEYS = new Set([...CONDITION_TAINTS.map((c) => c.key), TAINT_NODE_UNSCHEDULABLE]);
const NOT_READY_NO_EXECUTE: Taint = { key: TAINT_NODE_NOT_READY, effect: 'NoExecute' };
const UNREACHABLE_NO_EXECUTE: Taint = { key: TAINT_NODE_UNREACHABLE, effect: 'NoExecute' };

type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

export interface NodeLifecycleDeps {
  client: Client;
  informers: InformerFactory;
  clock: Clock;
  recorder: EventRecorder;
  /** --node-monitor-grace-period, ms. */
  gracePeriodMs?: number;
  /** How often, in real time, node health is looked at (--node-monitor-period). */
  monitorPeriodMs?: number;
}

/** What the controller last heard from a node, and when (its clock): nodeHealthData. */
interface Health {
  probe: number;
  heartbeat?: string;
  renewTime?: string;
}

export const nodeCondition = (node: Node, type: string): NodeCondition | undefined => node.status?.conditions?.find((c) => c.type === type);
const sameTaint = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;
const hasTaint = (node: Node, t: Taint) => (node.spec?.taints ?? []).some((x) => sameTaint(x, t));

/** nodetopology.GetZoneKey: region and zone labels, or '' for a node with neither. */
function zoneOf(node: Node): string {
  const l = node.metadata.labels ?? {};
  const region = l['topology.kubernetes.io/region'] ?? l['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? '';
  return region || zone ? `${region}:\x00:${zone}` : '';
}

/** ComputeZoneState from the Ready conditions of a zone's nodes. */
export function zoneState(ready: (NodeCondition | undefined)[]): { state: ZoneState; size: number } {
  const notReady = ready.filter((c) => c?.status !== 'True').length;
  const readyCount = ready.length - notReady;
  if (readyCount === 0 && notReady > 0) return { state: 'FullDisruption', size: ready.length };
  if (notReady > 2 && notReady / ready.length >= UNHEALTHY_ZONE_THRESHOLD) return { state: 'PartialDisruption', size: ready.length };
  return { state: 'Normal', size: ready.length };
}

/** The NoSchedule taints the node's conditions and spec.unschedulable call for. */
export function noScheduleTaints(node: Node): Taint[] {
  const taints: Taint[] = CONDITION_TAINTS.filter((c) => nodeCondition(node, c.type)?.status === c.status).map((c) => ({ key: c.key, effect: 'NoSchedule' }));
  if (node.spec?.unschedulable) taints.push({ key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' });
  return taints;
}

/** The node's conditions once its kubelet is taken to be gone (tryUpdateNodeHealth). */
export function silentNodeConditions(node: Node, now: string): NodeCondition[] {
  const conditions = (node.status?.conditions ?? []).map((c) =>
    KUBELET_CONDITIONS.includes(c.type) && c.status !== 'Unknown' ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: now } : c,
  );
  for (const type of KUBELET_CONDITIONS) {
    if (conditions.some((c) => c.type === type)) continue;
    conditions.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: node.metadata.creationTimestamp ?? undefined, lastTransitionTime: now });
  }
  return conditions;
}

export function nodeLifecycleController(deps: NodeLifecycleDeps) {
  const { client, informers, clock, recorder } = deps;
  const gracePeriodMs = deps.gracePeriodMs ?? DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS;
  const nodes = informers.forResource(R.nodes);
  const leases = informers.forResource(R.leases);
  const pods = informers.forResource(R.pods);
  pods.addIndex(NODE_NAME_INDEX, podsByNodeName);
  const health = new Map<string, Health>();
  const known = new Map<string, Node>();
  /** Nodes whose pods are still to be marked not Ready (nodesToRetry). */
  const retry = new Set<string>();
  let allWereFullyDisrupted = false;
  let timer: NodeJS.Timeout | undefined;
  let monitoring: Promise<void> | undefined;
  const noScheduleQueue = new WorkQueue(NODE_LIFECYCLE_CONTROLLER, noScheduleTaintingPass);
  const podQueue = new WorkQueue(`${NODE_LIFECYCLE_CONTROLLER}-pods`, processPod);

  /** SwapNodeControllerTaint: adds `add` (timeAdded now) and removes `remove`, on the server's copy. */
  async function swapTaints(name: string, add: Taint[], remove: Taint[]): Promise<void> {
    await client.mutate(R.nodes, '', name, (n) => {
      const old = n.spec?.taints ?? [];
      const kept = old.filter((t) => !remove.some((r) => sameTaint(r, t)));
      const added = add.filter((a) => !kept.some((t) => sameTaint(a, t))).map((a) => ({ ...a, timeAdded: formatTime(clock.now()) }));
      if (!added.length && kept.length === old.length) return n;
      const taints = [...kept, ...added];
      return { ...n, spec: { ...n.spec, taints: taints.length ? taints : undefined } };
    });
  }

  /** doNoScheduleTaintingPass: the condition taints with effect NoSchedule match the conditions. */
  async function noScheduleTaintingPass(name: string): Promise<void> {
    const node = nodes.get('', name);
    if (!node) return;
    const want = noScheduleTaints(node);
    const have = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' && CONTROLLER_TAINT_KEYS.has(t.key));
    const add = want.filter((t) => !have.some((h) => sameTaint(h, t)));
    const remove = have.filter((h) => !want.some((t) => sameTaint(h, t)));
    if (add.length || remove.length) await swapTaints(name, add, remove).catch((err) => (isNotFound(err) ? undefined : Promise.reject(err)));
  }

  /**
   * tryUpdateNodeHealth: notes when the node was last heard from, and once that is longer ago
   * than its grace period, writes its kubelet's conditions Unknown. Answers the Ready condition
   * before and after.
   */
  async function updateNodeHealth(node: Node): Promise<{ observed?: NodeCondition; current?: NodeCondition }> {
    const name = node.metadata.name!;
    const now = clock.now().getTime();
    const ready = nodeCondition(node, 'Ready');
    const heartbeat = ready?.lastHeartbeatTime ?? undefined;
    let h = health.get(name);
    if (!h) h = { probe: ready ? now : Date.parse(node.metadata.creationTimestamp ?? '') || now, heartbeat };
    else if (heartbeat !== h.heartbeat) h = { probe: now, heartbeat, renewTime: h.renewTime };
    const renewTime = leases.get(NODE_LEASE_NAMESPACE, name)?.spec?.renewTime ?? undefined;
    if (renewTime && (!h.renewTime || Date.parse(renewTime) > Date.parse(h.renewTime))) h = { ...h, probe: now, renewTime };
    health.set(name, h);
    const grace = ready ? gracePeriodMs : NODE_STARTUP_GRACE_PERIOD_MS;
    if (now <= h.probe + grace) return { observed: ready, current: ready };
    const conditions = silentNodeConditions(node, formatTime(clock.now()));
    const current = conditions.find((c) => c.type === 'Ready');
    if (ready?.status === current?.status) return { observed: ready, current: ready };
    await client.mutate(
      R.nodes,
      '',
      name,
      // The kubelet may have spoken since the cache's copy: then leave the node as it is.
      (n) => (nodeCondition(n, 'Ready')?.lastHeartbeatTime !== ready?.lastHeartbeatTime ? n : { ...n, status: { ...n.status, conditions: silentNodeConditions(n, formatTime(clock.now())) } }),
      'status',
    );
    health.set(name, { ...h, heartbeat: current?.lastHeartbeatTime ?? undefined });
    return { observed: ready, current };
  }

  /** MarkPodsNotReady: the Ready condition of the node's pods False, with a NodeNotReady event each. */
  async function markPodsNotReady(nodeName: string, list: Pod[]): Promise<void> {
    for (const p of list) {
      if (p.spec?.nodeName !== nodeName || !podCondition(p, 'Ready') || podCondition(p, 'Ready')?.status === 'False') continue;
      try {
        const updated = await client.mutate(
          R.pods,
          p.metadata.namespace!,
          p.metadata.name!,
          (cur) => {
            const conditions = cur.status?.conditions ?? [];
            if (!conditions.some((c) => c.type === 'Ready' && c.status !== 'False')) return cur;
            const now = formatTime(clock.now());
            return { ...cur, status: { ...cur.status, conditions: conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: now } : c)) } };
          },
          'status',
        );
        void recorder.record(updated, 'Warning', 'NodeNotReady', 'Node is not ready', COMPONENT);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  /** processTaintBaseEviction: the NoExecute taint that matches the Ready condition last seen. */
  async function noExecuteTaint(node: Node, observed: NodeCondition | undefined, mayTaint: boolean): Promise<void> {
    const name = node.metadata.name!;
    switch (observed?.status) {
      case 'False':
        if (hasTaint(node, UNREACHABLE_NO_EXECUTE) || (mayTaint && !hasTaint(node, NOT_READY_NO_EXECUTE))) await swapTaints(name, [NOT_READY_NO_EXECUTE], [UNREACHABLE_NO_EXECUTE]);
        return;
      case 'True':
        return markNodeAsReachable(node);
      default:
        if (hasTaint(node, NOT_READY_NO_EXECUTE) || (mayTaint && !hasTaint(node, UNREACHABLE_NO_EXECUTE))) await swapTaints(name, [UNREACHABLE_NO_EXECUTE], [NOT_READY_NO_EXECUTE]);
    }
  }

  async function markNodeAsReachable(node: Node): Promise<void> {
    if (hasTaint(node, UNREACHABLE_NO_EXECUTE) || hasTaint(node, NOT_READY_NO_EXECUTE)) await swapTaints(node.metadata.name!, [], [UNREACHABLE_NO_EXECUTE, NOT_READY_NO_EXECUTE]);
  }

  /** monitorNodeHealth: one look at every node. */
  async function monitorNodeHealth(): Promise<void> {
    const all = nodes.list();
    for (const node of all) {
      if (known.has(node.metadata.name!)) continue;
      known.set(node.metadata.name!, node);
      void recorder.record(node, 'Normal', 'RegisteredNode', `Node ${node.metadata.name} event: Registered Node ${node.metadata.name} in Controller`, COMPONENT);
    }
    for (const [name, node] of known) {
      if (all.some((n) => n.metadata.name === name)) continue;
      known.delete(name);
      health.delete(name);
      retry.delete(name);
      void recorder.record(node, 'Normal', 'RemovingNode', `Node ${name} event: Removing Node ${name} from Controller`, COMPONENT);
    }
    const looked: { node: Node; observed?: NodeCondition; current?: NodeCondition }[] = [];
    for (const node of all) {
      try {
        looked.push({ node, ...(await updateNodeHealth(node)) });
      } catch (err) {
        if (!isNotFound(err)) console.error(`badge: ${NODE_LIFECYCLE_CONTROLLER}: ${node.metadata.name}: ${(err as Error).message}`);
      }
    }
    const zones = new Map<string, (NodeCondition | undefined)[]>();
    for (const { node, current } of looked) zones.set(zoneOf(node), [...(zones.get(zoneOf(node)) ?? []), current]);
    const states = new Map([...zones].map(([zone, ready]) => [zone, zoneState(ready)]));
    const allFullyDisrupted = states.size > 0 && [...states.values()].every((s) => s.state === 'FullDisruption');
    if (allWereFullyDisrupted && !allFullyDisrupted) {
      // Leaving the disruption: every node gets a full grace period from now.
      for (const h of health.values()) h.probe = clock.now().getTime();
    }
    allWereFullyDisrupted = allFullyDisrupted;
    for (const { node, observed, current } of looked) {
      const name = node.metadata.name!;
      try {
        const zone = states.get(zoneOf(node))!;
        if (allFullyDisrupted) await markNodeAsReachable(node);
        else await noExecuteTaint(node, observed, zone.state !== 'PartialDisruption' || zone.size > LARGE_CLUSTER_THRESHOLD);
        if (current?.status !== 'True' && (observed?.status === 'True' || retry.has(name))) {
          if (observed?.status === 'True') void recorder.record(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`, COMPONENT);
          retry.add(name);
          await markPodsNotReady(name, pods.byIndex(NODE_NAME_INDEX, name));
        }
        retry.delete(name);
      } catch (err) {
        if (!isNotFound(err)) console.error(`badge: ${NODE_LIFECYCLE_CONTROLLER}: ${name}: ${(err as Error).message}`);
      }
    }
  }

  /** processPod: a pod bound to a node that is not Ready is marked not Ready too. */
  async function processPod(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const pod = pods.get(namespace, name);
    const nodeName = pod?.spec?.nodeName;
    if (!pod || !nodeName || !health.has(nodeName)) return;
    const node = nodes.get('', nodeName);
    if (node && nodeCondition(node, 'Ready') && nodeCondition(node, 'Ready')?.status !== 'True') await markPodsNotReady(nodeName, [pod]);
  }

  /** One monitor pass at a time; a pass that is due while one runs is skipped. */
  function monitor(): Promise<void> {
    monitoring ??= monitorNodeHealth().finally(() => (monitoring = undefined));
    return monitoring;
  }

  return {
    async start() {
      informers.start();
      await waitForSync(nodes, leases, pods);
      nodes.on({ add: (n) => noScheduleQueue.add(n.metadata.name!), update: (_, n) => noScheduleQueue.add(n.metadata.name!) });
      pods.on({
        add: (p) => p.spec?.nodeName && podQueue.add(keyOf(p)),
        update: (old, p) => p.spec?.nodeName && p.spec.nodeName !== old.spec?.nodeName && podQueue.add(keyOf(p)),
      });
      await monitor();
      timer = setInterval(() => void monitor(), deps.monitorPeriodMs ?? NODE_MONITOR_PERIOD_MS);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      noScheduleQueue.stop();
      podQueue.stop();
    },
    /** One monitor pass now (tests move a manual clock, then look). */
    monitor,
  };
}
