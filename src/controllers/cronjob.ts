// The CronJob controller (pkg/controller/cronjob/cronjob_controllerv2.go): at each scheduled time,
// on the wall clock of spec.timeZone (else the server's local zone), it creates the Job
// `<cronjob>-<scheduled minutes since the epoch>` from the template, unless the CronJob is
// suspended, the time is older than startingDeadlineSeconds, or the concurrency policy says no
// (Forbid skips while a Job runs, Replace deletes the running ones first). It keeps status.active,
// lastScheduleTime and lastSuccessfulTime, and deletes the oldest finished Jobs beyond the history
// limits. It wakes up again just after the next scheduled time.
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../api/clock.js';
import { formatRFC3339, isKnownTimeZone, parseStandard, type Schedule } from '../api/cron.js';
import { isNotFound } from '../api/errors.js';
import type { CronJob, Job } from '../api/kinds.js';
import { formatTime } from '../api/meta.js';
import { R, type Client } from '../client/client.js';
import { waitForSync } from '../client/informer.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { keyOf } from '../client/object-cache.js';
import { WorkQueue } from '../client/queue.js';
import { controllerRefOf, newControllerRef, retryOnConflict, splitKey } from './controller-utils.js';
import type { EventRecorder } from './events.js';
import { isJobFinished } from './job.js';

export const CRONJOB_CONTROLLER = 'cronjob-controller';
export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** The controller wakes this long after a scheduled time, and at least once a day. */
const NEXT_SCHEDULE_DELTA_MS = 100;
const MAX_REQUEUE_MS = 24 * 3600_000;

export interface CronJobControllerDeps {
  client: Client;
  informers: InformerFactory;
  clock: Clock;
  recorder: EventRecorder;
}

/** The condition (Complete or Failed) a finished Job ended with. */
const finishedCondition = (job: Job): string | undefined => job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.type;

/** The Job's name for a scheduled time: minutes since the epoch. */
export const jobName = (cj: CronJob, scheduled: Date): string => `${cj.metadata.name}-${Math.floor(scheduled.getTime() / 60_000)}`;

/**
 * mostRecentScheduleTime: the latest scheduled time not after now, since the last one (or the
 * creation, or the starting deadline); `earliest` is where the search began.
 */
export function mostRecentScheduleTime(cj: CronJob, now: Date, schedule: Schedule, withDeadline: boolean): { earliest: Date; recent?: Date } {
  let earliest = new Date(cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp ?? now);
  const deadline = cj.spec?.startingDeadlineSeconds;
  if (withDeadline && deadline !== undefined && deadline !== null) earliest = new Date(Math.max(earliest.getTime(), now.getTime() - deadline * 1000));
  const t1 = schedule.next(earliest);
  const t2 = t1 && schedule.next(t1);
  if (!t1 || now < t1) return { earliest };
  if (!t2 || now < t2) return { earliest, recent: t1 };
  // Jump close to now by the interval between two activations, then step.
  const interval = Math.round((t2.getTime() - t1.getTime()) / 1000) * 1000;
  const missed = Math.floor((now.getTime() - t1.getTime()) / interval) + 1;
  let recent: Date | undefined;
  for (let t = schedule.next(new Date(t1.getTime() + (missed - 2) * interval)); t && t <= now; t = schedule.next(t)) recent = t;
  return { earliest, recent };
}

