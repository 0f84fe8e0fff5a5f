// The DaemonSet controller (pkg/controller/daemon): one pod of the template on every node that
// should run it. Each template version is a ControllerRevision `<ds>-<hash>` holding the patch that
// restores it; pods carry its hash (controller-revision-hash) and the template generation
// (pod-template-generation). Pods are made for a node as upstream makes them: with a required node
// affinity on `metadata.name` and the daemon tolerations, and the scheduler binds them. A rolling
// update deletes old pods within maxUnavailable and lets the next sync create new ones (or, with
// maxSurge, starts new pods beside old ones and deletes each old one once its successor is
// available); OnDelete waits for the old pods to be deleted. The status counts nodes as
// `kubectl get ds` and `kubectl rollout status` read them.
import type { DaemonSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Clock } from '../api/clock.js';
import { isNotFound } from '../api/errors.js';
import type { ControllerRevision, DaemonSet, Node, Pod } from '../api/kinds.js';
import type { KubeObject } from '../api/meta.js';
import { R, type Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { waitForSync } from '../client/informer.js';
import { keyOf } from '../client/object-cache.js';
import { WorkQueue } from '../client/queue.js';
import {
  asPatch,
  claim,
  claimCandidates,
  controllerRefOf,
  createPod,
  deletePod,
  Expectations,
  isPodAvailable,
  isPodReady,
  isTerminal,
  newControllerRef,
  parseSelector,
  podFromTemplate,
  retryOnConflict,
  selects,
  slowStartBatch,
  splitKey,
  type PodControl,
} from './controller-utils.js';
import {
  byCreationAndPhase,
  daemonPodTemplate,
  isPodUpdated,
  nodeNameAffinity,
  nodeShouldRunDaemonPod,
  surgeCount,
  targetNode,
  templateGeneration,
  unavailableCount,
  updatedPodsOn,
  withoutZeros,
} from './daemonset-util.js';
import type { EventRecorder } from './events.js';
import { controllerHistory, REVISION_HASH } from './history.js';
import { taintsOf } from './node-fit.js';

const DAEMONSET_CONTROLLER = 'daemonset-controller';
/** At most this many pods are created or deleted in one sync. */
const BURST_REPLICAS = 250;
const FAILED_POD_MAX_BACKOFF_MS = 15 * 60_000;

// ---- the controller ----

export interface DaemonSetControllerDeps {
  client: Client;
  informers: InformerFactory;
  clock: Clock;
  recorder: EventRecorder;
}

export function daemonSetController({ client, informers, clock, recorder }: DaemonSetControllerDeps) {
  const daemonSets = informers.forResource(R.daemonsets);
  const pods = informers.forResource(R.pods);
  const nodes = informers.forResource(R.nodes);
  const revisions = informers.forResource(R.controllerrevisions);
  const expectations = new Expectations(clock);
  const queue = new WorkQueue(DAEMONSET_CONTROLLER, reconcile, 5, 30_000);
  const pc: PodControl = { client, recorder, component: DAEMONSET_CONTROLLER };
  const refOf = (ds: DaemonSet) => newControllerRef(ds, 'apps/v1', 'DaemonSet');
  const history = controllerHistory({ client, revisions, pods, owners: R.daemonsets, kind: 'DaemonSet' });

  /** The DaemonSet that controls an object, if it is one we know. */
  function ownerOf(o: KubeObject): DaemonSet | undefined {
    const ref = controllerRefOf(o);
    if (!ref || ref.kind !== 'DaemonSet') return undefined;
    const ds = daemonSets.get(o.metadata.namespace ?? '', ref.name);
    return ds?.metadata.uid === ref.uid ? ds : undefined;
  }

  function podChanged(pod: Pod, old?: Pod, deleted = false): void {
    const ds = ownerOf(pod) ?? (old ? ownerOf(old) : undefined);
    if (ds) {
      const key = keyOf(ds);
      expectations.podObserved(key, pod, old, deleted);
      queue.add(key);
      return;
    }
    if (controllerRefOf(pod) || deleted) return;
    for (const d of daemonSets.list(pod.metadata.namespace ?? '')) if (selects(parseSelector(d.spec?.selector), pod)) queue.add(keyOf(d));
  }

  const enqueueAll = () => daemonSets.list().forEach((d) => queue.add(keyOf(d)));
  /** Only a change that may move a daemon pod on or off a node (not a heartbeat). */
  const fitOf = (n: Node) => JSON.stringify([n.metadata.labels, n.spec?.taints, taintsOf(n)]);

  /** The DaemonSet's pods by the node they are for (getNodesToDaemonPods); pods being deleted that have finished are left out. */
  function podsByNode(ds: DaemonSet, includeDeletedTerminal = false): Map<string, Pod[]> {
    const byNode = new Map<string, Pod[]>();
    for (const pod of pods.controlledBy(ds.metadata.uid!)) {
      const node = targetNode(pod);
      if (!node || (!includeDeletedTerminal && pod.metadata.deletionTimestamp && isTerminal(pod))) continue;
      byNode.set(node, [...(byNode.get(node) ?? []), pod]);
    }
    return byNode;
  }

  // ---- pods ----

  /** syncNodes: deletes the pods named and creates one pod for each node named, in slow-start batches. */
  async function syncNodes(ds: DaemonSet, key: string, toDelete: Pod[], toCreate: string[], hash: string): Promise<void> {
    const creates = toCreate.slice(0, BURST_REPLICAS);
    const deletes = toDelete.slice(0, BURST_REPLICAS);
    expectations.expectCreations(key, creates.length);
    expectations.expectDeletions(key, deletes.map(keyOf));
    const template = daemonPodTemplate(ds, hash);
    const ns = ds.metadata.namespace ?? '';
    const { attempted, error } = await slowStartBatch(creates.length, 1, async (i) => {
      const pod = podFromTemplate(template, ds, refOf(ds));
      pod.spec!.affinity = nodeNameAffinity(pod.spec!.affinity, creates[i]!);
      try {
        await createPod(pc, pod, ds);
      } catch (err) {
        expectations.creationObserved(key);
        throw err;
      }
    });
    for (let i = attempted; i < creates.length; i++) expectations.creationObserved(key);
    const results = await Promise.allSettled(
      deletes.map(async (p) => {
        try {
          await deletePod(pc, ns, p.metadata.name!, ds);
        } catch (err) {
          expectations.deletionObserved(key, keyOf(p));
          if (!isNotFound(err)) throw err;
        }
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (error || failed) throw error ?? failed!.reason;
  }

  /** manage: a pod for each node that should run one and has none; no pods where none should run, nor failed or extra ones. */
  async function manage(ds: DaemonSet, key: string, hash: string): Promise<void> {
    const byNode = podsByNode(ds);
    const nodeNames = new Set<string>();
    const toCreate: string[] = [];
    const toDelete: Pod[] = [];
    const surging = ds.spec?.updateStrategy?.type === 'RollingUpdate' && surgeCount(ds, 1) > 0;
    for (const node of nodes.list()) {
      nodeNames.add(node.metadata.name!);
      const [shouldRun, shouldContinue] = nodeShouldRunDaemonPod(node, ds);
      const onNode = byNode.get(node.metadata.name!) ?? [];
      if (shouldRun && !onNode.length) toCreate.push(node.metadata.name!);
      else if (shouldContinue) {
        const { remove, create } = podsToReplace(ds, node.metadata.name!, onNode, hash, surging);
        toDelete.push(...remove);
        if (create && shouldRun) toCreate.push(node.metadata.name!);
      } else toDelete.push(...onNode.filter((p) => !p.metadata.deletionTimestamp));
    }
    // getUnscheduledPodsWithoutNode: pods for nodes that are gone, never bound (bound ones are the pod GC's).
    for (const [node, onNode] of byNode) if (!nodeNames.has(node)) toDelete.push(...onNode.filter((p) => !p.spec?.nodeName && !p.metadata.deletionTimestamp));
    await syncNodes(ds, key, toDelete, toCreate, hash);
  }

  /** failedPodsBackoff (1 s, doubling up to 15 min, per DaemonSet and node): whether a failed pod may be deleted now, else a later sync. */
  const failedBackoff = new Map<string, { delayMs: number; at: number }>();
  function failedPodBackoff(ds: DaemonSet, nodeName: string): boolean {
    const key = `${ds.metadata.uid}/${nodeName}`;
    const now = clock.now().getTime();
    const entry = failedBackoff.get(key);
    if (entry && now - entry.at < entry.delayMs) {
      queue.addAfter(keyOf(ds), entry.delayMs);
      return false;
    }
    const stale = !entry || now - entry.at > 2 * FAILED_POD_MAX_BACKOFF_MS;
    failedBackoff.set(key, { delayMs: stale ? 1000 : Math.min(entry.delayMs * 2, FAILED_POD_MAX_BACKOFF_MS), at: now });
    return true;
  }

  /**
   * podsShouldBeOnNode's part for a node that keeps its daemon pod: failed pods go (within the
   * backoff); of the others the oldest stays, or, surging, the oldest old and oldest new ones, the
   * old one only while it is ready and the new one not yet available. Answers the pods to delete,
   * and whether a surging node has none left and needs one.
   */
  function podsToReplace(ds: DaemonSet, nodeName: string, onNode: Pod[], hash: string, surging: boolean): { remove: Pod[]; create: boolean } {
    const remove: Pod[] = [];
    const running: Pod[] = [];
    for (const pod of onNode) {
      if (pod.metadata.deletionTimestamp) continue;
      if (pod.status?.phase !== 'Failed') running.push(pod);
      else if (failedPodBackoff(ds, nodeName)) {
        void recorder.record(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${nodeName}, will try to kill it`, DAEMONSET_CONTROLLER);
        remove.push(pod);
      }
    }
    running.sort(byCreationAndPhase);
    if (!surging) return { remove: [...remove, ...running.slice(1)], create: false };
    let oldestNew: Pod | undefined;
    let oldestOld: Pod | undefined;
    for (const pod of running) {
      const isNew = pod.metadata.labels?.[REVISION_HASH] === hash;
      if (isNew && !oldestNew) oldestNew = pod;
      else if (!isNew && !oldestOld) oldestOld = pod;
      else remove.push(pod);
    }
    if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, ds.spec?.minReadySeconds ?? 0, clock.now()))) remove.push(oldestOld);
    return { remove, create: running.length === 0 };
  }

  /** rollingUpdate: old pods make way for new ones within maxUnavailable, or new ones start beside them within maxSurge. */
  async function rollingUpdate(ds: DaemonSet, key: string, hash: string): Promise<void> {
    const byNode = podsByNode(ds);
    const shouldRun = new Map(nodes.list().map((n) => [n.metadata.name!, nodeShouldRunDaemonPod(n, ds)[0]]));
    const desired = [...shouldRun.values()].filter(Boolean).length;
    for (const [name, run] of shouldRun) if (run && !byNode.has(name)) byNode.set(name, []);
    let maxUnavailable = unavailableCount(ds, desired);
    const maxSurge = surgeCount(ds, desired);
    if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
    const now = clock.now();
    const available = (p: Pod) => isPodAvailable(p, ds.spec?.minReadySeconds ?? 0, now);

    if (maxSurge === 0) {
      let unavailable = 0;
      const replacements: Pod[] = [];
      const candidates: Pod[] = [];
      for (const onNode of byNode.values()) {
        const found = updatedPodsOn(ds, onNode, hash);
        if (!found || !found.oldPod === !found.newPod) unavailable++;
        else if (found.newPod) unavailable += available(found.newPod) ? 0 : 1;
        else if (!available(found.oldPod!)) {
          replacements.push(found.oldPod!);
          unavailable++;
        } else if (unavailable < maxUnavailable) candidates.push(found.oldPod!);
      }
      const room = Math.min(Math.max(maxUnavailable - unavailable, 0), candidates.length);
      return syncNodes(ds, key, [...replacements, ...candidates.slice(0, room)], [], hash);
    }

    const oldToDelete: Pod[] = [];
    const replacementNodes: string[] = [];
    const candidateNodes: string[] = [];
    let surge = 0;
    for (const [nodeName, onNode] of byNode) {
      const found = updatedPodsOn(ds, onNode, hash);
      if (!found) {
        surge++;
        continue;
      }
      const { newPod, oldPod } = found;
      if (!oldPod) continue;
      if (newPod) {
        if (available(newPod)) oldToDelete.push(oldPod);
        else surge++;
      } else if (!shouldRun.get(nodeName)) {
        if (!available(oldPod)) oldToDelete.push(oldPod);
      } else if (!available(oldPod)) replacementNodes.push(nodeName);
      else if (surge < maxSurge) candidateNodes.push(nodeName);
    }
    const room = Math.min(Math.max(maxSurge - surge, 0), candidateNodes.length);
    return syncNodes(ds, key, oldToDelete, [...replacementNodes, ...candidateNodes.slice(0, room)], hash);
  }

  // ---- status ----

  /** updateDaemonSetStatus: counts of nodes, each by its oldest daemon pod. */
  async function updateStatus(ds: DaemonSet, hash: string, observed: boolean): Promise<void> {
    const byNode = podsByNode(ds);
    const now = clock.now();
    const counts = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, updatedNumberScheduled: 0, numberAvailable: 0, numberUnavailable: 0 };
    for (const node of nodes.list()) {
      const onNode = [...(byNode.get(node.metadata.name!) ?? [])].sort(byCreationAndPhase);
      if (!nodeShouldRunDaemonPod(node, ds)[0]) {
        if (onNode.length) counts.numberMisscheduled++;
        continue;
      }
      counts.desiredNumberScheduled++;
      const pod = onNode[0];
      if (!pod) continue;
      counts.currentNumberScheduled++;
      if (isPodReady(pod)) {
        counts.numberReady++;
        if (isPodAvailable(pod, ds.spec?.minReadySeconds ?? 0, now)) counts.numberAvailable++;
      }
      if (isPodUpdated(pod, hash, templateGeneration(ds))) counts.updatedNumberScheduled++;
    }
    counts.numberUnavailable = counts.desiredNumberScheduled - counts.numberAvailable;
    const generation = ds.metadata.generation ?? 0;
    const unchanged = Object.entries(counts).every(([k, v]) => (ds.status?.[k as keyof DaemonSetStatus] ?? 0) === v);
    if (!unchanged || (ds.status?.observedGeneration ?? 0) < generation) {
      await client.mutate(
        R.daemonsets,
        ds.metadata.namespace ?? '',
        ds.metadata.name!,
        (cur) => (cur.metadata.uid === ds.metadata.uid ? asPatch({ ...cur, status: withoutZeros({ ...cur.status, ...counts, ...(observed ? { observedGeneration: generation } : {}) }) }) : cur),
        'status',
      );
    }
    const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
    if (minReadySeconds > 0 && counts.numberReady !== counts.numberAvailable) queue.addAfter(keyOf(ds), minReadySeconds * 1000);
  }

  async function syncDaemonSet(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const ds = daemonSets.get(ns, name);
    if (!ds) {
      expectations.delete(key);
      return;
    }
    if (ds.metadata.deletionTimestamp) return;
    const sel = parseSelector(ds.spec?.selector);
    await claim(client, R.pods, ds, refOf(ds), sel, claimCandidates(pods, ds, sel));
    const { cur, old } = await history.construct(ds);
    const hash = cur.metadata.labels?.[REVISION_HASH] ?? '';
    if (!expectations.satisfied(key)) return updateStatus(ds, hash, false);
    await manage(ds, key, hash);
    if (expectations.satisfied(key) && ds.spec?.updateStrategy?.type === 'RollingUpdate') await rollingUpdate(ds, key, hash);
    await history.cleanup(ds, old, new Set([...podsByNode(ds, true).values()].flat().map((p) => p.metadata.labels?.[REVISION_HASH])));
    await updateStatus(ds, hash, true);
  }

  async function reconcile(key: string): Promise<void> {
    try {
      await syncDaemonSet(key);
    } catch (err) {
      if (isNotFound(err)) return;
      retryOnConflict(err, () => queue.addAfter(key, 20));
    }
  }

  return {
    async start() {
      informers.start();
      await waitForSync(daemonSets, pods, nodes, revisions);
      daemonSets.on({ add: (o) => queue.add(keyOf(o)), update: (_, o) => queue.add(keyOf(o)), delete: (o) => queue.add(keyOf(o)) });
      pods.on({ add: (p) => podChanged(p), update: (old, p) => podChanged(p, old), delete: (p) => podChanged(p, undefined, true) });
      nodes.on({ add: enqueueAll, update: (old, n) => fitOf(old) !== fitOf(n) && enqueueAll(), delete: enqueueAll });
      const revisionChanged = (cr: ControllerRevision) => {
        const ds = ownerOf(cr);
        if (ds) queue.add(keyOf(ds));
      };
      revisions.on({ add: revisionChanged, update: (_, cr) => revisionChanged(cr), delete: revisionChanged });
    },
    stop: () => queue.stop(),
  };
}
