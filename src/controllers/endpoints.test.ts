import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Endpoints } from '../api/kinds.js';
import { R } from '../client/client.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { endpointsController, repackSubsets } from './endpoints.js';

describe('the Endpoints controller', () => {
  let t: TestCluster;
  let controller: ReturnType<typeof endpointsController>;
  const until = (what: string, check: (e: Endpoints) => boolean, name = 'web') =>
    t.until(what, async () => {
      const e = await t.client.get(R.endpoints, 'default', name).catch(() => undefined);
      return e && check(e) ? e : undefined;
    });
  const pod = async (name: string, ip: string, ready: boolean, labels: Record<string, string> = { app: 'web' }) => {
    await t.client.create(R.pods, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels },
      spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
    });
    await t.client.mutate(R.pods, 'default', name, (cur) => ({ ...cur, status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } }), 'status');
    return (await t.client.get(R.pods, 'default', name)).metadata.uid;
  };
  const service = (name: string, spec: object, labels?: Record<string, string>) =>
    t.client.create(R.services, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name, ...(labels ? { labels } : {}) }, spec } as never);

  before(async () => {
    t = await testCluster();
    controller = endpointsController({ client: t.client, informers: t.informers });
    await controller.start();
  });
  after(async () => {
    controller.stop();
    await t.close();
  });

  it('lists ready pods under addresses and others under notReadyAddresses, with the pods\' ports', async () => {
    await service('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9090, targetPort: 9090 }] }, { tier: 'front' });
    const empty = await until('an empty Endpoints', () => true);
    assert.deepEqual(empty.metadata.labels, { tier: 'front' });
    assert.equal(empty.subsets, undefined);
    const uid10 = await pod('web-10', '10.0.0.10', true);
    const uid9 = await pod('web-9', '10.0.0.9', true);
    const uid3 = await pod('web-3', '10.0.0.3', false);
    await pod('other', '10.0.0.4', true, { app: 'other' });
    const e = await until('three addresses', (x) => (x.subsets?.[0]?.addresses?.length ?? 0) + (x.subsets?.[0]?.notReadyAddresses?.length ?? 0) === 3);
    const addr = (ip: string, name: string, uid: string | undefined) => ({ ip, nodeName: 'node-a', targetRef: { kind: 'Pod', namespace: 'default', name, uid } });
    assert.deepEqual(e.subsets, [
      {
        addresses: [addr('10.0.0.9', 'web-9', uid9), addr('10.0.0.10', 'web-10', uid10)],
        notReadyAddresses: [addr('10.0.0.3', 'web-3', uid3)],
        ports: [
          { name: 'http', port: 8080, protocol: 'TCP' },
          { name: 'metrics', port: 9090, protocol: 'TCP' },
        ],
      },
    ]);
  });

  it('leaves Services without a selector to whoever writes their Endpoints, and deletes Endpoints with their Service', async () => {
    await service('manual', { ports: [{ port: 443 }] });
    await t.client.create(R.endpoints, 'default', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'manual' }, subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ port: 8443 }] }] } as never);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await t.client.get(R.endpoints, 'default', 'manual')).subsets?.[0]?.addresses?.[0]?.ip, '127.0.0.1');
    await t.client.delete(R.services, 'default', 'web');
    await t.until('the Endpoints gone', async () => !(await t.client.get(R.endpoints, 'default', 'web').catch(() => undefined)));
  });

  it('labels the Endpoints of a headless Service and lists its pods without ports', async () => {
    await service('db', { clusterIP: 'None', selector: { app: 'db' } });
    await pod('db-0', '10.0.1.1', true, { app: 'db' });
    const e = await until('the db pod', (x) => !!x.subsets?.length, 'db');
    assert.deepEqual(e.metadata.labels, { 'service.kubernetes.io/headless': '' });
    assert.deepEqual(e.subsets?.map((s) => [s.addresses?.map((a) => a.ip), s.ports]), [[['10.0.1.1'], undefined]]);
  });
});

describe('repackSubsets', () => {
  it('groups addresses by the ports they serve; ready for any port is ready', () => {
    const a = { ip: '10.0.0.1' };
    const b = { ip: '10.0.0.2' };
    const http = { name: 'http', port: 80, protocol: 'TCP' };
    const dns = { name: 'dns', port: 53, protocol: 'UDP' };
    assert.deepEqual(
      repackSubsets([
        { address: a, ready: true, port: http },
        { address: a, ready: false, port: dns },
        { address: b, ready: false, port: http },
      ]),
      [
        { addresses: [a], ports: [dns, http] },
        { notReadyAddresses: [b], ports: [http] },
      ],
    );
  });
});
