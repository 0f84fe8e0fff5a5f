// The scheduler, in small (pkg/scheduler with the default profile's filters): each pending pod
// that names this scheduler and no node is bound, through pods/binding, to a node that passes the
// filters — schedulable (NodeUnschedulable), no untolerated NoSchedule/NoExecute taint, a node
// that is not Ready counting as tainted not-ready or unreachable until the node lifecycle
// controller's own taint is there (TaintToleration), nodeSelector and required node affinity
// (NodeAffinity), room for its requests and one more pod (NodeResourcesFit) — preferring the node
// with the fewest pods. The Scheduled event says where; a pod no node takes gets FailedScheduling
// with the scheduler's FitError message and PodScheduled=False, and is tried again when nodes
// or claims change (or after 5 minutes). With `claims`, VolumeBinding in small: a pod whose claim is
// missing or unbound (unless its class waits for a first consumer) is not placed, and a claim that
// waits is given the chosen node (volume.kubernetes.io/selected-node) for its provisioner.
import type { Container, PodCondition } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../api/clock.js';
import { ZERO_TIME, type Node, type PersistentVolumeClaim, type Pod } from '../api/kinds.js';
import { claimClass, SELECTED_NODE } from './persistent-volume.js';
import { claimsOf } from './volume-protection.js';
import { formatTime } from '../api/meta.js';
import { R, type Client } from '../client/client.js';
import { asPatch, isTerminal, splitKey } from './controller-utils.js';
import { eventsV1Recorder } from './events.js';
import { matchesNodeAffinity, taintsOf, tolerates } from './node-fit.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { waitForSync } from '../client/informer.js';
import { keyOf, NODE_NAME_INDEX, podsByNodeName } from '../client/object-cache.js';
import { WorkQueue } from '../client/queue.js';
import { isNotFound } from '../api/errors.js';
import { addQuantities, compareQuantities, parseQuantity, type Quantity } from '../api/quantity.js';

export const DEFAULT_SCHEDULER = 'default-scheduler';
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';
/** How long an unschedulable pod waits before it is tried again without a cluster change. */
const UNSCHEDULABLE_RETRY_MS = 5 * 60_000;

export interface SchedulerDeps {
  client: Client;
  informers: InformerFactory;
  clock: Clock;
  /** The host name in the events' reportingInstance (`default-scheduler-<host>`). */
  host: string;
  schedulerName?: string;
  /** PersistentVolumeClaims and StorageClasses are served: volumes bind before pods. */
  claims?: boolean;
}

const ZERO: Quantity = { num: 0n, den: 1n, format: 'DecimalSI' };
const quantity = (v: unknown): Quantity => parseQuantity(v) ?? ZERO;
const maxQ = (a: Quantity, b: Quantity) => (compareQuantities(a, b) >= 0 ? a : b);

/** The pod's effective request of a resource: its containers' sum, or its largest init container's. */
function podRequest(pod: Pod, resource: string): Quantity {
  const requestOf = (c: Container) => quantity(c.resources?.requests?.[resource]);
  const sum = (pod.spec?.containers ?? []).reduce((acc, c) => addQuantities(acc, requestOf(c)), ZERO);
  const init = (pod.spec?.initContainers ?? []).reduce((acc, c) => maxQ(acc, requestOf(c)), ZERO);
  let total = maxQ(sum, init);
  const overhead = pod.spec?.overhead?.[resource];
  if (overhead !== undefined) total = addQuantities(total, quantity(overhead));
  return total;
}

