// The StatefulSet controller (pkg/controller/statefulset): pods `<set>-<ordinal>` for the ordinals
// from spec.ordinals.start, each with a claim `<template>-<pod>` per volumeClaimTemplate, created
// before the pod. OrderedReady sets create one pod at a time, each once the ones below run and are
// ready, and scale down from the highest ordinal one at a time; Parallel sets do it all at once.
// Each template is a ControllerRevision (shared with DaemonSets in history.ts) and a pod carries its
// revision's name; RollingUpdate replaces pods not at the update revision from the highest ordinal
// down to the partition, one at a time; OnDelete waits for them to be deleted. Claims stay on
// scale-down and deletion unless persistentVolumeClaimRetentionPolicy says Delete, which makes the
// pod or the set their owner for the garbage collector.
import type { StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { Clock } from '../api/clock.js';
import { isNotFound } from '../api/errors.js';
import type { ControllerRevision, PersistentVolumeClaim, Pod, StatefulSet } from '../api/kinds.js';
import { deepEqual, type KubeObject } from '../api/meta.js';
import { R, type Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { waitForSync } from '../client/informer.js';
import { keyOf } from '../client/object-cache.js';
import { WorkQueue } from '../client/queue.js';
import { asPatch, claim, claimCandidates, controllerRefOf, isPodAvailable, isTerminal, newControllerRef, parseSelector, retryOnConflict, selects, splitKey } from './controller-utils.js';
import type { EventRecorder } from './events.js';
import { controllerHistory, REVISION_HASH, revisionTemplate } from './history.js';
import { claimsFor, isMemberOf, isRunningAndReady, newStatefulSetPod, parentAndOrdinal, podRevision, replicasOf, startOrdinal, withoutEmpty } from './statefulset-util.js';

const STATEFULSET_CONTROLLER = 'statefulset-controller';

export interface StatefulSetControllerDeps {
  client: Client;
  informers: InformerFactory;
  clock: Clock;
  recorder: EventRecorder;
}

type Counts = Required<Pick<StatefulSetStatus, 'replicas' | 'readyReplicas' | 'availableReplicas' | 'currentReplicas' | 'updatedReplicas'>>;

export function statefulSetController({ client, informers, clock, recorder }: StatefulSetControllerDeps) {
  const sets = informers.forResource(R.statefulsets);
  const pods = informers.forResource(R.pods);
  const claims = informers.forResource(R.persistentvolumeclaims);
  const revisions = informers.forResource(R.controllerrevisions);
  const queue = new WorkQueue(STATEFULSET_CONTROLLER, reconcile, 5, 30_000);
  const history = controllerHistory({ client, revisions, pods, owners: R.statefulsets, kind: 'StatefulSet' });
  const refOf = (set: StatefulSet) => newControllerRef(set, 'apps/v1', 'StatefulSet');
  const plainRef = (o: KubeObject, apiVersion: string, kind: string): OwnerReference => ({ apiVersion, kind, name: o.metadata.name!, uid: o.metadata.uid! });

  /** The StatefulSet that controls an object, if it is one we know. */
  function ownerOf(o: KubeObject): StatefulSet | undefined {
    const ref = controllerRefOf(o);
    if (!ref || ref.kind !== 'StatefulSet') return undefined;
    const set = sets.get(o.metadata.namespace ?? '', ref.name);
    return set?.metadata.uid === ref.uid ? set : undefined;
  }

  function podChanged(pod: Pod): void {
    const set = ownerOf(pod);
    if (set) return queue.add(keyOf(set));
    if (controllerRefOf(pod)) return;
    for (const s of sets.list(pod.metadata.namespace ?? '')) if (selects(parseSelector(s.spec?.selector), pod)) queue.add(keyOf(s));
  }

  // ---- pod control (stateful_pod_control.go) ----

  function recordPodEvent(set: StatefulSet, verb: 'create' | 'delete', pod: Pod, err?: unknown): void {
    const Verb = verb === 'create' ? 'Create' : 'Delete';
    if (err) void recorder.record(set, 'Warning', `Failed${Verb}`, `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(err as Error).message}`, STATEFULSET_CONTROLLER);
    else void recorder.record(set, 'Normal', `Successful${Verb}`, `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`, STATEFULSET_CONTROLLER);
  }

  /** The owners the retention policy gives a claim: the set when deleted, the pod when scaled away. */
  function retentionOwners(set: StatefulSet, pod: Pod | undefined): OwnerReference[] {
    const policy = set.spec?.persistentVolumeClaimRetentionPolicy;
    const refs = policy?.whenDeleted === 'Delete' ? [plainRef(set, 'apps/v1', 'StatefulSet')] : [];
    if (pod && policy?.whenScaled === 'Delete') refs.push(plainRef(pod, 'v1', 'Pod'));
    return refs;
  }

  /** createPersistentVolumeClaims: the pod's claims that do not exist yet. */
  async function createClaims(set: StatefulSet, pod: Pod, ordinal: number): Promise<void> {
    for (const c of claimsFor(set, ordinal).values()) {
      if (claims.get(c.metadata.namespace ?? '', c.metadata.name!)) continue;
      const owners = retentionOwners(set, undefined);
      const claimObj: PersistentVolumeClaim = owners.length ? { ...c, metadata: { ...c.metadata, ownerReferences: owners } } : c;
      try {
        await client.create(R.persistentvolumeclaims, c.metadata.namespace ?? '', claimObj);
      } catch (err) {
        if ((err as { reason?: string }).reason === 'AlreadyExists') continue;
        void recorder.record(set, 'Warning', 'FailedCreate', `create Claim ${c.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(err as Error).message}`, STATEFULSET_CONTROLLER);
        throw err;
      }
      void recorder.record(set, 'Normal', 'SuccessfulCreate', `create Claim ${c.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`, STATEFULSET_CONTROLLER);
    }
  }

  /** CreateStatefulPod: the claims, then the pod. */
  async function createPod(set: StatefulSet, pod: Pod): Promise<void> {
    await createClaims(set, pod, parentAndOrdinal(pod)[1]);
    try {
      await client.create(R.pods, set.metadata.namespace ?? '', pod);
    } catch (err) {
      if ((err as { reason?: string }).reason === 'AlreadyExists') return;
      recordPodEvent(set, 'create', pod, err);
      throw err;
    }
    recordPodEvent(set, 'create', pod);
  }

  async function deletePod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await client.delete(R.pods, set.metadata.namespace ?? '', pod.metadata.name!);
    } catch (err) {
      if (isNotFound(err)) return;
      recordPodEvent(set, 'delete', pod, err);
      throw err;
    }
    recordPodEvent(set, 'delete', pod);
  }

  /** A pod scaled away under whenScaled Delete: its claims get it as owner, so they go with it. */
  async function ownClaimsByPod(set: StatefulSet, pod: Pod): Promise<void> {
    if (set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled !== 'Delete') return;
    for (const c of claimsFor(set, parentAndOrdinal(pod)[1]).values()) {
      const cur = claims.get(c.metadata.namespace ?? '', c.metadata.name!);
      if (!cur || cur.metadata.ownerReferences?.some((r) => r.uid === pod.metadata.uid)) continue;
      await client.mutate(R.persistentvolumeclaims, c.metadata.namespace ?? '', c.metadata.name!, (x) =>
        asPatch({ ...x, metadata: { ...x.metadata, ownerReferences: [...(x.metadata.ownerReferences ?? []), plainRef(pod, 'v1', 'Pod')] } }),
      );
    }
  }

  // ---- updateStatefulSet (stateful_set_control.go) ----

  /**
   * One pass over the set's pods: create the missing replicas, replace failed ones, delete the
   * condemned (ordinals beyond the range) from the highest, then roll the update. OrderedReady
   * stops at the first pod it acted on or must wait for. Answers the counts for the status.
   */
  async function updatePods(set: StatefulSet, owned: Pod[], current: ControllerRevision, update: ControllerRevision): Promise<Counts> {
    const count = replicasOf(set);
    const start = startOrdinal(set);
    const replicas: (Pod | undefined)[] = new Array(count).fill(undefined);
    const condemned: Pod[] = [];
    for (const pod of owned) {
      const index = parentAndOrdinal(pod)[1] - start;
      if (index >= 0 && index < count) replicas[index] = pod;
      else condemned.push(pod);
    }
    condemned.sort((a, b) => parentAndOrdinal(b)[1] - parentAndOrdinal(a)[1]);

    const now = clock.now();
    const minReadySeconds = set.spec?.minReadySeconds ?? 0;
    const healthy = (p: Pod) => isRunningAndReady(p) && isPodAvailable(p, minReadySeconds, now);
    const counts: Counts = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 };
    const countRevision = (revision: string | undefined) => {
      if (revision === current.metadata.name) counts.currentReplicas++;
      if (revision === update.metadata.name) counts.updatedReplicas++;
    };
    for (const pod of owned) {
      if (pod.status?.phase) counts.replicas++;
      if (isRunningAndReady(pod)) {
        counts.readyReplicas++;
        if (isPodAvailable(pod, minReadySeconds, now)) counts.availableReplicas++;
      }
      if (pod.status?.phase && !pod.metadata.deletionTimestamp) countRevision(podRevision(pod));
    }

    const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
    const rolling = set.spec?.updateStrategy?.type !== 'OnDelete';
    const partition = rolling ? set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0 : 0;

    for (let i = 0; i < count; i++) {
      const pod = replicas[i];
      if (!pod) {
        // newVersionedStatefulSetPod: below the partition, pods stay at the current revision.
        const revision = rolling && i < partition ? current : update;
        await createPod(set, newStatefulSetPod(set, revisionTemplate(revision), revision.metadata.name!, start + i, refOf(set)));
        counts.replicas++;
        countRevision(revision.metadata.name);
        if (monotonic) return counts;
        continue;
      }
      if (isTerminal(pod) && !pod.metadata.deletionTimestamp) {
        // A new pod is made on a later sync, once this one is gone.
        await deletePod(set, pod);
        if (monotonic) return counts;
        continue;
      }
      if (monotonic && (pod.metadata.deletionTimestamp || !healthy(pod))) return counts;
    }

    const firstUnhealthy = condemned.find((p) => !isRunningAndReady(p));
    for (const pod of condemned) {
      if (pod.metadata.deletionTimestamp) {
        if (monotonic) return counts;
        continue;
      }
      if (monotonic && !isRunningAndReady(pod) && pod !== firstUnhealthy) return counts;
      await ownClaimsByPod(set, pod);
      await deletePod(set, pod);
      if (monotonic) return counts;
    }

    if (!rolling) return counts;
    for (let i = count - 1; i >= partition; i--) {
      const pod = replicas[i];
      if (!pod) return counts;
      if (podRevision(pod) !== update.metadata.name && !pod.metadata.deletionTimestamp) {
        await deletePod(set, pod);
        if (podRevision(pod) === current.metadata.name) counts.currentReplicas--;
        return counts;
      }
      if (!healthy(pod)) return counts;
    }
    return counts;
  }

  /** updateStatefulSetStatus, with completeRollingUpdate: once every pod is updated and ready, the update revision becomes the current one. */
  async function updateStatus(set: StatefulSet, counts: Counts, current: ControllerRevision, update: ControllerRevision): Promise<void> {
    const status: StatefulSetStatus = {
      ...counts,
      observedGeneration: set.metadata.generation ?? 0,
      currentRevision: current.metadata.name,
      updateRevision: update.metadata.name,
      collisionCount: set.status?.collisionCount ?? 0,
      ...(set.status?.conditions ? { conditions: set.status.conditions } : {}),
    };
    if (set.spec?.updateStrategy?.type !== 'OnDelete' && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
      status.currentReplicas = status.updatedReplicas;
      status.currentRevision = status.updateRevision;
    }
    const next = withoutEmpty(status);
    if (!deepEqual(next, withoutEmpty({ ...set.status, replicas: set.status?.replicas ?? 0 }))) {
      await client.mutate(R.statefulsets, set.metadata.namespace ?? '', set.metadata.name!, (cur) => (cur.metadata.uid === set.metadata.uid ? asPatch({ ...cur, status: next }) : cur), 'status');
    }
    const minReadySeconds = set.spec?.minReadySeconds ?? 0;
    if (minReadySeconds > 0 && counts.readyReplicas !== counts.availableReplicas) queue.addAfter(keyOf(set), minReadySeconds * 1000);
  }

  async function syncStatefulSet(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const set = sets.get(ns, name);
    if (!set || set.metadata.deletionTimestamp) return;
    const sel = parseSelector(set.spec?.selector);
    const owned = (await claim(client, R.pods, set, refOf(set), sel, claimCandidates(pods, set, sel))).filter((p) => isMemberOf(set, p));
    const { cur: update, old } = await history.construct(set);
    const current = old.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
    const counts = await updatePods(set, owned, current, update);
    await updateStatus(set, counts, current, update);
    // truncateHistory: the revisions pods run, and the current and update ones, stay.
    const live = new Set([...owned.map(podRevision), current.metadata.name, update.metadata.name]);
    await history.cleanup(set, old, new Set(old.filter((r) => live.has(r.metadata.name)).map((r) => r.metadata.labels?.[REVISION_HASH])));
  }

  async function reconcile(key: string): Promise<void> {
    try {
      await syncStatefulSet(key);
    } catch (err) {
      if (isNotFound(err)) return;
      retryOnConflict(err, () => queue.addAfter(key, 20));
    }
  }

  return {
    async start() {
      informers.start();
      await waitForSync(sets, pods, claims, revisions);
      sets.on({ add: (o) => queue.add(keyOf(o)), update: (_, o) => queue.add(keyOf(o)), delete: (o) => queue.add(keyOf(o)) });
      pods.on({ add: podChanged, update: (_, p) => podChanged(p), delete: podChanged });
      const revisionChanged = (cr: ControllerRevision) => {
        const set = ownerOf(cr);
        if (set) queue.add(keyOf(set));
      };
      revisions.on({ add: revisionChanged, update: (_, cr) => revisionChanged(cr), delete: revisionChanged });
    },
    stop: () => queue.stop(),
  };
}
