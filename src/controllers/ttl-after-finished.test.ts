import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Job } from '../api/kinds.js';
import { formatTime } from '../api/meta.js';
import { R } from '../client/client.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { ttlAfterFinishedController } from './ttl-after-finished.js';

const job = (name: string, ttlSecondsAfterFinished?: number): Job => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name },
  spec: { ttlSecondsAfterFinished, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
});

// The controller on a manual clock; no Job controller runs: tests finish Jobs by writing their status.
describe('the TTL-after-finished controller', () => {
  let t: TestCluster;
  let controller: ReturnType<typeof ttlAfterFinishedController>;
  /** Whether the Job is gone or going (the foreground deletion waits for a garbage collector). */
  const deleting = async (name: string) => {
    try {
      return !!(await t.client.get(R.jobs, 'default', name)).metadata.deletionTimestamp;
    } catch {
      return true;
    }
  };
  const finish = async (name: string, type: 'Complete' | 'Failed') => {
    const j = await t.client.get(R.jobs, 'default', name);
    const now = formatTime(t.clock.now());
    j.status = { startTime: now, ...(type === 'Complete' ? { completionTime: now } : {}), conditions: [{ type, status: 'True', lastProbeTime: now, lastTransitionTime: now }] };
    await t.client.update(R.jobs, 'default', j, 'status');
  };
  const settle = () => new Promise((r) => setTimeout(r, 50));

  before(async () => {
    t = await testCluster();
    controller = ttlAfterFinishedController({ client: t.client, informers: t.informers, clock: t.clock });
    await controller.start();
  });
  after(async () => {
    controller.stop();
    await t.close();
  });

  it('deletes a finished Job with a TTL of 0 at once, in the foreground', async () => {
    await t.client.create(R.jobs, 'default', job('zero', 0));
    await settle();
    assert.equal(await deleting('zero'), false, 'a running Job stays');
    await finish('zero', 'Failed');
    await t.until('the Job deleted', () => deleting('zero'));
    const left = await t.client.get(R.jobs, 'default', 'zero');
    assert.deepEqual(left.metadata.finalizers, ['foregroundDeletion']);
  });

  it('deletes a finished Job ttlSecondsAfterFinished after it finished, and keeps one without a TTL', async () => {
    await t.client.create(R.jobs, 'default', job('later', 30));
    await t.client.create(R.jobs, 'default', job('kept'));
    await finish('later', 'Complete');
    await finish('kept', 'Complete');
    t.clock.advance(29_000);
    controller.resync();
    await settle();
    assert.equal(await deleting('later'), false);
    t.clock.advance(1000);
    controller.resync();
    await t.until('the expired Job deleted', () => deleting('later'));
    assert.equal(await deleting('kept'), false);
  });
});
