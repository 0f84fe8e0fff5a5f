// The Job controller (pkg/controller/job/job_controller.go): runs pods until `completions` of them
// succeed, `parallelism` at a time. Every pod carries the batch.kubernetes.io/job-tracking
// finalizer until its end is counted: finished pods go to status.uncountedTerminatedPods, lose the
// finalizer, then move to the succeeded and failed counters. Failed pods of a restartPolicy Never
// Job are replaced after an exponential backoff (10 s, doubling, at most 10 min); more failures
// than backoffLimit (or, for OnFailure, as many container restarts) fail the Job. A finished Job
// first gets SuccessCriteriaMet or FailureTarget, then, once no pod is left running, Complete or
// Failed. Pods of finished Jobs stay.
import type { JobCondition, JobStatus, UncountedTerminatedPods } from 'kubernetes-types/batch/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../api/clock.js';
import type { Job, Pod } from '../api/kinds.js';
import { formatTime } from '../api/meta.js';
import { R, type Client } from '../client/client.js';
import {
  activePodsOrder,
  asPatch,
  claim,
  claimCandidates,
  controllerRefOf,
  createPod,
  deletePod,
  Expectations,
  isPodActive,
  isPodReady,
  isPodTerminating,
  namespaceTerminating,
  newControllerRef,
  parseSelector,
  phaseOf,
  podCondition,
  podFromTemplate,
  restartCount,
  retryOnConflict,
  selects,
  slowStartBatch,
  splitKey,
  type PodControl,
} from './controller-utils.js';
import type { EventRecorder } from './events.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { waitForSync } from '../client/informer.js';
import { keyOf } from '../client/object-cache.js';
import { WorkQueue } from '../client/queue.js';
import { isNotFound } from '../api/errors.js';

export const JOB_CONTROLLER = 'job-controller';
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const JOB_COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
const JOB_CONTROLLER_MANAGER = 'kubernetes.io/job-controller';

/** Pod failure backoff: 10 s, doubling per failure since the last success, at most 10 min. */
export const DEFAULT_POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000;
/** Pod events are batched: a Job syncs at most once a second for them. */
export const SYNC_JOB_BATCH_PERIOD_MS = 1000;
const MAX_UNCOUNTED_PODS = 500;
const MAX_POD_CREATE_DELETE_PER_SYNC = 500;

// Condition types, reasons and messages.
const COMPLETE = 'Complete';
const FAILED = 'Failed';
const FAILURE_TARGET = 'FailureTarget';
const SUCCESS_CRITERIA_MET = 'SuccessCriteriaMet';
const SUSPENDED = 'Suspended';
export const BACKOFF_LIMIT_EXCEEDED = 'BackoffLimitExceeded';
export const BACKOFF_LIMIT_EXCEEDED_MESSAGE = 'Job has reached the specified backoff limit';
const DEADLINE_EXCEEDED = 'DeadlineExceeded';
const DEADLINE_EXCEEDED_MESSAGE = 'Job was active longer than specified deadline';
export const COMPLETIONS_REACHED = 'CompletionsReached';
export const COMPLETIONS_REACHED_MESSAGE = 'Reached expected number of succeeded pods';

/** A Job being synced: a copy, whose status has the uncounted pods to fill in. */
type SyncedJob = Job & { status: JobStatus & { uncountedTerminatedPods: UncountedTerminatedPods } };

export interface JobControllerDeps {
  client: Client;
  informers: InformerFactory;
  clock: Clock;
  recorder: EventRecorder;
  /** The batching delay of pod-triggered syncs (tests shorten it). */
  syncBatchPeriodMs?: number;
}

// ---- reading Jobs and pods ----

const findCondition = (job: Job, type: string) => job.status?.conditions?.find((c) => c.type === type);
const conditionTrue = (job: Job, type: string) => findCondition(job, type)?.status === 'True';
/** IsJobFinished: Complete or Failed is True. */
export const isJobFinished = (job: Job): boolean => conditionTrue(job, COMPLETE) || conditionTrue(job, FAILED);
const suspended = (job: Job) => job.spec?.suspend === true;
const isIndexed = (job: Job) => job.spec?.completionMode === 'Indexed';
const hasFinalizer = (p: Pod) => (p.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);
/** onlyReplaceFailedPods: podReplacementPolicy Failed, or a podFailurePolicy. */
const onlyReplaceFailedPods = (job: Job) => job.spec?.podReplacementPolicy === 'Failed' || !!job.spec?.podFailurePolicy;

