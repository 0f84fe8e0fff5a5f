import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../api/clock.js';
import { eventually } from '../testing/eventually.js';
import { etcdMissing, startEtcd, type EtcdCluster } from '../testing/etcd.js';
import { openEtcdStorage } from './etcd/etcd-storage.js';
import { SqliteStorage } from './sqlite/sqlite-storage.js';
import { storageSuite } from './storage-suite.js';
import { CompactedError, FutureRevisionError, type Storage, type WatchEvent } from './storage.js';
import { registryResource, WatchCache } from './watch-cache.js';

const dir = mkdtempSync(join(tmpdir(), 'badge-watch-cache-'));
storageSuite('watch cache over sqlite', async () => new WatchCache(new SqliteStorage(join(dir, 'suite.db'))), async () => rmSync(dir, { recursive: true, force: true }));

const missing = etcdMissing();
if (missing) it('watch cache over etcd (skipped)', { skip: missing }, () => {});
else {
  let etcd: EtcdCluster | undefined;
  storageSuite(
    'watch cache over etcd',
    async () => {
      etcd = await startEtcd();
      return new WatchCache(await openEtcdStorage({ servers: etcd.urls, prefix: '/suite' }));
    },
    async () => etcd?.close(),
  );
}

/** A storage that counts the watches opened on it and can end them all, as a lost etcd history would. */
function counted(inner: Storage) {
  const ends = new Set<(err: Error) => void>();
  let opened = 0;
  let progressAsked = 0;
  const s: Storage = {
    ...inner,
    create: (k, v, o) => inner.create(k, v, o),
    get: (k) => inner.get(k),
    list: (p, o) => inner.list(p, o),
    update: (k, v, e, o) => inner.update(k, v, e, o),
    delete: (k, e) => inner.delete(k, e),
    currentRevision: () => inner.currentRevision(),
    compact: (r) => inner.compact(r),
    compactedRevision: () => inner.compactedRevision(),
    close: () => inner.close(),
    watch: (prefix, after, onEvent, onEnd) => {
      const w = inner.watch(prefix, after, onEvent, onEnd);
      opened++;
      const end = (err: Error) => {
        w.stop();
        onEnd?.(err);
      };
      ends.add(end);
      return { requestProgress: () => (progressAsked++, w.requestProgress()), stop: () => (ends.delete(end), w.stop()) };
    },
  };
  return { storage: s, opened: () => opened, progressAsked: () => progressAsked, fail: (err: Error) => [...ends].forEach((end) => (ends.delete(end), end(err))) };
}

