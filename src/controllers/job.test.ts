import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JobSpec } from 'kubernetes-types/batch/v1.js';
import type { Container } from 'kubernetes-types/core/v1.js';
import type { Job } from '../api/kinds.js';
import { R } from '../client/client.js';
import { jobController, remainingBackoff } from './job.js';
import { scheduler } from './scheduler.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { ScriptedRuntime } from '../testing/scripted-runtime.js';

type Obj = Record<string, unknown>;

const jobManifest = (name: string, spec: Omit<JobSpec, 'template'>, container: Partial<Container> = {}, restartPolicy = 'Never'): Job => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name },
  spec: { ...spec, template: { spec: { restartPolicy, containers: [{ name: 'work', image: 'busybox', command: ['sh', '-c', 'true'], ...container }] } } },
});

describe('job backoff', () => {
  it('waits 10 s after one failure, doubling, at most 10 minutes', () => {
    const now = 1_000_000;
    assert.equal(remainingBackoff({ failuresAfterLastSuccess: 0 }, now), 0);
    assert.equal(remainingBackoff({ failuresAfterLastSuccess: 1, lastFailureTime: now }, now), 10_000);
    assert.equal(remainingBackoff({ failuresAfterLastSuccess: 3, lastFailureTime: now - 5000 }, now), 35_000);
    assert.equal(remainingBackoff({ failuresAfterLastSuccess: 20, lastFailureTime: now }, now), 600_000);
    assert.equal(remainingBackoff({ failuresAfterLastSuccess: 1, lastFailureTime: now - 11_000 }, now), 0);
  });
});

