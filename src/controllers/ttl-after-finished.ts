// The TTL-after-finished controller (pkg/controller/ttlafterfinished): a finished Job with
// spec.ttlSecondsAfterFinished is deleted that many seconds after its Complete or Failed condition
// turned True, in the foreground (its pods first) and only if it is still the same Job.
import type { Clock } from '../api/clock.js';
import type { Job } from '../api/kinds.js';
import { R, type Client } from '../client/client.js';
import { waitForSync } from '../client/informer.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { keyOf } from '../client/object-cache.js';
import { WorkQueue } from '../client/queue.js';
import { isNotFound } from '../api/errors.js';
import { splitKey } from './controller-utils.js';

export const TTL_AFTER_FINISHED_CONTROLLER = 'ttl-after-finished-controller';
/** Timers longer than this are cut short: the Job is looked at again then. */
const MAX_REQUEUE_MS = 24 * 3600_000;

export interface TtlAfterFinishedDeps {
  client: Client;
  informers: InformerFactory;
  clock: Clock;
}

/** When the Job expires (ms since the epoch); undefined unless it has a TTL and has finished. */
export function expiresAt(job: Job): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || job.metadata.deletionTimestamp) return undefined;
  const finished = job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  if (!finished?.lastTransitionTime) return undefined;
  return Date.parse(finished.lastTransitionTime) + ttl * 1000;
}

export function ttlAfterFinishedController({ client, informers, clock }: TtlAfterFinishedDeps) {
  const jobs = informers.forResource(R.jobs);
  const queue = new WorkQueue(TTL_AFTER_FINISHED_CONTROLLER, processJob, 1000, 60_000);
  const enqueue = (job: Job) => {
    if (expiresAt(job) !== undefined) queue.add(keyOf(job));
  };

  /** processJob: deletes an expired Job after checking the server's copy, else waits for it. */
  async function processJob(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const cached = jobs.get(ns, name);
    if (!cached || !expired(key, cached)) return;
    let fresh: Job;
    try {
      fresh = await client.get(R.jobs, ns, name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (!expired(key, fresh)) return;
    await client.delete(R.jobs, ns, name, { propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata.uid } });
  }

  /** Whether the Job's time is up; if not, it is looked at again when it will be. */
  function expired(key: string, job: Job): boolean {
    const at = expiresAt(job);
    if (at === undefined) return false;
    const left = at - clock.now().getTime();
    if (left <= 0) return true;
    queue.addAfter(key, Math.min(left, MAX_REQUEUE_MS));
    return false;
  }

  return {
    async start() {
      informers.start();
      await waitForSync(jobs);
      jobs.on({ add: enqueue, update: (_, job) => enqueue(job) });
      jobs.list().forEach(enqueue);
    },
    stop() {
      queue.stop();
    },
    resync() {
      jobs.list().forEach(enqueue);
    },
  };
}
