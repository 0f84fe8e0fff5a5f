import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EndpointSlice, Service } from '../api/kinds.js';
import { R } from '../client/client.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { endpointSliceController } from './endpointslice.js';

describe('the EndpointSlice controller', () => {
  let t: TestCluster;
  let controller: ReturnType<typeof endpointSliceController>;
  let svc: Service;
  const slicesOf = async (service: string) =>
    (await t.client.list(R.endpointslices, 'default', { labelSelector: `kubernetes.io/service-name=${service}` })).items.sort((a, b) => (b.endpoints?.length ?? 0) - (a.endpoints?.length ?? 0));
  const until = (what: string, check: (slices: EndpointSlice[]) => boolean, service = 'web') =>
    t.until(what, async () => {
      const slices = await slicesOf(service);
      return check(slices) ? slices : undefined;
    });
  const addresses = (slices: EndpointSlice[]) => slices.flatMap((s) => (s.endpoints ?? []).flatMap((e) => e.addresses)).sort();
  const pod = async (name: string, ip: string, ready: boolean) => {
    await t.client.create(R.pods, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { app: 'web' } },
      spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
    });
    await t.client.mutate(R.pods, 'default', name, (cur) => ({ ...cur, status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } }), 'status');
  };

  before(async () => {
    t = await testCluster();
    await t.client.create(R.nodes, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a', labels: { 'topology.kubernetes.io/zone': 'zone-a' } } });
    controller = endpointSliceController({ client: t.client, informers: t.informers, maxEndpointsPerSlice: 2 });
    await controller.start();
    svc = await t.client.create(R.services, 'default', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', labels: { tier: 'front' } },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
  });
  after(async () => {
    controller.stop();
    await t.close();
  });

  it('gives a Service without pods one empty slice it owns', async () => {
    const [slice] = await until('a placeholder', (s) => s.length === 1);
    assert.match(slice!.metadata.name!, /^web-[a-z0-9]{5}$/);
    assert.deepEqual(slice!.metadata.labels, { tier: 'front', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    assert.deepEqual(slice!.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.equal(slice!.addressType, 'IPv4');
    assert.deepEqual(slice!.endpoints, []);
  });

  it("lists the pods' addresses, conditions, node, zone and named ports, at most two to a slice here", async () => {
    await pod('web-1', '10.0.0.1', true);
    await pod('web-2', '10.0.0.2', false);
    const [slice] = await until('two endpoints', (s) => s.length === 1 && s[0]!.endpoints?.length === 2);
    assert.deepEqual(slice!.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    const web1 = await t.client.get(R.pods, 'default', 'web-1');
    assert.deepEqual(slice!.endpoints![0], {
      addresses: ['10.0.0.1'],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName: 'node-a',
      zone: 'zone-a',
      targetRef: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: web1.metadata.uid },
    });
    assert.deepEqual(slice!.endpoints![1]!.conditions, { ready: false, serving: false, terminating: false });
    await pod('web-3', '10.0.0.3', true);
    const slices = await until('a second slice', (s) => s.length === 2 && addresses(s).length === 3);
    assert.deepEqual(addresses(slices), ['10.0.0.1', '10.0.0.2', '10.0.0.3']);
  });

  it('keeps terminating pods as serving but not ready, and drops deleted ones and the slices left empty', async () => {
    await t.client.delete(R.pods, 'default', 'web-3');
    const terminating = await until('web-3 terminating', (s) => s.some((x) => x.endpoints?.some((e) => e.conditions?.terminating)));
    const web3 = terminating.flatMap((x) => x.endpoints ?? []).find((e) => e.targetRef?.name === 'web-3');
    assert.deepEqual(web3?.conditions, { ready: false, serving: true, terminating: true });
    await t.client.delete(R.pods, 'default', 'web-3', { gracePeriodSeconds: 0 });
    await t.client.delete(R.pods, 'default', 'web-1', { gracePeriodSeconds: 0 });
    const slices = await until('one slice left', (s) => s.length === 1 && addresses(s).length === 1);
    assert.deepEqual(addresses(slices), ['10.0.0.2']);
  });

  it('puts back a slice deleted by hand', async () => {
    const [slice] = await slicesOf('web');
    await t.client.delete(R.endpointslices, 'default', slice!.metadata.name!);
    const [again] = await until('a new slice', (s) => s.length === 1 && s[0]!.metadata.name !== slice!.metadata.name);
    assert.deepEqual(addresses([again!]), ['10.0.0.2']);
    // Settled: nothing more is written.
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual((await slicesOf('web')).map((s) => s.metadata.resourceVersion), [again!.metadata.resourceVersion]);
  });

  it('makes no slices for a Service without a selector', async () => {
    await t.client.create(R.services, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'external' }, spec: { ports: [{ port: 80 }] } });
    await t.client.create(R.services, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'marker' }, spec: { selector: { app: 'none' }, ports: [{ port: 80 }] } });
    await until('the slice of the next Service', (s) => s.length === 1, 'marker');
    assert.deepEqual(await slicesOf('external'), []);
  });
});
