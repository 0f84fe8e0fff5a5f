import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Pod, ReplicaSet, ReplicationController } from '../api/kinds.js';
import { R } from '../client/client.js';
import { replicaSetController, replicationManager } from './replicaset.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';

const rsManifest = (name: string, replicas: number, sa?: string): ReplicaSet => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name, tier: 'web' } }, spec: { ...(sa ? { serviceAccountName: sa } : {}), containers: [{ name: 'c', image: 'nginx:1.25' }] } },
  },
});

describe('the ReplicaSet controller', () => {
  let t: TestCluster;
  let controller: ReturnType<typeof replicaSetController>;
  const podsOf = async (rs: string) => (await t.client.list(R.pods, 'default')).items.filter((p) => p.metadata.ownerReferences?.[0]?.name === rs && !p.metadata.deletionTimestamp);
  const markReady = (p: Pod) =>
    t.client.mutate(R.pods, 'default', p.metadata.name!, (cur) => ({ ...cur, status: { ...cur.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-05-01T10:00:00Z' }] } }), 'status');

  before(async () => {
    t = await testCluster();
    controller = replicaSetController({ client: t.client, informers: t.informers, clock: t.clock, recorder: t.recorder });
    await controller.start();
  });
  after(async () => {
    controller.stop();
    await t.close();
  });

  it('creates the pods from the template, owned by the ReplicaSet, and counts them', async () => {
    const rs = await t.client.create(R.replicasets, 'default', rsManifest('web', 3));
    const pods = await t.until('3 pods', async () => ((await podsOf('web')).length === 3 ? podsOf('web') : undefined));
    for (const p of pods) {
      assert.match(p.metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.equal(p.metadata.generateName, 'web-');
      assert.deepEqual(p.metadata.labels, { app: 'web', tier: 'web' });
      assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    const status = await t.until('status', async () => {
      const s = (await t.client.get(R.replicasets, 'default', 'web')).status;
      return s?.replicas === 3 ? s : undefined;
    });
    assert.deepEqual(status, { replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
    const events = await t.eventsFor('ReplicaSet', 'web');
    assert.deepEqual(events.map((e) => [e.type, e.reason, e.source]).sort(), Array(3).fill(['Normal', 'SuccessfulCreate', { component: 'replicaset-controller' }]));
    assert.deepEqual(events.map((e) => e.message).sort(), pods.map((p) => `Created pod: ${p.metadata.name}`).sort());
  });

  it('reports ready and available pods', async () => {
    for (const p of await podsOf('web')) await markReady(p);
    const status = await t.until('ready', async () => {
      const s = (await t.client.get(R.replicasets, 'default', 'web')).status;
      return s?.readyReplicas === 3 ? s : undefined;
    });
    assert.deepEqual(status, { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
  });

  it('deletes pods that are not ready first when scaled down', async () => {
    await t.client.create(R.replicasets, 'default', rsManifest('down', 3));
    const pods = await t.until('3 pods', async () => ((await podsOf('down')).length === 3 ? podsOf('down') : undefined));
    await markReady(pods[1]!);
    await t.client.mutate(R.replicasets, 'default', 'down', (cur) => ({ ...cur, spec: { ...cur.spec!, replicas: 1 } }));
    const left = await t.until('1 pod', async () => ((await podsOf('down')).length === 1 ? podsOf('down') : undefined));
    assert.equal(left[0]!.metadata.name, pods[1]!.metadata.name);
    const deletes = (await t.eventsFor('ReplicaSet', 'down')).filter((e) => e.reason === 'SuccessfulDelete');
    assert.deepEqual(deletes.map((e) => e.message).sort(), [pods[0], pods[2]].map((p) => `Deleted pod: ${p!.metadata.name}`).sort());
    const status = await t.until('status', async () => {
      const s = (await t.client.get(R.replicasets, 'default', 'down')).status;
      return s?.replicas === 1 && s.observedGeneration === 2 ? s : undefined;
    });
    assert.equal(status.readyReplicas, 1);
  });

  it('reports FailedCreate with the admission error, then creates the pods once the ServiceAccount exists', async () => {
    await t.client.create(R.replicasets, 'default', rsManifest('nosa', 2, 'my-app-sa'));
    const failed = await t.until('FailedCreate', async () => (await t.eventsFor('ReplicaSet', 'nosa')).find((e) => e.reason === 'FailedCreate' && (e.count as number) >= 2));
    assert.equal(failed.type, 'Warning');
    assert.equal(failed.message, 'Error creating: pods "nosa-" is forbidden: error looking up service account default/my-app-sa: serviceaccount "my-app-sa" not found');
    assert.deepEqual(await podsOf('nosa'), []);
    const rs = await t.client.get(R.replicasets, 'default', 'nosa');
    const conditions = rs.status?.conditions ?? [];
    assert.deepEqual(
      conditions.map((c) => [c.type, c.status, c.reason, c.message]),
      [['ReplicaFailure', 'True', 'FailedCreate', 'pods "nosa-" is forbidden: error looking up service account default/my-app-sa: serviceaccount "my-app-sa" not found']],
    );
    await t.client.create(R.serviceaccounts, 'default', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'my-app-sa' } });
    const pods = await t.until('pods with the SA', async () => ((await podsOf('nosa')).length === 2 ? podsOf('nosa') : undefined));
    assert.deepEqual(pods.map((p) => p.spec?.serviceAccountName), ['my-app-sa', 'my-app-sa']);
    await t.until('the condition to go', async () => !(await t.client.get(R.replicasets, 'default', 'nosa')).status?.conditions);
  });

  it('adopts an orphan pod its selector matches', async () => {
    await t.client.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', labels: { app: 'adopter' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    await t.client.create(R.replicasets, 'default', rsManifest('adopter', 1));
    const stray = await t.until('adoption', async () => {
      const p = await t.client.get(R.pods, 'default', 'stray');
      return p.metadata.ownerReferences?.length ? p : undefined;
    });
    assert.equal(stray.metadata.ownerReferences![0]!.name, 'adopter');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await podsOf('adopter')).length, 1);
  });
});

describe('the replication manager (the same controller for ReplicationControllers)', () => {
  let t: TestCluster;
  let controller: ReturnType<typeof replicationManager>;
  const podsOf = async (rc: string) => (await t.client.list(R.pods, 'default')).items.filter((p) => p.metadata.ownerReferences?.[0]?.name === rc && !p.metadata.deletionTimestamp);
  const rc = (name: string, replicas: number): ReplicationController => ({
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name },
    spec: { replicas, selector: { app: name }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } },
  });

  before(async () => {
    t = await testCluster();
    controller = replicationManager({ client: t.client, informers: t.informers, clock: t.clock, recorder: t.recorder });
    await controller.start();
  });
  after(async () => {
    controller.stop();
    await t.close();
  });

  it('creates pods owned by the ReplicationController, with events from replication-controller, and scales down', async () => {
    const made = await t.client.create(R.replicationcontrollers, 'default', rc('legacy', 2));
    const pods = await t.until('2 pods', async () => ((await podsOf('legacy')).length === 2 ? podsOf('legacy') : undefined));
    for (const p of pods) {
      assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'ReplicationController', name: 'legacy', uid: made.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    const status = await t.until('status', async () => {
      const s = (await t.client.get(R.replicationcontrollers, 'default', 'legacy')).status;
      return s?.replicas === 2 ? s : undefined;
    });
    assert.deepEqual(status, { replicas: 2, fullyLabeledReplicas: 2, observedGeneration: 1 });
    const events = await t.eventsFor('ReplicationController', 'legacy');
    assert.deepEqual(events.map((e) => [e.type, e.reason, e.source]), Array(2).fill(['Normal', 'SuccessfulCreate', { component: 'replication-controller' }]));

    await t.client.mutate(R.replicationcontrollers, 'default', 'legacy', (cur) => ({ ...cur, spec: { ...cur.spec!, replicas: 1 } }));
    await t.until('1 pod', async () => (await podsOf('legacy')).length === 1);
  });
});
