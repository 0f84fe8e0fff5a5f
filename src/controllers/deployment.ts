// The Deployment controller (pkg/controller/deployment): a Deployment owns ReplicaSets named
// `<deployment>-<pod-template-hash>`; the one whose template is the Deployment's is the new one,
// and a rollout moves replicas from the old ones to it — all at once after the old pods are gone
// (Recreate) or within maxSurge and maxUnavailable (RollingUpdate). Changes of replicas alone are
// scaling events, spread over the active ReplicaSets in proportion. Old ReplicaSets beyond
// revisionHistoryLimit are deleted; the status sums the ReplicaSets' and carries the Available,
// Progressing and ReplicaFailure conditions `kubectl rollout status` reads.
import type { DeploymentCondition, DeploymentStatus, ReplicaSetCondition, ReplicaSetSpec } from 'kubernetes-types/apps/v1.js';
import type { Clock } from '../api/clock.js';
import type { Deployment, Pod, ReplicaSet } from '../api/kinds.js';
import { deepEqual } from '../api/meta.js';
import { R, type Client } from '../client/client.js';
import { claim, claimCandidates, controllerRefOf, isTerminal, newControllerRef, parseSelector, phaseOf, retryOnConflict, selects, splitKey } from './controller-utils.js';
import {
  activeReplicaSets,
  byCreation,
  byRevision,
  computeHash,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  desiredReplicasAnnotation,
  FAILED_RS_CREATE,
  findNewReplicaSet,
  findOldReplicaSets,
  FOUND_NEW_RS,
  getCondition,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  isRollingUpdate,
  isSaturated,
  maxRevision,
  maxSurge,
  maxUnavailable,
  MINIMUM_REPLICAS_AVAILABLE,
  MINIMUM_REPLICAS_UNAVAILABLE,
  NEW_REPLICA_SET,
  NEW_RS_AVAILABLE,
  newCondition,
  newRSNewReplicas,
  PAUSED,
  POD_TEMPLATE_HASH,
  proportion,
  removeCondition,
  REPLICA_SET_UPDATED,
  replicasAnnotationsNeedUpdate,
  replicasOf,
  RESUMED,
  REVISION,
  setCondition,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  statusReplicas,
  sumReplicas,
  sumStatus,
  TIMED_OUT,
} from './deployment-util.js';
import type { EventRecorder } from './events.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { waitForSync } from '../client/informer.js';
import { keyOf } from '../client/object-cache.js';
import { WorkQueue } from '../client/queue.js';
import { isNotFound } from '../api/errors.js';

export const DEPLOYMENT_CONTROLLER = 'deployment-controller';

export interface DeploymentControllerDeps {
  client: Client;
  informers: InformerFactory;
  clock: Clock;
  recorder: EventRecorder;
}

