import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Deployment, Pod, PodDisruptionBudget, ReplicaSet, StatefulSet } from '../api/kinds.js';
import type { OwnerReference } from '../api/meta.js';
import { R } from '../client/client.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { DELETION_TIMEOUT_MS, disruptionController } from './disruption.js';

const TEMPLATE = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
const owner = (o: { kind?: string; apiVersion?: string; metadata: { name?: string; uid?: string } }): OwnerReference => ({
  apiVersion: o.apiVersion!,
  kind: o.kind!,
  name: o.metadata.name!,
  uid: o.metadata.uid!,
  controller: true,
});
const pdb = (name: string, spec: PodDisruptionBudget['spec']): PodDisruptionBudget => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec });

describe('the disruption controller', () => {
  let t: TestCluster;
  let controller: ReturnType<typeof disruptionController>;
  const statusOf = (name: string, check: (s: NonNullable<PodDisruptionBudget['status']>) => boolean) =>
    t.until(`status of ${name}`, async () => {
      const s = (await t.client.get(R.poddisruptionbudgets, 'default', name)).status;
      return s && check(s) ? s : undefined;
    });
  const pod = (name: string, app: string, ready: boolean, ref?: OwnerReference): Promise<Pod> =>
    t.client.create(R.pods, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { app }, ...(ref ? { ownerReferences: [ref] } : {}) },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    }).then((p) => (ready ? setReady(name, true) : p));
  const setReady = (name: string, ready: boolean) =>
    t.client.mutate(R.pods, 'default', name, (cur) => ({ ...cur, status: { ...cur.status, phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2024-05-01T10:00:00Z' }] } }), 'status');

  before(async () => {
    t = await testCluster();
    controller = disruptionController({ client: t.client, informers: t.informers, clock: t.clock, recorder: t.recorder });
    await controller.start();
  });
  after(async () => {
    controller.stop();
    await t.close();
  });

  it('counts the matching pods for an integer minAvailable, and allows what is above it', async () => {
    await t.client.create(R.poddisruptionbudgets, 'default', pdb('int', { minAvailable: 1, selector: { matchLabels: { app: 'int' } } }));
    const empty = await statusOf('int', (s) => s.observedGeneration === 1);
    assert.deepEqual(empty, {
      observedGeneration: 1,
      disruptionsAllowed: 0,
      currentHealthy: 0,
      desiredHealthy: 1,
      expectedPods: 0,
      conditions: [{ type: 'DisruptionAllowed', status: 'False', observedGeneration: 1, lastTransitionTime: '2024-05-01T10:00:00Z', reason: 'InsufficientPods', message: '' }],
    });
    assert.deepEqual((await t.eventsFor('PodDisruptionBudget', 'int')).map((e) => [e.type, e.reason, e.message, e.source?.component]), [['Normal', 'NoPods', 'No matching pods found', 'controllermanager']]);
    t.clock.advance(60_000);
    await pod('int-3', 'int', false);
    await pod('int-1', 'int', true);
    await pod('int-2', 'int', true);
    const status = await statusOf('int', (s) => s.currentHealthy === 2);
    assert.deepEqual([status.expectedPods, status.desiredHealthy, status.disruptionsAllowed], [3, 1, 1]);
    assert.deepEqual(status.conditions, [{ type: 'DisruptionAllowed', status: 'True', observedGeneration: 1, lastTransitionTime: '2024-05-01T10:01:00Z', reason: 'SufficientPods', message: '' }]);
  });

  it('takes the expected pods from the Deployment above the pods ReplicaSet for a percentage or maxUnavailable', async () => {
    const d = await t.client.create(R.deployments, 'default', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 4, selector: { matchLabels: { app: 'x' } }, template: TEMPLATE } } as Deployment);
    const rs = await t.client.create(R.replicasets, 'default', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-1', ownerReferences: [owner(d)] },
      spec: { replicas: 2, selector: { matchLabels: { app: 'x' } }, template: TEMPLATE },
    } as ReplicaSet);
    for (const name of ['web-1-a', 'web-1-b', 'web-1-c']) await pod(name, 'web', true, owner(rs));
    await t.client.create(R.poddisruptionbudgets, 'default', pdb('pct', { minAvailable: '50%', selector: { matchLabels: { app: 'web' } } }));
    await t.client.create(R.poddisruptionbudgets, 'default', pdb('max', { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } }));
    const pct = await statusOf('pct', (s) => s.expectedPods === 4);
    assert.deepEqual([pct.currentHealthy, pct.desiredHealthy, pct.disruptionsAllowed], [3, 2, 1]);
    const max = await statusOf('max', (s) => s.expectedPods === 4);
    assert.deepEqual([max.currentHealthy, max.desiredHealthy, max.disruptionsAllowed], [3, 3, 0]);
  });

  it('takes the expected pods from the StatefulSet of the pods', async () => {
    const set = await t.client.create(R.statefulsets, 'default', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: { replicas: 3, serviceName: 'db', selector: { matchLabels: { app: 'x' } }, template: TEMPLATE },
    } as StatefulSet);
    for (const name of ['db-0', 'db-1']) await pod(name, 'db', true, owner(set));
    await t.client.create(R.poddisruptionbudgets, 'default', pdb('db', { maxUnavailable: 1, selector: { matchLabels: { app: 'db' } } }));
    const status = await statusOf('db', (s) => s.expectedPods === 3);
    assert.deepEqual([status.currentHealthy, status.desiredHealthy, status.disruptionsAllowed], [2, 2, 0]);
  });

  it('warns of unmanaged pods, and fails safe with SyncFailed when a controller is unknown', async () => {
    await pod('lone', 'lone', true);
    await t.client.create(R.poddisruptionbudgets, 'default', pdb('lone', { maxUnavailable: '10%', selector: { matchLabels: { app: 'lone' } } }));
    await statusOf('lone', (s) => s.observedGeneration === 1);
    const warning = (await t.eventsFor('PodDisruptionBudget', 'lone')).find((e) => e.reason === 'UnmanagedPods');
    assert.equal(
      warning?.message,
      'Pods selected by this PodDisruptionBudget (selector: &LabelSelector{MatchLabels:map[string]string{app: lone,},MatchExpressions:[]LabelSelectorRequirement{},}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.',
    );
    await pod('job-pod', 'job', true, { apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'u-1', controller: true });
    await t.client.create(R.poddisruptionbudgets, 'default', pdb('job', { minAvailable: '50%', selector: { matchLabels: { app: 'job' } } }));
    const failed = await statusOf('job', (s) => !!s.conditions?.length);
    assert.equal(failed.disruptionsAllowed, 0);
    assert.deepEqual(failed.conditions?.map((c) => [c.status, c.reason, c.message]), [['False', 'SyncFailed', 'found no controllers for pod "job-pod"']]);
    const events = await t.eventsFor('PodDisruptionBudget', 'job');
    assert.ok(events.some((e) => e.type === 'Warning' && e.reason === 'CalculateExpectedPodCountFailed' && e.message === 'Failed to calculate the number of expected pods: found no controllers for pod "job-pod"'));
  });

  it('does not count a pod evicted moments ago, and forgets the eviction after the deletion timeout', async () => {
    await pod('ev-1', 'ev', true);
    await pod('ev-2', 'ev', true);
    const created = await t.client.create(R.poddisruptionbudgets, 'default', pdb('ev', { minAvailable: 1, selector: { matchLabels: { app: 'ev' } } }));
    const ready = await statusOf('ev', (s) => s.currentHealthy === 2);
    const evictedAt = t.clock.now().toISOString().replace(/\.\d+Z$/, 'Z');
    await t.client.update(R.poddisruptionbudgets, 'default', { ...created, metadata: { ...created.metadata, resourceVersion: undefined }, status: { ...ready, disruptionsAllowed: 0, disruptedPods: { 'ev-1': evictedAt } } }, 'status');
    const evicted = await statusOf('ev', (s) => s.currentHealthy === 1);
    assert.deepEqual([evicted.disruptionsAllowed, evicted.disruptedPods], [0, { 'ev-1': evictedAt }]);
    t.clock.advance(DELETION_TIMEOUT_MS + 1000);
    await t.client.mutate(R.poddisruptionbudgets, 'default', 'ev', (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { touched: 'yes' } } }));
    const forgotten = await statusOf('ev', (s) => s.currentHealthy === 2);
    assert.deepEqual([forgotten.disruptionsAllowed, forgotten.disruptedPods], [1, undefined]);
    const notDeleted = (await t.eventsFor('Pod', 'ev-1')).find((e) => e.reason === 'NotDeleted');
    assert.equal(notDeleted?.message, "Pod was expected by PDB default/default to be deleted but it wasn't");
  });
});
