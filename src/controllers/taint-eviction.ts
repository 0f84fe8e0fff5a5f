// The taint eviction controller (pkg/controller/tainteviction): a pod on a node with a NoExecute
// taint it does not tolerate is deleted at once; one that tolerates every such taint, some for a
// while (tolerationSeconds), is deleted when the shortest of those runs out, counted from when the
// controller saw the taint; one that tolerates them all for ever stays. Before the delete it records
// TaintManagerEviction "Marking for deletion Pod <ns>/<name>" and marks the pod
// DisruptionTarget (DeletionByTaintManager); a deletion given up (the taint went, the pod now
// tolerates it, the pod left) records "Cancelling deletion of Pod <ns>/<name>".
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../api/clock.js';
import { isNotFound } from '../api/errors.js';
import type { Node, Pod } from '../api/kinds.js';
import { deepEqual, formatTime } from '../api/meta.js';
import { R, type Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { waitForSync } from '../client/informer.js';
import { keyOf, NODE_NAME_INDEX, podsByNodeName } from '../client/object-cache.js';
import { WorkQueue } from '../client/queue.js';
import { splitKey } from './controller-utils.js';
import type { EventRecorder } from './events.js';
import { toleratesTaint } from './node-fit.js';

export const TAINT_EVICTION_CONTROLLER = 'taint-eviction-controller';
/** How often, in real time, the controller looks for evictions that fell due. */
const TICK_MS = 1000;

export interface TaintEvictionDeps {
  client: Client;
  informers: InformerFactory;
  clock: Clock;
  recorder: EventRecorder;
}

const noExecuteTaints = (node: Node | undefined): Taint[] => (node?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');

/**
 * How long the pod may stay on a node with these taints: 0 when one is not tolerated, the shortest
 * tolerationSeconds of the tolerations used (GetMatchingTolerations, getMinTolerationTime), or
 * undefined for ever.
 */
export function tolerationTimeMs(taints: Taint[], tolerations: Toleration[]): number | undefined {
  let min: number | undefined;
  for (const taint of taints) {
    const used = tolerations.find((t) => toleratesTaint(t, taint));
    if (!used) return 0;
    const seconds = used.tolerationSeconds;
    if (seconds === undefined || seconds === null) continue;
    if (seconds <= 0) return 0;
    min = Math.min(min ?? seconds, seconds);
  }
  return min === undefined ? undefined : min * 1000;
}

export function taintEvictionController({ client, informers, clock, recorder }: TaintEvictionDeps) {
  const nodes = informers.forResource(R.nodes);
  const pods = informers.forResource(R.pods);
  pods.addIndex(NODE_NAME_INDEX, podsByNodeName);
  /** Evictions by pod key: when they were planned and fall due, and whether they were done. */
  const scheduled = new Map<string, { createdAt: number; fireAt: number; done?: boolean }>();
  const deletions = new WorkQueue(TAINT_EVICTION_CONTROLLER, deletePod);
  let timer: NodeJS.Timeout | undefined;

  const podRef = (key: string): Pod => {
    const [namespace, name] = splitKey(key);
    return { apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name } };
  };

  function cancel(key: string): void {
    const work = scheduled.get(key);
    if (!work) return;
    scheduled.delete(key);
    if (!work.done) void recorder.record(podRef(key), 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`, TAINT_EVICTION_CONTROLLER);
  }

  /** Deletions that fell due go to the queue. */
  function evictDue(): void {
    const now = clock.now().getTime();
    for (const [key, work] of scheduled) {
      if (work.done || work.fireAt > now) continue;
      work.done = true;
      deletions.add(key);
    }
  }

  /** processPodOnNode */
  function processPod(key: string, tolerations: Toleration[], taints: Taint[]): void {
    if (!taints.length) return cancel(key);
    const now = clock.now().getTime();
    const ms = tolerationTimeMs(taints, tolerations);
    if (ms === undefined) return cancel(key);
    const existing = scheduled.get(key);
    // A deletion done stays done; one planned earlier keeps its time, unless the pod must go now.
    if (existing?.done || (existing && (ms === 0 ? existing.fireAt <= now : existing.createdAt < now))) return;
    cancel(key);
    scheduled.set(key, { createdAt: now, fireAt: now + ms });
    evictDue();
  }

  /** handleNodeUpdate: every pod on the node, against its NoExecute taints. */
  function nodeChanged(name: string): void {
    const taints = noExecuteTaints(nodes.get('', name));
    for (const p of pods.byIndex(NODE_NAME_INDEX, name)) processPod(keyOf(p), p.spec?.tolerations ?? [], taints);
  }

  /** handlePodUpdate */
  function podChanged(key: string): void {
    const [namespace, name] = splitKey(key);
    const pod = pods.get(namespace, name);
    if (!pod?.spec?.nodeName) return cancel(key);
    processPod(key, pod.spec.tolerations ?? [], noExecuteTaints(nodes.get('', pod.spec.nodeName)));
  }

  /** addConditionAndDeletePod, after the event. */
  async function deletePod(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    void recorder.record(podRef(key), 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`, TAINT_EVICTION_CONTROLLER);
    try {
      const pod = await client.mutate(
        R.pods,
        namespace,
        name,
        (cur) => {
          const conditions = cur.status?.conditions ?? [];
          const old = conditions.find((c) => c.type === 'DisruptionTarget');
          const condition = { type: 'DisruptionTarget', status: 'True', lastTransitionTime: old?.status === 'True' ? old.lastTransitionTime : formatTime(clock.now()), reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' };
          if (old?.status === condition.status && old.reason === condition.reason && old.message === condition.message) return cur;
          return { ...cur, status: { ...cur.status, conditions: [...conditions.filter((c) => c !== old), condition] } };
        },
        'status',
      );
      await client.delete(R.pods, namespace, name, { preconditions: { uid: pod.metadata.uid } });
    } catch (err) {
      if (!isNotFound(err) && (err as { code?: number }).code !== 409) throw err;
    }
  }

  return {
    async start() {
      informers.start();
      await waitForSync(nodes, pods);
      nodes.on({
        add: (n) => nodeChanged(n.metadata.name!),
        update: (old, n) => !deepEqual(noExecuteTaints(old), noExecuteTaints(n)) && nodeChanged(n.metadata.name!),
        delete: (n) => nodeChanged(n.metadata.name!),
      });
      pods.on({
        add: (p) => podChanged(keyOf(p)),
        update: (old, p) => (old.spec?.nodeName !== p.spec?.nodeName || !deepEqual(old.spec?.tolerations, p.spec?.tolerations)) && podChanged(keyOf(p)),
        delete: (p) => cancel(keyOf(p)),
      });
      timer = setInterval(evictDue, TICK_MS);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      deletions.stop();
    },
    /** Queues the deletions that fell due (tests move a manual clock, then call it). */
    evictDue,
  };
}
