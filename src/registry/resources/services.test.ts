import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManualClock, systemRandom, type Random } from '../../api/clock.js';
import type { KubeObject } from '../../api/meta.js';
import { SqliteStorage } from '../../storage/sqlite/sqlite-storage.js';
import { AdmissionChain } from '../../admission/chain.js';
import { Registry } from '../registry.js';
import type { Store } from '../store.js';
import { serviceIpAllocator } from './service-ips.js';
import { initIPFamilyFields, services, type ServiceSpec } from './services.js';
import { rejection, T0 } from './testing.js';
import type { OpContext } from '../../api/operations.js';

const LABEL_1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

const svc = (name: string, spec: ServiceSpec, metadata: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default', ...metadata },
  spec: spec as Record<string, unknown>,
});
const spec = (o: KubeObject) => o.spec as ServiceSpec;
const web = (name: string, extra: ServiceSpec = {}) => svc(name, { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }], ...extra });

/** Random numbers from a fixed sequence (the allocator reads 8 hex digits at a time). */
function sequence(values: number[]): Random {
  let i = 0;
  return { uuid: () => systemRandom.uuid(), string: (n) => (values[i++ % values.length]! >>> 0).toString(16).padStart(n, '0').slice(-n) };
}

describe('services', () => {
  let dir: string;
  let storage: SqliteStorage;
  let store: Store;
  let ctx: OpContext;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'badge-services-'));
    storage = new SqliteStorage(join(dir, 'state.db'));
    const registry = new Registry([{ ...services, begin: serviceIpAllocator() }], storage, new AdmissionChain());
    store = registry.mustStore('', 'v1', 'services');
    ctx = { user: { username: 'admin', groups: ['system:masters'] }, clock: new ManualClock(T0), random: sequence([0]) };
  });
  after(() => {
    storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the kubernetes service the address it asks for', async () => {
    const created = await store.create(ctx, 'default', svc('kubernetes', { type: 'ClusterIP', clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 6443 }] }));
    assert.deepEqual(spec(created).clusterIPs, ['10.96.0.1']);
    assert.deepEqual(services.table!.cells(created, T0), ['kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP', '0s', '<none>']);
  });

  it('defaults a ClusterIP service and allocates from the dynamic band of 10.96.0.0/12', async () => {
    const created = await store.create(ctx, 'default', web('web'));
    assert.deepEqual(created.spec, {
      clusterIP: '10.96.1.1',
      clusterIPs: ['10.96.1.1'],
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }],
      selector: { app: 'web' },
      sessionAffinity: 'None',
      type: 'ClusterIP',
    });
    assert.deepEqual(created.status, { loadBalancer: {} });
    const next = await store.create(ctx, 'default', web('web2', { ports: [{ port: 443 }] }));
    assert.equal(spec(next).clusterIP, '10.96.1.2');
    assert.deepEqual(spec(next).ports, [{ port: 443, protocol: 'TCP', targetPort: 443 }]);
  });

  it('refuses a cluster IP that is taken or out of range', async () => {
    assert.equal(
      await rejection(store.create(ctx, 'default', web('dup', { clusterIP: '10.96.0.1' }))),
      'Service "dup" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.1"}: failed to allocate IP 10.96.0.1: provided IP is already allocated',
    );
    assert.equal(
      await rejection(store.create(ctx, 'default', web('far', { clusterIP: '10.0.0.5' }))),
      'Service "far" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
    assert.equal(
      await rejection(store.create(ctx, 'default', web('v6', { clusterIP: 'fd00::1' }))),
      'Service "v6" is invalid: spec.clusterIPs[0]: Invalid value: []string{"fd00::1"}: IPv6 is not configured on this cluster',
    );
    assert.equal(
      await rejection(store.create(ctx, 'default', web('dual', { ipFamilyPolicy: 'RequireDualStack' }))),
      'Service "dual" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
    );
  });

  it('keeps the cluster IP: an update without it keeps it, a change is refused', async () => {
    await store.create(ctx, 'default', web('keep', { clusterIP: '10.96.0.50' }));
    const kept = await store.guaranteedUpdate(ctx, 'default', 'keep', (cur) => ({ ...cur, spec: { ...spec(cur), clusterIP: undefined, clusterIPs: undefined, selector: { app: 'v2' } } }));
    assert.deepEqual([spec(kept).clusterIP, spec(kept).clusterIPs, spec(kept).selector], ['10.96.0.50', ['10.96.0.50'], { app: 'v2' }]);
    assert.equal(
      await rejection(store.guaranteedUpdate(ctx, 'default', 'keep', (cur) => ({ ...cur, spec: { ...spec(cur), clusterIP: '10.96.0.51' } }))),
      'Service "keep" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.51"}: may not change once set',
    );
    const put = await store.update(ctx, 'default', 'keep', web('keep', { ports: [{ port: 81 }] }));
    assert.equal(spec(put.object).clusterIP, '10.96.0.50');
  });

  it('makes headless services', async () => {
    const created = await store.create(ctx, 'default', web('headless', { clusterIP: 'None' }));
    assert.deepEqual([spec(created).clusterIPs, spec(created).ipFamilyPolicy, spec(created).ipFamilies], [['None'], 'SingleStack', ['IPv4']]);
    assert.deepEqual(services.table!.cells(created, T0).slice(2, 3), ['None']);
    const selectorless = await store.create(ctx, 'default', svc('bare', { clusterIP: 'None', ports: [{ port: 53, protocol: 'UDP' }] }));
    assert.deepEqual([spec(selectorless).ipFamilyPolicy, spec(selectorless).ipFamilies], ['RequireDualStack', ['IPv4', 'IPv6']]);
  });

  it('allocates node ports for NodePort and LoadBalancer services', async () => {
    const np = await store.create(ctx, 'default', web('np', { type: 'NodePort', ports: [{ port: 80 }, { name: 'b', port: 81 }].map((p, i) => ({ ...p, name: `p${i}` })) }));
    const ports = spec(np).ports!;
    assert.deepEqual(ports.map((p) => p.nodePort), [30086, 30087]);
    assert.equal(spec(np).externalTrafficPolicy, 'Cluster');
    assert.deepEqual(services.table!.cells(np, T0).slice(1, 5), ['NodePort', spec(np).clusterIP, '<none>', '80:30086/TCP,81:30087/TCP']);
    assert.equal(
      await rejection(store.create(ctx, 'default', web('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: 30086 }] }))),
      'Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30086: provided port is already allocated',
    );
    assert.equal(
      await rejection(store.create(ctx, 'default', web('np3', { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] }))),
      'Service "np3" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    const lb = await store.create(ctx, 'default', web('lb', { type: 'LoadBalancer' }));
    assert.equal(spec(lb).allocateLoadBalancerNodePorts, true);
    assert.deepEqual(services.table!.cells(lb, T0).slice(1, 5), ['LoadBalancer', spec(lb).clusterIP, '<pending>', `80:${spec(lb).ports![0]!.nodePort}/TCP`]);
    const local = await store.create(ctx, 'default', web('lb-local', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }));
    assert.ok(spec(local).healthCheckNodePort! >= 30000);
    // Switching back to ClusterIP drops the node ports.
    const back = await store.guaranteedUpdate(ctx, 'default', 'np', (cur) => ({ ...cur, spec: { ...spec(cur), type: 'ClusterIP', externalTrafficPolicy: undefined } }));
    assert.deepEqual(spec(back).ports!.map((p) => p.nodePort), [undefined, undefined]);
  });

  it('prints ExternalName services and keeps them without cluster IPs', async () => {
    const ext = await store.create(ctx, 'default', svc('ext', { type: 'ExternalName', externalName: 'example.com' }));
    assert.equal(spec(ext).clusterIP, undefined);
    assert.deepEqual(services.table!.cells(ext, T0).slice(1, 5), ['ExternalName', '<none>', 'example.com', '<none>']);
  });

  const invalid: [string, KubeObject, string][] = [
    ['a name that is not a DNS-1035 label', web('1web'), `metadata.name: Invalid value: "1web": ${LABEL_1035}`],
    ['a service without ports', svc('bad', { selector: { a: 'b' } }), 'spec.ports: Required value'],
    ['an unknown protocol', web('bad', { ports: [{ port: 80, protocol: 'HTTP' }] }), 'spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
    ['two unnamed ports', web('bad', { ports: [{ port: 80 }, { port: 81 }] }), '[spec.ports[0].name: Required value, spec.ports[1].name: Required value]'],
    ['port 0', web('bad', { ports: [{ port: 0, targetPort: 1 }] }), 'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive'],
    [
      'a bad target port name',
      web('bad', { ports: [{ port: 80, targetPort: 'HTTP' }] }),
      '[spec.ports[0].targetPort: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-), spec.ports[0].targetPort: Invalid value: "HTTP": must contain at least one letter (a-z)]',
    ],
    ['an unknown type', web('bad', { type: 'Magic' }), 'spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
    ['an unknown affinity', web('bad', { sessionAffinity: 'Sticky' }), 'spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"'],
    ['a node port on a ClusterIP service', web('bad', { ports: [{ port: 80, nodePort: 30001 }] }), "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    ['an ExternalName without a name', svc('bad', { type: 'ExternalName' }), 'spec.externalName: Required value'],
    ['a loopback external IP', web('bad', { externalIPs: ['127.0.0.1'] }), 'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)'],
    [
      'a cluster IP that is not an IP',
      web('bad', { clusterIP: '10.96.0.300' }),
      'spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ],
    [
      'source ranges on a ClusterIP service',
      web('bad', { loadBalancerSourceRanges: ['10.0.0.0/8'] }),
      "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ],
    [
      'a ClientIP timeout that is too long',
      web('bad', { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 90000 } } }),
      'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 90000: must be greater than 0 and less than 86400',
    ],
  ];
  for (const [name, obj, message] of invalid) {
    it(`rejects ${name}`, async () => {
      assert.equal(await rejection(store.create(ctx, 'default', obj)), `Service "${obj.metadata.name}" is invalid: ${message}`);
    });
  }

  it('names duplicate ports with the Go value of the key', async () => {
    assert.equal(
      await rejection(store.create(ctx, 'default', web('dupport', { ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] }))),
      'Service "dupport" is invalid: spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
    );
  });

  it('takes load balancer status through /status only for LoadBalancers', async () => {
    const web1 = await store.get(ctx, 'default', 'web');
    assert.equal(
      await rejection(store.update(ctx, 'default', 'web', { ...web1, status: { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } } }, { subresource: 'status' })),
      "Service \"web\" is invalid: status.loadBalancer.ingress: Forbidden: may only be used when `spec.type` is 'LoadBalancer'",
    );
    const lb = await store.get(ctx, 'default', 'lb');
    const { object } = await store.update(ctx, 'default', 'lb', { ...lb, status: { loadBalancer: { ingress: [{ ip: '192.0.2.10' }, { hostname: 'lb.example.com' }] } } }, { subresource: 'status' });
    assert.deepEqual((object.status as { loadBalancer: unknown }).loadBalancer, { ingress: [{ ip: '192.0.2.10', ipMode: 'VIP' }, { hostname: 'lb.example.com' }] });
    assert.equal(services.table!.cells(object, T0)[3], '192.0.2.10,lb.example.com');
  });

  it('defaults ClientIP affinity to three hours', async () => {
    const created = await store.create(ctx, 'default', web('sticky', { sessionAffinity: 'ClientIP' }));
    assert.deepEqual(spec(created).sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
  });

  it('selects by spec.type and spec.clusterIP', async () => {
    const { items } = await store.list(ctx, 'default', { fieldSelector: 'spec.type=ExternalName' });
    assert.deepEqual(items.map((i) => i.metadata.name), ['ext']);
    const byIP = await store.list(ctx, 'default', { fieldSelector: 'spec.clusterIP=10.96.0.1' });
    assert.deepEqual(byIP.items.map((i) => i.metadata.name), ['kubernetes']);
  });

  it('prints the selector in the wide column', () => {
    const o = web('w', { type: 'ClusterIP', clusterIPs: ['10.96.3.4'], externalIPs: ['1.2.3.4', '5.6.7.8'], selector: { tier: 'front', app: 'w' }, ports: [{ port: 80, protocol: 'UDP' }] });
    o.metadata.creationTimestamp = '2024-05-01T09:00:00Z';
    assert.deepEqual(services.table!.cells(o, T0), ['w', 'ClusterIP', '10.96.3.4', '1.2.3.4,5.6.7.8', '80/UDP', '60m', 'app=w,tier=front']);
    assert.deepEqual(services.table!.columns.map((c) => `${c.name}:${c.priority}`), ['Name:0', 'Type:0', 'Cluster-IP:0', 'External-IP:0', 'Port(s):0', 'Age:0', 'Selector:1']);
  });

  it('infers families from cluster IPs (initIPFamilyFields)', () => {
    const s: ServiceSpec = { type: 'ClusterIP', clusterIP: '10.96.0.9', clusterIPs: ['10.96.0.9'] };
    assert.deepEqual(initIPFamilyFields(s), []);
    assert.deepEqual([s.ipFamilyPolicy, s.ipFamilies], ['SingleStack', ['IPv4']]);
  });
});
