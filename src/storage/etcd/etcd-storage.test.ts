import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../api/clock.js';
import { ensurePki } from '../../pki/certs.js';
import { eventually } from '../../testing/eventually.js';
import { etcdMissing, startEtcd, type EtcdCluster } from '../../testing/etcd.js';
import { storageSuite } from '../storage-suite.js';
import { compactRound, type CompactorState } from './compactor.js';
import { openEtcdStorage } from './etcd-storage.js';
import { LeaseManager } from './lease-manager.js';

const missing = etcdMissing();
if (missing) {
  it('etcd storage (skipped)', { skip: missing }, () => {});
} else {
  let etcd: EtcdCluster | undefined;
  storageSuite(
    'etcd',
    async () => {
      etcd = await startEtcd();
      return openEtcdStorage({ servers: etcd.urls, prefix: '/suite' });
    },
    async () => etcd?.close(),
  );

  describe('etcd storage', () => {
    let cluster: EtcdCluster;
    before(async () => {
      cluster = await startEtcd();
    });
    after(async () => cluster.close());

    it('lays keys out under --etcd-prefix as kube-apiserver does, values as JSON', async () => {
      const s = await openEtcdStorage({ servers: cluster.urls, prefix: 'badge/' });
      const kv = (await s.create('/registry/serviceaccounts/default/demo', '{"kind":"ServiceAccount"}'))!;
      assert.equal(cluster.etcdctl(['get', '--prefix', '/badge/serviceaccounts', '--keys-only']).trim(), '/badge/serviceaccounts/default/demo');
      assert.equal(cluster.etcdctl(['get', '/badge/serviceaccounts/default/demo', '--print-value-only']).trim(), '{"kind":"ServiceAccount"}');
      assert.deepEqual((await s.list('/registry/serviceaccounts/')).kvs, [kv]);
      await s.close();
    });

    it('puts TTL keys on leases that etcd expires, a delete watchers see', async () => {
      const s = await openEtcdStorage({ servers: cluster.urls });
      const start = await s.currentRevision();
      const deleted: string[] = [];
      const w = s.watch('/registry/events/', start, (e) => e.type === 'delete' && deleted.push(e.kv.key));
      const leases = () => cluster.etcdctl(['lease', 'list']).trim().split('\n').length - 1;
      const before = leases();
      await s.create('/registry/events/default/long1', '{}', { ttlSeconds: 3600 });
      await s.create('/registry/events/default/long2', '{}', { ttlSeconds: 3600 });
      assert.equal(leases(), before + 1, 'both keys share one lease');
      // A TTL this short has no reuse window (5 % of a second): a lease of its own.
      await s.create('/registry/events/default/a', '{}', { ttlSeconds: 1 });
      await s.create('/registry/events/default/b', '{}', { ttlSeconds: 1 });
      await eventually(() => deleted.length === 2, 'the lease to expire', 10_000);
      assert.equal(await s.get('/registry/events/default/a'), undefined);
      w.stop();
      await s.close();
    });

    it('a watch survives etcd restarting, resuming after its last event', async () => {
      const s = await openEtcdStorage({ servers: cluster.urls, callTimeoutMs: 1000, healthIntervalMs: 100 });
      const seen: string[] = [];
      const w = s.watch('/registry/configmaps/', await s.currentRevision(), (e) => e.type === 'put' && seen.push(e.kv.value));
      await s.create('/registry/configmaps/default/one', '1');
      await eventually(() => seen.length === 1, 'the first event');
      await cluster.members[0]!.stop();
      await assert.rejects(s.get('/registry/configmaps/default/one'), (err: Error & { code?: number }) => err.code === 500);
      await eventually(() => s.problem(), 'the health check to fail');
      await cluster.members[0]!.start();
      await eventually(() => s.create('/registry/configmaps/default/two', '2').catch(() => undefined), 'a write after the restart', 15_000);
      await eventually(() => seen.length === 2, 'the event after the restart', 10_000);
      assert.deepEqual(seen, ['1', '2']);
      await eventually(() => s.problem() === undefined, 'the health check to pass');
      w.stop();
      await s.close();
    });

    it('compacts as kube-apiserver does: one server a round, the revision seen a round earlier', async () => {
      const one = await openEtcdStorage({ servers: cluster.urls, prefix: '/one' });
      const two = await openEtcdStorage({ servers: cluster.urls, prefix: '/two' });
      let a: CompactorState = { clock: 0, revision: 0 };
      let b: CompactorState = { clock: 0, revision: 0 };
      const base = Number(cluster.etcdctl(['get', 'compact_rev_key', '-w', 'json']).match(/"version":(\d+)/)?.[1] ?? 0);
      a = await compactRound(one, { ...a, clock: base });
      assert.equal(await one.compactedRevision(), 0, 'the first round does not compact');
      b = await compactRound(two, b);
      assert.equal(b.clock, a.clock, 'the loser takes the clock');
      await one.create('/registry/pods/x', '1');
      const seen = a.revision;
      a = await compactRound(one, a);
      assert.equal(await one.compactedRevision(), seen, 'the winner compacts what it saw a round earlier');
      assert.equal(cluster.etcdctl(['get', 'compact_rev_key', '--print-value-only']).trim(), String(seen));
      b = await compactRound(two, b);
      assert.equal(await two.compactedRevision(), seen, 'the other server learns of it');
      await one.close();
      await two.close();
    });

    it('ends a watch whose history another server compacted with CompactedError', async () => {
      const s = await openEtcdStorage({ servers: cluster.urls });
      const other = await openEtcdStorage({ servers: cluster.urls });
      const a = (await s.create('/registry/secrets/default/a', '1'))!;
      const u = await s.update('/registry/secrets/default/a', '2', a.modRevision);
      assert.ok(u.succeeded);
      await other.compact(u.kv.modRevision);
      const ended = await new Promise<Error>((resolve) => s.watch('/registry/secrets/', a.modRevision - 1, () => undefined, resolve));
      assert.equal((ended as { code?: string }).code, 'Compacted');
      await s.close();
      await other.close();
    });
  });
}

