import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ResourceUsage } from '../../api/resource-usage.js';
import { nodeMetrics, podMetrics, usageQuantities } from './metrics.js';
import { nodes } from './nodes.js';
import { pods } from './pods.js';
import { rejection, T0, testRegistry, type TestRegistry } from './testing.js';

const at = new Date('2024-05-01T09:59:50Z');
const usage: ResourceUsage = {
  node: (name) => (name === 'node-1' ? { timestamp: at, windowMs: 10_012, usage: { cpuNanoCores: 250_000_000, memoryBytes: 2 * 1024 ** 3 } } : undefined),
  pod: (ns, name) =>
    ns === 'default' && name === 'web'
      ? {
          timestamp: at,
          windowMs: 9_500,
          containers: [
            { name: 'app', usage: { cpuNanoCores: 123_456, memoryBytes: 4096 * 300 } },
            { name: 'sidecar', usage: { cpuNanoCores: 1_000_000, memoryBytes: 4096 } },
          ],
        }
      : undefined,
};

describe('metrics.k8s.io NodeMetrics and PodMetrics', () => {
  let t: TestRegistry;
  const nm = nodeMetrics(() => usage);
  const pm = podMetrics(() => usage);
  before(async () => {
    t = testRegistry([nodes, pods, nm, pm]);
    for (const name of ['node-1', 'node-2']) await t.store(nodes).create(t.ctx, '', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { zone: name } } });
    for (const name of ['web', 'db']) {
      await t.store(pods).create(t.ctx, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } });
    }
  });
  after(() => t.close());

  it('writes CPU in nanocores and memory in binary units, canonical as metrics-server does', () => {
    assert.deepEqual(usageQuantities({ cpuNanoCores: 123_456, memoryBytes: 1_228_800 }), { cpu: '123456n', memory: '1200Ki' });
    assert.deepEqual(usageQuantities({ cpuNanoCores: 2_000_000, memoryBytes: 0 }), { cpu: '2m', memory: '0' });
    assert.deepEqual(usageQuantities({ cpuNanoCores: 1_000_000_000, memoryBytes: 1000 }), { cpu: '1', memory: '1k' });
  });

  it('gets and lists a pod with figures; pods without are left out', async () => {
    const web = await pm.live!.get({ ctx: t.ctx, registry: t.registry }, 'default', 'web');
    assert.deepEqual(web, {
      kind: 'PodMetrics',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-05-01T10:00:00Z', labels: { app: 'web' } },
      timestamp: '2024-05-01T09:59:50Z',
      window: '9.5s',
      containers: [
        { name: 'app', usage: { cpu: '123456n', memory: '1200Ki' } },
        { name: 'sidecar', usage: { cpu: '1m', memory: '4Ki' } },
      ],
    });
    const all = await pm.live!.list({ ctx: t.ctx, registry: t.registry }, '', undefined);
    assert.deepEqual(all.map((p) => p.metadata.name), ['web']);
    assert.deepEqual(await pm.live!.list({ ctx: t.ctx, registry: t.registry }, 'default', 'app=db'), []);
    assert.equal(await rejection(pm.live!.get({ ctx: t.ctx, registry: t.registry }, 'default', 'db')), 'pods.metrics.k8s.io "default/db" not found');
    assert.equal(await rejection(pm.live!.get({ ctx: t.ctx, registry: t.registry }, 'default', 'nope')), 'pods "nope" not found');
  });

  it('gets and lists node figures; a node the API does not have is the node lister NotFound', async () => {
    const n = await nm.live!.get({ ctx: t.ctx, registry: t.registry }, '', 'node-1');
    assert.deepEqual(n, {
      kind: 'NodeMetrics',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: { name: 'node-1', creationTimestamp: T0.toISOString().replace('.000', ''), labels: { zone: 'node-1' } },
      timestamp: '2024-05-01T09:59:50Z',
      window: '10.012s',
      usage: { cpu: '250m', memory: '2Gi' },
    });
    assert.deepEqual((await nm.live!.list({ ctx: t.ctx, registry: t.registry }, '', 'zone in (node-1,node-2)')).map((x) => x.metadata.name), ['node-1']);
    assert.equal(await rejection(nm.live!.get({ ctx: t.ctx, registry: t.registry }, '', 'node-2')), 'nodes.metrics.k8s.io "node-2" not found');
    assert.equal(await rejection(nm.live!.get({ ctx: t.ctx, registry: t.registry }, '', 'node-3')), 'node "node-3" not found');
  });

  it("prints metrics-server's table: Name, cpu, memory, Window; a pod's cells add up its containers", async () => {
    const web = await pm.live!.get({ ctx: t.ctx, registry: t.registry }, 'default', 'web');
    assert.deepEqual(pm.table!.columns.map((c) => [c.name, c.format, c.description]), [
      ['Name', 'name', 'Name of the resource'],
      ['cpu', 'quantity', ''],
      ['memory', 'quantity', ''],
      ['Window', 'duration', ''],
    ]);
    assert.deepEqual(pm.table!.cells(web, T0), ['web', '1123456n', '1204Ki', '9.5s']);
    const n = await nm.live!.get({ ctx: t.ctx, registry: t.registry }, '', 'node-1');
    assert.deepEqual(nm.table!.cells(n, T0), ['node-1', '250m', '2Gi', '10.012s']);
  });
});
