import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Node } from '../api/kinds.js';
import { formatMicroTime, formatTime } from '../api/meta.js';
import { R } from '../client/client.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { nodeLifecycleController, zoneState } from './node-lifecycle.js';

const READY = { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' };
const PRESSURES = [
  { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
];

// The controller on a manual clock, each look at the nodes asked for with monitor(); no node agent
// runs: the tests post node status and renew Leases as a kubelet would.
describe('the node lifecycle controller', () => {
  let t: TestCluster;
  let controller: ReturnType<typeof nodeLifecycleController>;
  const node = (name: string) => t.client.get(R.nodes, '', name);
  const taintsOf = async (name: string) => ((await node(name)).spec?.taints ?? []).map((x) => `${x.key}:${x.effect}`).sort();
  const condition = async (name: string, type: string) => (await node(name)).status?.conditions?.find((c) => c.type === type);
  /** The informers see the writes before the controller's next look. */
  const seen = (name: string, check: (n: Node) => boolean) => t.until(`${name} in the cache`, () => { const n = t.informers.forResource(R.nodes).get('', name); return !!n && check(n); });
  /** What a kubelet does every 10 s: its Ready heartbeat (and Lease) now. */
  const heartbeat = async (name: string, ready = 'True') => {
    const now = formatTime(t.clock.now());
    await t.client.mutate(
      R.nodes,
      '',
      name,
      (n) => ({
        ...n,
        status: {
          ...n.status,
          conditions: [...PRESSURES, READY].map((c) => {
            const status = c.type === 'Ready' ? ready : c.status;
            const old = n.status?.conditions?.find((o) => o.type === c.type);
            return { ...c, status, lastHeartbeatTime: now, lastTransitionTime: old?.status === status ? old.lastTransitionTime : now };
          }),
        },
      }),
      'status',
    );
    await seen(name, (n) => n.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime === now);
    await renew(name);
  };
  const renew = async (name: string) => {
    const renewTime = formatMicroTime(t.clock.now());
    try {
      await t.client.mutate(R.leases, 'kube-node-lease', name, (l) => ({ ...l, spec: { ...l.spec, renewTime } }));
    } catch {
      await t.client.create(R.leases, 'kube-node-lease', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime } });
    }
    await t.until(`the ${name} Lease in the cache`, () => t.informers.forResource(R.leases).get('kube-node-lease', name)?.spec?.renewTime === renewTime);
  };
  const createNode = async (name: string, labels: Record<string, string> = {}) => {
    await t.client.create(R.nodes, '', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels } } as Node);
    await heartbeat(name);
  };
  const look = async () => {
    await controller.monitor();
  };

  before(async () => {
    t = await testCluster();
    controller = nodeLifecycleController({ client: t.client, informers: t.informers, clock: t.clock, recorder: t.recorder, gracePeriodMs: 50_000, monitorPeriodMs: 3_600_000 });
    t.informers.start();
    await createNode('healthy');
    await createNode('lost');
    await t.client.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { nodeName: 'lost', containers: [{ name: 'c', image: 'nginx' }] } });
    await t.client.mutate(R.pods, 'default', 'web', (p) => ({ ...p, status: { ...p.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: formatTime(t.clock.now()) }] } }), 'status');
    await controller.start();
  });
  after(async () => {
    controller.stop();
    await t.close();
  });

  it('leaves a node heard from within the grace period alone', async () => {
    t.clock.advance(45_000);
    await renew('healthy');
    await look();
    assert.equal((await condition('lost', 'Ready'))?.status, 'True');
    assert.deepEqual(await taintsOf('lost'), []);
  });

  it('marks a node silent for longer than the grace period Unknown, taints it unreachable NoSchedule, and its pods not Ready', async () => {
    t.clock.advance(10_000);
    await renew('healthy');
    await look();
    for (const type of ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready']) {
      const c = await condition('lost', type);
      assert.equal(c?.status, 'Unknown', type);
      assert.equal(c?.reason, 'NodeStatusUnknown');
      assert.equal(c?.message, 'Kubelet stopped posting node status.');
      assert.equal(c?.lastTransitionTime, formatTime(t.clock.now()));
    }
    assert.equal((await condition('healthy', 'Ready'))?.status, 'True');
    await t.until('the NoSchedule taint', async () => (await taintsOf('lost')).includes('node.kubernetes.io/unreachable:NoSchedule'));
    const pod = await t.client.get(R.pods, 'default', 'web');
    assert.equal(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'False');
    const podEvents = await t.eventsFor('Pod', 'web');
    assert.deepEqual(
      podEvents.map((e) => [e.type, e.reason, e.message, e.source?.component]),
      [['Warning', 'NodeNotReady', 'Node is not ready', 'node-controller']],
    );
    const nodeEvents = (await t.eventsFor('Node', 'lost', 'default')).map((e) => [e.reason, e.message]);
    assert.deepEqual(nodeEvents, [
      ['RegisteredNode', 'Node lost event: Registered Node lost in Controller'],
      ['NodeNotReady', 'Node lost status is now: NodeNotReady'],
    ]);
  });

  it('adds the unreachable NoExecute taint, with the time added, at its next look', async () => {
    await seen('lost', (n) => !!n.spec?.taints?.length);
    t.clock.advance(5_000);
    await renew('healthy');
    await look();
    assert.deepEqual(await taintsOf('lost'), ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    const noExecute = (await node('lost')).spec?.taints?.find((x) => x.effect === 'NoExecute');
    assert.equal(noExecute?.timeAdded, formatTime(t.clock.now()));
  });

  it('swaps to not-ready when the kubelet is back but reports Ready False, and takes the taints off once it is Ready', async () => {
    await heartbeat('lost', 'False');
    await seen('lost', (n) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'False');
    await look();
    await t.until('the not-ready taints', async () => (await taintsOf('lost')).join() === 'node.kubernetes.io/not-ready:NoExecute,node.kubernetes.io/not-ready:NoSchedule');
    t.clock.advance(10_000);
    await heartbeat('lost');
    await renew('healthy');
    await seen('lost', (n) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True');
    await look();
    await t.until('no taints', async () => (await taintsOf('lost')).length === 0);
    assert.equal((await condition('lost', 'Ready'))?.reason, 'KubeletReady');
  });

  it('counts a renewed Lease as hearing from the node', async () => {
    t.clock.advance(40_000);
    await renew('healthy');
    await renew('lost');
    await look();
    t.clock.advance(40_000);
    await renew('healthy');
    await look();
    assert.equal((await condition('lost', 'Ready'))?.status, 'True', '80 s since the heartbeat, 40 s since the Lease');
  });

  it('gives a node that never posted status the startup grace period, then NodeStatusNeverUpdated', async () => {
    await t.client.create(R.nodes, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'mute' } } as Node);
    await seen('mute', () => true);
    await look();
    t.clock.advance(55_000);
    await renew('healthy');
    await renew('lost');
    await look();
    assert.equal(await condition('mute', 'Ready'), undefined, 'within 60 s');
    t.clock.advance(10_000);
    await renew('healthy');
    await renew('lost');
    await look();
    const mute = await node('mute');
    assert.deepEqual(
      mute.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message, c.lastHeartbeatTime]),
      ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'].map((type) => [type, 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.', mute.metadata.creationTimestamp]),
    );
    await t.client.delete(R.nodes, '', 'mute');
  });

  it('adds no NoExecute taint when no node of the zone is Ready, and takes it off', async () => {
    t.clock.advance(60_000);
    await look();
    assert.equal((await condition('healthy', 'Ready'))?.status, 'Unknown');
    await seen('lost', (n) => !!n.spec?.taints?.length);
    await look();
    await t.until('the NoSchedule taints only', async () => (await taintsOf('healthy')).join() === 'node.kubernetes.io/unreachable:NoSchedule');
    assert.deepEqual(await taintsOf('lost'), ['node.kubernetes.io/unreachable:NoSchedule']);
  });

  it('computes zone states as upstream', () => {
    const c = (status: string) => ({ type: 'Ready', status });
    assert.equal(zoneState([c('Unknown')]).state, 'FullDisruption');
    assert.equal(zoneState([c('True'), c('Unknown')]).state, 'Normal');
    assert.equal(zoneState([c('True'), c('Unknown'), c('False'), undefined]).state, 'PartialDisruption');
    assert.equal(zoneState([c('True'), c('True'), c('Unknown'), c('False'), c('Unknown')]).state, 'PartialDisruption');
    assert.equal(zoneState([c('True'), c('True'), c('True'), c('Unknown'), c('False'), c('Unknown')]).state, 'Normal');
  });
});
