import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { availableCondition, type APIService } from '../api/apiservices.js';
import type { CustomResourceDefinition } from '../api/crd.js';
import { R } from '../client/client.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { apiServiceAvailability } from './apiservice-availability.js';
import { apiServiceRegistration, builtInApiServices, crdApiServices } from './apiservice-registration.js';

const served = (group: string, version: string, resource: string) => ({ group, version, resource, kind: 'K', namespaced: true, stored: true });

describe('the APIService registration controller', () => {
  it('lists the built-in group versions of the priority table, once each, with upstream priorities', () => {
    const list = builtInApiServices([served('', 'v1', 'pods'), served('', 'v1', 'secrets'), served('apps', 'v1', 'deployments'), served('autoscaling', 'v2', 'x'), served('example.com', 'v1', 'widgets'), { ...served('metrics.k8s.io', 'v1beta1', 'pods'), stored: false }]);
    assert.deepEqual(
      list.map((s) => [s.metadata.name, s.spec!.groupPriorityMinimum, s.spec!.versionPriority, s.metadata.labels!['kube-aggregator.kubernetes.io/automanaged']]),
      [
        ['v1.', 18000, 1, 'onstart'],
        ['v1.apps', 17800, 15, 'onstart'],
        ['v2.autoscaling', 17500, 30, 'onstart'],
        ['v1beta1.metrics.k8s.io', 100, 100, 'onstart'],
      ],
    );
    assert.deepEqual(list[0]!.spec, { service: null, group: '', version: 'v1', groupPriorityMinimum: 18000, versionPriority: 1 });
  });

  it("gives each served version of a definition the CRD registration controller's priorities", () => {
    const crd = { metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com', versions: [{ name: 'v1', served: true }, { name: 'v2', served: true }, { name: 'v0', served: false }] } } as unknown as CustomResourceDefinition;
    assert.deepEqual(
      crdApiServices([crd]).map((s) => [s.metadata.name, s.spec!.groupPriorityMinimum, s.spec!.versionPriority, s.metadata.labels!['kube-aggregator.kubernetes.io/automanaged']]),
      [
        ['v1.example.com', 1000, 100, 'true'],
        ['v2.example.com', 1000, 100, 'true'],
      ],
    );
  });

  describe('against the API', () => {
    let t: TestCluster;
    let controller: ReturnType<typeof apiServiceRegistration>;
    const local = (name: string, group: string, version: string, labels: Record<string, string>): APIService => ({
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name, labels },
      spec: { group, version, groupPriorityMinimum: 10, versionPriority: 10 },
    });
    before(async () => {
      t = await testCluster();
      // Present at start: a stale built-in one (deleted), one of an older spec (updated), and one nobody manages (kept).
      await t.client.create(R.apiservices, '', local('v1beta1.batch', 'batch', 'v1beta1', { 'kube-aggregator.kubernetes.io/automanaged': 'onstart' }));
      await t.client.create(R.apiservices, '', local('v1.apps', 'apps', 'v1', { 'kube-aggregator.kubernetes.io/automanaged': 'onstart' }));
      await t.client.create(R.apiservices, '', local('v1.example.com', 'example.com', 'v1', {}));
      controller = apiServiceRegistration({ client: t.client, informers: t.informers, resources: t.registry.served(), crds: false });
      await controller.start();
    });
    after(async () => {
      controller.stop();
      await t.close();
    });

    it('creates the Local APIServices, updates and deletes the managed ones present at start, leaves the others', async () => {
      const names = await t.until('the Local APIServices', async () => {
        const list = (await t.client.list(R.apiservices, '')).items;
        const names = list.map((s) => s.metadata.name).sort();
        return names.includes('v1.') && !names.includes('v1beta1.batch') && list.find((s) => s.metadata.name === 'v1.apps')?.spec?.groupPriorityMinimum === 17800 ? names : undefined;
      });
      assert.deepEqual(names, ['v1.', 'v1.apps', 'v1.batch', 'v1.certificates.k8s.io', 'v1.coordination.k8s.io', 'v1.discovery.k8s.io', 'v1.events.k8s.io', 'v1.example.com', 'v1.policy', 'v1.scheduling.k8s.io', 'v1.storage.k8s.io', 'v2.autoscaling']);
      const core = await t.client.get(R.apiservices, '', 'v1.');
      assert.deepEqual(availableCondition(core), { type: 'Available', status: 'True', lastTransitionTime: '2024-05-01T10:00:00Z', reason: 'Local', message: 'Local APIServices are always available' });
      assert.equal((await t.client.get(R.apiservices, '', 'v1.example.com')).spec?.groupPriorityMinimum, 10);
    });
  });
});