export function deploymentController({ client, informers, clock, recorder }: DeploymentControllerDeps) {
  const deployments = informers.forResource(R.deployments);
  const replicaSets = informers.forResource(R.replicasets);
  const pods = informers.forResource(R.pods);
  const queue = new WorkQueue(DEPLOYMENT_CONTROLLER, reconcile, 5, 30_000);
  const event = (d: Deployment, type: 'Normal' | 'Warning', reason: string, message: string) => void recorder.record(d, type, reason, message, DEPLOYMENT_CONTROLLER);
  const nsOf = (o: Deployment | ReplicaSet | Pod) => o.metadata.namespace ?? '';

  // ---- writes ----

  /** UpdateStatus of the Deployment copy `d`, with its annotations (the revision), as upstream writes them. */
  async function writeStatus(d: Deployment): Promise<void> {
    const written = await client.update(R.deployments, nsOf(d), d, 'status');
    d.metadata.resourceVersion = written.metadata.resourceVersion;
  }

  async function updateReplicaSet(rs: ReplicaSet): Promise<ReplicaSet> {
    return client.update(R.replicasets, nsOf(rs), structuredClone(rs));
  }

  // ---- scaling (sync.go) ----

  /** scaleReplicaSet: sets replicas and the replica annotations; ScalingReplicaSet when the size changed. */
  async function scaleReplicaSet(rs: ReplicaSet, newScale: number, d: Deployment, operation: string): Promise<[boolean, ReplicaSet]> {
    const sizeNeedsUpdate = replicasOf(rs) !== newScale;
    const desired = replicasOf(d);
    const max = desired + maxSurge(d);
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return [false, rs];
    const oldScale = replicasOf(rs);
    const copy = structuredClone(rs);
    copy.spec!.replicas = newScale; // a stored ReplicaSet has a spec (the server defaults one)
    const annotations = { ...(copy.metadata.annotations ?? {}) };
    setReplicasAnnotations(annotations, desired, max);
    copy.metadata.annotations = annotations;
    const updated = await updateReplicaSet(copy);
    if (sizeNeedsUpdate) event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${updated.metadata.name} from ${oldScale} to ${newScale}`);
    return [sizeNeedsUpdate, updated];
  }

  function scaleReplicaSetAndRecordEvent(rs: ReplicaSet, newScale: number, d: Deployment): Promise<[boolean, ReplicaSet]> {
    if (replicasOf(rs) === newScale) return Promise.resolve([false, rs]);
    return scaleReplicaSet(rs, newScale, d, replicasOf(rs) < newScale ? 'up' : 'down');
  }

  /** scale: a replicas change, to the only active ReplicaSet or in proportion to all of them. */
  async function scale(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
    const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest) {
      if (replicasOf(activeOrLatest) !== replicasOf(d)) await scaleReplicaSetAndRecordEvent(activeOrLatest, replicasOf(d), d);
      return;
    }
    if (isSaturated(d, newRS)) {
      for (const old of activeReplicaSets(oldRSs)) await scaleReplicaSetAndRecordEvent(old, 0, d);
      return;
    }
    if (!isRollingUpdate(d)) return;
    const all = activeReplicaSets([...oldRSs, newRS]);
    const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
    const toAdd = allowed - sumReplicas(all);
    let operation = '';
    if (toAdd > 0) {
      operation = 'up';
      all.sort((a, b) => replicasOf(b) - replicasOf(a) || byCreation(b, a)); // ReplicaSetsBySizeNewer
    } else if (toAdd < 0) {
      operation = 'down';
      all.sort((a, b) => replicasOf(b) - replicasOf(a) || byCreation(a, b)); // ReplicaSetsBySizeOlder
    }
    let added = 0;
    const sizes = new Map<string, number>();
    for (const rs of all) {
      if (toAdd !== 0) {
        const p = proportion(rs, d, toAdd, added);
        sizes.set(rs.metadata.name!, replicasOf(rs) + p);
        added += p;
      } else sizes.set(rs.metadata.name!, replicasOf(rs));
    }
    for (const [i, rs] of all.entries()) {
      if (i === 0 && toAdd !== 0) sizes.set(rs.metadata.name!, Math.max(0, sizes.get(rs.metadata.name!)! + toAdd - added));
      await scaleReplicaSet(rs, sizes.get(rs.metadata.name!)!, d, operation);
    }
  }

  /** FindActiveOrLatest: the one active ReplicaSet, or the newest when none is active. */
  function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ReplicaSet | undefined {
    if (!newRS && !oldRSs.length) return undefined;
    const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
    const active = activeReplicaSets([...newestFirst, newRS]);
    if (active.length === 0) return newRS ?? newestFirst[0];
    return active.length === 1 ? active[0] : undefined;
  }

  // ---- the new ReplicaSet and revisions ----

  /**
   * getNewReplicaSet: the ReplicaSet with the Deployment's template, its annotations and the
   * Deployment's revision brought up to date; created (with as many replicas as the strategy
   * allows) when missing and `create` is set.
   */
  async function getNewReplicaSet(d: Deployment, rsList: ReplicaSet[], oldRSs: ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
    const existing = findNewReplicaSet(d, rsList);
    const newRevision = String(maxRevision(oldRSs) + 1);
    const now = clock.now();
    if (existing) {
      const copy = structuredClone(existing);
      const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true);
      const minReadySeconds = d.spec?.minReadySeconds ?? 0;
      if (annotationsUpdated || (copy.spec?.minReadySeconds ?? 0) !== minReadySeconds) {
        copy.spec!.minReadySeconds = minReadySeconds;
        return updateReplicaSet(copy);
      }
      let needsUpdate = setDeploymentRevision(d, copy.metadata.annotations?.[REVISION] ?? '');
      if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
        setCondition((d.status ??= {}), newCondition('Progressing', 'True', FOUND_NEW_RS, `Found new replica set "${copy.metadata.name}"`, now));
        needsUpdate = true;
      }
      if (needsUpdate) await writeStatus(d);
      return copy;
    }
    if (!create) return undefined;

    const collisionCount = d.status?.collisionCount;
    const template = structuredClone(d.spec?.template ?? {});
    const hash = computeHash(template, collisionCount);
    const labels = { ...template.metadata?.labels, [POD_TEMPLATE_HASH]: hash };
    (template.metadata ??= {}).labels = labels;
    const selector = structuredClone(d.spec?.selector ?? {});
    selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH]: hash };
    const spec: ReplicaSetSpec = { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template };
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: nsOf(d),
        ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')],
        labels: { ...labels },
      },
      spec,
    };
    const replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
    spec.replicas = replicas;
    setNewReplicaSetAnnotations(d, rs, newRevision, false);

    let created: ReplicaSet;
    let alreadyExists = false;
    try {
      created = await client.create(R.replicasets, nsOf(d), structuredClone(rs));
    } catch (err) {
      const code = (err as { code?: number; reason?: string }).code;
      if (code === 409 && (err as { reason?: string }).reason === 'AlreadyExists') {
        alreadyExists = true;
        const found = replicaSets.get(nsOf(d), rs.metadata.name!) ?? (await client.get(R.replicasets, nsOf(d), rs.metadata.name!));
        if (controllerRefOf(found)?.uid === d.metadata.uid && findNewReplicaSet(d, [found])) {
          created = found;
        } else {
          // A hash collision: count it, and the next sync names the ReplicaSet differently.
          d.status = { ...d.status, collisionCount: (collisionCount ?? 0) + 1 };
          await writeStatus(d).catch(() => undefined);
          throw err;
        }
      } else if (code === 403 && /because it is being terminated/.test((err as Error).message)) {
        throw err;
      } else {
        const msg = `Failed to create new replica set "${rs.metadata.name}": ${(err as Error).message}`;
        if (hasProgressDeadline(d)) {
          setCondition((d.status ??= {}), newCondition('Progressing', 'False', FAILED_RS_CREATE, msg, now));
          await writeStatus(d).catch(() => undefined);
        }
        event(d, 'Warning', FAILED_RS_CREATE, msg);
        throw err;
      }
    }
    if (!alreadyExists && replicas > 0) event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`);
    let needsUpdate = setDeploymentRevision(d, newRevision);
    if (!alreadyExists && hasProgressDeadline(d)) {
      setCondition((d.status ??= {}), newCondition('Progressing', 'True', NEW_REPLICA_SET, `Created new replica set "${created.metadata.name}"`, now));
      needsUpdate = true;
    }
    if (needsUpdate) await writeStatus(d);
    return created;
  }

  function setDeploymentRevision(d: Deployment, revision: string): boolean {
    if (d.metadata.annotations?.[REVISION] === revision) return false;
    d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [REVISION]: revision };
    return true;
  }

  async function getAllReplicaSetsAndSyncRevision(d: Deployment, rsList: ReplicaSet[], create: boolean): Promise<[ReplicaSet | undefined, ReplicaSet[]]> {
    const oldRSs = findOldReplicaSets(d, rsList);
    const newRS = await getNewReplicaSet(d, rsList, oldRSs, create);
    return [newRS, oldRSs];
  }

  // ---- status (sync.go calculateStatus, progress.go) ----

  function calculateStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): DeploymentStatus {
    const available = sumStatus(allRSs, 'availableReplicas');
    const status: DeploymentStatus = {
      observedGeneration: d.metadata.generation ?? 0,
      replicas: sumStatus(allRSs, 'replicas'),
      updatedReplicas: sumStatus([newRS], 'replicas'),
      readyReplicas: sumStatus(allRSs, 'readyReplicas'),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, sumReplicas(allRSs) - available),
    };
    if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
    const conditions = (d.status?.conditions ?? []).map((c) => ({ ...c }));
    if (conditions.length) status.conditions = conditions;
    const now = clock.now();
    if (available >= replicasOf(d) - maxUnavailable(d)) {
      setCondition(status, newCondition('Available', 'True', MINIMUM_REPLICAS_AVAILABLE, 'Deployment has minimum availability.', now));
    } else {
      setCondition(status, newCondition('Available', 'False', MINIMUM_REPLICAS_UNAVAILABLE, 'Deployment does not have minimum availability.', now));
    }
    return status;
  }

  /** syncDeploymentStatus: the counts only (scaling, paused and deleted Deployments). */
  async function syncDeploymentStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
    const status = calculateStatus(allRSs, newRS, d);
    if (sameDeploymentStatus(d.status ?? {}, status)) return;
    d.status = status;
    await writeStatus(d);
  }

  /** syncRolloutStatus: the counts and the Progressing and ReplicaFailure conditions. */
  async function syncRolloutStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
    const status = calculateStatus(allRSs, newRS, d);
    const now = clock.now();
    if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
    const current = getCondition(d.status, 'Progressing');
    const isComplete = status.replicas === status.updatedReplicas && current?.reason === NEW_RS_AVAILABLE;
    if (hasProgressDeadline(d) && !isComplete) {
      if (deploymentComplete(d, status)) {
        const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" has successfully progressed.` : `Deployment "${d.metadata.name}" has successfully progressed.`;
        setCondition(status, newCondition('Progressing', 'True', NEW_RS_AVAILABLE, msg, now));
      } else if (deploymentProgressing(d, status)) {
        const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`;
        const c = newCondition('Progressing', 'True', REPLICA_SET_UPDATED, msg, now);
        if (current) {
          if (current.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
          removeCondition(status, 'Progressing');
        }
        setCondition(status, c);
      } else if (deploymentTimedOut(d, status, now)) {
        const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" has timed out progressing.` : `Deployment "${d.metadata.name}" has timed out progressing.`;
        setCondition(status, newCondition('Progressing', 'False', TIMED_OUT, msg, now));
      }
    }
    const failure = replicaFailures(allRSs, newRS);
    if (failure) setCondition(status, failure);
    else removeCondition(status, 'ReplicaFailure');
    if (sameDeploymentStatus(d.status ?? {}, status)) {
      requeueStuckDeployment(d, status);
      return;
    }
    d.status = status;
    await writeStatus(d);
  }

  /** getReplicaFailures: the new ReplicaSet's ReplicaFailure condition, else an old one's. */
  function replicaFailures(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): DeploymentCondition | undefined {
    const toDeployment = (c: ReplicaSetCondition): DeploymentCondition => ({ type: c.type, status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message });
    const failureOf = (rs: ReplicaSet | undefined) => rs?.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
    const own = failureOf(newRS);
    if (own) return toDeployment(own);
    for (const rs of allRSs) {
      const c = failureOf(rs);
      if (c) return toDeployment(c);
    }
    return undefined;
  }

  /** requeueStuckDeployment: check again when the progress deadline passes. */
  function requeueStuckDeployment(d: Deployment, status: DeploymentStatus): void {
    const current = getCondition(d.status, 'Progressing');
    if (!hasProgressDeadline(d) || !current) return;
    if (deploymentComplete(d, status) || current.reason === TIMED_OUT) return;
    const after = Date.parse(current.lastUpdateTime ?? '') + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 - clock.now().getTime();
    queue.addAfter(keyOf(d), after < 1000 ? 1000 : after + 1000);
  }

  // ---- cleanup ----

  /** cleanupDeployment: delete the oldest empty ReplicaSets beyond revisionHistoryLimit. */
  async function cleanupDeployment(oldRSs: ReplicaSet[], d: Deployment): Promise<void> {
    if (!hasRevisionHistoryLimit(d)) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp).sort(byRevision);
    const diff = cleanable.length - (d.spec?.revisionHistoryLimit ?? 0);
    for (let i = 0; i < diff; i++) {
      const rs = cleanable[i]!;
      if (statusReplicas(rs, 'replicas') !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 0) > statusReplicas(rs, 'observedGeneration')) continue;
      try {
        await client.delete(R.replicasets, nsOf(rs), rs.metadata.name!);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  // ---- strategies ----

  /** sync: scaling and paused Deployments. */
  async function sync(d: Deployment, rsList: ReplicaSet[]): Promise<void> {
    const [newRS, oldRSs] = await getAllReplicaSetsAndSyncRevision(d, rsList, false);
    await scale(d, newRS, oldRSs);
    if (d.spec?.paused === true) await cleanupDeployment(oldRSs, d);
    await syncDeploymentStatus([...oldRSs, newRS], newRS, d);
  }

  /** rolloutRolling (rolling.go). */
  async function rolloutRolling(d: Deployment, rsList: ReplicaSet[]): Promise<void> {
    const [newRS, oldRSs] = await getAllReplicaSetsAndSyncRevision(d, rsList, true);
    const allRSs = [...oldRSs, newRS!];
    // Scale up, if we can.
    // (The status is computed from the ReplicaSets as they were before scaling, as upstream's is.)
    if (await reconcileNewReplicaSet(allRSs, newRS!, d)) return syncRolloutStatus(allRSs, newRS, d);
    // Scale down, if we can.
    if (await reconcileOldReplicaSets(allRSs, activeReplicaSets(oldRSs), newRS!, d)) return syncRolloutStatus(allRSs, newRS, d);
    if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(oldRSs, d);
    await syncRolloutStatus(allRSs, newRS, d);
  }

  async function reconcileNewReplicaSet(allRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
    if (replicasOf(newRS) === replicasOf(d)) return false;
    if (replicasOf(newRS) > replicasOf(d)) return (await scaleReplicaSetAndRecordEvent(newRS, replicasOf(d), d))[0];
    return (await scaleReplicaSetAndRecordEvent(newRS, newRSNewReplicas(d, allRSs, newRS), d))[0];
  }

  async function reconcileOldReplicaSets(allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
    if (sumReplicas(oldRSs) === 0) return false;
    const minAvailable = replicasOf(d) - maxUnavailable(d);
    const newUnavailable = replicasOf(newRS) - statusReplicas(newRS, 'availableReplicas');
    const maxScaledDown = sumReplicas(allRSs) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    const [cleaned, cleanupCount] = await cleanupUnhealthyReplicas(oldRSs, d, maxScaledDown);
    const scaledDown = await scaleDownOldReplicaSetsForRollingUpdate([...cleaned, newRS], cleaned, d);
    return cleanupCount + scaledDown > 0;
  }

  /** cleanupUnhealthyReplicas: scale down the old ReplicaSets' unavailable pods first. */
  async function cleanupUnhealthyReplicas(oldRSs: ReplicaSet[], d: Deployment, maxCleanup: number): Promise<[ReplicaSet[], number]> {
    const sorted = [...oldRSs].sort(byCreation);
    let total = 0;
    for (const [i, rs] of sorted.entries()) {
      if (total >= maxCleanup) break;
      if (replicasOf(rs) === 0 || replicasOf(rs) === statusReplicas(rs, 'availableReplicas')) continue;
      const n = Math.min(maxCleanup - total, replicasOf(rs) - statusReplicas(rs, 'availableReplicas'));
      const [, updated] = await scaleReplicaSetAndRecordEvent(rs, replicasOf(rs) - n, d);
      total += n;
      sorted[i] = updated;
    }
    return [sorted, total];
  }

  async function scaleDownOldReplicaSetsForRollingUpdate(allRSs: ReplicaSet[], oldRSs: ReplicaSet[], d: Deployment): Promise<number> {
    const minAvailable = replicasOf(d) - maxUnavailable(d);
    const available = sumStatus(allRSs, 'availableReplicas');
    if (available <= minAvailable) return 0;
    const toScaleDown = available - minAvailable;
    let total = 0;
    for (const rs of [...oldRSs].sort(byCreation)) {
      if (total >= toScaleDown) break;
      if (replicasOf(rs) === 0) continue;
      const n = Math.min(replicasOf(rs), toScaleDown - total);
      await scaleReplicaSetAndRecordEvent(rs, replicasOf(rs) - n, d);
      total += n;
    }
    return total;
  }

  /** rolloutRecreate (recreate.go): old pods all gone before the new ReplicaSet scales up. */
  async function rolloutRecreate(d: Deployment, rsList: ReplicaSet[], podMap: Map<string, Pod[]>): Promise<void> {
    let [newRS, oldRSs] = await getAllReplicaSetsAndSyncRevision(d, rsList, false);
    let allRSs: (ReplicaSet | undefined)[] = [...oldRSs, newRS];
    let scaledDown = false;
    for (const rs of activeReplicaSets(oldRSs)) if ((await scaleReplicaSetAndRecordEvent(rs, 0, d))[0]) scaledDown = true;
    if (scaledDown) return syncRolloutStatus(allRSs, newRS, d);
    if (oldPodsRunning(newRS, oldRSs, podMap)) return syncRolloutStatus(allRSs, newRS, d);
    if (!newRS) {
      [newRS, oldRSs] = await getAllReplicaSetsAndSyncRevision(d, rsList, true);
      allRSs = [...oldRSs, newRS];
    }
    if (newRS) await scaleReplicaSetAndRecordEvent(newRS, replicasOf(d), d);
    if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(oldRSs, d);
    await syncRolloutStatus(allRSs, newRS, d);
  }

  function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[], podMap: Map<string, Pod[]>): boolean {
    if (sumStatus(oldRSs, 'replicas') > 0) return true;
    for (const [uid, list] of podMap) {
      if (newRS && newRS.metadata.uid === uid) continue;
      if (list.some((p) => !isTerminal(p))) return true;
    }
    return false;
  }

  /** checkPausedConditions: Progressing Unknown while paused, so a pause does not time out. */
  async function checkPausedConditions(d: Deployment): Promise<void> {
    if (!hasProgressDeadline(d)) return;
    const cond = getCondition(d.status, 'Progressing');
    if (cond?.reason === TIMED_OUT) return;
    const pausedCondExists = cond?.reason === PAUSED;
    const paused = d.spec?.paused === true;
    const now = clock.now();
    if (paused && !pausedCondExists) setCondition((d.status ??= {}), newCondition('Progressing', 'Unknown', PAUSED, 'Deployment is paused', now));
    else if (!paused && pausedCondExists) setCondition((d.status ??= {}), newCondition('Progressing', 'Unknown', RESUMED, 'Deployment is resumed', now));
    else return;
    await writeStatus(d);
  }

  /** isScalingEvent: an active ReplicaSet was sized for another replica count. */
  async function isScalingEvent(d: Deployment, rsList: ReplicaSet[]): Promise<boolean> {
    const [newRS, oldRSs] = await getAllReplicaSetsAndSyncRevision(d, rsList, false);
    return activeReplicaSets([...oldRSs, newRS]).some((rs) => {
      const desired = desiredReplicasAnnotation(rs);
      return desired !== undefined && desired !== replicasOf(d);
    });
  }

  // ---- the sync ----

  async function reconcile(key: string): Promise<void> {
    try {
      await syncDeployment(key);
    } catch (err) {
      retryOnConflict(err, () => queue.addAfter(key, 20));
    }
  }

  async function syncDeployment(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const cached = deployments.get(ns, name);
    if (!cached) return;
    const d = structuredClone(cached);
    const selector = d.spec?.selector;
    if (selector && deepEqual(selector, {})) {
      event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        d.status = { ...d.status, observedGeneration: d.metadata.generation };
        await writeStatus(d);
      }
      return;
    }
    const sel = parseSelector(selector);
    const rsList = await claim(client, R.replicasets, d, newControllerRef(d, 'apps/v1', 'Deployment'), sel, claimCandidates(replicaSets, d, sel));
    const podMap = new Map<string, Pod[]>(rsList.map((rs) => [rs.metadata.uid!, pods.controlledBy(rs.metadata.uid!).filter((p) => nsOf(p) === ns && selects(sel, p))]));
    if (d.metadata.deletionTimestamp) {
      const [newRS, oldRSs] = await getAllReplicaSetsAndSyncRevision(d, rsList, false);
      return syncDeploymentStatus([...oldRSs, newRS], newRS, d);
    }
    await checkPausedConditions(d);
    if (d.spec?.paused === true) return sync(d, rsList);
    if (await isScalingEvent(d, rsList)) return sync(d, rsList);
    return d.spec?.strategy?.type === 'Recreate' ? rolloutRecreate(d, rsList, podMap) : rolloutRolling(d, rsList);
  }

  // ---- handlers ----

  function ownerOf(rs: ReplicaSet): Deployment | undefined {
    const ref = controllerRefOf(rs);
    if (!ref || ref.kind !== 'Deployment') return undefined;
    const d = deployments.get(nsOf(rs), ref.name);
    return d?.metadata.uid === ref.uid ? d : undefined;
  }

  function replicaSetChanged(rs: ReplicaSet, old?: ReplicaSet): void {
    const owner = ownerOf(rs);
    if (owner) queue.add(keyOf(owner));
    const oldOwner = old ? ownerOf(old) : undefined;
    if (oldOwner && oldOwner !== owner) queue.add(keyOf(oldOwner));
    if (!controllerRefOf(rs)) for (const d of deployments.list(nsOf(rs))) if (selects(parseSelector(d.spec?.selector), rs)) queue.add(keyOf(d));
  }

  /** A Recreate Deployment waits for its old pods to go. */
  function podChanged(pod: Pod, old?: Pod): void {
    if (old && phaseOf(old) === phaseOf(pod)) return;
    const rsRef = controllerRefOf(pod);
    if (!rsRef || rsRef.kind !== 'ReplicaSet') return;
    const rs = replicaSets.get(nsOf(pod), rsRef.name);
    const d = rs && ownerOf(rs);
    if (d && d.spec?.strategy?.type === 'Recreate') queue.add(keyOf(d));
  }

  return {
    async start() {
      informers.start();
      await waitForSync(pods, replicaSets, deployments);
      deployments.on({ add: (o) => queue.add(keyOf(o)), update: (_, o) => queue.add(keyOf(o)), delete: (o) => queue.add(keyOf(o)) });
      replicaSets.on({ add: (o) => replicaSetChanged(o), update: (old, o) => replicaSetChanged(o, old), delete: (o) => replicaSetChanged(o) });
      pods.on({ update: (old, p) => podChanged(p, old), delete: (p) => podChanged(p) });
    },
    stop: () => queue.stop(),
    resync() {
      for (const d of deployments.list()) queue.add(keyOf(d));
    },
  };
}

/** Whether two Deployment statuses are the same once Go's omitempty dropped their zeros. */
function sameDeploymentStatus(a: DeploymentStatus, b: DeploymentStatus): boolean {
  const trim = (o: DeploymentStatus) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== 0 && !(Array.isArray(v) && !v.length)));
  return deepEqual(trim(a), trim(b));
}
