import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DaemonSetSpec } from 'kubernetes-types/apps/v1.js';
import type { DaemonSet, Node } from '../api/kinds.js';
import { R } from '../client/client.js';
import { daemonSetController } from './daemonset.js';
import { daemonPodTemplate, nodeNameAffinity, nodeShouldRunDaemonPod, surgeCount, unavailableCount, updatedPodsOn } from './daemonset-util.js';
import { revisionPatch } from './history.js';
import { scheduler } from './scheduler.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { ScriptedRuntime } from '../testing/scripted-runtime.js';

const dsManifest = (name: string, extra: Partial<DaemonSetSpec> = {}, nodeSelector?: Record<string, string>): DaemonSet => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { ...(nodeSelector ? { nodeSelector } : {}), containers: [{ name: 'agent', image: 'fluentd:v1' }] } },
    ...extra,
  },
});

const readyNode = (name: string, labels: Record<string, string>, taints?: { key: string; effect: string }[]): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels },
  ...(taints ? { spec: { taints } } : {}),
  status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { pods: '110' } },
});

const DAEMON_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

describe('daemon pods', () => {
  it('carry the daemon tolerations, the template generation and the revision hash', () => {
    const ds = dsManifest('agent');
    ds.metadata.annotations = { 'deprecated.daemonset.template.generation': '3' };
    const t = daemonPodTemplate(ds, 'abc');
    assert.deepEqual(t.metadata?.labels, { app: 'agent', 'pod-template-generation': '3', 'controller-revision-hash': 'abc' });
    assert.deepEqual(t.spec?.tolerations, DAEMON_TOLERATIONS);
    ds.spec!.template.spec!.hostNetwork = true;
    ds.spec!.template.spec!.tolerations = [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }];
    const host = daemonPodTemplate(ds, 'abc').spec?.tolerations;
    assert.deepEqual(host, [...DAEMON_TOLERATIONS, { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' }]);
    assert.deepEqual(ds.spec!.template.spec!.tolerations.length, 1, 'the DaemonSet is left alone');
  });

  it('are bound to their node by a required node affinity on metadata.name', () => {
    const required = { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-b'] }] }] };
    assert.deepEqual(nodeNameAffinity(undefined, 'node-b'), { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: required } });
    const podAffinity = { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone' }] };
    const mine = { podAffinity, nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }] } } };
    assert.deepEqual(nodeNameAffinity(mine, 'node-b'), { podAffinity, nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: required } });
  });

  it('run where the node matches and its taints are tolerated; NoExecute taints evict', () => {
    const ds = dsManifest('agent', {}, { disk: 'ssd' });
    assert.deepEqual(nodeShouldRunDaemonPod(readyNode('a', { disk: 'ssd' }), ds), [true, true]);
    assert.deepEqual(nodeShouldRunDaemonPod(readyNode('a', { disk: 'hdd' }), ds), [false, false]);
    assert.deepEqual(nodeShouldRunDaemonPod(readyNode('a', { disk: 'ssd' }, [{ key: 'dedicated', effect: 'NoSchedule' }]), ds), [false, true]);
    assert.deepEqual(nodeShouldRunDaemonPod(readyNode('a', { disk: 'ssd' }, [{ key: 'dedicated', effect: 'NoExecute' }]), ds), [false, false]);
    assert.deepEqual(nodeShouldRunDaemonPod(readyNode('a', { disk: 'ssd' }, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]), ds), [true, true]);
  });

  it('are counted new by hash or template generation; a node with two of a kind is left to manage', () => {
    const ds = dsManifest('agent');
    ds.metadata.annotations = { 'deprecated.daemonset.template.generation': '2' };
    const pod = (name: string, labels: Record<string, string>) => ({ metadata: { name, labels } });
    const byHash = pod('a', { 'controller-revision-hash': 'h2', 'pod-template-generation': '1' });
    const byGeneration = pod('b', { 'controller-revision-hash': 'h1', 'pod-template-generation': '2' });
    const old = pod('c', { 'controller-revision-hash': 'h1', 'pod-template-generation': '1' });
    assert.deepEqual(updatedPodsOn(ds, [byHash, old], 'h2'), { newPod: byHash, oldPod: old });
    assert.deepEqual(updatedPodsOn(ds, [byGeneration], 'h2'), { newPod: byGeneration });
    assert.equal(updatedPodsOn(ds, [byHash, byGeneration], 'h2'), undefined);
  });

  it('scale maxUnavailable and maxSurge to the desired nodes, rounding up', () => {
    const ds = dsManifest('agent', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%', maxSurge: '25%' } } });
    assert.deepEqual([unavailableCount(ds, 15), surgeCount(ds, 15)], [2, 4]);
    assert.deepEqual([unavailableCount(dsManifest('x', { updateStrategy: { type: 'OnDelete' } }), 15), surgeCount(dsManifest('x', { updateStrategy: { type: 'OnDelete' } }), 15)], [0, 0]);
  });

  it('are recorded in revisions as the patch that restores the template', () => {
    const ds = dsManifest('agent');
    assert.equal(JSON.stringify(revisionPatch(ds)), '{"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"agent"}},"spec":{"containers":[{"image":"fluentd:v1","name":"agent"}]}}}}');
  });
});

