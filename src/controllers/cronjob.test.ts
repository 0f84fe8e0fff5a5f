import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CronJobSpec } from 'kubernetes-types/batch/v1.js';
import type { CronJob, Job } from '../api/kinds.js';
import { formatTime } from '../api/meta.js';
import { R } from '../client/client.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { cronJobController, SCHEDULED_TIMESTAMP_ANNOTATION } from './cronjob.js';

const MINUTE = 60_000;

const cronJob = (name: string, spec: Partial<CronJobSpec> = {}): CronJob => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name },
  spec: { schedule: '*/1 * * * *', jobTemplate: { metadata: { labels: { app: name } }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } }, ...spec },
});

// The controller on a manual clock: each step moves the clock, asks for a sync, and waits for what
// the controller writes. No Job controller runs: tests finish Jobs by writing their status.
describe('the CronJob controller', () => {
  let t: TestCluster;
  let controller: ReturnType<typeof cronJobController>;
  const jobsOf = async (cj: string) =>
    (await t.client.list(R.jobs, 'default')).items.filter((j) => j.metadata.ownerReferences?.[0]?.name === cj).map((j) => j.metadata.name!).sort();
  const statusOf = async (cj: string) => (await t.client.get(R.cronjobs, 'default', cj)).status ?? {};
  const reasons = async (cj: string) => (await t.eventsFor('CronJob', cj)).map((e) => [e.reason, e.message]);
  /** Moves the clock to `at` and syncs every CronJob. */
  const tick = (at: Date) => {
    t.clock.set(at);
    controller.resync();
  };
  const at = (minutes: number) => new Date(t0.getTime() + minutes * MINUTE);
  const nameAt = (cj: string, minutes: number) => `${cj}-${at(minutes).getTime() / MINUTE}`;
  const finish = async (name: string, type: 'Complete' | 'Failed', startMinutes: number) => {
    const job = await t.client.get(R.jobs, 'default', name);
    const time = formatTime(t.clock.now());
    job.status = {
      startTime: formatTime(at(startMinutes)),
      ...(type === 'Complete' ? { completionTime: time } : {}),
      conditions: [{ type, status: 'True', lastProbeTime: time, lastTransitionTime: time }],
    };
    await t.client.update(R.jobs, 'default', job, 'status');
  };
  let t0: Date;

  before(async () => {
    t = await testCluster();
    t0 = t.clock.now();
    controller = cronJobController({ client: t.client, informers: t.informers, clock: t.clock, recorder: t.recorder });
    await controller.start();
  });
  after(async () => {
    controller.stop();
    await t.close();
  });

  it('creates the Job of each scheduled time, with its owner, labels and scheduled timestamp, and records it', async () => {
    await t.client.create(R.cronjobs, 'default', cronJob('every'));
    tick(at(0.5));
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await jobsOf('every'), [], 'nothing before the first scheduled time');
    tick(at(1));
    const name = nameAt('every', 1);
    await t.until('the first Job', async () => (await jobsOf('every')).length === 1);
    const job: Job = await t.client.get(R.jobs, 'default', name);
    const cj = await t.client.get(R.cronjobs, 'default', 'every');
    assert.deepEqual(job.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'every', uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.equal(job.metadata.annotations?.[SCHEDULED_TIMESTAMP_ANNOTATION], formatTime(at(1)));
    assert.equal(job.metadata.labels?.app, 'every');
    const status = await t.until('the active Job in the status', async () => ((await statusOf('every')).active?.length ? statusOf('every') : undefined));
    assert.deepEqual(status.active?.map((r) => [r.kind, r.name, r.uid]), [['Job', name, job.metadata.uid]]);
    assert.equal(status.lastScheduleTime, formatTime(at(1)));
    assert.deepEqual((await reasons('every')).at(-1), ['SuccessfulCreate', `Created job ${name}`]);

    await finish(name, 'Complete', 1);
    await t.until('the completed Job leaves the active list', async () => !(await statusOf('every')).active);
    assert.equal((await statusOf('every')).lastSuccessfulTime, formatTime(t.clock.now()));
    assert.ok((await reasons('every')).some(([r, m]) => r === 'SawCompletedJob' && m === `Saw completed job: ${name}, condition: Complete`));
  });

  it('keeps successfulJobsHistoryLimit finished Jobs, deleting the oldest', async () => {
    await t.client.create(R.cronjobs, 'default', cronJob('history', { successfulJobsHistoryLimit: 1 }));
    for (const m of [2, 3]) {
      tick(at(m));
      await t.until(`the Job of minute ${m}`, async () => (await jobsOf('history')).includes(nameAt('history', m)));
      await finish(nameAt('history', m), 'Complete', m);
    }
    await t.until('the oldest Job deleted', async () => (await jobsOf('history')).join() === nameAt('history', 3));
    assert.ok((await reasons('history')).some(([r, m]) => r === 'SuccessfulDelete' && m === `Deleted job ${nameAt('history', 2)}`));
  });

  it('Forbid skips a run while a Job is active; Replace deletes the active Job first', async () => {
    await t.client.create(R.cronjobs, 'default', cronJob('forbid', { concurrencyPolicy: 'Forbid' }));
    await t.client.create(R.cronjobs, 'default', cronJob('replace', { concurrencyPolicy: 'Replace' }));
    tick(at(4));
    await t.until('both first Jobs', async () => (await jobsOf('forbid')).length === 1 && (await jobsOf('replace')).length === 1);
    await t.until('both active', async () => (await statusOf('forbid')).active && (await statusOf('replace')).active);
    tick(at(5));
    await t.until('the replacing Job', async () => (await jobsOf('replace')).join() === nameAt('replace', 5));
    await t.until('JobAlreadyActive', async () => (await reasons('forbid')).some(([r]) => r === 'JobAlreadyActive'));
    assert.deepEqual(await jobsOf('forbid'), [nameAt('forbid', 4)]);
    assert.ok((await reasons('replace')).some(([r, m]) => r === 'SuccessfulDelete' && m === `Deleted job ${nameAt('replace', 4)}`));
  });

  it('creates nothing while suspended, nor for a time older than startingDeadlineSeconds', async () => {
    await t.client.create(R.cronjobs, 'default', cronJob('suspended', { suspend: true }));
    await t.client.create(R.cronjobs, 'default', cronJob('late', { schedule: '0 * * * *', startingDeadlineSeconds: 10 }));
    tick(at(60.5));
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await jobsOf('late'), [], 'the time is 30 s old');
    tick(new Date(at(120).getTime() + 5000));
    await t.until('the Job within the deadline', async () => (await jobsOf('late')).join() === nameAt('late', 120));
    assert.deepEqual(await jobsOf('suspended'), []);
  });

  it('schedules on the wall clock of spec.timeZone and writes the scheduled time in it', async () => {
    const minutes = (24 * 60 + 60 + 30 - 10 * 60 - 9 * 60) % (24 * 60); // 01:30 in Tokyo (UTC+9), from 10:00 UTC
    await t.client.create(R.cronjobs, 'default', cronJob('tokyo', { schedule: '30 1 * * *', timeZone: 'Asia/Tokyo' }));
    tick(at(minutes));
    await t.until('the Tokyo Job', async () => (await jobsOf('tokyo')).length === 1);
    const job = await t.client.get(R.jobs, 'default', nameAt('tokyo', minutes));
    assert.match(job.metadata.annotations?.[SCHEDULED_TIMESTAMP_ANNOTATION] ?? '', /^\d{4}-\d\d-\d\dT01:30:00\+09:00$/);
  });

  it('warns of a running Job of its own that its active list does not hold, until the list holds it', async () => {
    const cj = await t.client.create(R.cronjobs, 'default', cronJob('adopt', { suspend: true }));
    const job = await t.client.create(R.jobs, 'default', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'adopt-1', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'adopt', uid: cj.metadata.uid!, controller: true }] },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    const warnings = async () => (await t.eventsFor('CronJob', 'adopt')).filter((e) => e.reason === 'UnexpectedJob');
    const [warning] = await t.until('the Job reported', async () => ((await warnings()).length ? warnings() : undefined));
    assert.equal(warning.message, 'Saw a job that the controller did not create or forgot: adopt-1');
    await t.client.mutate(R.cronjobs, 'default', 'adopt', (c) => ({ ...c, status: { active: [{ kind: 'Job', namespace: 'default', name: 'adopt-1', uid: job.metadata.uid, apiVersion: 'batch/v1' }] } }), 'status');
    await t.until('the listed status in the cache', () => t.informers.forResource(R.cronjobs).get('default', 'adopt')?.status?.active?.length);
    const count = (await warnings())[0].count;
    controller.resync();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await warnings())[0].count, count, 'no warning once the list holds it');
  });
});
