import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { nodeRoles, nodes, nodeStatusCell } from './nodes.js';
import { rejection, T0, testRegistry, type TestRegistry } from './testing.js';

const node = (name: string, fields: Record<string, unknown> = {}, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, ...(labels ? { labels } : {}) },
  ...fields,
});
const ready = (status: string) => ({ conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status }] });

describe('nodes', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([nodes]);
  });
  after(() => t.close());

  it('is cluster-scoped and writes the status Go always writes', async () => {
    const created = await t.store(nodes).create(t.ctx, '', node('node-1', { spec: { podCIDR: '10.244.1.0/24' } }));
    assert.equal(created.metadata.namespace, undefined);
    assert.deepEqual(created.spec, { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] });
    const status = created.status as { daemonEndpoints: unknown; nodeInfo: Record<string, string> };
    assert.deepEqual(status.daemonEndpoints, { kubeletEndpoint: { Port: 0 } });
    assert.equal(status.nodeInfo.kubeletVersion, '');
    assert.deepEqual(nodes.table!.cells(created, T0), ['node-1', 'Unknown', '<none>', '0s', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  });

  it('keeps status out of spec updates and takes it through /status', async () => {
    const store = t.store(nodes);
    const info = { kubeletVersion: 'v1.32.2', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.7.0' };
    const withStatus = await store.update(t.ctx, '', 'node-1', {
      ...(await store.get(t.ctx, '', 'node-1')),
      status: { ...ready('True'), nodeInfo: info, capacity: { cpu: '4', memory: '16384Mi', pods: '110' }, addresses: [{ type: 'InternalIP', address: '10.0.0.5' }, { type: 'Hostname', address: 'node-1' }] },
    }, { subresource: 'status' });
    const status = withStatus.object.status as { allocatable: unknown; capacity: unknown };
    assert.deepEqual(status.capacity, { cpu: '4', memory: '16Gi', pods: '110' });
    assert.deepEqual(status.allocatable, status.capacity);
    assert.deepEqual(nodes.table!.cells(withStatus.object, T0), ['node-1', 'Ready', '<none>', '0s', 'v1.32.2', '10.0.0.5', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0', 'containerd://1.7.0']);
    const cordoned = await store.guaranteedUpdate(t.ctx, '', 'node-1', (cur) => ({ ...cur, spec: { ...(cur.spec as object), unschedulable: true }, status: {} }));
    assert.equal(nodeStatusCell(cordoned), 'Ready,SchedulingDisabled');
  });

  it('prints Ready, NotReady, Unknown and roles as printNode does', () => {
    assert.equal(nodeStatusCell(node('n', { status: ready('False') })), 'NotReady');
    assert.equal(nodeStatusCell(node('n', { status: ready('Unknown') })), 'NotReady');
    assert.equal(nodeStatusCell(node('n', { status: { conditions: [{ type: 'DiskPressure', status: 'True' }] }, spec: { unschedulable: true } })), 'Unknown,SchedulingDisabled');
    assert.equal(nodeRoles(node('n', {}, { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/worker': 'x', 'kubernetes.io/role': 'edge', 'node-role.kubernetes.io/': '' })), 'control-plane,edge,worker');
    assert.deepEqual(
      nodes.table!.columns.map((c) => `${c.name}:${c.priority}`),
      ['Name:0', 'Status:0', 'Roles:0', 'Age:0', 'Version:0', 'Internal-IP:1', 'External-IP:1', 'OS-Image:1', 'Kernel-Version:1', 'Container-Runtime:1'],
    );
  });

  it('selects by spec.unschedulable', async () => {
    await t.store(nodes).create(t.ctx, '', node('node-2'));
    const select = async (fieldSelector: string) => (await t.store(nodes).list(t.ctx, '', { fieldSelector })).items.map((i) => i.metadata.name);
    assert.deepEqual(await select('spec.unschedulable=true'), ['node-1']);
    assert.deepEqual(await select('spec.unschedulable=false'), ['node-2']);
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    [
      'a taint without an effect',
      { spec: { taints: [{ key: 'dedicated', value: 'db' }] } },
      'metadata.taints[0].effect: Required value',
    ],
    [
      'a taint with an unknown effect',
      { spec: { taints: [{ key: 'dedicated', effect: 'NoRun' }] } },
      'metadata.taints[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ],
    ['a bad pod CIDR', { spec: { podCIDRs: ['10.244.0.0/33'] } }, 'spec.podCIDRs[0]: Invalid value: "10.244.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'],
    [
      'two pod CIDRs of one family',
      { spec: { podCIDRs: ['10.244.0.0/24', '10.245.0.0/24'] } },
      'spec.podCIDRs: Invalid value: []string{"10.244.0.0/24", "10.245.0.0/24"}: may specify no more than one CIDR for each IP family',
    ],
  ];
  for (const [name, fields, message] of invalid) {
    it(`rejects ${name}`, async () => {
      assert.equal(await rejection(t.store(nodes).create(t.ctx, '', node('bad', fields))), `Node "bad" is invalid: ${message}`);
    });
  }

  it('refuses a negative capacity through /status', async () => {
    const store = t.store(nodes);
    const cur = await store.create(t.ctx, '', node('neg'));
    assert.equal(
      await rejection(store.update(t.ctx, '', 'neg', { ...cur, status: { capacity: { cpu: '-1' } } }, { subresource: 'status' })),
      'Node "neg" is invalid: [status.capacity.cpu: Invalid value: "-1": must be greater than or equal to 0, status.allocatable.cpu: Invalid value: "-1": must be greater than or equal to 0]',
    );
  });

  it('keeps the status a node registers with', async () => {
    const created = await t.store(nodes).create(t.ctx, '', node('registered', { status: ready('True') }));
    assert.equal(nodeStatusCell(created), 'Ready');
  });

  it('names duplicate taints with the Go value', async () => {
    const taints = [{ key: 'a', effect: 'NoSchedule' }, { key: 'a', value: 'b', effect: 'NoSchedule' }];
    assert.equal(
      await rejection(t.store(nodes).create(t.ctx, '', node('bad', { spec: { taints } }))),
      'Node "bad" is invalid: metadata.taints[1]: Duplicate value: core.Taint{Key:"a", Value:"b", Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair',
    );
  });

  it('fixes pod CIDRs and the provider ID once set', async () => {
    const store = t.store(nodes);
    await store.create(t.ctx, '', node('fixed', { spec: { podCIDRs: ['10.244.2.0/24'], providerID: 'kind://docker/fixed' } }));
    assert.equal(
      await rejection(store.guaranteedUpdate(t.ctx, '', 'fixed', (cur) => ({ ...cur, spec: { podCIDR: '10.244.3.0/24', providerID: 'other' } }))),
      'Node "fixed" is invalid: [spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid, spec.providerID: Forbidden: node updates may not change providerID except from "" to valid]',
    );
  });
});