/** isPodFailed: Failed, or (unless only failed pods are replaced) deleted before it succeeded. */
export function isPodFailed(p: Pod, job: Job): boolean {
  if (phaseOf(p) === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!p.metadata.deletionTimestamp && phaseOf(p) !== 'Succeeded';
}

function completionIndex(p: Pod, completions: number): number | undefined {
  const v = p.metadata.annotations?.[JOB_COMPLETION_INDEX];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  const i = Number(v);
  return i < completions ? i : undefined;
}

/** getFinishedTime: the last container end, else when Ready went False, else the deletion, else creation. */
export function finishedTime(p: Pod): number {
  const statuses = p.status?.containerStatuses ?? [];
  let latest: number | undefined;
  for (const cs of statuses) {
    const t = Date.parse(cs.state?.terminated?.finishedAt ?? '');
    if (Number.isNaN(t)) {
      latest = undefined;
      break;
    }
    latest = latest === undefined ? t : Math.max(latest, t);
  }
  if (statuses.length && latest !== undefined) return latest;
  const ready = podCondition(p, 'Ready');
  if (ready?.status === 'False' && ready.lastTransitionTime) return Date.parse(ready.lastTransitionTime);
  if (p.metadata.deletionTimestamp) return Date.parse(p.metadata.deletionTimestamp) - (p.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  return Date.parse(p.metadata.creationTimestamp ?? '') || 0;
}

/** pastBackoffLimitOnFailure: container restarts of running or pending pods reach backoffLimit. */
function pastBackoffLimitOnFailure(job: Job, pods: Pod[]): boolean {
  if (job.spec?.template.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) if (phaseOf(p) === 'Running' || phaseOf(p) === 'Pending') restarts += restartCount(p);
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

// ---- backoff (backoff_utils.go) ----

interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

/** newBackoffRecord: failures since the last success, and when the last of them ended. */
function nextBackoffRecord(prev: BackoffRecord | undefined, succeeded: Pod[], failed: Pod[]): BackoffRecord {
  const rec: BackoffRecord = { ...(prev ?? { failuresAfterLastSuccess: 0 }) };
  const byTime = (list: Pod[]) => [...list].sort((a, b) => finishedTime(a) - finishedTime(b));
  const s = byTime(succeeded);
  const f = byTime(failed);
  if (!s.length) {
    if (!f.length) return rec;
    return { failuresAfterLastSuccess: rec.failuresAfterLastSuccess + f.length, lastFailureTime: finishedTime(f[f.length - 1]!) };
  }
  const out: BackoffRecord = { failuresAfterLastSuccess: 0 };
  const lastSuccess = finishedTime(s[s.length - 1]!);
  for (let i = f.length - 1; i >= 0; i--) {
    const t = finishedTime(f[i]!);
    if (t <= lastSuccess) break;
    out.lastFailureTime ??= t;
    out.failuresAfterLastSuccess++;
  }
  return out;
}

/** getRemainingTimeForFailuresCount. */
export function remainingBackoff(rec: BackoffRecord, now: number): number {
  if (rec.failuresAfterLastSuccess === 0 || rec.lastFailureTime === undefined) return 0;
  let backoff = DEFAULT_POD_FAILURE_BACKOFF_MS;
  for (let i = 1; i < rec.failuresAfterLastSuccess; i++) {
    backoff *= 2;
    if (backoff >= MAX_POD_FAILURE_BACKOFF_MS) {
      backoff = MAX_POD_FAILURE_BACKOFF_MS;
      break;
    }
  }
  const elapsed = now - rec.lastFailureTime;
  return backoff < elapsed ? 0 : backoff - elapsed;
}

// ---- indexes (indexed_job_utils.go) ----

/** Index intervals as status.completedIndexes writes them: "1,3-5,7". */
function formatIndexes(indexes: number[]): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

function parseIndexes(s: string, completions: number): number[] {
  const out: number[] = [];
  for (const part of s ? s.split(',') : []) {
    const [a, b] = part.split('-').map(Number);
    if (a === undefined || Number.isNaN(a)) continue;
    for (let i = a; i <= (b ?? a) && i < completions; i++) out.push(i);
  }
  return out;
}

export function jobController({ client, informers, clock, recorder, syncBatchPeriodMs = SYNC_JOB_BATCH_PERIOD_MS }: JobControllerDeps) {
  const jobs = informers.forResource(R.jobs);
  const pods = informers.forResource(R.pods);
  const queue = new WorkQueue(JOB_CONTROLLER, reconcile, 1000, 60_000);
  const orphanQueue = new WorkQueue('job-orphan-pod', syncOrphanPod, 1000, 60_000);
  const expectations = new Expectations(clock);
  /** Pod UIDs whose finalizer removal was asked for and not yet seen. */
  const finalizerExpectations = new Map<string, Set<string>>();
  const backoffs = new Map<string, BackoffRecord>();
  const pc: PodControl = { client, recorder, component: JOB_CONTROLLER };
  const event = (job: Job, type: 'Normal' | 'Warning', reason: string, message: string) => void recorder.record(job, type, reason, message, JOB_CONTROLLER);
  const now = () => clock.now();

  const newCondition = (type: string, status: string, reason: string, message: string): JobCondition => {
    const t = formatTime(now());
    return { type, status, lastProbeTime: t, lastTransitionTime: t, reason, message };
  };

  /** ensureJobConditionStatus: update a condition that changed, add a new one unless it is False. */
  function ensureCondition(status: JobStatus, type: string, value: string, reason: string, message: string): boolean {
    const conditions = [...(status.conditions ?? [])];
    const i = conditions.findIndex((c) => c.type === type);
    if (i >= 0) {
      const c = conditions[i]!;
      if (c.status === value && c.reason === reason && c.message === message) return false;
      conditions[i] = newCondition(type, value, reason, message);
    } else if (value !== 'False') conditions.push(newCondition(type, value, reason, message));
    else return false;
    status.conditions = conditions;
    return true;
  }

  // ---- syncJob ----

  async function reconcile(key: string): Promise<void> {
    try {
      await syncJob(key);
    } catch (err) {
      retryOnConflict(err, () => queue.addAfter(key, 20));
    }
  }

  async function syncJob(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const shared = jobs.get(ns, name);
    if (!shared) {
      expectations.delete(key);
      finalizerExpectations.delete(key);
      backoffs.delete(key);
      return;
    }
    const managedBy = shared.spec?.managedBy;
    if (managedBy !== undefined && managedBy !== JOB_CONTROLLER_MANAGER) return;
    if (isJobFinished(shared)) {
      backoffs.delete(key);
      return;
    }
    const job: SyncedJob = structuredClone({ ...shared, status: { ...shared.status, uncountedTerminatedPods: { ...shared.status?.uncountedTerminatedPods } } });
    const { status } = job;
    const uncountedStatus = status.uncountedTerminatedPods;
    const satisfied = expectations.satisfied(key);
    const sel = parseSelector(job.spec?.selector);
    const owned = await claim(client, R.pods, job, newControllerRef(job, 'batch/v1', 'Job'), sel, claimCandidates(pods, job, sel), JOB_TRACKING_FINALIZER);
    const activePods = owned.filter(isPodActive);
    const expectedRm = finalizerExpectations.get(key) ?? new Set<string>();
    const uncounted = { succeeded: new Set(uncountedStatus.succeeded ?? []), failed: new Set(uncountedStatus.failed ?? []) };
    let ready = activePods.filter(isPodReady).length;
    let terminating = owned.filter(isPodTerminating).length;
    let active = activePods.length;
    const completions = job.spec?.completions;

    // getNewFinishedPods: ended pods still holding the finalizer and not yet in uncounted.
    const valid = (p: Pod, set: Set<string>) =>
      hasFinalizer(p) && !set.has(p.metadata.uid!) && !expectedRm.has(p.metadata.uid!) && (!isIndexed(job) || completionIndex(p, completions ?? 0) !== undefined);
    const newSucceeded = owned.filter((p) => valid(p, uncounted.succeeded) && phaseOf(p) === 'Succeeded');
    const newFailed = owned.filter((p) => valid(p, uncounted.failed) && isPodFailed(p, job));
    let succeeded = (status.succeeded ?? 0) + newSucceeded.length + uncounted.succeeded.size;
    const failed = (status.failed ?? 0) + newFailed.length + uncounted.failed.size;

    if (!status.startTime && !suspended(job)) status.startTime = formatTime(now());
    const newBackoff = nextBackoffRecord(backoffs.get(key), newSucceeded, newFailed);

    let finished: JobCondition | undefined;
    if (conditionTrue(job, SUCCESS_CRITERIA_MET)) finished = findCondition(job, SUCCESS_CRITERIA_MET);
    else if (conditionTrue(job, FAILURE_TARGET)) {
      const t = findCondition(job, FAILURE_TARGET)!;
      finished = newCondition(FAILED, 'True', t.reason ?? '', t.message ?? '');
    }
    if (!finished) {
      const activeDeadlineSeconds = job.spec?.activeDeadlineSeconds;
      if (failed > (job.spec?.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, owned)) {
        finished = newCondition(FAILURE_TARGET, 'True', BACKOFF_LIMIT_EXCEEDED, BACKOFF_LIMIT_EXCEEDED_MESSAGE);
      } else if (pastActiveDeadline(job)) {
        finished = newCondition(FAILURE_TARGET, 'True', DEADLINE_EXCEEDED, DEADLINE_EXCEEDED_MESSAGE);
      } else if (activeDeadlineSeconds !== undefined && !suspended(job)) {
        queue.addAfter(key, activeDeadlineSeconds * 1000 - (now().getTime() - Date.parse(status.startTime ?? '')));
      }
    }

    let succeededIndexes: number[] = [];
    if (isIndexed(job)) {
      const prev = parseIndexes(status.completedIndexes ?? '', completions ?? 0);
      const fresh = owned.filter((p) => phaseOf(p) === 'Succeeded' && hasFinalizer(p)).map((p) => completionIndex(p, completions ?? 0));
      succeededIndexes = [...new Set([...prev, ...fresh.filter((i): i is number => i !== undefined)])];
      succeeded = succeededIndexes.length;
    }

    let suspendChanged = false;
    let manageError: unknown;
    if (finished) {
      const [deletedReady, deleted, err] = await deleteActivePods(job, activePods);
      if (deleted !== active || !satisfied) finished = undefined;
      active -= deleted;
      terminating += deleted;
      ready -= deletedReady;
      manageError = err;
    } else {
      let manageCalled = false;
      if (satisfied && !job.metadata.deletionTimestamp) {
        const r = await manageJob(job, key, activePods, succeeded, succeededIndexes, terminating, newBackoff);
        active = r.active;
        ready -= r.removedReady;
        terminating += r.removed;
        manageError = r.error;
        manageCalled = true;
      }
      const complete = completions === undefined ? succeeded > 0 && active === 0 : succeeded >= completions && active === 0;
      if (complete) finished = newCondition(SUCCESS_CRITERIA_MET, 'True', COMPLETIONS_REACHED, COMPLETIONS_REACHED_MESSAGE);
      else if (manageCalled) {
        if (suspended(job)) {
          if (ensureCondition(status, SUSPENDED, 'True', 'JobSuspended', 'Job suspended')) {
            suspendChanged = true;
            event(job, 'Normal', 'Suspended', 'Job suspended');
          }
        } else if (ensureCondition(status, SUSPENDED, 'False', 'JobResumed', 'Job resumed')) {
          suspendChanged = true;
          event(job, 'Normal', 'Resumed', 'Job resumed');
          status.startTime = formatTime(now());
        }
      }
    }

    const needsUpdate = suspendChanged || active !== (shared.status?.active ?? 0) || ready !== shared.status?.ready || terminating !== shared.status?.terminating;
    status.active = active;
    status.ready = ready;
    status.terminating = terminating;
    await trackStatusAndRemoveFinalizers(job, key, owned, finished, uncounted, expectedRm, succeededIndexes, newBackoff, needsUpdate);
    if (manageError) throw manageError;
  }

  function pastActiveDeadline(job: Job): boolean {
    const ads = job.spec?.activeDeadlineSeconds;
    const start = job.status?.startTime;
    if (ads === undefined || start === undefined || suspended(job)) return false;
    return now().getTime() - Date.parse(start) >= ads * 1000;
  }

  /** deleteActivePods: DELETE every active pod (their finalizers stay until counted). */
  async function deleteActivePods(job: Job, list: Pod[]): Promise<[number, number, unknown]> {
    let deleted = 0;
    let deletedReady = 0;
    let error: unknown;
    await Promise.all(
      list.map(async (p) => {
        try {
          await deletePod(pc, job.metadata.namespace ?? '', p.metadata.name!, job);
          deleted++;
        } catch (err) {
          if (isNotFound(err)) deleted++;
          else error ??= err;
        }
        if (isPodReady(p)) deletedReady++;
      }),
    );
    return [deletedReady, deleted, error];
  }

  /** deleteJobPods: remove the finalizer, then DELETE (pods the Job no longer wants). */
  async function deleteJobPods(job: Job, key: string, list: Pod[]): Promise<[number, number, unknown]> {
    let removed = 0;
    let removedReady = 0;
    let error: unknown;
    await Promise.all(
      list.map(async (p) => {
        try {
          await removeFinalizer(p);
          await deletePod(pc, job.metadata.namespace ?? '', p.metadata.name!, job);
          removed++;
        } catch (err) {
          expectations.deletionObserved(key, keyOf(p));
          if (!isNotFound(err)) error ??= err;
          else removed++;
        }
        if (isPodReady(p)) removedReady++;
      }),
    );
    return [removedReady, removed, error];
  }

  /** manageJob: as many active pods as parallelism and the remaining completions allow. */
  async function manageJob(
    job: Job,
    key: string,
    activePods: Pod[],
    succeeded: number,
    succeededIndexes: number[],
    terminating: number,
    backoff: BackoffRecord,
  ): Promise<{ active: number; removed: number; removedReady: number; error?: unknown }> {
    let active = activePods.length;
    const parallelism = job.spec?.parallelism ?? 1;
    const completions = job.spec?.completions;
    if (suspended(job)) {
      const victims = activePodsOrder(activePods);
      expectations.expectDeletions(key, victims.map(keyOf));
      const [removedReady, removed, error] = await deleteJobPods(job, key, victims);
      return { active: active - removed, removed, removedReady, error };
    }
    let want: number;
    if (completions === undefined) want = succeeded > 0 ? active : parallelism;
    else want = Math.max(0, Math.min(completions - succeeded, parallelism));

    // Too many, or (Indexed) repeated or finished indexes: delete, and create nothing this time.
    let victims: Pod[] = [];
    const keep: Pod[] = [];
    if (isIndexed(job)) {
      const seen = new Set<number>(succeededIndexes);
      for (const p of [...activePods].sort((a, b) => (isPodReady(b) ? 1 : 0) - (isPodReady(a) ? 1 : 0))) {
        const i = completionIndex(p, completions ?? 0);
        if (i === undefined || seen.has(i)) victims.push(p);
        else {
          seen.add(i);
          keep.push(p);
        }
      }
    } else keep.push(...activePods);
    const rmAtLeast = Math.max(0, active - want);
    if (victims.length < rmAtLeast) victims = [...victims, ...activePodsOrder(keep).slice(0, rmAtLeast - victims.length)];
    victims = victims.slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
    if (victims.length) {
      expectations.expectDeletions(key, victims.map(keyOf));
      const [removedReady, removed, error] = await deleteJobPods(job, key, victims);
      return { active: active - removed, removed, removedReady, error };
    }

    let diff = want - (onlyReplaceFailedPods(job) ? terminating : 0) - active;
    if (diff <= 0) return { active, removed: 0, removedReady: 0 };
    const remaining = remainingBackoff(backoff, now().getTime());
    if (remaining > 0) {
      queue.addAfter(key, Math.max(remaining, syncBatchPeriodMs));
      return { active, removed: 0, removedReady: 0 };
    }
    diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
    let indexes: number[] = [];
    if (isIndexed(job)) {
      const taken = new Set([...succeededIndexes, ...activePods.map((p) => completionIndex(p, completions ?? 0)).filter((i): i is number => i !== undefined)]);
      for (let i = 0; i < (completions ?? 0) && indexes.length < diff; i++) if (!taken.has(i)) indexes.push(i);
      diff = indexes.length;
    }
    expectations.expectCreations(key, diff);
    active += diff;
    const template = structuredClone(job.spec?.template ?? {});
    const meta = (template.metadata ??= {});
    const finalizers = meta.finalizers ?? [];
    if (!finalizers.includes(JOB_TRACKING_FINALIZER)) meta.finalizers = [...finalizers, JOB_TRACKING_FINALIZER];
    if (isIndexed(job)) addCompletionIndexEnv(template);
    const ref = newControllerRef(job, 'batch/v1', 'Job');
    let creationError: unknown;
    const { attempted, error } = await slowStartBatch(diff, 1, async (n) => {
      const index = indexes[n];
      const pod = podFromTemplate(template, job, ref, index === undefined ? undefined : `${job.metadata.name}-${index}-`);
      if (index !== undefined) {
        pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [JOB_COMPLETION_INDEX]: String(index) };
        pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [JOB_COMPLETION_INDEX]: String(index) };
        pod.spec!.hostname = `${job.metadata.name}-${index}`; // the server defaults every template's spec
      }
      try {
        await createPod(pc, pod, job);
      } catch (err) {
        // A namespace going away refuses every create; nothing to retry.
        if (namespaceTerminating(err)) return;
        expectations.creationObserved(key);
        active--;
        creationError ??= err;
        throw err;
      }
    });
    for (let i = attempted; i < diff; i++) {
      expectations.creationObserved(key);
      active--;
    }
    return { active, removed: 0, removedReady: 0, error: creationError ?? error };
  }

  /** addCompletionIndexEnvVariables: JOB_COMPLETION_INDEX from the pod's annotation, in every container. */
  function addCompletionIndexEnv(template: PodTemplateSpec): void {
    for (const c of [...(template.spec?.initContainers ?? []), ...(template.spec?.containers ?? [])]) {
      const env = c.env ?? [];
      if (env.some((e) => e.name === 'JOB_COMPLETION_INDEX')) continue;
      c.env = [...env, { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.annotations['${JOB_COMPLETION_INDEX}']` } } }];
    }
  }

  // ---- tracking with finalizers ----

  /**
   * trackJobStatusAndRemoveFinalizers: put ended pods in uncountedTerminatedPods, remove their
   * finalizers, count those whose finalizer is gone, and finish the Job when nothing is left.
   */
  async function trackStatusAndRemoveFinalizers(
    job: SyncedJob,
    key: string,
    owned: Pod[],
    finishedIn: JobCondition | undefined,
    uncounted: { succeeded: Set<string>; failed: Set<string> },
    expectedRm: Set<string>,
    succeededIndexes: number[],
    backoff: BackoffRecord,
    needsFlushIn: boolean,
  ): Promise<void> {
    let needsFlush = needsFlushIn;
    let finished = finishedIn;
    const { status } = job;
    const u = status.uncountedTerminatedPods;
    const withFinalizer = new Set(owned.filter((p) => hasFinalizer(p) && !expectedRm.has(p.metadata.uid!)).map((p) => p.metadata.uid!));
    if (countUncounted(status, withFinalizer)) needsFlush = true;
    const toRemove: Pod[] = [];
    let reachedMax = false;
    const completions = job.spec?.completions ?? 0;
    for (const p of owned) {
      if (!hasFinalizer(p) || expectedRm.has(p.metadata.uid!)) continue;
      const considerFailed = isPodFailed(p, job);
      const canRemove = !!job.metadata.deletionTimestamp || !!finished || phaseOf(p) === 'Succeeded' || considerFailed;
      if (!canRemove) continue;
      toRemove.push(p);
      const uid = p.metadata.uid!;
      if (phaseOf(p) === 'Succeeded' && !uncounted.failed.has(uid)) {
        if (!isIndexed(job) && !uncounted.succeeded.has(uid)) {
          needsFlush = true;
          u.succeeded = [...(u.succeeded ?? []), uid];
        }
      } else if (considerFailed || (finished && finished.type !== SUCCESS_CRITERIA_MET)) {
        if (!uncounted.failed.has(uid) && (!isIndexed(job) || completionIndex(p, completions) !== undefined)) {
          needsFlush = true;
          u.failed = [...(u.failed ?? []), uid];
        }
      }
      if ((u.succeeded?.length ?? 0) + (u.failed?.length ?? 0) >= MAX_UNCOUNTED_PODS) {
        reachedMax = true;
        break;
      }
    }
    if (isIndexed(job)) {
      const completed = formatIndexes(succeededIndexes);
      if (completed !== (status.completedIndexes ?? '')) needsFlush = true;
      status.succeeded = succeededIndexes.length;
      status.completedIndexes = completed;
    }
    if (finished?.type === FAILURE_TARGET) {
      status.conditions = [...(status.conditions ?? []), finished];
      needsFlush = true;
      finished = newCondition(FAILED, 'True', finished.reason ?? '', finished.message ?? '');
    }
    if (finished?.type === SUCCESS_CRITERIA_MET) {
      if (!conditionTrue(job, SUCCESS_CRITERIA_MET)) {
        status.conditions = [...(status.conditions ?? []), finished];
        needsFlush = true;
      }
      finished = newCondition(COMPLETE, 'True', finished.reason ?? '', finished.message ?? '');
    }

    // flushUncountedAndRemoveFinalizers
    if (needsFlush) {
      await updateStatus(job);
      backoffs.set(key, backoff);
      needsFlush = false;
    }
    let rmError: unknown;
    if (toRemove.length) {
      const uids = finalizerExpectations.get(key) ?? new Set<string>();
      for (const p of toRemove) uids.add(p.metadata.uid!);
      finalizerExpectations.set(key, uids);
      await Promise.all(
        toRemove.map(async (p) => {
          try {
            await removeFinalizer(p);
            withFinalizer.delete(p.metadata.uid!);
          } catch (err) {
            uids.delete(p.metadata.uid!);
            if (isNotFound(err)) withFinalizer.delete(p.metadata.uid!);
            else rmError ??= err;
          }
        }),
      );
    }
    if (countUncounted(status, withFinalizer)) needsFlush = true;
    if (rmError) {
      if (needsFlush) await updateStatus(job);
      throw rmError;
    }

    // enactJobFinished
    let jobFinished = false;
    const remaining = (u.succeeded?.length ?? 0) + (u.failed?.length ?? 0);
    if (!reachedMax && finished && remaining === 0 && (status.terminating ?? 0) === 0) {
      ensureCondition(status, finished.type, finished.status, finished.reason ?? '', finished.message ?? '');
      if (finished.type === COMPLETE) status.completionTime = status.conditions?.find((c) => c.type === COMPLETE)?.lastTransitionTime;
      jobFinished = true;
      needsFlush = true;
    }
    if (needsFlush) {
      await updateStatus(job);
      if (jobFinished) recordFinished(job, finished!);
    }
  }

  /** cleanUncountedPodsWithoutFinalizers: UIDs whose finalizer is gone move to the counters. */
  function countUncounted(status: SyncedJob['status'], withFinalizer: Set<string>): boolean {
    const u = status.uncountedTerminatedPods;
    let changed = false;
    for (const [field, counter] of [
      ['succeeded', 'succeeded'],
      ['failed', 'failed'],
    ] as const) {
      const list = u[field] ?? [];
      const still = list.filter((uid) => withFinalizer.has(uid));
      if (still.length !== list.length) {
        changed = true;
        status[counter] = (status[counter] ?? 0) + list.length - still.length;
        if (still.length) u[field] = still;
        else delete u[field];
      }
    }
    return changed;
  }

  function recordFinished(job: Job, c: JobCondition): void {
    if (c.type === COMPLETE) {
      const completions = job.spec?.completions;
      if (completions !== undefined && (job.status?.succeeded ?? 0) > completions) event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      event(job, 'Normal', 'Completed', 'Job completed');
    } else event(job, 'Warning', c.reason ?? '', c.message ?? '');
  }

  async function updateStatus(job: Job): Promise<void> {
    const written = await client.update(R.jobs, job.metadata.namespace ?? '', structuredClone(job), 'status');
    job.metadata.resourceVersion = written.metadata.resourceVersion;
  }

  async function removeFinalizer(p: Pod): Promise<void> {
    if (!hasFinalizer(p)) return;
    await client.mutate(R.pods, p.metadata.namespace ?? '', p.metadata.name!, (cur) => {
      if (cur.metadata.uid !== p.metadata.uid) return cur;
      const rest = (cur.metadata.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER);
      if (rest.length) cur.metadata.finalizers = rest;
      else delete cur.metadata.finalizers;
      return asPatch(cur);
    });
  }

  // ---- orphans ----

  /** The Job a pod's controller reference names, if we know it. */
  function jobOf(p: Pod): Job | undefined {
    const ref = controllerRefOf(p);
    if (!ref || ref.kind !== 'Job') return undefined;
    const job = jobs.get(p.metadata.namespace ?? '', ref.name);
    return job?.metadata.uid === ref.uid ? job : undefined;
  }

  /** syncOrphanPod: a pod whose Job is gone or finished loses the tracking finalizer. */
  async function syncOrphanPod(podKey: string): Promise<void> {
    const [ns, name] = splitKey(podKey);
    const p = pods.get(ns, name);
    if (!p || !hasFinalizer(p)) return;
    const ref = controllerRefOf(p);
    if (ref) {
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
      const job = jobOf(p);
      if (job?.spec?.managedBy !== undefined && job.spec.managedBy !== JOB_CONTROLLER_MANAGER) return;
      if (job && !isJobFinished(job)) return;
    }
    try {
      await removeFinalizer(p);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  function cleanupPodFinalizers(job: Job): void {
    for (const p of pods.controlledBy(job.metadata.uid!)) if (p.metadata.namespace === job.metadata.namespace && hasFinalizer(p)) orphanQueue.add(keyOf(p));
  }

  // ---- handlers ----

  const batched = (job: Job) => queue.addAfter(keyOf(job), syncBatchPeriodMs);
  const selectingJobs = (p: Pod) => jobs.list(p.metadata.namespace ?? '').filter((j) => selects(parseSelector(j.spec?.selector), p));

  function finalizerRemovalObserved(key: string, uid: string): void {
    finalizerExpectations.get(key)?.delete(uid);
  }

  function podDeleted(p: Pod, final: boolean): void {
    const ref = controllerRefOf(p);
    if (!ref) {
      if (hasFinalizer(p) && !final) orphanQueue.add(keyOf(p));
      return;
    }
    const job = jobOf(p);
    if (!job || isJobFinished(job)) {
      if (hasFinalizer(p) && !final) orphanQueue.add(keyOf(p));
      return;
    }
    const key = keyOf(job);
    expectations.deletionObserved(key, keyOf(p));
    if (final || !hasFinalizer(p)) finalizerRemovalObserved(key, p.metadata.uid!);
    batched(job);
  }

  function podAdded(p: Pod): void {
    if (p.metadata.deletionTimestamp) return podDeleted(p, false);
    if (controllerRefOf(p)) {
      const job = jobOf(p);
      if (!job) {
        if (hasFinalizer(p) && controllerRefOf(p)?.kind === 'Job') orphanQueue.add(keyOf(p));
        return;
      }
      expectations.creationObserved(keyOf(job));
      batched(job);
      return;
    }
    if (hasFinalizer(p)) orphanQueue.add(keyOf(p));
    for (const job of selectingJobs(p)) batched(job);
  }

  function podUpdated(old: Pod, p: Pod): void {
    if (old.metadata.resourceVersion === p.metadata.resourceVersion) return;
    if (p.metadata.deletionTimestamp) return podDeleted(p, false);
    const removed = !hasFinalizer(p);
    const oldJob = jobOf(old);
    const job = jobOf(p);
    if (oldJob && oldJob !== job) {
      if (removed) finalizerRemovalObserved(keyOf(oldJob), p.metadata.uid!);
      batched(oldJob);
    }
    if (controllerRefOf(p)) {
      if (!job) return;
      if (removed) finalizerRemovalObserved(keyOf(job), p.metadata.uid!);
      if (hasFinalizer(p) && isJobFinished(job)) orphanQueue.add(keyOf(p));
      batched(job);
      return;
    }
    if (hasFinalizer(p)) orphanQueue.add(keyOf(p));
    for (const j of selectingJobs(p)) batched(j);
  }

  function jobUpdated(old: Job, job: Job): void {
    if (old.metadata.generation === job.metadata.generation) batched(job);
    else queue.add(keyOf(job));
    if (isJobFinished(job)) cleanupPodFinalizers(job);
    const start = job.status?.startTime;
    const ads = job.spec?.activeDeadlineSeconds;
    if (start !== undefined && ads !== undefined && ads !== old.spec?.activeDeadlineSeconds) {
      queue.addAfter(keyOf(job), Math.max(0, ads * 1000 - (now().getTime() - Date.parse(start))));
    }
  }

  return {
    async start() {
      informers.start();
      // Both caches first, so that no pod looks orphaned for want of its Job in the cache.
      await waitForSync(jobs, pods);
      jobs.on({
        add: (j) => queue.add(keyOf(j)),
        update: jobUpdated,
        delete(j) {
          queue.add(keyOf(j));
          cleanupPodFinalizers(j);
        },
      });
      pods.on({ add: podAdded, update: podUpdated, delete: (p) => podDeleted(p, true) });
    },
    stop() {
      queue.stop();
      orphanQueue.stop();
    },
    resync() {
      for (const j of jobs.list()) queue.add(keyOf(j));
    },
  };
}
