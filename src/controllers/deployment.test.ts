import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DeploymentSpec, DeploymentStrategy } from 'kubernetes-types/apps/v1.js';
import type { Deployment, ReplicaSet } from '../api/kinds.js';
import { R } from '../client/client.js';
import { deploymentController } from './deployment.js';
import { computeHash, equalIgnoreHash, maxSurge, maxUnavailable, newRSNewReplicas, proportion, resolveFenceposts, safeEncodeString } from './deployment-util.js';
import { replicaSetController } from './replicaset.js';
import { scheduler } from './scheduler.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { ScriptedRuntime } from '../testing/scripted-runtime.js';

type Obj = Record<string, unknown>;

const deploymentManifest = (name: string, replicas: number, image = 'nginx:1.25', strategy?: DeploymentStrategy, extra: Partial<DeploymentSpec> = {}): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    ...(strategy ? { strategy } : {}),
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } },
    ...extra,
  },
});

const d = (replicas: number, strategy: DeploymentStrategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }): Deployment => ({
  metadata: {},
  spec: { replicas, strategy, selector: {}, template: {} },
});

describe('deployment utilities', () => {
  it('hashes templates stably, differently per template and collision count, in the safe alphabet', () => {
    const a = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } };
    const b = { spec: { containers: [{ image: 'nginx:1.25', name: 'c' }] }, metadata: { labels: { app: 'x' } } };
    assert.equal(computeHash(a), computeHash(b));
    assert.notEqual(computeHash(a), computeHash({ ...a, spec: { containers: [{ name: 'c', image: 'nginx:1.26' }] } }));
    assert.notEqual(computeHash(a), computeHash(a, 1));
    assert.match(computeHash(a), /^[4-9bcdf]{1,10}$/);
    assert.equal(safeEncodeString('0123456789'), '456789bcdf');
  });

  it('compares templates without the pod-template-hash label', () => {
    assert.ok(equalIgnoreHash({ metadata: { labels: { app: 'x', 'pod-template-hash': 'abc' } }, spec: { containers: [] } }, { metadata: { labels: { app: 'x' } }, spec: { containers: [] } }));
    assert.ok(!equalIgnoreHash({ metadata: { labels: { app: 'y' } } }, { metadata: { labels: { app: 'x' } } }));
  });

  it('resolves the fenceposts: surge rounds up, unavailable down, never both 0', () => {
    assert.deepEqual(resolveFenceposts(d(3)), [1, 0]);
    assert.deepEqual([maxSurge(d(3)), maxUnavailable(d(3))], [1, 0]);
    assert.deepEqual(resolveFenceposts(d(10)), [3, 2]);
    assert.deepEqual(resolveFenceposts(d(1, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '10%' } })), [0, 1]);
    assert.equal(maxSurge(d(3, { type: 'Recreate' })), 0);
    assert.equal(maxUnavailable(d(0)), 0);
  });

  it('grows the new ReplicaSet within maxSurge', () => {
    const rs = (replicas: number): ReplicaSet => ({ metadata: {}, spec: { replicas, selector: {} } });
    const newRS = rs(0);
    assert.equal(newRSNewReplicas(d(3), [rs(3), newRS], newRS), 1);
    assert.equal(newRSNewReplicas(d(3), [rs(2), rs(2)], rs(2)), 2);
    assert.equal(newRSNewReplicas(d(3, { type: 'Recreate' }), [rs(3), newRS], newRS), 3);
  });

  it('shares a scaling in proportion to max-replicas', () => {
    const rs = (replicas: number, max: string): ReplicaSet => ({ metadata: { annotations: { 'deployment.kubernetes.io/max-replicas': max } }, spec: { replicas, selector: {} } });
    // 10 → 20 replicas (max 13 → 25), ReplicaSets of 8 and 5.
    assert.equal(proportion(rs(8, '13'), d(20), 12, 0), 7);
  });
});

