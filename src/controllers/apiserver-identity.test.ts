import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { systemRandom } from '../api/clock.js';
import { formatMicroTime } from '../api/meta.js';
import { R } from '../client/client.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { apiServerId, apiServerIdentity, IDENTITY_LEASE_LABEL } from './apiserver-identity.js';

let t: TestCluster;
before(async () => {
  t = await testCluster();
  await t.client.create(R.namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } });
});
after(() => t.close());

it('names the server apiserver-<base32 of sha256(host, kube-apiserver)>, as kube-apiserver does', () => {
  // Expected values computed with Python's hashlib and base64.b32encode.
  assert.equal(apiServerId('badge-node'), 'apiserver-s2wnpuw64fcbaqylyhnxvrsvyy');
  assert.equal(apiServerId('node-b'), 'apiserver-2ud4fnj4svs3yzmskx44cltu6a');
});

it('keeps its identity Lease, labelled, renewed, for 3600 s; garbage collects the expired ones', async () => {
  const a = apiServerIdentity({ client: t.client, clock: t.clock, random: systemRandom, host: 'badge-node' });
  await a.start();
  const lease = await t.client.get(R.leases, 'kube-system', 'apiserver-s2wnpuw64fcbaqylyhnxvrsvyy');
  assert.deepEqual(lease.metadata.labels, { [IDENTITY_LEASE_LABEL]: 'kube-apiserver', 'kubernetes.io/hostname': 'badge-node' });
  assert.match(lease.spec?.holderIdentity ?? '', /^apiserver-s2wnpuw64fcbaqylyhnxvrsvyy_[0-9a-f-]{36}$/);
  assert.equal(lease.spec?.leaseDurationSeconds, 3600);
  assert.equal(lease.spec?.renewTime, formatMicroTime(t.clock.now()));

  t.clock.advance(10_000);
  await a.renew();
  const renewed = await t.client.get(R.leases, 'kube-system', lease.metadata.name!);
  assert.equal(renewed.spec?.renewTime, formatMicroTime(t.clock.now()));
  assert.equal(renewed.spec?.holderIdentity, lease.spec?.holderIdentity);

  // Another server's lease, last renewed over an hour ago, goes; a Lease without the label stays.
  const b = apiServerIdentity({ client: t.client, clock: t.clock, random: systemRandom, host: 'node-b' });
  await b.renew();
  await t.client.create(R.leases, 'kube-system', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'other' }, spec: { renewTime: formatMicroTime(t.clock.now()), leaseDurationSeconds: 1 } });
  t.clock.advance(3_601_000);
  await a.renew();
  await a.gc();
  const names = (await t.client.list(R.leases, 'kube-system')).items.map((l) => l.metadata.name).sort();
  assert.deepEqual(names, ['apiserver-s2wnpuw64fcbaqylyhnxvrsvyy', 'other']);
  a.stop();
});
