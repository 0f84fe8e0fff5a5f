import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { R } from '../client/client.js';
import { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { kubernetesEndpoints, MASTER_LEASES_PREFIX } from './kubernetes-endpoints.js';

let t: TestCluster;
let dir: string;
let storage: SqliteStorage;
before(async () => {
  t = await testCluster();
  dir = mkdtempSync(join(tmpdir(), 'badge-masterleases-'));
  // The leases' own store, on the test's clock, swept when the test says.
  storage = new SqliteStorage(join(dir, 'state.db'), { clock: t.clock, sweepIntervalMs: 0 });
});
after(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
  await t.close();
});

const server = (ip: string, port: number) => kubernetesEndpoints({ storage, client: t.client, ip, port, intervalMs: 3_600_000 });
const endpoints = async () => {
  const e = await t.client.get(R.endpoints, 'default', 'kubernetes');
  return { labels: e.metadata.labels, subsets: e.subsets };
};
const keys = async () => (await storage.list(MASTER_LEASES_PREFIX)).kvs.map((kv) => kv.key);

it('the kubernetes Endpoints list every live server, one subset per port, and follow servers that stop or die', async () => {
  const a = server('127.0.0.1', 6443);
  const b = server('127.0.0.1', 6444);
  const c = server('10.0.0.2', 6443);
  await a.start();
  assert.deepEqual(await endpoints(), {
    labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
    subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
  });
  await b.start();
  await c.start();
  assert.deepEqual(await keys(), ['/registry/masterleases/10.0.0.2:6443', '/registry/masterleases/127.0.0.1:6443', '/registry/masterleases/127.0.0.1:6444']);
  const lease = JSON.parse((await storage.get('/registry/masterleases/127.0.0.1:6444'))!.value);
  assert.deepEqual(lease, { kind: 'Endpoints', apiVersion: 'v1', metadata: { generation: 1 }, subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 6444, protocol: 'TCP' }] }] });
  assert.deepEqual((await endpoints()).subsets, [
    { addresses: [{ ip: '10.0.0.2' }, { ip: '127.0.0.1' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] },
    { addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 6444, protocol: 'TCP' }] },
  ]);

  // b stops: its key goes, and so does its address.
  await b.stop();
  assert.deepEqual((await endpoints()).subsets, [{ addresses: [{ ip: '10.0.0.2' }, { ip: '127.0.0.1' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);

  // c dies: a renews every 10 s, c's key expires after 15 s.
  t.clock.advance(10_000);
  await a.reconcile();
  assert.equal(JSON.parse((await storage.get('/registry/masterleases/127.0.0.1:6443'))!.value).metadata.generation, 2);
  t.clock.advance(6_000);
  storage.sweepExpired();
  await t.until('c expired', async () => (await keys()).length === 1);
  await a.reconcile();
  assert.deepEqual((await endpoints()).subsets, [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);

  // Deleted Endpoints come back at the next reconcile.
  await t.client.delete(R.endpoints, 'default', 'kubernetes');
  await a.reconcile();
  assert.equal((await endpoints()).subsets?.length, 1);

  // The last server to stop leaves its address: an empty list is not taken for "no servers".
  await a.stop();
  assert.deepEqual(await keys(), []);
  assert.deepEqual((await endpoints()).subsets, [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);
  await c.stop();
});