// The Deployment and ReplicaSet controllers, the scheduler and the node agent, whose containers
// run until stopped.
describe('the Deployment controller', () => {
  let t: TestCluster;
  const stops: (() => void)[] = [];
  let deploymentsResync = () => {};
  const rsOf = async (name: string) =>
    (await t.client.list(R.replicasets, 'default')).items.filter((rs) => rs.metadata.ownerReferences?.[0]?.name === name).sort((a, b) => Number(a.metadata.annotations?.['deployment.kubernetes.io/revision']) - Number(b.metadata.annotations?.['deployment.kubernetes.io/revision']));
  const statusOf = async (name: string) => (await t.client.get(R.deployments, 'default', name)).status ?? {};
  const rolledOut = (name: string, replicas: number) =>
    t.until(
      `${name} rolled out`,
      async () => {
        const dep = await t.client.get(R.deployments, 'default', name);
        const s = dep.status ?? {};
        const done = s.observedGeneration === dep.metadata.generation && s.updatedReplicas === replicas && s.replicas === replicas && s.availableReplicas === replicas;
        return done ? dep : undefined;
      },
      30_000,
    );

  before(async () => {
    t = await testCluster();
    const deps = { client: t.client, informers: t.informers, clock: t.clock, recorder: t.recorder };
    const deployments = deploymentController(deps);
    deploymentsResync = () => deployments.resync();
    for (const c of [replicaSetController(deps), deployments, scheduler({ ...deps, host: 'test' })]) {
      await c.start();
      stops.push(() => c.stop());
    }
    await t.startNode(new ScriptedRuntime());
  });
  after(async () => {
    stops.forEach((s) => s());
    await t.close();
  });

  it('creates the ReplicaSet <deployment>-<hash> with the revision and replica annotations', async () => {
    const dep = await t.client.create(R.deployments, 'default', deploymentManifest('my-app', 3));
    const done = await rolledOut('my-app', 3);
    const [rs] = await rsOf('my-app');
    assert.ok(rs);
    const hash = rs.metadata.labels!['pod-template-hash']!;
    assert.equal(rs.metadata.name, `my-app-${hash}`);
    assert.deepEqual(rs.metadata.labels, { app: 'my-app', 'pod-template-hash': hash });
    assert.deepEqual(rs.metadata.annotations, { 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4', 'deployment.kubernetes.io/revision': '1' });
    assert.deepEqual(rs.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'my-app', uid: dep.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(rs.spec?.selector, { matchLabels: { app: 'my-app', 'pod-template-hash': hash } });
    assert.deepEqual(rs.spec?.template?.metadata?.labels, { app: 'my-app', 'pod-template-hash': hash });

    assert.equal(done.metadata.generation, 1);
    assert.deepEqual(done.metadata.annotations, { 'deployment.kubernetes.io/revision': '1' });
    const s = done.status ?? {};
    assert.deepEqual([s.observedGeneration, s.replicas, s.updatedReplicas, s.readyReplicas, s.availableReplicas, s.unavailableReplicas], [1, 3, 3, 3, 3, undefined]);
    const conditions = await t.until('the rollout to complete', async () => {
      const c = (await statusOf('my-app')).conditions ?? [];
      return c.some((x) => x.reason === 'NewReplicaSetAvailable') ? c : undefined;
    });
    assert.deepEqual(
      conditions.map((c) => [c.type, c.status, c.reason, c.message]),
      [
        ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
        ['Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "my-app-${hash}" has successfully progressed.`],
      ],
    );
    const events = await t.eventsFor('Deployment', 'my-app');
    assert.deepEqual(
      events.map((e) => [e.type, e.reason, e.message, (e.source as Obj).component]),
      [['Normal', 'ScalingReplicaSet', `Scaled up replica set my-app-${hash} from 0 to 3`, 'deployment-controller']],
    );
  });

  it('scales through the ReplicaSet', async () => {
    await t.client.mutate(R.deployments, 'default', 'my-app', (cur) => ({ ...cur, spec: { ...cur.spec!, replicas: 5 } }));
    await rolledOut('my-app', 5);
    const [rs] = await rsOf('my-app');
    assert.equal(rs!.spec?.replicas, 5);
    assert.equal(rs!.metadata.annotations!['deployment.kubernetes.io/desired-replicas'], '5');
    const events = await t.eventsFor('Deployment', 'my-app');
    assert.equal(events.at(-1)!.message, `Scaled up replica set ${rs!.metadata.name} from 3 to 5`);
  });

  it('rolls a template change out to a new ReplicaSet, revision 2, and scales the old one to 0', async () => {
    await t.client.mutate(R.deployments, 'default', 'my-app', (cur) => {
      const spec = structuredClone(cur.spec!);
      spec.template.spec!.containers[0]!.image = 'nginx:1.26';
      return { ...cur, spec };
    });
    const done = await rolledOut('my-app', 5);
    const [old, fresh] = await rsOf('my-app');
    assert.equal(done.metadata.annotations!['deployment.kubernetes.io/revision'], '2');
    assert.equal(done.metadata.generation, 3);
    assert.equal(fresh!.metadata.annotations!['deployment.kubernetes.io/revision'], '2');
    assert.notEqual(fresh!.metadata.name, old!.metadata.name);
    await t.until('the old ReplicaSet at 0', async () => (await rsOf('my-app'))[0]!.spec?.replicas === 0);
    const messages = (await t.eventsFor('Deployment', 'my-app')).map((e) => e.message as string);
    assert.ok(messages.includes(`Scaled up replica set ${fresh!.metadata.name} from 0 to 2`), messages.join('\n'));
    assert.ok(messages.some((m) => m.startsWith(`Scaled down replica set ${old!.metadata.name} from 5 to `)), messages.join('\n'));
    const pods = (await t.client.list(R.pods, 'default')).items.filter((p) => p.metadata.labels?.app === 'my-app');
    assert.deepEqual([...new Set(pods.map((p) => p.metadata.labels!['pod-template-hash']))], [fresh!.metadata.labels!['pod-template-hash']]);
  });

  it('rolls back to the old ReplicaSet, which becomes revision 3', async () => {
    const [old] = await rsOf('my-app');
    const template = structuredClone(old!.spec!.template!);
    delete template.metadata!.labels!['pod-template-hash'];
    await t.client.mutate(R.deployments, 'default', 'my-app', (cur) => ({ ...cur, spec: { ...cur.spec!, template } }));
    await rolledOut('my-app', 5);
    const list = await rsOf('my-app');
    assert.equal(list.length, 2);
    const back = list.find((rs) => rs.metadata.name === old!.metadata.name)!;
    assert.deepEqual([back.metadata.annotations!['deployment.kubernetes.io/revision'], back.metadata.annotations!['deployment.kubernetes.io/revision-history']], ['3', '1']);
  });

  it('Recreate: scales the old ReplicaSet to 0 before the new one comes up', async () => {
    await t.client.create(R.deployments, 'default', deploymentManifest('rec', 2, 'nginx:1.25', { type: 'Recreate' }));
    await rolledOut('rec', 2);
    await t.client.mutate(R.deployments, 'default', 'rec', (cur) => {
      const spec = structuredClone(cur.spec!);
      spec.template.spec!.containers[0]!.image = 'nginx:1.26';
      return { ...cur, spec };
    });
    await rolledOut('rec', 2);
    const [old, fresh] = await rsOf('rec');
    const messages = (await t.eventsFor('Deployment', 'rec')).map((e) => e.message);
    assert.deepEqual(messages.slice(1), [`Scaled down replica set ${old!.metadata.name} from 2 to 0`, `Scaled up replica set ${fresh!.metadata.name} from 0 to 2`]);
  });

  it('keeps revisionHistoryLimit old ReplicaSets', async () => {
    await t.client.create(R.deployments, 'default', deploymentManifest('hist', 1, 'busybox:1', undefined, { revisionHistoryLimit: 1 }));
    await rolledOut('hist', 1);
    for (const image of ['busybox:2', 'busybox:3']) {
      await t.client.mutate(R.deployments, 'default', 'hist', (cur) => {
        const spec = structuredClone(cur.spec!);
        spec.template.spec!.containers[0]!.image = image;
        return { ...cur, spec };
      });
      await rolledOut('hist', 1);
    }
    const list = await t.until('the oldest to go', async () => {
      const l = await rsOf('hist');
      return l.length === 2 ? l : undefined;
    });
    assert.deepEqual(list.map((rs) => rs.metadata.annotations!['deployment.kubernetes.io/revision']), ['2', '3']);
  });

  it('shows the ReplicaSet failure of a Deployment whose pods cannot be created', async () => {
    const manifest = deploymentManifest('nosa', 2);
    manifest.spec!.template.spec!.serviceAccountName = 'nosa-sa';
    await t.client.create(R.deployments, 'default', manifest);
    const conditions = await t.until('ReplicaFailure', async () => {
      const c = (await statusOf('nosa')).conditions ?? [];
      return c.some((x) => x.type === 'ReplicaFailure') ? c : undefined;
    });
    const [rs] = await rsOf('nosa');
    assert.deepEqual(
      conditions.map((c) => [c.type, c.status, c.reason, c.message]),
      [
        ['Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${rs!.metadata.name}"`],
        ['Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'],
        ['ReplicaFailure', 'True', 'FailedCreate', `pods "${rs!.metadata.name}-" is forbidden: error looking up service account default/nosa-sa: serviceaccount "nosa-sa" not found`],
      ],
    );
  });

  it('reports ProgressDeadlineExceeded when a rollout makes no progress in time', async () => {
    const manifest = deploymentManifest('stuck', 1, 'nginx:1.25', undefined, { progressDeadlineSeconds: 10 });
    manifest.spec!.template.spec!.nodeSelector = { nowhere: 'true' };
    await t.client.create(R.deployments, 'default', manifest);
    await t.until('the pod to be created', async () => (await statusOf('stuck')).updatedReplicas === 1);
    await new Promise((r) => setTimeout(r, 100));
    t.clock.advance(11_000);
    deploymentsResync();
    const c = await t.until('the deadline', async () => ((await statusOf('stuck')).conditions ?? []).find((x) => x.type === 'Progressing' && x.reason === 'ProgressDeadlineExceeded'));
    const [rs] = await rsOf('stuck');
    assert.deepEqual([c.status, c.message], ['False', `ReplicaSet "${rs!.metadata.name}" has timed out progressing.`]);
  });
});