export function scheduler({ client, informers, clock, host, schedulerName = DEFAULT_SCHEDULER, claims: withClaims = false }: SchedulerDeps) {
  const pods = informers.forResource(R.pods);
  const nodes = informers.forResource(R.nodes);
  const claims = withClaims ? informers.forResource(R.persistentvolumeclaims) : undefined;
  const classes = withClaims ? informers.forResource(R.storageclasses) : undefined;
  pods.addIndex(NODE_NAME_INDEX, podsByNodeName);
  const recorder = eventsV1Recorder({ client, clock, reportingController: schedulerName, host });
  const queue = new WorkQueue(schedulerName, schedule, 1000, 10_000);
  /** Pods bound whose binding the cache has not shown yet: they count on their node. */
  const assumed = new Map<string, string>();

  const isPending = (p: Pod) => !p.spec?.nodeName && (p.spec?.schedulerName || DEFAULT_SCHEDULER) === schedulerName && !p.metadata.deletionTimestamp && !isTerminal(p);

  function podsOn(nodeName: string): Pod[] {
    const bound = pods.byIndex(NODE_NAME_INDEX, nodeName).filter((p) => !isTerminal(p));
    const boundKeys = new Set(bound.map(keyOf));
    const extra = [...assumed].filter(([k, n]) => n === nodeName && !boundKeys.has(k)).map(([k]) => pods.get(...splitKey(k)));
    return [...bound, ...extra.filter((p): p is Pod => !!p)];
  }

  /** The Filter plugins, in the default profile's order: the first that fails gives the node's reason. */
  function filter(pod: Pod, node: Node): string | undefined {
    if (node.spec?.unschedulable === true && !tolerates(pod, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) return 'node(s) were unschedulable';
    for (const t of taintsOf(node)) {
      if ((t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(pod, t)) return `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;
    }
    if (!matchesNodeAffinity(pod, node)) return "node(s) didn't match Pod's node affinity/selector";
    const allocatable = node.status?.allocatable ?? {};
    const onNode = podsOn(node.metadata.name!);
    if (allocatable.pods !== undefined && compareQuantities(quantity(onNode.length + 1), quantity(allocatable.pods)) > 0) return 'Too many pods';
    for (const resource of ['cpu', 'memory']) {
      if (allocatable[resource] === undefined) continue;
      const want = podRequest(pod, resource);
      if (want.num === 0n) continue;
      const used = onNode.reduce((acc, p) => addQuantities(acc, podRequest(p, resource)), ZERO);
      if (compareQuantities(addQuantities(used, want), quantity(allocatable[resource])) > 0) return `Insufficient ${resource}`;
    }
    return undefined;
  }

  /** The claims of the pod that wait for a node, or why the pod cannot be placed (VolumeBinding's PreFilter). */
  function podClaims(pod: Pod): { waiting: PersistentVolumeClaim[] } | { problem: string } {
    const waiting: PersistentVolumeClaim[] = [];
    if (!claims || !classes) return { waiting };
    const ns = pod.metadata.namespace ?? '';
    for (const name of claimsOf(pod)) {
      const claim = claims.get(ns, name);
      if (!claim) return { problem: `persistentvolumeclaim ${JSON.stringify(name)} not found` };
      if (claim.metadata.deletionTimestamp) return { problem: `persistentvolumeclaim ${JSON.stringify(name)} is being deleted` };
      if (claim.spec?.volumeName) continue;
      if (classes.get('', claimClass(claim))?.volumeBindingMode !== 'WaitForFirstConsumer') return { problem: 'pod has unbound immediate PersistentVolumeClaims' };
      waiting.push(claim);
    }
    return { waiting };
  }

  /** The claims waiting for a consumer learn the node chosen (PreBind), so they are provisioned there. */
  async function selectNode(waiting: PersistentVolumeClaim[], nodeName: string): Promise<void> {
    for (const claim of waiting) {
      if (claim.metadata.annotations?.[SELECTED_NODE] === nodeName) continue;
      await client.mutate(R.persistentvolumeclaims, claim.metadata.namespace!, claim.metadata.name!, (cur) => {
        cur.metadata.annotations = { ...cur.metadata.annotations, [SELECTED_NODE]: nodeName };
        return asPatch(cur);
      });
    }
  }

  /** FitError.Error(), with the DefaultPreemption PostFilter message. */
  function fitError(total: number, reasons: Map<string, number>): string {
    const histogram = (m: Map<string, number>) => [...m].map(([k, v]) => `${v} ${k}`).sort();
    let msg = `0/${total} nodes are available: ${histogram(reasons).join(', ')}.`;
    const preemption = new Map<string, number>();
    for (const [reason, n] of reasons) {
      const why = reason === 'Too many pods' || reason.startsWith('Insufficient ') ? 'No preemption victims found for incoming pod' : 'Preemption is not helpful for scheduling';
      preemption.set(why, (preemption.get(why) ?? 0) + n);
    }
    msg += ` preemption: 0/${total} nodes are available: ${histogram(preemption).join(', ')}.`;
    return msg;
  }

  async function schedule(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const pod = pods.get(ns, name);
    if (!pod || !isPending(pod) || pod.spec?.schedulingGates?.length) return;
    if (assumed.has(key)) return;
    const all = nodes.list();
    if (!all.length) return unschedulable(pod, NO_NODES_AVAILABLE);
    const volumes = podClaims(pod);
    if ('problem' in volumes) {
      const n = all.length;
      return unschedulable(pod, `0/${n} nodes are available: ${volumes.problem}. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`);
    }
    const reasons = new Map<string, number>();
    const feasible: Node[] = [];
    for (const node of all) {
      const why = filter(pod, node);
      if (why) reasons.set(why, (reasons.get(why) ?? 0) + 1);
      else feasible.push(node);
    }
    if (!feasible.length) return unschedulable(pod, fitError(all.length, reasons));
    const load = (n: Node) => podsOn(n.metadata.name!).length;
    const [chosen] = feasible.sort((a, b) => load(a) - load(b) || (a.metadata.name! < b.metadata.name! ? -1 : 1));
    const nodeName = chosen!.metadata.name!;
    assumed.set(key, nodeName);
    try {
      await selectNode(volumes.waiting, nodeName);
      await bind(pod, nodeName);
    } catch (err) {
      assumed.delete(key);
      // Gone, or bound or being deleted meanwhile: nothing left to do for it.
      if (isNotFound(err) || (err as { code?: number }).code === 409) return;
      throw err;
    }
    void recorder.record(pod, undefined, 'Normal', 'Scheduled', 'Binding', `Successfully assigned ${ns}/${name} to ${nodeName}`);
  }

  /** The Binding the scheduler POSTs to pods/binding (which sets spec.nodeName and PodScheduled=True). */
  async function bind(pod: Pod, nodeName: string): Promise<void> {
    const { name, namespace, uid } = pod.metadata;
    await client.createSubresource(R.pods, namespace ?? '', name!, 'binding', {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name, namespace, uid },
      target: { kind: 'Node', name: nodeName },
    });
  }

  /** handleSchedulingFailure: the event, PodScheduled=False Unschedulable, and a later retry. */
  async function unschedulable(pod: Pod, message: string): Promise<void> {
    void recorder.record(pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', message);
    try {
      await client.mutate(
        R.pods,
        pod.metadata.namespace ?? '',
        pod.metadata.name!,
        (cur) => {
          if (cur.metadata.uid !== pod.metadata.uid || cur.spec?.nodeName) return cur;
          const conditions = cur.status?.conditions ?? [];
          const old = conditions.find((c) => c.type === 'PodScheduled');
          if (old && old.status === 'False' && old.reason === 'Unschedulable' && old.message === message) return cur;
          const lastTransitionTime = old?.status === 'False' ? old.lastTransitionTime : formatTime(clock.now());
          const c: PodCondition = { type: 'PodScheduled', status: 'False', lastProbeTime: ZERO_TIME, lastTransitionTime, reason: 'Unschedulable', message };
          const status = { ...cur.status, conditions: old ? conditions.map((x) => (x === old ? c : x)) : [...conditions, c] };
          return asPatch({ ...cur, status });
        },
        'status',
      );
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    queue.addAfter(keyOf(pod), UNSCHEDULABLE_RETRY_MS);
  }

  const retryPending = () => {
    for (const p of pods.byIndex(NODE_NAME_INDEX, '')) if (isPending(p)) queue.add(keyOf(p));
  };

  /** Only a change that may let a pod fit (not a heartbeat) retries the pending pods. */
  const fitChanged = (old: Node, node: Node) =>
    JSON.stringify([old.spec?.unschedulable, old.spec?.taints, old.metadata.labels, old.status?.allocatable, taintsOf(old)]) !==
    JSON.stringify([node.spec?.unschedulable, node.spec?.taints, node.metadata.labels, node.status?.allocatable, taintsOf(node)]);
  return {
    async start() {
      informers.start();
      await waitForSync(nodes, pods, ...(claims && classes ? [claims, classes] : []));
      pods.on({
        add: (p) => isPending(p) && queue.add(keyOf(p)),
        update(old, p) {
          if (p.spec?.nodeName) assumed.delete(keyOf(p));
          if (isPending(p)) queue.add(keyOf(p));
          // A pod that leaves a node makes room on it.
          if (old.spec?.nodeName && !isTerminal(old) && isTerminal(p)) retryPending();
        },
        delete(p) {
          assumed.delete(keyOf(p));
          if (p.spec?.nodeName) retryPending();
        },
      });
      nodes.on({ add: retryPending, update: (old, node) => fitChanged(old, node) && retryPending() });
      // A claim made or bound may let a pod that waits for it be placed.
      claims?.on({ add: retryPending, update: (old, c) => old.spec?.volumeName !== c.spec?.volumeName && retryPending() });
    },
    stop() {
      queue.stop();
      recorder.stop();
    },
    flush: () => recorder.flush(),
  };
}
