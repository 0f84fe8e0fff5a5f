import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../api/meta.js';
import { R, ref } from '../client/client.js';
import { eventsV1Recorder } from './events.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';

describe('the event recorder (client-go tools/record)', () => {
  let t: TestCluster;
  let deploy: KubeObject;
  before(async () => {
    t = await testCluster();
    deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'my-app', namespace: 'default', uid: 'u-1', resourceVersion: '42' } };
  });
  after(() => t.close());

  it('creates a core/v1 Event named <object>.<hex> with the involved object and the source', async () => {
    await t.recorder.record(deploy, 'Normal', 'ScalingReplicaSet', 'Scaled up replica set my-app-5d9c8b7f4 from 0 to 3', 'deployment-controller');
    const [e] = await t.eventsFor('Deployment', 'my-app');
    assert.ok(e);
    const nanos = BigInt(t.clock.now().getTime()) * 1_000_000n;
    assert.equal(e.metadata.name, `my-app.${nanos.toString(16)}`);
    assert.deepEqual(e.involvedObject, { kind: 'Deployment', namespace: 'default', name: 'my-app', uid: 'u-1', apiVersion: 'apps/v1', resourceVersion: '42' });
    assert.deepEqual(
      [e.type, e.reason, e.message, e.source, e.count, e.firstTimestamp, e.lastTimestamp, e.eventTime, e.reportingComponent, e.reportingInstance],
      ['Normal', 'ScalingReplicaSet', 'Scaled up replica set my-app-5d9c8b7f4 from 0 to 3', { component: 'deployment-controller' }, 1, '2024-05-01T10:00:00Z', '2024-05-01T10:00:00Z', null, 'deployment-controller', ''],
    );
  });

  it('aggregates a repeat into count and lastTimestamp', async () => {
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'default', uid: 'u-2' } };
    await t.recorder.record(rs, 'Warning', 'FailedCreate', 'Error creating: nope', 'replicaset-controller');
    t.clock.advance(5000);
    await t.recorder.record(rs, 'Warning', 'FailedCreate', 'Error creating: nope', 'replicaset-controller');
    await t.recorder.record(rs, 'Warning', 'FailedCreate', 'Error creating: other', 'replicaset-controller');
    const list = await t.eventsFor('ReplicaSet', 'web');
    assert.equal(list.length, 2);
    const nope = list.find((e) => e.message === 'Error creating: nope')!;
    assert.deepEqual([nope.count, nope.firstTimestamp, nope.lastTimestamp], [2, '2024-05-01T10:00:00Z', '2024-05-01T10:00:05Z']);
  });

  it('drops a flood: 25 events per object and reason, then one per 5 minutes', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'noisy', namespace: 'default', uid: 'u-3' } };
    for (let i = 0; i < 30; i++) await t.recorder.record(pod, 'Normal', 'Pulled', `image ${i}`, 'kubelet');
    assert.equal((await t.eventsFor('Pod', 'noisy')).length, 25);
    t.clock.advance(300_000);
    await t.recorder.record(pod, 'Normal', 'Pulled', 'image again', 'kubelet');
    assert.equal((await t.eventsFor('Pod', 'noisy')).length, 26);
  });

  it('puts events about cluster objects in default', async () => {
    await t.recorder.record({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'u-4' } }, 'Normal', 'Starting', 'Starting kubelet.', 'kubelet');
    const { items } = await t.client.list(R.events, 'default');
    assert.ok(items.some((e) => e.involvedObject.name === 'n1' && !e.involvedObject.namespace));
  });
});

describe('the events.k8s.io recorder (client-go tools/events)', () => {
  let t: TestCluster;
  before(async () => {
    t = await testCluster();
  });
  after(() => t.close());

  it('writes eventTime, action and the reporting controller and instance, then a series', async () => {
    const rec = eventsV1Recorder({ client: t.client, clock: t.clock, reportingController: 'default-scheduler', host: 'box' });
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u-5' } };
    await rec.record(pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'no nodes available to schedule pods');
    const [e] = await t.eventsFor('Pod', 'p');
    assert.deepEqual(
      [e!.eventTime, e!.action, e!.reportingComponent, e!.reportingInstance, e!.source, e!.firstTimestamp, e!.count, e!.message],
      ['2024-05-01T10:00:00.000000Z', 'Scheduling', 'default-scheduler', 'default-scheduler-box', {}, null, undefined, 'no nodes available to schedule pods'],
    );
    t.clock.advance(2000);
    await rec.record(pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'no nodes available to schedule pods');
    const v1 = await t.client.get(ref('events.k8s.io', 'v1', 'events'), 'default', e!.metadata.name!);
    assert.deepEqual(v1.series, { count: 2, lastObservedTime: '2024-05-01T10:00:02.000000Z' });
    rec.stop();
  });
});