// The Job controller, the scheduler and the node agent on a scripted runtime: a container whose
// command ends in `exit N` (or `true`) exits so at once; one that sleeps runs until the test ends it.
describe('the Job controller', () => {
  let t: TestCluster;
  let jobs: ReturnType<typeof jobController>;
  const runtime = new ScriptedRuntime();
  const stops: (() => void)[] = [];
  const get = (name: string) => t.client.get(R.jobs, 'default', name);
  const statusOf = async (name: string) => (await get(name)).status ?? {};
  const podsOf = async (name: string) => (await t.client.list(R.pods, 'default')).items.filter((p) => p.metadata.labels?.['job-name'] === name).sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)));
  const conditionsOf = async (name: string) => ((await statusOf(name)).conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message]);
  /** Waits for n containers of a Job's pods to run, then ends them with an exit code. */
  const finish = async (name: string, n: number, exitCode = 0) => {
    const running = await t.until(`${n} running ${name} pods`, () => {
      const keys = runtime.running().filter((k) => k.startsWith(`${name}-`));
      return keys.length === n && keys;
    });
    for (const key of running) runtime.exit(key, exitCode);
  };

  before(async () => {
    t = await testCluster();
    jobs = jobController({ client: t.client, informers: t.informers, clock: t.clock, recorder: t.recorder, syncBatchPeriodMs: 10 });
    for (const c of [jobs, scheduler({ client: t.client, informers: t.informers, clock: t.clock, host: 'test' })]) {
      await c.start();
      stops.push(() => c.stop());
    }
    await t.startNode(runtime);
  });
  after(async () => {
    stops.forEach((s) => s());
    await t.close();
  });

  it('runs pods until completions succeed, then Complete, keeping the pods', async () => {
    const job = await t.client.create(R.jobs, 'default', jobManifest('pi', { completions: 2, parallelism: 1 }));
    const uid = job.metadata.uid!;
    await t.until('completion', async () => (await get('pi')).status?.completionTime, 10_000);
    const status = await statusOf('pi');
    assert.deepEqual(
      { ...status, conditions: undefined, startTime: undefined, completionTime: undefined },
      { conditions: undefined, startTime: undefined, completionTime: undefined, ready: 0, succeeded: 2, terminating: 0, uncountedTerminatedPods: {} },
    );
    assert.equal(status.startTime, '2024-05-01T10:00:00Z');
    assert.deepEqual(await conditionsOf('pi'), [
      ['SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
      ['Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
    ]);
    const pods = await podsOf('pi');
    assert.equal(pods.length, 2);
    for (const p of pods) {
      assert.match(p.metadata.name!, /^pi-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.deepEqual(p.metadata.labels, { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid, 'job-name': 'pi' });
      assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid, controller: true, blockOwnerDeletion: true }]);
      assert.equal(p.metadata.finalizers, undefined, 'the tracking finalizer is removed once counted');
      assert.equal(p.status?.phase, 'Succeeded');
    }
    // Events are written in the background: the last one may come after the status.
    await t.until('the Completed event', async () => (await t.eventsFor('Job', 'pi')).some((e) => e.reason === 'Completed'));
    const events = (await t.eventsFor('Job', 'pi')).map((e) => [e.type, e.reason, e.message, (e.source as Obj).component]);
    assert.deepEqual(events.at(-1), ['Normal', 'Completed', 'Job completed', 'job-controller']);
    assert.deepEqual(
      events.slice(0, -1).sort(),
      pods.map((p) => ['Normal', 'SuccessfulCreate', `Created pod: ${p.metadata.name}`, 'job-controller']).sort(),
    );
  });

  it('creates pods with the tracking finalizer and counts them active', async () => {
    await t.client.create(R.jobs, 'default', jobManifest('sleepy', { parallelism: 2, completions: 4 }, { command: ['sleep', '3600'] }, 'OnFailure'));
    const pods = await t.until('2 pods', async () => ((await podsOf('sleepy')).length === 2 ? podsOf('sleepy') : undefined));
    assert.ok(pods.every((p) => p.metadata.finalizers?.includes('batch.kubernetes.io/job-tracking')));
    await t.until('2 active, ready', async () => (await statusOf('sleepy')).active === 2 && (await statusOf('sleepy')).ready === 2);
    await finish('sleepy', 2);
    await t.until('2 succeeded, 2 more active', async () => (await statusOf('sleepy')).succeeded === 2 && (await statusOf('sleepy')).active === 2);
    await finish('sleepy', 2);
    await t.until('complete', async () => (await conditionsOf('sleepy')).some((c) => c[0] === 'Complete'), 10_000);
    assert.equal((await statusOf('sleepy')).succeeded, 4);
    assert.equal((await podsOf('sleepy')).length, 4);
  });

  it('Never: a failed pod is replaced after the backoff, and a second failure past backoffLimit 1 fails the Job', async () => {
    await t.client.create(R.jobs, 'default', jobManifest('fails', { backoffLimit: 1 }, { command: ['sh', '-c', 'exit 1'] }));
    await t.until('the first failure counted', async () => (await statusOf('fails')).failed === 1, 10_000);
    assert.equal((await podsOf('fails')).length, 1, 'no new pod before the backoff');
    t.clock.advance(10_000);
    jobs.resync();
    await t.until('the Job to fail', async () => (await conditionsOf('fails')).some((c) => c[0] === 'Failed'), 10_000);
    assert.deepEqual(await conditionsOf('fails'), [
      ['FailureTarget', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
      ['Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
    ]);
    const status = await statusOf('fails');
    assert.deepEqual([status.failed, status.succeeded, status.active, status.completionTime], [2, undefined, undefined, undefined]);
    const pods = await podsOf('fails');
    assert.deepEqual(pods.map((p) => p.status?.phase), ['Failed', 'Failed']);
    await t.until('the BackoffLimitExceeded event', async () => (await t.eventsFor('Job', 'fails')).some((e) => e.reason === 'BackoffLimitExceeded'));
    const events = (await t.eventsFor('Job', 'fails')).map((e) => [e.type, e.reason, e.message]);
    assert.deepEqual(events.at(-1), ['Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit']);
    assert.equal(events.filter((e) => e[1] === 'SuccessfulCreate').length, 2);
  });

  it('OnFailure: container restarts count toward backoffLimit, and the running pod is deleted', async () => {
    await t.client.create(R.jobs, 'default', jobManifest('crashy', { backoffLimit: 2 }, { command: ['sh', '-c', 'exit 2'] }, 'OnFailure'));
    // The node agent restarts the container at once, then waits 10 s (CrashLoopBackOff).
    const restarts = async () => (await podsOf('crashy'))[0]?.status?.containerStatuses?.[0]?.restartCount;
    await t.until('one restart, backing off', async () => (await restarts()) === 1 && JSON.stringify((await podsOf('crashy'))[0]!.status).includes('CrashLoopBackOff'));
    assert.deepEqual(await conditionsOf('crashy'), [], 'one restart is below backoffLimit 2');
    t.clock.advance(10_000);
    await t.until('the Job to fail', async () => (await conditionsOf('crashy')).some((c) => c[0] === 'Failed'), 10_000);
    assert.deepEqual((await conditionsOf('crashy')).at(-1), ['Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit']);
    await t.until('the pod to go', async () => (await podsOf('crashy')).length === 0);
    assert.equal((await statusOf('crashy')).failed, 1);
  });

  it('removes the tracking finalizer of pods whose Job is deleted', async () => {
    await t.client.create(R.jobs, 'default', jobManifest('gone', { completions: 1 }, { command: ['sleep', '3600'] }, 'OnFailure'));
    const [pod] = await t.until('a pod', async () => ((await podsOf('gone')).length ? podsOf('gone') : undefined));
    await t.client.delete(R.jobs, 'default', 'gone');
    await t.until('no finalizer', async () => {
      try {
        return !(await t.client.get(R.pods, 'default', pod!.metadata.name!)).metadata.finalizers?.includes('batch.kubernetes.io/job-tracking');
      } catch {
        return true;
      }
    });
  });

  it('activeDeadlineSeconds: the Job fails with DeadlineExceeded and its pods go', async () => {
    const manifest = jobManifest('slow', { activeDeadlineSeconds: 5 }, { command: ['sleep', '3600'] });
    manifest.spec!.template.spec!.nodeSelector = { nowhere: 'true' };
    await t.client.create(R.jobs, 'default', manifest);
    await t.until('a pending pod', async () => (await podsOf('slow')).length === 1);
    t.clock.advance(5000);
    jobs.resync();
    await t.until('the Job to fail', async () => (await conditionsOf('slow')).some((c) => c[0] === 'Failed'), 10_000);
    assert.deepEqual((await conditionsOf('slow')).at(-1), ['Failed', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline']);
    await t.until('the pod to go', async () => (await podsOf('slow')).length === 0);
    assert.equal((await statusOf('slow')).failed, 1);
  });

  it('suspend: no pods, the Suspended condition, then pods once resumed', async () => {
    await t.client.create(R.jobs, 'default', jobManifest('later', { suspend: true }));
    await t.until('Suspended', async () => (await conditionsOf('later')).some((c) => c[0] === 'Suspended'));
    assert.deepEqual(await conditionsOf('later'), [['Suspended', 'True', 'JobSuspended', 'Job suspended']]);
    assert.equal((await statusOf('later')).startTime, undefined);
    assert.deepEqual(await podsOf('later'), []);
    await t.client.mutate(R.jobs, 'default', 'later', (cur) => ({ ...cur, spec: { ...cur.spec!, suspend: false } }));
    await t.until('complete', async () => (await conditionsOf('later')).some((c) => c[0] === 'Complete'), 10_000);
    assert.deepEqual((await conditionsOf('later'))[0], ['Suspended', 'False', 'JobResumed', 'Job resumed']);
    await t.until('the Completed event', async () => (await t.eventsFor('Job', 'later')).some((e) => e.reason === 'Completed'));
    const reasons = (await t.eventsFor('Job', 'later')).map((e) => e.reason);
    // manageJob creates the pods before the sync that resumes the Job records it.
    assert.deepEqual(reasons, ['Suspended', 'SuccessfulCreate', 'Resumed', 'Completed']);
  });

  it('Indexed: one pod per completion index, named and labelled by it', async () => {
    await t.client.create(R.jobs, 'default', jobManifest('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    await t.until('complete', async () => (await conditionsOf('idx')).some((c) => c[0] === 'Complete'), 10_000);
    const status = await statusOf('idx');
    assert.deepEqual([status.succeeded, status.completedIndexes], [3, '0-2']);
    const pods = await podsOf('idx');
    assert.deepEqual(pods.map((p) => p.metadata.annotations!['batch.kubernetes.io/job-completion-index']).sort(), ['0', '1', '2']);
    for (const p of pods) {
      const i = p.metadata.annotations!['batch.kubernetes.io/job-completion-index'];
      assert.match(p.metadata.name!, new RegExp(`^idx-${i}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      assert.equal(p.metadata.labels!['batch.kubernetes.io/job-completion-index'], i);
      assert.equal(p.spec?.hostname, `idx-${i}`);
      assert.deepEqual(p.spec?.containers[0]!.env, [
        { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
      ]);
    }
  });
});
