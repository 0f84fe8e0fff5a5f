import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { endpoints, formatEndpoints, parseIP, validateNonSpecialIP } from './endpoints.js';
import { messageOf, rejection, T0, testRegistry, type TestRegistry } from './testing.js';

const ep = (name: string, subsets: unknown[]): KubeObject => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: 'default' }, subsets });

describe('endpoints', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([endpoints]);
  });
  after(() => t.close());

  it('defaults port protocols to TCP and creates on PUT', async () => {
    const { object, created } = await t.store(endpoints).update(t.ctx, 'default', 'web', ep('web', [{ addresses: [{ ip: '10.1.2.3' }], ports: [{ port: 8080 }] }]));
    assert.equal(created, true);
    assert.deepEqual(object.subsets, [{ addresses: [{ ip: '10.1.2.3' }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    assert.deepEqual(endpoints.table!.cells(object, T0), ['web', '10.1.2.3:8080', '0s']);
  });

  const invalid: [string, unknown[], string][] = [
    ['a subset without addresses', [{ ports: [{ port: 80 }] }], 'subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`'],
    [
      'an address that is not an IP',
      [{ addresses: [{ ip: 'web' }] }],
      '[subsets[0].addresses[0].ip: Invalid value: "web": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff), subsets[0].addresses[0].ip: Invalid value: "web": must be a valid IP address]',
    ],
    ['a loopback address', [{ notReadyAddresses: [{ ip: '127.0.0.1' }] }], 'subsets[0].notReadyAddresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)'],
    ['a link-local address', [{ addresses: [{ ip: '169.254.169.254' }] }], 'subsets[0].addresses[0].ip: Invalid value: "169.254.169.254": may not be in the link-local range (169.254.0.0/16, fe80::/10)'],
    ['two unnamed ports', [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }, { port: 81 }] }], '[subsets[0].ports[0].name: Required value, subsets[0].ports[1].name: Required value]'],
    [
      'a bad protocol',
      [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80, protocol: 'ICMP' }] }],
      'subsets[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    ],
  ];
  for (const [name, subsets, message] of invalid) {
    it(`rejects ${name}`, async () => {
      assert.equal(await rejection(t.store(endpoints).create(t.ctx, 'default', ep('bad', subsets))), `Endpoints "bad" is invalid: ${message}`);
    });
  }

  it("lets the API server's own writes point at a loopback address", async () => {
    const apiserver = { ...t.ctx, user: { username: 'system:apiserver', groups: ['system:masters'] } };
    const created = await t.store(endpoints).create(apiserver, 'default', ep('kubernetes', [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 6443 }] }]));
    assert.deepEqual(endpoints.table!.cells(created, T0).slice(1, 2), ['127.0.0.1:6443']);
  });

  it('prints at most three endpoints', () => {
    const cases: [unknown[], string][] = [
      [[], '<none>'],
      [[{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }] }], '10.0.0.1,10.0.0.2'],
      [[{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }], '[fd00::1]:80'],
      [
        [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] }],
        '10.0.0.1:80,10.0.0.2:80,10.0.0.1:81 + 1 more...',
      ],
      [[{ notReadyAddresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }], ''],
    ];
    for (const [subsets, text] of cases) assert.equal(formatEndpoints(ep('x', subsets)), text);
  });

  it('parses IPs as ParseIPSloppy does', () => {
    assert.deepEqual(parseIP('010.001.2.3')?.slice(12), [10, 1, 2, 3]);
    for (const bad of ['1.2.3', '1.2.3.256', '::1::', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', '']) assert.equal(parseIP(bad), null, bad);
    for (const good of ['::', '::1', '2001:db8::ffff', '::ffff:1.2.3.4', '1:2:3:4:5:6:7:8']) assert.ok(parseIP(good), good);
    assert.equal(messageOf(validateNonSpecialIP('0.0.0.0', 'ip')), 'ip: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)');
    assert.equal(messageOf(validateNonSpecialIP('ff02::1', 'ip')), 'ip: Invalid value: "ff02::1": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)');
    assert.equal(messageOf(validateNonSpecialIP('10.0.0.1', 'ip')), '');
  });
});