describe('the APIService availability controller', () => {
  let t: TestCluster;
  let controller: ReturnType<typeof apiServiceAvailability>;
  let probed: string[] = [];
  let answer: () => Promise<number> = async () => 200;
  const remote = (name: string, service: Record<string, unknown>): APIService => {
    const [version, ...group] = name.split('.');
    return { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name }, spec: { group: group.join('.'), version, service, insecureSkipTLSVerify: true, groupPriorityMinimum: 100, versionPriority: 10 } };
  };
  const until = (name: string, reason: string) =>
    t.until(`${name} ${reason}`, async () => {
      const c = availableCondition(await t.client.get(R.apiservices, '', name));
      return c?.reason === reason ? c : undefined;
    });

  before(async () => {
    t = await testCluster();
    await t.client.create(R.namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ext' } });
    controller = apiServiceAvailability({
      client: t.client,
      informers: t.informers,
      clock: t.clock,
      probe: (s, path) => {
        probed.push(`${s.metadata.name} ${path}`);
        return answer();
      },
    });
    await controller.start();
  });
  after(async () => {
    controller.stop();
    await t.close();
  });

  it('says which Service is missing', async () => {
    await t.client.create(R.apiservices, '', remote('v1.missing.example.com', { namespace: 'ext', name: 'nothing' }));
    const c = await until('v1.missing.example.com', 'ServiceNotFound');
    assert.deepEqual(c, { type: 'Available', status: 'False', lastTransitionTime: '2024-05-01T10:00:00Z', reason: 'ServiceNotFound', message: 'service/nothing in "ext" is not present' });
  });

  it('checks the port, then the endpoints, then the discovery document', async () => {
    await t.client.create(R.services, 'ext', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { clusterIP: '10.96.7.7', ports: [{ name: 'https', port: 443, targetPort: 8443 }] } });
    await t.client.create(R.apiservices, '', remote('v1.port.example.com', { namespace: 'ext', name: 'api', port: 444 }));
    assert.equal((await until('v1.port.example.com', 'ServicePortError')).message, 'service/api in "ext" is not listening on port 444');

    await t.client.create(R.apiservices, '', remote('v1.api.example.com', { namespace: 'ext', name: 'api' }));
    assert.equal((await until('v1.api.example.com', 'EndpointsNotFound')).message, 'cannot find endpoints for service/api in "ext"');
    await t.client.create(R.endpoints, 'ext', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'api' }, subsets: [{ notReadyAddresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 8443 }] }] });
    assert.equal((await until('v1.api.example.com', 'MissingEndpoints')).message, 'endpoints for service/api in "ext" have no addresses with port name "https"');

    answer = async () => 503;
    await t.client.mutate(R.endpoints, 'ext', 'api', (e) => ({ ...e, subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 8443 }] }] }));
    const failed = await until('v1.api.example.com', 'FailedDiscoveryCheck');
    assert.equal(failed.message, 'failing or missing response from https://10.96.7.7:443/apis/api.example.com/v1: bad status from https://10.96.7.7:443/apis/api.example.com/v1: 503');
    assert.ok(probed.includes('v1.api.example.com /apis/api.example.com/v1'));

    answer = async () => {
      throw new Error('dial tcp 127.0.0.1:8443: connect: connection refused');
    };
    await t.client.mutate(R.services, 'ext', 'api', (s) => ({ ...s, metadata: { ...s.metadata, labels: { poke: '1' } } }));
    await t.until('the dial error', async () => availableCondition(await t.client.get(R.apiservices, '', 'v1.api.example.com'))?.message?.includes('connection refused'));
    assert.equal(
      availableCondition(await t.client.get(R.apiservices, '', 'v1.api.example.com'))!.message,
      'failing or missing response from https://10.96.7.7:443/apis/api.example.com/v1: Get "https://10.96.7.7:443/apis/api.example.com/v1": dial tcp 127.0.0.1:8443: connect: connection refused',
    );

    answer = async () => 200;
    await t.client.mutate(R.services, 'ext', 'api', (s) => ({ ...s, metadata: { ...s.metadata, labels: { poke: '2' } } }));
    const passed = await until('v1.api.example.com', 'Passed');
    assert.deepEqual([passed.status, passed.message], ['True', 'all checks passed']);
  });

  it('puts a Local APIService back to Available', async () => {
    const created = await t.client.create(R.apiservices, '', { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1.local.example.com' }, spec: { group: 'local.example.com', version: 'v1', groupPriorityMinimum: 100, versionPriority: 10 } });
    await t.client.update(R.apiservices, '', { ...created, status: { conditions: [{ type: 'Available', status: 'False', reason: 'Broken', message: 'x' }] } }, 'status');
    assert.equal((await until('v1.local.example.com', 'Local')).status, 'True');
  });
});