if (!missing) {
  it('etcd storage on a 3-member cluster keeps working when one member stops', async () => {
    const cluster = await startEtcd(3);
    const s = await openEtcdStorage({ servers: cluster.urls, callTimeoutMs: 2000 });
    try {
      const seen: string[] = [];
      const w = s.watch('/registry/configmaps/', await s.currentRevision(), (e) => e.type === 'put' && seen.push(e.kv.value));
      await s.create('/registry/configmaps/default/a', '1');
      await cluster.members[0]!.stop();
      // Calls that went to the stopped member fail over to the others.
      await eventually(() => s.create('/registry/configmaps/default/b', '2').catch(() => undefined), 'a write with one member down', 15_000);
      await eventually(() => seen.length === 2, 'both events', 15_000);
      assert.deepEqual(seen, ['1', '2']);
      assert.equal(cluster.etcdctl(['--endpoints', cluster.urls[1]!, 'get', '/registry/configmaps/default/b', '--print-value-only']).trim(), '2');
      w.stop();
    } finally {
      await s.close();
      await cluster.close();
    }
  });
}

if (!missing) {
  it('etcd storage over TLS with a client certificate (--etcd-cafile, --etcd-certfile, --etcd-keyfile)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'badge-etcd-tls-'));
    await ensurePki(dir, new Date());
    const pki = (f: string) => join(dir, 'pki', f);
    const cluster = await startEtcd(1, { caFile: pki('ca.crt'), certFile: pki('serving.crt'), keyFile: pki('serving.key'), client: { certFile: pki('admin.crt'), keyFile: pki('admin.key') } });
    const s = await openEtcdStorage({ servers: cluster.urls, caFile: pki('ca.crt'), certFile: pki('admin.crt'), keyFile: pki('admin.key') });
    const anonymous = await openEtcdStorage({ servers: cluster.urls, caFile: pki('ca.crt'), callTimeoutMs: 2000 });
    try {
      assert.match(cluster.urls[0]!, /^https:/);
      const kv = (await s.create('/registry/secrets/default/tls', '{}'))!;
      assert.deepEqual(await s.get('/registry/secrets/default/tls'), kv);
      assert.equal(cluster.etcdctl(['get', '/registry/secrets/default/tls', '--print-value-only']).trim(), '{}');
      await assert.rejects(anonymous.get('/registry/secrets/default/tls'), 'etcd asks for a client certificate');
    } finally {
      await s.close();
      await anonymous.close();
      await cluster.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

it('reuses a lease within min(60 s, 5 % of the TTL), for at most 1000 keys', async () => {
  const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
  const granted: number[] = [];
  const m = new LeaseManager(async (ttl) => String(granted.push(ttl)), clock);
  assert.equal(await m.lease(3600), '1');
  assert.deepEqual(granted, [3660]);
  clock.advance(59_000);
  assert.equal(await m.lease(3600), '1');
  clock.advance(2_000);
  assert.equal(await m.lease(3600), '2', 'past the window a new lease');
  for (let i = 1; i < 1000; i++) await m.lease(3600);
  assert.equal(await m.lease(3600), '3', 'the 1001st key gets a new lease');
  assert.equal(await m.lease(100), '4', 'a shorter TTL cannot use a longer lease');
  assert.deepEqual(granted.slice(3), [105]);
});
