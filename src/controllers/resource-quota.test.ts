import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import type { Pod, ResourceQuota } from '../api/kinds.js';
import { R } from '../client/client.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { resourceQuotaController, sourceOf } from './resource-quota.js';

const pod = (name: string, resources: Record<string, Record<string, string>>, extra: Partial<Pod['spec']> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'app', image: 'nginx', resources }], ...extra },
});

describe('resource quota controller', () => {
  let c: TestCluster;
  let stop: () => void;
  before(async () => {
    c = await testCluster();
    const controller = resourceQuotaController({ client: c.client, informers: c.informers, clock: c.clock, served: () => c.registry.served() });
    await controller.start();
    stop = controller.stop;
  });
  after(async () => {
    stop();
    await c.close();
  });

  const status = (name: string) => c.client.get(R.resourcequotas, 'default', name).then((q) => q.status);

  it('names the resources a quota name counts', () => {
    assert.deepEqual(sourceOf('requests.cpu'), { group: '', resource: 'pods' });
    assert.deepEqual(sourceOf('count/deployments.apps'), { group: 'apps', resource: 'deployments' });
    assert.deepEqual(sourceOf('count/pods'), { group: '', resource: 'pods' });
    assert.deepEqual(sourceOf('services.nodeports'), { group: '', resource: 'services' });
    assert.equal(sourceOf('hugepages-2Mi'), undefined);
  });

  it('keeps status.hard and status.used: pods not in a terminal phase, their requests and limits, object counts', async () => {
    await c.client.create(R.pods, 'default', pod('a', { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } }));
    await c.client.create(R.pods, 'default', pod('b', { requests: { cpu: '250m', memory: '64Mi' } }, { initContainers: [{ name: 'init', image: 'busybox', resources: { requests: { cpu: '1' } } }] }));
    const done = await c.client.create(R.pods, 'default', pod('done', { requests: { cpu: '4' } }));
    await c.client.update(R.pods, 'default', { ...done, status: { phase: 'Succeeded' } }, 'status');
    await c.client.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } });
    const hard = { pods: '10', 'count/pods': '10', 'requests.cpu': '4', 'requests.memory': '1Gi', 'limits.cpu': '2', cpu: '4', configmaps: '5', 'count/deployments.apps': '2', replicationcontrollers: '1' };
    await c.client.create<ResourceQuota>(R.resourcequotas, 'default', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute' }, spec: { hard } });
    const want = {
      hard,
      used: { pods: '2', 'count/pods': '3', 'requests.cpu': '1250m', cpu: '1250m', 'requests.memory': '128Mi', 'limits.cpu': '500m', configmaps: '2', 'count/deployments.apps': '0', replicationcontrollers: '0' },
    };
    await c.until('the quota status', async () => isDeepStrictEqual(await status('compute'), want)).catch(async (err) => {
      assert.deepEqual(await status('compute'), want);
      throw err;
    });
  });

  it('counts pods in the quota scopes only, and follows deletions', async () => {
    await c.client.create(R.pods, 'default', pod('free', {}));
    await c.client.create<ResourceQuota>(R.resourcequotas, 'default', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'best-effort' }, spec: { hard: { pods: '5' }, scopes: ['BestEffort'] } });
    await c.until('one best-effort pod', async () => (await status('best-effort'))?.used?.pods === '1');
    await c.client.delete(R.pods, 'default', 'free', { gracePeriodSeconds: 0 });
    await c.until('none left', async () => (await status('best-effort'))?.used?.pods === '0');
  });

  it('leaves creates to admission, which charges them, and counts them at the next resync', async () => {
    await c.client.create(R.pods, 'default', pod('late', {}));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await status('best-effort'))?.used?.pods, '0');
    const resyncing = resourceQuotaController({ client: c.client, informers: c.informers, clock: c.clock, served: () => c.registry.served(), resyncIntervalMs: 20 });
    await resyncing.start();
    try {
      await c.until('the resync', async () => (await status('best-effort'))?.used?.pods === '1');
    } finally {
      resyncing.stop();
    }
  });
});
