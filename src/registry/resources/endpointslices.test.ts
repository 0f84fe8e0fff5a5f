import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { endpointslices } from './endpointslices.js';
import { rejection, T0, testRegistry, type TestRegistry } from './testing.js';

const slice = (name: string, fields: Record<string, unknown>): KubeObject => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name, namespace: 'default' }, ...fields });
const ep = (...addresses: string[]) => ({ addresses });

describe('endpointslices', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([endpointslices]);
  });
  after(() => t.close());

  it('defaults port names and protocols, and prints ports and addresses as kubectl does', async () => {
    const created = await t.store(endpointslices).create(t.ctx, 'default', slice('web-abcde', { addressType: 'IPv4', endpoints: [ep('10.0.0.1'), ep('10.0.0.2')], ports: [{ port: 80 }] }));
    assert.deepEqual(created.ports, [{ name: '', protocol: 'TCP', port: 80 }]);
    assert.equal(created.metadata.generation, 1);
    assert.deepEqual(endpointslices.table!.columns.map((c) => c.name), ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age']);
    assert.deepEqual(endpointslices.table!.cells(created, T0), ['web-abcde', 'IPv4', '80', '10.0.0.1,10.0.0.2', '0s']);
    const many = slice('many', { addressType: 'IPv4', endpoints: [ep('10.0.0.1', '10.0.0.2'), ep('10.0.0.3'), ep('10.0.0.4'), ep('10.0.0.5')], ports: [{ name: 'a', port: 1 }, { name: 'b' }, {}, { port: 4 }] });
    assert.deepEqual(endpointslices.table!.cells(many, T0).slice(2, 4), ['1,b,* + 1 more...', '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...']);
    assert.deepEqual(endpointslices.table!.cells(slice('empty', { addressType: 'IPv4' }), T0).slice(2, 4), ['<unset>', '<unset>']);
  });

  it('keeps the address type, and moves the generation when the endpoints change', async () => {
    const store = t.store(endpointslices);
    const created = await store.create(t.ctx, 'default', slice('keep', { addressType: 'IPv4', endpoints: [ep('10.0.0.1')] }));
    const { object: moved } = await store.update(t.ctx, 'default', 'keep', { ...created, endpoints: [ep('10.0.0.9')] });
    assert.equal(moved.metadata.generation, 2);
    assert.equal(
      await rejection(store.update(t.ctx, 'default', 'keep', { ...moved, addressType: 'FQDN', endpoints: [] })),
      'EndpointSlice.discovery.k8s.io "keep" is invalid: addressType: Invalid value: "FQDN": field is immutable',
    );
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['no address type', { endpoints: [] }, 'addressType: Required value'],
    ['an unknown address type', { addressType: 'IPv5', endpoints: [] }, 'addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"'],
    ['an endpoint without addresses', { addressType: 'IPv4', endpoints: [ep()] }, 'endpoints[0].addresses: Required value: must contain at least 1 address'],
    ['an IPv6 address in an IPv4 slice', { addressType: 'IPv4', endpoints: [ep('fd00::1')] }, 'endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address'],
    ['an IPv4 address in an IPv6 slice', { addressType: 'IPv6', endpoints: [ep('10.0.0.1')] }, 'endpoints[0].addresses[0]: Invalid value: "10.0.0.1": must be a valid IPv6 address'],
    ['a loopback address', { addressType: 'IPv4', endpoints: [ep('127.0.0.1')] }, 'endpoints[0].addresses[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)'],
    ['a one-label FQDN', { addressType: 'FQDN', endpoints: [ep('web')] }, 'endpoints[0].addresses[0]: Invalid value: "web": should be a domain with at least two segments separated by dots'],
    ['too many addresses', { addressType: 'FQDN', endpoints: [ep(...Array.from({ length: 101 }, (_, i) => `h${i}.example.com`))] }, 'endpoints[0].addresses: Too many: 101: must have at most 100 items'],
    ['too many endpoints', { addressType: 'IPv4', endpoints: Array.from({ length: 1001 }, () => ep('10.0.0.1')) }, 'endpoints: Too many: 1001: must have at most 1000 items'],
    ['a bad host name', { addressType: 'IPv4', endpoints: [{ ...ep('10.0.0.1'), hostname: 'A_B' }] }, `endpoints[0].hostname: Invalid value: "A_B": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`],
    ['duplicate port names', { addressType: 'IPv4', endpoints: [], ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] }, 'ports[1].name: Duplicate value: "http"'],
    ['an unknown protocol', { addressType: 'IPv4', endpoints: [], ports: [{ port: 80, protocol: 'ICMP' }] }, 'ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"'],
    ['duplicate zone hints', { addressType: 'IPv4', endpoints: [{ ...ep('10.0.0.1'), hints: { forZones: [{ name: 'a' }, { name: 'a' }] } }] }, 'endpoints[0].hints.forZones[1].name: Duplicate value: "a"'],
  ];
  for (const [name, fields, message] of invalid) {
    it(`rejects ${name}`, async () => {
      assert.equal(await rejection(t.store(endpointslices).create(t.ctx, 'default', slice('bad', fields))), `EndpointSlice.discovery.k8s.io "bad" is invalid: ${message}`);
    });
  }
});
