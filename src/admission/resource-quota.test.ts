import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Pod, ResourceQuota } from '../api/kinds.js';
import { R } from '../client/client.js';
import { rejection } from '../registry/resources/testing.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { resourceQuotaAdmission } from './resource-quota.js';

const pod = (name: string, resources: Record<string, Record<string, string>> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'nginx', image: 'nginx', resources }] },
});

describe('ResourceQuota admission', () => {
  let c: TestCluster;
  before(async () => {
    c = await testCluster();
    const plugin = resourceQuotaAdmission(c.client);
    c.admission.use(plugin);
    await plugin.start(c.informers);
  });
  after(() => c.close());

  /** A quota with its status as the controller would have written it. */
  async function quota(name: string, hard: Record<string, string>, used: Record<string, string>): Promise<void> {
    const q = await c.client.create<ResourceQuota>(R.resourcequotas, 'default', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name }, spec: { hard } });
    await c.client.update(R.resourcequotas, 'default', { ...q, status: { hard, used } }, 'status');
    await c.until('the quota cached', () => c.informers.forResource(R.resourcequotas).get('default', name)?.status?.used);
  }

  it('refuses a pod that leaves out what a quota constrains, naming the containers', async () => {
    await quota('compute', { pods: '2', 'limits.cpu': '2', 'limits.memory': '1Gi' }, { pods: '0', 'limits.cpu': '0', 'limits.memory': '0' });
    assert.equal(await rejection(c.client.create(R.pods, 'default', pod('x'))), 'pods "x" is forbidden: failed quota: compute: must specify limits.cpu for: nginx; limits.memory for: nginx');
  });

  it('charges the quota, so two quick creates cannot both take the last slot, and refuses what exceeds it', async () => {
    const limits = { limits: { cpu: '500m', memory: '128Mi' } };
    await c.client.create(R.pods, 'default', pod('a', limits));
    const results = await Promise.allSettled([c.client.create(R.pods, 'default', pod('b', limits)), c.client.create(R.pods, 'default', pod('c', limits))]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    const name = refused.reason.message.match(/^pods "(.)"/)[1];
    assert.equal(refused.reason.message, `pods "${name}" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2`);
    const used = (await c.client.get(R.resourcequotas, 'default', 'compute')).status?.used;
    assert.deepEqual(used, { pods: '2', 'limits.cpu': '1', 'limits.memory': '256Mi' });
  });

  it("charges a Service's update with what it adds", async () => {
    await quota('ports', { 'services.nodeports': '1' }, { 'services.nodeports': '0' });
    const svc = await c.client.create(R.services, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] } });
    const nodePort = { ...svc, spec: { ...svc.spec, type: 'NodePort' } };
    assert.equal(
      await rejection(c.client.update(R.services, 'default', nodePort)),
      'services "web" is forbidden: exceeded quota: ports, requested: services.nodeports=2, used: services.nodeports=0, limited: services.nodeports=1',
    );
  });

  it('counts other kinds by count/<resource>', async () => {
    await quota('objects', { 'count/secrets': '1' }, { 'count/secrets': '1' });
    assert.equal(
      await rejection(c.client.create(R.secrets, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } })),
      'secrets "s" is forbidden: exceeded quota: objects, requested: count/secrets=1, used: count/secrets=1, limited: count/secrets=1',
    );
  });
});