// The DaemonSet controller and the scheduler, with two nodes: node-a runs its pods on the node
// agent, node-b is a Node object alone (its pods are bound there but never start).
describe('the DaemonSet controller', () => {
  let t: TestCluster;
  const stops: (() => void)[] = [];
  const podsOf = async (ds: string) => (await t.client.list(R.pods, 'default')).items.filter((p) => p.metadata.ownerReferences?.[0]?.name === ds && !p.metadata.deletionTimestamp);
  const revisionsOf = async (ds: string) =>
    (await t.client.list(R.controllerrevisions, 'default')).items.filter((r) => r.metadata.ownerReferences?.[0]?.name === ds).sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
  const statusOf = (name: string, done: (s: NonNullable<DaemonSet['status']>, ds: DaemonSet) => boolean) =>
    t.until(
      `${name}'s status`,
      async () => {
        const ds = await t.client.get(R.daemonsets, 'default', name);
        return ds.status && done(ds.status, ds) ? ds.status : undefined;
      },
      10_000,
    );

  before(async () => {
    t = await testCluster();
    const deps = { client: t.client, informers: t.informers, clock: t.clock, recorder: t.recorder };
    await t.client.create(R.nodes, '', readyNode('node-b', { 'kubernetes.io/hostname': 'node-b', disk: 'ssd' }));
    for (const c of [daemonSetController(deps), scheduler({ ...deps, host: 'test' })]) {
      await c.start();
      stops.push(() => c.stop());
    }
    await t.startNode(new ScriptedRuntime());
  });
  after(async () => {
    stops.forEach((s) => s());
    await t.close();
  });

  it('runs one pod per node, owned by the DaemonSet, from revision 1, and counts the nodes', async () => {
    const ds = await t.client.create(R.daemonsets, 'default', dsManifest('agent'));
    const pods = await t.until('a pod on each node', async () => {
      const list = await podsOf('agent');
      return list.length === 2 && list.every((p) => p.spec?.nodeName) ? list : undefined;
    });
    const [revision] = await revisionsOf('agent');
    const hash = revision!.metadata.labels!['controller-revision-hash']!;
    assert.equal(revision!.metadata.name, `agent-${hash}`);
    assert.equal(revision!.revision, 1);
    assert.deepEqual(revision!.data, revisionPatch(ds));
    assert.deepEqual(revision!.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(pods.map((p) => p.spec?.nodeName).sort(), ['node-a', 'node-b']);
    for (const p of pods) {
      assert.match(p.metadata.name!, /^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.deepEqual(p.metadata.labels, { app: 'agent', 'controller-revision-hash': hash, 'pod-template-generation': '1' });
      assert.deepEqual(p.metadata.ownerReferences, revision!.metadata.ownerReferences);
      assert.deepEqual(p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms, [
        { matchFields: [{ key: 'metadata.name', operator: 'In', values: [p.spec?.nodeName] }] },
      ]);
    }
    // node-b has no agent: its pod never becomes ready.
    const status = await statusOf('agent', (s) => s.numberReady === 1);
    assert.deepEqual(status, { currentNumberScheduled: 2, desiredNumberScheduled: 2, numberMisscheduled: 0, numberReady: 1, numberAvailable: 1, numberUnavailable: 1, observedGeneration: 1, updatedNumberScheduled: 2 });
    const created = (await t.eventsFor('DaemonSet', 'agent')).filter((e) => e.reason === 'SuccessfulCreate');
    assert.deepEqual(created.map((e) => e.message).sort(), pods.map((p) => `Created pod: ${p.metadata.name}`).sort());
    assert.equal(created[0]!.source?.component, 'daemonset-controller');
  });

  it('replaces a failed pod, with a FailedDaemonPod event', async () => {
    const onB = async () => (await podsOf('agent')).filter((p) => p.spec?.nodeName === 'node-b');
    const [failed] = await onB();
    await t.client.mutate(R.pods, 'default', failed!.metadata.name!, (p) => ({ ...p, status: { ...p.status, phase: 'Failed' } }), 'status');
    const [replacement] = await t.until('a new pod on node-b', async () => {
      const list = await onB();
      return list.length === 1 && list[0]!.metadata.name !== failed!.metadata.name ? list : undefined;
    });
    assert.equal(replacement!.status?.phase, 'Pending');
    const events = await t.eventsFor('DaemonSet', 'agent');
    assert.ok(events.some((e) => e.type === 'Warning' && e.reason === 'FailedDaemonPod' && e.message === `Found failed daemon pod default/${failed!.metadata.name} on node node-b, will try to kill it`));
    assert.ok(events.some((e) => e.reason === 'SuccessfulDelete' && e.message === `Deleted pod: ${failed!.metadata.name}`));
  });

  it('rolls an update out within maxUnavailable, with a new revision, and keeps the old one', async () => {
    await t.client.create(R.daemonsets, 'default', dsManifest('web', {}, { 'kubernetes.io/hostname': 'node-a' }));
    const [first] = await t.until('a ready pod', async () => {
      const list = await podsOf('web');
      return list.length === 1 && list[0]!.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? list : undefined;
    });
    await t.client.mutate(R.daemonsets, 'default', 'web', (cur) => {
      cur.spec!.template.spec!.containers[0]!.image = 'fluentd:v2';
      return cur;
    });
    const status = await statusOf('web', (s, ds) => s.observedGeneration === ds.metadata.generation && s.updatedNumberScheduled === 1 && s.numberAvailable === 1);
    assert.equal(status.desiredNumberScheduled, 1);
    const [second] = await podsOf('web');
    assert.notEqual(second!.metadata.name, first!.metadata.name);
    assert.equal(second!.spec?.containers[0]?.image, 'fluentd:v2');
    assert.equal(second!.metadata.labels?.['pod-template-generation'], '2');
    const revisions = await revisionsOf('web');
    assert.deepEqual(revisions.map((r) => r.revision), [1, 2]);
    assert.equal(second!.metadata.labels?.['controller-revision-hash'], revisions[1]!.metadata.labels?.['controller-revision-hash']);
    const events = await t.eventsFor('DaemonSet', 'web');
    assert.ok(events.some((e) => e.reason === 'SuccessfulDelete' && e.message === `Deleted pod: ${first!.metadata.name}`));
  });

  it('with maxSurge, starts the new pod beside the old one, which stays until the new one is available', async () => {
    const spec = { minReadySeconds: 5, updateStrategy: { type: 'RollingUpdate' as const, rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } };
    await t.client.create(R.daemonsets, 'default', dsManifest('surge', spec, { 'kubernetes.io/hostname': 'node-a' }));
    const [first] = await t.until('a ready pod', async () => {
      const list = await podsOf('surge');
      return list.length === 1 && list[0]!.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? list : undefined;
    });
    t.clock.advance(10_000);
    await t.client.mutate(R.daemonsets, 'default', 'surge', (cur) => {
      cur.spec!.template.spec!.containers[0]!.image = 'fluentd:v2';
      return cur;
    });
    // The new pod is ready, but not yet for minReadySeconds on the manual clock: both run.
    const both = await t.until('the new pod beside the old one', async () => {
      const list = await podsOf('surge');
      return list.length === 2 && list.every((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) ? list : undefined;
    });
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual((await podsOf('surge')).map((p) => p.metadata.name).sort(), both.map((p) => p.metadata.name).sort());
    const second = both.find((p) => p.metadata.name !== first!.metadata.name)!;
    assert.equal(second.spec?.containers[0]?.image, 'fluentd:v2');
    // Available now: a DaemonSet event (a label) makes the controller look again, and the old pod goes.
    t.clock.advance(10_000);
    await t.client.mutate(R.daemonsets, 'default', 'surge', (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { touched: 'yes' } } }));
    await t.until('only the new pod', async () => ((await podsOf('surge')).map((p) => p.metadata.name).join() === second.metadata.name ? true : undefined));
    await statusOf('surge', (s, ds) => s.observedGeneration === ds.metadata.generation && s.updatedNumberScheduled === 1 && s.numberAvailable === 1);
    const deleted = (await t.eventsFor('DaemonSet', 'surge')).filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message);
    assert.deepEqual(deleted, [`Deleted pod: ${first!.metadata.name}`]);
  });

  it('leaves old pods to be deleted by hand with OnDelete', async () => {
    await t.client.create(R.daemonsets, 'default', dsManifest('manual', { updateStrategy: { type: 'OnDelete' } }, { 'kubernetes.io/hostname': 'node-a' }));
    const [first] = await t.until('a pod', async () => {
      const list = await podsOf('manual');
      return list.length === 1 ? list : undefined;
    });
    await t.client.mutate(R.daemonsets, 'default', 'manual', (cur) => {
      cur.spec!.template.spec!.containers[0]!.image = 'fluentd:v2';
      return cur;
    });
    const status = await statusOf('manual', (s, ds) => s.observedGeneration === ds.metadata.generation);
    assert.equal(status.updatedNumberScheduled, undefined);
    assert.deepEqual((await podsOf('manual')).map((p) => p.metadata.name), [first!.metadata.name]);
    await t.client.delete(R.pods, 'default', first!.metadata.name!, { gracePeriodSeconds: 0 });
    const [second] = await t.until('a new pod', async () => {
      const list = await podsOf('manual');
      return list.length === 1 && list[0]!.metadata.name !== first!.metadata.name ? list : undefined;
    });
    assert.equal(second!.spec?.containers[0]?.image, 'fluentd:v2');
  });

  it('follows node labels: a pod where the node selector starts to match, none where it stops', async () => {
    await t.client.create(R.daemonsets, 'default', dsManifest('picky', {}, { disk: 'ssd' }));
    await t.until('a pod on node-b', async () => ((await podsOf('picky')).map((p) => p.spec?.nodeName).join() === 'node-b' ? true : undefined));
    await t.client.mutate(R.nodes, '', 'node-b', (n) => ({ ...n, metadata: { ...n.metadata, labels: { 'kubernetes.io/hostname': 'node-b' } } }));
    await t.until('no pod', async () => ((await podsOf('picky')).length === 0 ? true : undefined));
    const status = await statusOf('picky', (s) => s.desiredNumberScheduled === 0 && s.currentNumberScheduled === 0);
    // node-b has no agent to finish the deletion: the terminating pod still counts, as upstream counts it.
    assert.equal(status.numberMisscheduled, 1);
  });
});
