import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { Node } from '../api/kinds.js';
import { R } from '../client/client.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { taintEvictionController, tolerationTimeMs } from './taint-eviction.js';

const UNREACHABLE: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2025-01-01T00:00:00Z' };

describe('tolerationTimeMs', () => {
  it('is 0 for an untolerated taint, the shortest tolerationSeconds used, or undefined for ever', () => {
    const forever: Toleration = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' };
    const short: Toleration = { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 };
    assert.equal(tolerationTimeMs([UNREACHABLE], []), 0);
    assert.equal(tolerationTimeMs([UNREACHABLE], [forever]), undefined);
    assert.equal(tolerationTimeMs([UNREACHABLE], [short]), 30_000);
    assert.equal(tolerationTimeMs([UNREACHABLE, { key: 'other', effect: 'NoExecute' }], [forever, short]), 30_000, 'the first toleration that matches each taint counts');
    assert.equal(tolerationTimeMs([UNREACHABLE], [{ ...short, tolerationSeconds: -1 }]), 0);
  });
});

// The controller on a manual clock; evictions that fall due are looked for with evictDue(). Pods
// carry DefaultTolerationSeconds' tolerations (300 s); no kubelet runs, so deleted pods stay
// terminating.
describe('the taint eviction controller', () => {
  let t: TestCluster;
  let controller: ReturnType<typeof taintEvictionController>;
  const createPod = (name: string, nodeName: string, tolerations?: Toleration[]) =>
    t.client.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName, tolerations, containers: [{ name: 'c', image: 'nginx' }] } });
  const deleting = async (name: string) => !!(await t.client.get(R.pods, 'default', name)).metadata.deletionTimestamp;
  const taint = (name: string, taints: Taint[]) => t.client.mutate(R.nodes, '', name, (n) => ({ ...n, spec: { ...n.spec, taints } }));
  const settle = () => new Promise((r) => setTimeout(r, 50));

  before(async () => {
    t = await testCluster();
    for (const name of ['lost', 'broken', 'flaky']) await t.client.create(R.nodes, '', { apiVersion: 'v1', kind: 'Node', metadata: { name } } as Node);
    await createPod('default-tolerations', 'lost');
    await createPod('forever', 'lost', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }]);
    await createPod('short', 'lost', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }]);
    await createPod('intolerant', 'broken');
    await createPod('reprieved', 'flaky');
    controller = taintEvictionController({ client: t.client, informers: t.informers, clock: t.clock, recorder: t.recorder });
    await controller.start();
  });
  after(async () => {
    controller.stop();
    await t.close();
  });

  it('deletes a pod that does not tolerate a NoExecute taint at once, marked DisruptionTarget, with an event', async () => {
    await taint('broken', [{ key: 'example.com/broken', effect: 'NoExecute' }]);
    await t.until('the pod deleted', () => deleting('intolerant'));
    const pod = await t.client.get(R.pods, 'default', 'intolerant');
    const target = pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    assert.deepEqual([target?.status, target?.reason, target?.message], ['True', 'DeletionByTaintManager', 'Taint manager: deleting due to NoExecute taint']);
    const events = await t.eventsFor('Pod', 'intolerant');
    assert.deepEqual(
      events.map((e) => [e.type, e.reason, e.message, e.source?.component]),
      [['Normal', 'TaintManagerEviction', 'Marking for deletion Pod default/intolerant', 'taint-eviction-controller']],
    );
  });

  it('deletes tolerating pods when their tolerationSeconds run out, and keeps those tolerating for ever', async () => {
    await taint('lost', [UNREACHABLE]);
    await settle();
    controller.evictDue();
    await settle();
    assert.deepEqual([await deleting('short'), await deleting('default-tolerations'), await deleting('forever')], [false, false, false]);
    t.clock.advance(30_000);
    controller.evictDue();
    await t.until('the 30 s pod deleted', () => deleting('short'));
    assert.equal(await deleting('default-tolerations'), false);
    t.clock.advance(269_000);
    controller.evictDue();
    await settle();
    assert.equal(await deleting('default-tolerations'), false, 'at 299 s');
    t.clock.advance(1_000);
    controller.evictDue();
    await t.until('the 300 s pod deleted', () => deleting('default-tolerations'));
    t.clock.advance(3_600_000);
    controller.evictDue();
    await settle();
    assert.equal(await deleting('forever'), false);
  });

  it('cancels a deletion when the taint goes first', async () => {
    await taint('flaky', [UNREACHABLE]);
    await settle();
    t.clock.advance(100_000);
    controller.evictDue();
    await taint('flaky', []);
    await t.until('the cancel event', async () => (await t.eventsFor('Pod', 'reprieved')).some((e) => e.message === 'Cancelling deletion of Pod default/reprieved'));
    t.clock.advance(300_000);
    controller.evictDue();
    await settle();
    assert.equal(await deleting('reprieved'), false);
  });
});
