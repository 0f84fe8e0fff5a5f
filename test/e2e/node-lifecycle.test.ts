// A dead server's node: two `badge server` processes on one etcd with --node-monitor-grace-period
// 20s (their node agents renew Leases every 10 s). kill -9 of the one that does not run the
// controller manager: its Node turns Unknown (NotReady in `kubectl get nodes`) with the unreachable
// NoSchedule and NoExecute taints, the pods there that tolerate it for 1 s are deleted and their
// Deployment's new pods go to the live node; the server started again makes its node Ready, and the
// taints go.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../src/testing/eventually.js';
import { etcdMissing } from '../../src/testing/etcd.js';
import { startEtcdServers, type EtcdServers } from './etcd-servers.js';

const NAMES = ['lifecycle-a', 'lifecycle-b'];

const deployment = (replicas: number) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'web', image: 'nginx:1.25' }],
          tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 }],
        },
      },
    },
  });

describe('e2e: a dead server\'s node goes NotReady, is tainted, and its pods move', { skip: etcdMissing() }, () => {
  let c: EtcdServers;
  const ok = (i: number, args: string[], input?: string) => c.ok(i, args, input);
  const taints = async (i: number, node: string) => (await ok(i, ['get', 'node', node, '-o', 'jsonpath={range .spec.taints[*]}{.key}:{.effect}{"\\n"}{end}'])).split('\n').filter(Boolean).sort();

  before(async () => {
    c = await startEtcdServers(NAMES, 1, ['--node-monitor-grace-period', '20s']);
  });
  after(() => c?.close());

  it('kill -9: the node is Unknown and tainted unreachable, its pods are deleted and replaced on the live node; back, it is Ready and untainted', async (t) => {
    await eventually(async () => (await ok(0, ['get', 'nodes', '--no-headers'])).match(/ Ready /g)?.length === 2, 'two Ready nodes', 30_000);
    const holder = (await ok(0, ['get', 'lease', '-n', 'kube-system', 'kube-controller-manager', '-o', 'jsonpath={.spec.holderIdentity}'])).trim();
    const live = NAMES.findIndex((n) => holder.startsWith(`${n}_`));
    assert.ok(live >= 0, holder);
    const dead = 1 - live;
    await ok(live, ['apply', '-f', '-'], deployment(4));
    const podNodes = async () =>
      (JSON.parse(await ok(live, ['get', 'pods', '-l', 'app=web', '-o', 'json'])).items as { metadata: { deletionTimestamp?: string }; spec: { nodeName?: string } }[])
        .filter((p) => !p.metadata.deletionTimestamp)
        .map((p) => p.spec.nodeName ?? '');
    await eventually(async () => (await podNodes()).filter((n) => n === NAMES[dead]).length > 0 && (await podNodes()).every(Boolean), 'pods scheduled to both nodes', 30_000);

    const killedAt = Date.now();
    await c.servers[dead]!.stop('SIGKILL');
    c.servers[dead] = undefined;
    await eventually(async () => new RegExp(`^${NAMES[dead]}\\s+NotReady`, 'm').test(await ok(live, ['get', 'nodes', '--no-headers'])), 'the dead node NotReady', 60_000, 500);
    const unknownMs = Date.now() - killedAt;
    const ready = JSON.parse(await ok(live, ['get', 'node', NAMES[dead]!, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")]}']));
    assert.deepEqual([ready.status, ready.reason, ready.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.']);
    await eventually(
      async () => JSON.stringify(await taints(live, NAMES[dead]!)) === JSON.stringify(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']),
      'the unreachable taints',
      30_000,
      500,
    );
    await eventually(async () => {
      const nodes = await podNodes();
      return nodes.length === 4 && nodes.every((n) => n === NAMES[live]);
    }, "the Deployment's pods all on the live node", 30_000, 500);
    const describe = await ok(live, ['describe', 'node', NAMES[dead]!]);
    assert.match(describe, /Taints:\s+node\.kubernetes\.io\/unreachable:NoExecute\n\s+node\.kubernetes\.io\/unreachable:NoSchedule/);
    t.diagnostic(`NotReady ${unknownMs} ms after the kill; pods moved ${Date.now() - killedAt} ms after it`);

    await c.start(dead);
    await eventually(async () => new RegExp(`^${NAMES[dead]}\\s+Ready`, 'm').test(await ok(live, ['get', 'nodes', '--no-headers'])), 'the node Ready again', 30_000, 500);
    await eventually(async () => (await taints(live, NAMES[dead]!)).length === 0, 'the taints gone', 30_000, 500);
  });
});