export function cronJobController({ client, informers, clock, recorder }: CronJobControllerDeps) {
  const cronJobs = informers.forResource(R.cronjobs);
  const jobs = informers.forResource(R.jobs);
  const queue = new WorkQueue(CRONJOB_CONTROLLER, reconcile, 1000, 60_000);
  const event = (cj: CronJob, type: 'Normal' | 'Warning', reason: string, message: string) => void recorder.record(cj, type, reason, message, CRONJOB_CONTROLLER);

  async function reconcile(key: string): Promise<void> {
    try {
      await sync(key);
    } catch (err) {
      retryOnConflict(err, () => queue.addAfter(key, 20));
    }
  }

  async function sync(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const shared = cronJobs.get(ns, name);
    if (!shared) return;
    const owned = jobs.controlledBy(shared.metadata.uid!).filter((j) => j.metadata.namespace === ns);
    const active = await reconcileActive(structuredClone(shared), owned);
    const cj = active.cj;
    let changed = active.changed;
    const scheduled = await syncCronJob(cj);
    changed ||= scheduled.changed;
    if (await cleanupFinishedJobs(cj, owned)) changed = true;
    if (changed) await client.update(R.cronjobs, ns, cj, 'status');
    if (scheduled.requeueAfterMs !== undefined) queue.addAfter(key, Math.min(scheduled.requeueAfterMs, MAX_REQUEUE_MS));
  }

  /**
   * The active list against the Jobs: finished ones leave it, missing ones too. A running Job not
   * in the list may be one this controller created whose status write the cache has not seen yet:
   * as upstream, the CronJob is read afresh, and if its list holds the Job the fresh copy is used.
   */
  async function reconcileActive(cj: CronJob, owned: Job[]): Promise<{ cj: CronJob; changed: boolean }> {
    cj.status ??= {};
    let changed = false;
    const removeActive = (uid: string | undefined) => {
      const status = cj.status!;
      status.active = (status.active ?? []).filter((r) => r.uid !== uid);
      if (status.active.length === 0) delete status.active;
      changed = true;
    };
    const isActive = (c: CronJob, job: Job) => (c.status?.active ?? []).some((r) => r.uid === job.metadata.uid);
    for (const job of owned) {
      const active = isActive(cj, job);
      if (!active && !isJobFinished(job)) {
        const fresh = await client.get(R.cronjobs, cj.metadata.namespace!, cj.metadata.name!);
        if (isActive(fresh, job)) {
          cj = fresh;
          cj.status ??= {};
          continue;
        }
        event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${job.metadata.name}`);
      } else if (active && isJobFinished(job)) {
        removeActive(job.metadata.uid);
        event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata.name}, condition: ${finishedCondition(job)}`);
      }
      const status = cj.status!;
      const completed = job.status?.completionTime;
      if (finishedCondition(job) === 'Complete' && completed && (!status.lastSuccessfulTime || Date.parse(completed) > Date.parse(status.lastSuccessfulTime))) {
        status.lastSuccessfulTime = completed;
        changed = true;
      }
    }
    for (const ref of cj.status!.active ?? []) {
      if (owned.some((j) => j.metadata.uid === ref.uid)) continue;
      try {
        await client.get(R.jobs, ref.namespace ?? '', ref.name ?? '');
      } catch (err) {
        if (!isNotFound(err)) throw err;
        event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
        removeActive(ref.uid);
      }
    }
    return { cj, changed };
  }

  /** syncCronJob: creates the Job due now, if any; answers when to look again. */
  async function syncCronJob(cj: CronJob): Promise<{ changed: boolean; requeueAfterMs?: number }> {
    const spec = cj.spec!;
    const status = cj.status!;
    let changed = false;
    if (cj.metadata.deletionTimestamp) return { changed };
    const zone = spec.timeZone ?? undefined;
    if (zone !== undefined && !isKnownTimeZone(zone)) {
      event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(zone)}: unknown time zone ${zone}`);
      return { changed };
    }
    if (spec.suspend) return { changed };
    const schedule = parseStandard(spec.schedule, zone);
    if (typeof schedule === 'string') {
      event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(spec.schedule)} : ${schedule}`);
      return { changed };
    }
    const now = clock.now();
    const requeue = () => {
      const { earliest, recent } = mostRecentScheduleTime(cj, now, schedule, false);
      const next = schedule.next(recent ?? earliest);
      return { changed, requeueAfterMs: next && next.getTime() - now.getTime() + NEXT_SCHEDULE_DELTA_MS };
    };
    // Times older than startingDeadlineSeconds are not looked at.
    const scheduled = mostRecentScheduleTime(cj, now, schedule, true).recent;
    if (!scheduled) return requeue();
    const name = jobName(cj, scheduled);
    const active = status.active ?? [];
    if (active.some((r) => r.name === name) || (status.lastScheduleTime && Date.parse(status.lastScheduleTime) === scheduled.getTime())) return requeue();
    if (spec.concurrencyPolicy === 'Forbid' && active.length > 0) {
      event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return requeue();
    }
    if (spec.concurrencyPolicy === 'Replace') {
      for (const ref of active) {
        await deleteJob(cj, ref.name ?? '');
        changed = true;
      }
    }
    const created = await createJob(cj, name, scheduled);
    if (!created) return { changed };
    status.active = [...(status.active ?? []), reference(created)];
    status.lastScheduleTime = formatTime(scheduled);
    changed = true;
    return requeue();
  }

  /** The Job for a scheduled time; undefined when a Job of that name exists that is not this CronJob's or is already active. */
  async function createJob(cj: CronJob, name: string, scheduled: Date): Promise<Job | undefined> {
    const ns = cj.metadata.namespace!;
    const template = cj.spec!.jobTemplate;
    const labels = { ...template.metadata?.labels };
    const job: Job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace: ns,
        ...(Object.keys(labels).length ? { labels } : {}),
        annotations: { ...template.metadata?.annotations, [SCHEDULED_TIMESTAMP_ANNOTATION]: formatRFC3339(scheduled, cj.spec!.timeZone ?? 'UTC') },
        ownerReferences: [newControllerRef(cj, 'batch/v1', 'CronJob')],
      },
      spec: structuredClone(template.spec!),
    };
    try {
      const created = await client.create(R.jobs, ns, job);
      event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`);
      return created;
    } catch (err) {
      if ((err as { code?: number }).code !== 409) {
        event(cj, 'Warning', 'FailedCreate', `Error creating job: ${(err as Error).message}`);
        throw err;
      }
      const existing = await client.get(R.jobs, ns, name);
      const ours = controllerRefOf(existing)?.uid === cj.metadata.uid;
      return ours && !(cj.status?.active ?? []).some((r) => r.uid === existing.metadata.uid) ? existing : undefined;
    }
  }

  /** deleteJob: in the background, out of the active list, with its event. */
  async function deleteJob(cj: CronJob, name: string): Promise<void> {
    const ns = cj.metadata.namespace!;
    try {
      const { object } = await client.delete(R.jobs, ns, name, { propagationPolicy: 'Background' });
      cj.status!.active = (cj.status!.active ?? []).filter((r) => r.uid !== object.metadata.uid);
      if (cj.status!.active.length === 0) delete cj.status!.active;
      event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${name}`);
    } catch (err) {
      event(cj, 'Warning', 'FailedDelete', `Deleted job: ${(err as Error).message}`);
      throw err;
    }
  }

  /** cleanupFinishedJobs: the oldest finished Jobs beyond each history limit go. */
  async function cleanupFinishedJobs(cj: CronJob, owned: Job[]): Promise<boolean> {
    const limits: [string, number | undefined][] = [
      ['Complete', cj.spec?.successfulJobsHistoryLimit ?? undefined],
      ['Failed', cj.spec?.failedJobsHistoryLimit ?? undefined],
    ];
    let changed = false;
    for (const [condition, limit] of limits) {
      if (limit === undefined) continue;
      const finished = owned.filter((j) => finishedCondition(j) === condition).sort(byStartTime);
      for (const job of finished.slice(0, Math.max(0, finished.length - limit))) {
        await deleteJob(cj, job.metadata.name!);
        changed = true;
      }
    }
    return changed;
  }

  return {
    async start() {
      informers.start();
      await waitForSync(cronJobs, jobs);
      cronJobs.on({ add: (cj) => queue.add(keyOf(cj)), update: (_, cj) => queue.add(keyOf(cj)) });
      const jobChanged = (job: Job) => {
        const ref = controllerRefOf(job);
        if (ref?.kind === 'CronJob') queue.add(`${job.metadata.namespace}/${ref.name}`);
      };
      jobs.on({ add: jobChanged, update: (_, job) => jobChanged(job), delete: jobChanged });
      for (const cj of cronJobs.list()) queue.add(keyOf(cj));
    },
    stop() {
      queue.stop();
    },
    resync() {
      for (const cj of cronJobs.list()) queue.add(keyOf(cj));
    },
  };
}

/** byJobStartTime: started Jobs first, oldest first, then by name. */
function byStartTime(a: Job, b: Job): number {
  const [sa, sb] = [a.status?.startTime, b.status?.startTime];
  if (!sa !== !sb) return sa ? -1 : 1;
  return (sa && sb ? Date.parse(sa) - Date.parse(sb) : 0) || (a.metadata.name! < b.metadata.name! ? -1 : 1);
}

/** The reference status.active keeps (ref.GetReference). */
const reference = (job: Job): ObjectReference => ({
  kind: 'Job',
  namespace: job.metadata.namespace,
  name: job.metadata.name,
  uid: job.metadata.uid,
  apiVersion: 'batch/v1',
  resourceVersion: job.metadata.resourceVersion,
});
