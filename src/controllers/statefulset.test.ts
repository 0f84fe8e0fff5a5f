import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StatefulSetSpec } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod, StatefulSet } from '../api/kinds.js';
import { R } from '../client/client.js';
import { scheduler } from './scheduler.js';
import { persistentVolumeController } from './persistent-volume.js';
import { defaultStorageClass } from '../admission/default-storage-class.js';
import { localVolumes } from '../node/local-volumes.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statefulSetController } from './statefulset.js';
import { newStatefulSetPod, parentAndOrdinal } from './statefulset-util.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { ScriptedRuntime } from '../testing/scripted-runtime.js';

const manifest = (name: string, extra: Partial<StatefulSetSpec> = {}, nodeName?: string): StatefulSet => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name },
  spec: {
    serviceName: name,
    replicas: 3,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { ...(nodeName ? { nodeSelector: { 'kubernetes.io/hostname': nodeName } } : {}), containers: [{ name: 'nginx', image: 'nginx:1.27', volumeMounts: [{ name: 'www', mountPath: '/usr/share/nginx/html' }] }] },
    },
    volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    ...extra,
  },
});

describe('stateful pods', () => {
  it('are named by ordinal, carry their identity, and mount their claims', () => {
    const set = manifest('web');
    set.metadata.namespace = 'default';
    set.spec!.template.spec!.volumes = [{ name: 'www', emptyDir: {} }, { name: 'config', configMap: { name: 'c' } }];
    const ref = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true, blockOwnerDeletion: true };
    const pod = newStatefulSetPod(set, set.spec!.template, 'web-abc', 4, ref);
    assert.equal(pod.metadata.name, 'web-4');
    assert.deepEqual(pod.metadata.labels, { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-4', 'apps.kubernetes.io/pod-index': '4', 'controller-revision-hash': 'web-abc' });
    assert.equal(pod.spec?.hostname, 'web-4');
    assert.equal(pod.spec?.subdomain, 'web');
    assert.deepEqual(pod.spec?.volumes, [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-4' } }, { name: 'config', configMap: { name: 'c' } }]);
    assert.deepEqual(parentAndOrdinal(pod), ['web', 4]);
  });
});

// The StatefulSet controller and the scheduler, with two nodes: node-a runs its pods on the node
// agent, node-b is a Node object alone (its pods are bound there but never start, so never get ready).
describe('the StatefulSet controller', () => {
  let t: TestCluster;
  const stops: (() => void)[] = [];
  const live = (p: Pod) => !p.metadata.deletionTimestamp;
  const podsOf = async (set: string) =>
    (await t.client.list(R.pods, 'default')).items.filter((p) => p.metadata.ownerReferences?.[0]?.name === set && live(p)).sort((a, b) => parentAndOrdinal(a)[1] - parentAndOrdinal(b)[1]);
  const namesOf = async (set: string) => (await podsOf(set)).map((p) => p.metadata.name).join();
  const claimsOf = async (set: string) => (await t.client.list(R.persistentvolumeclaims, 'default')).items.filter((c) => c.metadata.name!.includes(`-${set}-`)).map((c) => c.metadata.name).sort();
  const ready = (p: Pod) => p.status?.phase === 'Running' && !!p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
  const statusOf = (name: string, done: (s: NonNullable<StatefulSet['status']>, set: StatefulSet) => boolean) =>
    t.until(
      `${name}'s status`,
      async () => {
        const set = await t.client.get(R.statefulsets, 'default', name);
        return set.status && done(set.status, set) ? set.status : undefined;
      },
      10_000,
    );
  const setImage = (name: string, image: string) =>
    t.client.mutate(R.statefulsets, 'default', name, (cur) => {
      cur.spec!.template.spec!.containers[0]!.image = image;
      return cur;
    });
  const pause = () => new Promise((r) => setTimeout(r, 300));

  before(async () => {
    t = await testCluster();
    const deps = { client: t.client, informers: t.informers, clock: t.clock, recorder: t.recorder };
    const nodeB: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-b', labels: { 'kubernetes.io/hostname': 'node-b' } }, status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { pods: '110' } } };
    await t.client.create(R.nodes, '', nodeB);
    // Claims get the default StorageClass, whose local provisioner binds them.
    t.admission.use(defaultStorageClass(t.client));
    const local = localVolumes(mkdtempSync(join(tmpdir(), 'badge-sts-volumes-')));
    for (const c of [statefulSetController(deps), scheduler({ ...deps, host: 'test' }), persistentVolumeController({ ...deps, nodeName: 'node-a', local })]) {
      await c.start();
      stops.push(() => c.stop());
    }
    await t.startNode(new ScriptedRuntime());
  });
  after(async () => {
    stops.forEach((s) => s());
    await t.close();
  });

  it('creates web-0..2 in order, each with its claim first, and counts them', async () => {
    const set = await t.client.create(R.statefulsets, 'default', manifest('web', {}, 'node-a'));
    const pods = await t.until('three ready pods', async () => {
      const list = await podsOf('web');
      return list.length === 3 && list.every(ready) ? list : undefined;
    }, 10_000);
    const [revision] = (await t.client.list(R.controllerrevisions, 'default')).items.filter((r) => r.metadata.ownerReferences?.[0]?.name === 'web');
    assert.equal(revision!.revision, 1);
    for (const [i, p] of pods.entries()) {
      assert.equal(p.metadata.name, `web-${i}`);
      assert.equal(p.metadata.labels?.['controller-revision-hash'], revision!.metadata.name);
      assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    const claim = await t.client.get(R.persistentvolumeclaims, 'default', 'www-web-0');
    assert.deepEqual(claim.metadata.labels, { app: 'web' });
    assert.equal(claim.metadata.ownerReferences, undefined, 'Retain: the claim has no owner');
    assert.deepEqual(await claimsOf('web'), ['www-web-0', 'www-web-1', 'www-web-2']);
    const status = await statusOf('web', (s) => s.readyReplicas === 3 && s.currentRevision === revision!.metadata.name);
    assert.deepEqual(status, {
      replicas: 3, readyReplicas: 3, availableReplicas: 3, currentReplicas: 3, updatedReplicas: 3, observedGeneration: 1,
      currentRevision: revision!.metadata.name, updateRevision: revision!.metadata.name, collisionCount: 0,
    });
    const events = (await t.eventsFor('StatefulSet', 'web')).map((e) => `${e.reason} ${e.message}`);
    assert.deepEqual(events.filter((e) => e.startsWith('SuccessfulCreate')), [
      'SuccessfulCreate create Claim www-web-0 Pod web-0 in StatefulSet web success',
      'SuccessfulCreate create Pod web-0 in StatefulSet web successful',
      'SuccessfulCreate create Claim www-web-1 Pod web-1 in StatefulSet web success',
      'SuccessfulCreate create Pod web-1 in StatefulSet web successful',
      'SuccessfulCreate create Claim www-web-2 Pod web-2 in StatefulSet web success',
      'SuccessfulCreate create Pod web-2 in StatefulSet web successful',
    ]);
  });

  it('rolls an update from the highest ordinal down, then the update revision is current', async () => {
    await setImage('web', 'nginx:1.28');
    const status = await statusOf('web', (s, set) => s.observedGeneration === set.metadata.generation && s.updatedReplicas === 3 && s.readyReplicas === 3 && s.currentRevision === s.updateRevision);
    const pods = await podsOf('web');
    assert.deepEqual(pods.map((p) => [p.metadata.name, p.spec?.containers[0]?.image, p.metadata.labels?.['controller-revision-hash']]), [0, 1, 2].map((i) => [`web-${i}`, 'nginx:1.28', status.updateRevision]));
    const deletes = (await t.eventsFor('StatefulSet', 'web')).filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message);
    assert.deepEqual(deletes, ['delete Pod web-2 in StatefulSet web successful', 'delete Pod web-1 in StatefulSet web successful', 'delete Pod web-0 in StatefulSet web successful']);
    const revisions = (await t.client.list(R.controllerrevisions, 'default')).items.filter((r) => r.metadata.ownerReferences?.[0]?.name === 'web');
    assert.deepEqual(revisions.map((r) => r.revision).sort(), [1, 2]);
  });

  it('scales down from the highest ordinal and keeps the claims', async () => {
    await t.client.mutate(R.statefulsets, 'default', 'web', (cur) => ({ ...cur, spec: { ...cur.spec!, replicas: 1 } }));
    await t.until('only web-0', async () => ((await namesOf('web')) === 'web-0' ? true : undefined), 10_000);
    await statusOf('web', (s) => s.replicas === 1);
    assert.deepEqual(await claimsOf('web'), ['www-web-0', 'www-web-1', 'www-web-2']);
  });

  it('keeps pods below the partition at the old revision', async () => {
    await t.client.create(R.statefulsets, 'default', manifest('part', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }, 'node-a'));
    await t.until('three ready pods', async () => ((await podsOf('part')).filter(ready).length === 3 ? true : undefined), 10_000);
    await setImage('part', 'nginx:1.28');
    const status = await statusOf('part', (s, set) => s.observedGeneration === set.metadata.generation && s.updatedReplicas === 1 && s.readyReplicas === 3);
    assert.notEqual(status.currentRevision, status.updateRevision);
    assert.equal(status.currentReplicas, 2);
    assert.deepEqual((await podsOf('part')).map((p) => p.spec?.containers[0]?.image), ['nginx:1.27', 'nginx:1.27', 'nginx:1.28']);
  });

  it('leaves old pods to be deleted by hand with OnDelete, and replaces a deleted one from the new revision', async () => {
    await t.client.create(R.statefulsets, 'default', manifest('manual', { replicas: 1, updateStrategy: { type: 'OnDelete' } }, 'node-a'));
    const [first] = await t.until('a ready pod', async () => {
      const list = await podsOf('manual');
      return list.length === 1 && ready(list[0]!) ? list : undefined;
    });
    await setImage('manual', 'nginx:1.28');
    const status = await statusOf('manual', (s, set) => s.observedGeneration === set.metadata.generation);
    assert.notEqual(status.updateRevision, status.currentRevision);
    assert.equal(status.updatedReplicas, undefined);
    await pause();
    assert.equal((await podsOf('manual'))[0]!.metadata.uid, first!.metadata.uid);
    await t.client.delete(R.pods, 'default', 'manual-0', { gracePeriodSeconds: 0 });
    const [second] = await t.until('a new manual-0', async () => {
      const list = await podsOf('manual');
      return list.length === 1 && list[0]!.metadata.uid !== first!.metadata.uid ? list : undefined;
    });
    assert.equal(second!.spec?.containers[0]?.image, 'nginx:1.28');
    assert.equal(second!.metadata.labels?.['controller-revision-hash'], status.updateRevision);
  });

  it('OrderedReady waits for each pod to be ready; Parallel does not', async () => {
    await t.client.create(R.statefulsets, 'default', manifest('ordered', {}, 'node-b'));
    await t.until('ordered-0', async () => ((await namesOf('ordered')) === 'ordered-0' ? true : undefined));
    await pause();
    assert.equal(await namesOf('ordered'), 'ordered-0', 'ordered-1 waits for ordered-0 to be ready');
    await t.client.create(R.statefulsets, 'default', manifest('parallel', { podManagementPolicy: 'Parallel' }, 'node-b'));
    await t.until('all three at once', async () => ((await namesOf('parallel')) === 'parallel-0,parallel-1,parallel-2' ? true : undefined));
  });

  it('replaces a failed pod under the same name', async () => {
    const [failed] = await podsOf('ordered');
    await t.client.mutate(R.pods, 'default', 'ordered-0', (p) => ({ ...p, status: { ...p.status, phase: 'Failed' } }), 'status');
    await t.until('a new ordered-0', async () => ((await podsOf('ordered')).some((p) => p.metadata.name === 'ordered-0' && p.metadata.uid !== failed!.metadata.uid) ? true : undefined));
    const events = await t.eventsFor('StatefulSet', 'ordered');
    assert.ok(events.some((e) => e.reason === 'SuccessfulDelete' && e.message === 'delete Pod ordered-0 in StatefulSet ordered successful'));
  });

  it('with whenScaled Delete, gives the claims of pods scaled away to the pod; whenDeleted Delete to the set', async () => {
    const policy = { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' }, replicas: 2, ordinals: { start: 5 } };
    const set = await t.client.create(R.statefulsets, 'default', manifest('tmp', policy, 'node-a'));
    const pods = await t.until('two ready pods', async () => {
      const list = await podsOf('tmp');
      return list.filter(ready).length === 2 ? list : undefined;
    }, 10_000);
    assert.deepEqual(pods.map((p) => p.metadata.name), ['tmp-5', 'tmp-6']);
    const setRef = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'tmp', uid: set.metadata.uid };
    assert.deepEqual((await t.client.get(R.persistentvolumeclaims, 'default', 'www-tmp-5')).metadata.ownerReferences, [setRef]);
    await t.client.mutate(R.statefulsets, 'default', 'tmp', (cur) => ({ ...cur, spec: { ...cur.spec!, replicas: 1 } }));
    await t.until('only tmp-5', async () => ((await namesOf('tmp')) === 'tmp-5' ? true : undefined), 10_000);
    const claim = await t.client.get(R.persistentvolumeclaims, 'default', 'www-tmp-6');
    assert.deepEqual(claim.metadata.ownerReferences, [setRef, { apiVersion: 'v1', kind: 'Pod', name: 'tmp-6', uid: pods[1]!.metadata.uid }]);
  });
});
