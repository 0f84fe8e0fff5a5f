import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { ManualClock } from '../../api/clock.js';
import { storageSuite } from '../storage-suite.js';
import { SqliteStorage } from './sqlite-storage.js';

const dir = mkdtempSync(join(tmpdir(), 'badge-sqlite-'));
storageSuite('sqlite', async () => new SqliteStorage(join(dir, 'suite.db')), async () => rmSync(dir, { recursive: true, force: true }));

it('sqlite: keeps keys and revisions across a reopen', async () => {
  const d = mkdtempSync(join(tmpdir(), 'badge-sqlite-'));
  const file = join(d, 'state.db');
  const s1 = new SqliteStorage(file);
  const kv = (await s1.create('/r/a', 'v'))!;
  await s1.close();
  const s2 = new SqliteStorage(file);
  assert.deepEqual(await s2.get('/r/a'), kv);
  assert.equal(await s2.currentRevision(), kv.modRevision);
  const next = (await s2.create('/r/b', 'w'))!;
  assert.equal(next.modRevision, kv.modRevision + 1);
  await s2.close();
  rmSync(d, { recursive: true, force: true });
});

it('sqlite: removes keys whose TTL has passed, as a delete watchers see', async () => {
  const d = mkdtempSync(join(tmpdir(), 'badge-sqlite-'));
  const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
  const s = new SqliteStorage(join(d, 'ttl.db'), { clock, sweepIntervalMs: 0 });
  await s.create('/e/a', 'short', { ttlSeconds: 60 });
  await s.create('/e/b', 'forever');
  const seen: string[] = [];
  const w = s.watch('/e/', await s.currentRevision(), (e) => e.type === 'delete' && seen.push(e.kv.key));
  clock.advance(59_000);
  s.sweepExpired();
  assert.ok(await s.get('/e/a'));
  clock.advance(2_000);
  s.sweepExpired();
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(await s.get('/e/a'), undefined);
  assert.ok(await s.get('/e/b'));
  assert.deepEqual(seen, ['/e/a']);
  w.stop();
  await s.close();
  rmSync(d, { recursive: true, force: true });
});

it('sqlite: writes asked for together commit together, each answered on its own', async () => {
  const d = mkdtempSync(join(tmpdir(), 'badge-sqlite-'));
  const file = join(d, 'group.db');
  const s1 = new SqliteStorage(file);
  const events: string[] = [];
  const w = s1.watch('/g/', 0, (e) => e.type !== 'progress' && events.push(`${e.type} ${e.kv.key} ${e.kv.modRevision}`));
  const [a, dup, b] = await Promise.all([s1.create('/g/a', '1'), s1.create('/g/a', '2'), s1.create('/g/b', '3')]);
  assert.equal(dup, undefined);
  assert.equal(b!.modRevision, a!.modRevision + 1);
  const [stale, fresh] = await Promise.all([s1.update('/g/a', 'x', a!.modRevision + 5), s1.update('/g/b', 'y', b!.modRevision)]);
  assert.equal(stale.succeeded, false);
  assert.equal(fresh.succeeded, true);
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(events, [`put /g/a ${a!.modRevision}`, `put /g/b ${b!.modRevision}`, `put /g/b ${b!.modRevision + 1}`]);
  w.stop();
  await s1.close();
  const s2 = new SqliteStorage(file);
  assert.equal((await s2.get('/g/a'))!.value, '1');
  assert.equal((await s2.get('/g/b'))!.value, 'y');
  await s2.close();
  rmSync(d, { recursive: true, force: true });
});

it('sqlite: large batches commit in the writer thread, in revision order with the small ones', async () => {
  const d = mkdtempSync(join(tmpdir(), 'badge-sqlite-'));
  const file = join(d, 'large.db');
  const s1 = new SqliteStorage(file);
  const events: string[] = [];
  const w = s1.watch('/l/', 0, (e) => e.type !== 'progress' && events.push(`${e.kv.key} ${e.kv.modRevision}`));
  const big = 'b'.repeat(200_000);
  const a = (await s1.create('/l/a', 'small'))!;
  const b = (await s1.create('/l/b', big))!;
  const c = (await s1.create('/l/c', 'small'))!;
  const u = await s1.update('/l/b', big + '!', b.modRevision);
  assert.ok(u.succeeded);
  assert.deepEqual([b.modRevision, c.modRevision, u.kv.modRevision], [a.modRevision + 1, a.modRevision + 2, a.modRevision + 3]);
  // A batch of small and large writes together, then a stale write to the large key.
  const [d1, d2, stale] = await Promise.all([s1.create('/l/d', big), s1.create('/l/e', 'small'), s1.update('/l/b', 'x', b.modRevision)]);
  assert.deepEqual([d1!.modRevision, d2!.modRevision], [u.kv.modRevision + 1, u.kv.modRevision + 2]);
  assert.equal(stale.succeeded, false);
  assert.equal(!stale.succeeded && stale.current?.value, big + '!');
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(events, ['/l/a', '/l/b', '/l/c', '/l/b', '/l/d', '/l/e'].map((k, i) => `${k} ${a.modRevision + i}`));
  w.stop();
  await s1.close();
  const s2 = new SqliteStorage(file);
  assert.equal((await s2.get('/l/b'))!.value, big + '!');
  assert.equal((await s2.list('/l/')).kvs.length, 5);
  await s2.close();
  rmSync(d, { recursive: true, force: true });
});

it('sqlite: a page pinned to a past revision, of a range unchanged since, is the range now, with the read cache\u2019s KeyValues', async () => {
  const d = mkdtempSync(join(tmpdir(), 'badge-sqlite-'));
  const s = new SqliteStorage(join(d, 'state.db'));
  for (const k of ['a', 'b', 'c']) await s.create(`/r/${k}`, k);
  const first = await s.list('/r/', { limit: 1 });
  // Writes elsewhere move the revision (leases, events) without touching the range.
  await s.create('/other/x', 'x');
  const second = await s.list('/r/', { limit: 1, startKey: '/r/a\x00', revision: first.revision });
  assert.deepEqual([second.kvs.map((kv) => kv.value), second.revision, second.more, second.count], [['b'], first.revision, true, 2]);
  assert.equal(second.kvs[0], await s.get('/r/b'), 'the KeyValue the read cache holds');
  // A change in the range since: the page is the range as it was.
  const c = (await s.get('/r/c'))!;
  await s.update('/r/c', 'c2', c.modRevision);
  const third = await s.list('/r/', { limit: 1, startKey: '/r/b\x00', revision: first.revision });
  assert.deepEqual(third.kvs.map((kv) => [kv.value, kv.modRevision]), [['c', c.modRevision]]);
  await s.close();
  rmSync(d, { recursive: true, force: true });
});