describe('watch cache', () => {
  let sqlite: SqliteStorage;
  const d = mkdtempSync(join(tmpdir(), 'badge-watch-cache-unit-'));
  before(() => {
    sqlite = new SqliteStorage(join(d, 'unit.db'));
  });
  after(async () => {
    await sqlite.close();
    rmSync(d, { recursive: true, force: true });
  });

  it('caches a resource per resource prefix (/registry/<resource>/, services/specs, <group>/<plural>), never events', () => {
    assert.equal(registryResource('/registry/pods/default/'), '/registry/pods/');
    assert.equal(registryResource('/registry/pods/'), '/registry/pods/');
    assert.equal(registryResource('/registry/events/default/'), undefined);
    assert.equal(registryResource('/registry/services/specs/default/'), '/registry/services/specs/');
    assert.equal(registryResource('/registry/services/endpoints/'), '/registry/services/endpoints/');
    assert.equal(registryResource('/registry/example.com/widgets/default/'), '/registry/example.com/widgets/');
    assert.equal(registryResource('/t1/'), '/t1/');
  });

  it('serves 1,000 watches of a resource and its namespaces from one underlying watch', async () => {
    const c = counted(sqlite);
    const cache = new WatchCache(c.storage);
    const start = await cache.currentRevision();
    const got: WatchEvent[][] = [];
    const watches = Array.from({ length: 1000 }, (_, i) => {
      const events: WatchEvent[] = [];
      got.push(events);
      return cache.watch(i % 2 ? '/registry/pods/' : '/registry/pods/a/', start, (e) => events.push(e));
    });
    await cache.create('/registry/pods/a/x', '1');
    await cache.create('/registry/pods/b/y', '2');
    await eventually(() => got.every((events, i) => events.length === (i % 2 ? 2 : 1)), 'every watch gets its events');
    assert.equal(c.opened(), 1);
    assert.equal(cache.cachedResources, 1);
    for (const w of watches) w.stop();
  });

  it('answers a list that allows it from memory, at the cache revision; others from the storage', async () => {
    const c = counted(sqlite);
    let lists = 0;
    const cache = new WatchCache({ ...c.storage, list: (p, o) => (lists++, c.storage.list(p, o)) });
    await cache.create('/registry/cms/a/1', 'one');
    const first = await cache.list('/registry/cms/a/', { minRevision: 0 });
    assert.equal(first.kvs.length, 1);
    assert.equal(c.opened(), 1, 'the first cacheable list started the cache');
    const b = (await cache.create('/registry/cms/b/2', 'two'))!;
    const cached = await eventually(async () => {
      const n = lists;
      const res = await cache.list('/registry/cms/', { minRevision: b.modRevision });
      return lists === n && res;
    }, 'the cache has the write and answers from memory');
    assert.equal(cached.revision, b.modRevision);
    assert.deepEqual(
      cached.kvs.map((kv) => kv.value),
      ['one', 'two'],
    );
    const beforeLatest = lists;
    const paged = await cache.list('/registry/cms/', { minRevision: 0, limit: 1 });
    assert.deepEqual([paged.kvs.length, paged.more, paged.count], [1, true, 2]);
    assert.equal(lists, beforeLatest);
    await cache.list('/registry/cms/');
    await cache.list('/registry/cms/', { revision: b.modRevision });
    await cache.list('/registry/cms/', { minRevision: b.modRevision + 1000 });
    assert.equal(lists, beforeLatest + 3, 'the most recent, an exact revision and a revision the cache has not reached go to the storage');
  });

  it('answers a GET at resourceVersion "0" from memory once its resource is cached (the first GET starts it), never a GET without one', async () => {
    const c = counted(sqlite);
    let gets = 0;
    const cache = new WatchCache({ ...c.storage, get: (k) => (gets++, c.storage.get(k)) });
    await cache.create('/registry/gets/a/one', '1');
    assert.equal((await cache.get('/registry/gets/a/one', { minRevision: 0 }))?.value, '1');
    assert.equal(gets, 1, 'not cached yet: the storage answers');
    await eventually(() => cache.cachedResources === 1, 'the GET started the cache');
    for (let i = 0; i < 100; i++) assert.equal((await cache.get('/registry/gets/a/one', { minRevision: 0 }))?.value, '1');
    assert.equal(await cache.get('/registry/gets/a/missing', { minRevision: 0 }), undefined);
    assert.equal(gets, 1, 'no storage reads');
    await cache.get('/registry/gets/a/one');
    assert.equal(gets, 2, 'a GET without a revision reads the storage');
    c.fail(new Error('done'));
  });

  it('waits for the cache to reach a GET\'s revision, also another resource\'s (by a progress request), and fails after 3 s', async () => {
    let held: Array<() => void> | undefined;
    let gets = 0;
    const c = counted(sqlite);
    const inner: Storage = {
      ...c.storage,
      get: (k) => (gets++, c.storage.get(k)),
      watch: (p, a, onEvent, n) => c.storage.watch(p, a, (e) => (held ? held.push(() => onEvent(e)) : onEvent(e)), n),
    };
    const cache = new WatchCache(inner);
    const first = (await cache.create('/registry/waits/a', '1'))!;
    await cache.list('/registry/waits/', { minRevision: 0 });
    assert.equal(cache.cachedResources, 1);
    held = [];
    const second = await cache.update('/registry/waits/a', '2', first.modRevision);
    assert.ok(second.succeeded);
    let answered: string | undefined;
    const pending = cache.get('/registry/waits/a', { minRevision: second.kv.modRevision }).then((kv) => (answered = kv?.value));
    await new Promise((r) => setImmediate(r));
    assert.equal(answered, undefined, 'waits while the cache lacks the revision');
    const release = held;
    held = undefined;
    for (const deliver of release) deliver();
    await pending;
    assert.equal(answered, '2');
    const other = (await cache.create('/registry/others/x', '1'))!;
    assert.equal((await cache.get('/registry/waits/a', { minRevision: other.modRevision }))?.value, '2', 'progress brings the cache to a later write elsewhere');
    assert.equal(gets, 0, 'the storage was never read');
    held = [];
    const third = await cache.update('/registry/waits/a', '3', second.kv.modRevision);
    assert.ok(third.succeeded);
    await assert.rejects(cache.get('/registry/waits/a', { minRevision: third.kv.modRevision }), (err: unknown) => err instanceof FutureRevisionError && err.requested === third.kv.modRevision);
    c.fail(new Error('done'));
  });

  it('fails a watch from before its buffer with CompactedError, once the buffer dropped events', async () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    const cache = new WatchCache(sqlite, { clock });
    const first = (await cache.create('/registry/olds/a', '0'))!;
    const events: WatchEvent[] = [];
    const w = cache.watch('/registry/olds/', first.modRevision, (e) => events.push(e));
    let cur = first;
    for (let i = 1; i <= 150; i++) {
      const res = await cache.update('/registry/olds/a', String(i), cur.modRevision);
      assert.ok(res.succeeded);
      cur = res.kv;
      if (i === 10) {
        await eventually(() => events.length === 10, 'the cache has the first ten');
        clock.advance(80_000);
      }
    }
    await eventually(() => events.length === 150, 'the watch got every update');
    // Events older than 75 s beyond the last 100 are gone: the first ten.
    assert.throws(() => cache.watch('/registry/olds/', first.modRevision, () => {}), (err: unknown) => err instanceof CompactedError && err.compacted === first.modRevision + 10);
    const late: WatchEvent[] = [];
    const w2 = cache.watch('/registry/olds/', first.modRevision + 10, (e) => late.push(e));
    await eventually(() => late.length === 140, 'a watch inside the buffer gets its history');
    w.stop();
    w2.stop();
  });

  it('ends its watches when the underlying watch fails, and starts again (a new list and watch)', async () => {
    const c = counted(sqlite);
    const cache = new WatchCache(c.storage);
    const a = (await cache.create('/registry/things/a', '1'))!;
    const ended: Error[] = [];
    cache.watch('/registry/things/', a.modRevision, () => {}, (err) => ended.push(err));
    cache.watch('/registry/things/', a.modRevision, () => {}, (err) => ended.push(err));
    assert.equal(c.opened(), 1);
    c.fail(new CompactedError(a.modRevision, a.modRevision + 1));
    assert.equal(ended.length, 2);
    assert.ok(ended.every((e) => e instanceof CompactedError));
    assert.equal(cache.cachedResources, 0);
    const events: WatchEvent[] = [];
    const cur = await cache.currentRevision();
    cache.watch('/registry/things/', cur, (e) => events.push(e));
    assert.equal(c.opened(), 2);
    await cache.update('/registry/things/a', '2', a.modRevision);
    await eventually(() => events.length === 1, 'the new watch gets the update');
    await eventually(async () => (await cache.list('/registry/things/', { minRevision: 0 })).kvs[0]?.value === '2', 'the re-listed cache has the object');
    c.fail(new Error('done'));
  });

  it('asks the underlying watch for progress once for many watches', async () => {
    const c = counted(sqlite);
    const cache = new WatchCache(c.storage);
    const cur = await cache.currentRevision();
    const got: number[] = [];
    const ws = Array.from({ length: 3 }, () => cache.watch('/registry/idle/', cur, (e) => e.type === 'progress' && got.push(e.revision)));
    await cache.create('/registry/idle/a', '1');
    for (const w of ws) w.requestProgress();
    await eventually(() => got.length === 3, 'every watch gets progress');
    assert.ok(got.every((r) => r >= cur + 1));
    assert.equal(c.progressAsked(), 1);
    c.fail(new Error('done'));
  });
});
