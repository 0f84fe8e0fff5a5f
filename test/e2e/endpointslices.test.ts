// EndpointSlices and Endpoints with the real kubectl: the slice the EndpointSlice controller and the
// Endpoints the Endpoints controller keep for a Deployment's Service, with the columns of `kubectl
// get endpointslices,endpoints`, following a scale up and down, both gone with their Service, and
// an invalid slice refused with upstream's causes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../src/testing/eventually.js';
import { startBadge, type Badge } from './harness.js';

const row = (...cells: string[]) => new RegExp(`^${cells.join('\\s+')}\\s*$`, 'm');

describe('e2e: EndpointSlices with the real kubectl', () => {
  let b: Badge;
  /** The IPs of the web pods that are running and not being deleted. */
  const podIPs = async () => {
    const pods = JSON.parse(await b.ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])).items as { metadata: { name: string; deletionTimestamp?: string }; status: { podIP?: string } }[];
    return pods
      .filter((p) => p.status.podIP && !p.metadata.deletionTimestamp)
      .map((p) => p.status.podIP!);
  };
  const sliceAddresses = async () => (await b.ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o', 'jsonpath={.items[*].endpoints[*].addresses[0]}'])).split(' ').filter(Boolean);
  /** The slice's addresses, in its order, once they are those of the `n` pods. */
  const settled = (n: number) =>
    eventually(async () => {
      const [ips, addresses] = [await podIPs(), await sliceAddresses()];
      return ips.length === n && JSON.stringify(ips.sort()) === JSON.stringify([...addresses].sort()) && addresses;
    }, `${n} addresses in the slice`, 30_000);

  before(async () => {
    b = await startBadge();
  });
  after(() => b.close());

  it("kubectl get endpointslices lists a Service's slice with its pods' addresses, and follows a scale", async () => {
    await b.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
    await b.ok(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    assert.equal(await b.ok(['expose', 'deployment', 'web', '--port=80']), 'service/web exposed\n');
    const two = await settled(2);
    const table = await b.ok(['get', 'endpointslices']);
    assert.match(table, /^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE\n/);
    assert.match(table, row('web-[a-z0-9]{5}', 'IPv4', '80', two.join(','), '\\d+s'));
    const slice = JSON.parse(await b.ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o', 'jsonpath={.items[0]}']));
    assert.deepEqual(slice.metadata.labels, { app: 'web', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    assert.deepEqual([slice.metadata.ownerReferences[0].kind, slice.metadata.ownerReferences[0].name], ['Service', 'web']);
    assert.deepEqual(slice.ports, [{ name: '', port: 80, protocol: 'TCP' }]);
    assert.deepEqual(slice.endpoints[0].conditions, { ready: true, serving: true, terminating: false });
    assert.equal(slice.endpoints[0].targetRef.kind, 'Pod');
    const byNumber = (ips: string[]) => [...ips].sort((x, y) => Number(x.split('.')[3]) - Number(y.split('.')[3]) || x.localeCompare(y));
    const endpoints = await eventually(async () => {
      const t = await b.ok(['get', 'endpoints', 'web']);
      return t.includes(byNumber(two).map((ip) => `${ip}:80`).join(',')) && t;
    }, 'the Endpoints of web', 30_000);
    assert.match(endpoints, /^NAME\s+ENDPOINTS\s+AGE\n/);
    assert.match(endpoints, row('web', byNumber(two).map((ip) => `${ip}:80`).join(','), '\\d+s'));

    await b.ok(['scale', 'deployment', 'web', '--replicas=4']);
    const four = await settled(4);
    assert.match(await b.ok(['get', 'endpointslices']), row('web-[a-z0-9]{5}', 'IPv4', '80', `${four.slice(0, 3).join(',')} \\+ 1 more...`, '\\d+s'));
    await b.ok(['scale', 'deployment', 'web', '--replicas=1']);
    await settled(1);
  });

  it('removes the slices with their Service', async () => {
    await b.ok(['delete', 'service', 'web']);
    await eventually(async () => (await b.ok(['get', 'endpointslices', '-o', 'name'])) === '', 'no slices', 30_000);
    await eventually(async () => (await b.ok(['get', 'endpoints', '-o', 'name'])) === 'endpoints/kubernetes\n', 'only the kubernetes Endpoints', 30_000);
  });

  it('refuses an invalid EndpointSlice with the causes upstream gives', async () => {
    const manifest = [
      'apiVersion: discovery.k8s.io/v1',
      'kind: EndpointSlice',
      'metadata:',
      '  name: bad',
      'addressType: IPv4',
      'endpoints:',
      '- addresses: ["fd00::1"]',
      '- addresses: []',
      'ports:',
      '- name: http',
      '  port: 80',
      '  protocol: ICMP',
      '- name: http',
      '  port: 81',
      '',
    ].join('\n');
    const r = await b.kubectl(['apply', '-f', '-'], { stdin: manifest });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      [
        'The EndpointSlice "bad" is invalid: ',
        '* endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address',
        '* endpoints[1].addresses: Required value: must contain at least 1 address',
        '* ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
        '* ports[1].name: Duplicate value: "http"',
        '',
      ].join('\n'),
    );
  });
});
