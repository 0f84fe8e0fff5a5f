import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NodeSpec, PodSpec } from 'kubernetes-types/core/v1.js';
import type { Node, Pod } from '../api/kinds.js';
import { R } from '../client/client.js';
import { scheduler } from './scheduler.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';

const pod = (name: string, spec: Partial<PodSpec> = {}): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } });
const node = (name: string, ready: string, spec: NodeSpec = {}, labels: Record<string, string> = {}): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels },
  spec,
  status: { conditions: [{ type: 'Ready', status: ready }], allocatable: { cpu: '2', memory: '4Gi', pods: '110' } },
});

describe('the scheduler', () => {
  let t: TestCluster;
  let s: ReturnType<typeof scheduler>;
  const scheduledCondition = async (name: string) => (await t.client.get(R.pods, 'default', name)).status?.conditions?.find((c) => c.type === 'PodScheduled');
  const failedMessage = (name: string) =>
    t.until(`FailedScheduling for ${name}`, async () => {
      await s.flush();
      return (await t.eventsFor('Pod', name)).find((e) => e.reason === 'FailedScheduling')?.message as string | undefined;
    });

  before(async () => {
    t = await testCluster();
    s = scheduler({ client: t.client, informers: t.informers, clock: t.clock, host: 'box' });
    await s.start();
  });
  after(async () => {
    s.stop();
    await t.close();
  });

  it('leaves a pod Pending with FailedScheduling when there is no node', async () => {
    await t.client.create(R.pods, 'default', pod('lonely'));
    assert.equal(await failedMessage('lonely'), 'no nodes available to schedule pods');
    const [e] = await t.eventsFor('Pod', 'lonely');
    assert.deepEqual([e!.type, e!.action, e!.reportingComponent, e!.reportingInstance], ['Warning', 'Scheduling', 'default-scheduler', 'default-scheduler-box']);
    const c = await t.until('PodScheduled=False', () => scheduledCondition('lonely'));
    assert.deepEqual([c.status, c.reason, c.message, c.lastProbeTime], ['False', 'Unschedulable', 'no nodes available to schedule pods', null]);
  });

  it('explains why no node fits, as the scheduler does', async () => {
    await t.client.create(R.nodes, '', node('sick', 'False'));
    await t.client.create(R.pods, 'default', pod('picky'));
    assert.equal(
      await failedMessage('picky'),
      '0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    );
    await t.client.create(R.nodes, '', node('cordoned', 'True', { unschedulable: true }));
    await t.client.create(R.nodes, '', node('other', 'True', {}, { zone: 'b' }));
    await t.client.create(R.pods, 'default', pod('zonal', { nodeSelector: { zone: 'a' } }));
    assert.equal(
      await failedMessage('zonal'),
      "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    await t.client.create(R.pods, 'default', pod('greedy', { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '3' } } }] }));
    assert.match(await failedMessage('greedy'), /^0\/3 nodes are available: 1 Insufficient cpu, .* preemption: 0\/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling\.$/);
  });

  it('binds pods to a Ready node through pods/binding and says so', async () => {
    await t.client.create(R.pods, 'default', pod('web'));
    const bound = await t.until('binding', async () => {
      const p = await t.client.get(R.pods, 'default', 'web');
      return p.spec?.nodeName ? p : undefined;
    });
    assert.equal(bound.spec?.nodeName, 'other');
    const c = await scheduledCondition('web');
    assert.deepEqual([c!.status, c!.lastTransitionTime, c!.reason], ['True', '2024-05-01T10:00:00Z', undefined]);
    // The scheduler records the event after the binding the test saw: wait for it.
    const e = await t.until('the Scheduled event', async () => {
      await s.flush();
      return (await t.eventsFor('Pod', 'web'))[0];
    });
    assert.deepEqual([e!.type, e!.reason, e!.message, e!.action, e!.reportingComponent], ['Normal', 'Scheduled', 'Successfully assigned default/web to other', 'Binding', 'default-scheduler']);
  });

  it('schedules a waiting pod once a node becomes Ready', async () => {
    await t.client.mutate(R.nodes, '', 'sick', (cur) => ({ ...cur, status: { ...cur.status, conditions: [{ type: 'Ready', status: 'True' }] } }), 'status');
    const p = await t.until('picky bound', async () => {
      const x = await t.client.get(R.pods, 'default', 'picky');
      return x.spec?.nodeName ? x : undefined;
    });
    assert.ok(['sick', 'other'].includes(p.spec?.nodeName ?? ''));
    assert.equal((await scheduledCondition('picky'))!.status, 'True');
  });

  it('leaves pods of other schedulers and gated pods alone', async () => {
    await t.client.create(R.pods, 'default', pod('custom', { schedulerName: 'my-scheduler' }));
    await t.client.create(R.pods, 'default', pod('gated', { schedulingGates: [{ name: 'wait' }] }));
    await new Promise((r) => setTimeout(r, 200));
    for (const name of ['custom', 'gated']) assert.equal((await t.client.get(R.pods, 'default', name)).spec?.nodeName, undefined);
  });
});
