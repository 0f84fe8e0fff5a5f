// The shared storage test suite: every backend runs it (see *.test.ts beside each backend).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompactedError, type Storage, type WatchEvent } from './storage.js';

function collect(storage: Storage, prefix: string, after: number) {
  const events: WatchEvent[] = [];
  const waiters: Array<() => void> = [];
  const w = storage.watch(prefix, after, (e) => {
    events.push(e);
    waiters.splice(0).forEach((f) => f());
  });
  return {
    events,
    stop: () => w.stop(),
    requestProgress: () => w.requestProgress(),
    async until(n: number, ms = 3000) {
      const deadline = Date.now() + ms;
      while (events.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} events, got ${events.length}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
      return events;
    },
  };
}

export function storageSuite(name: string, open: () => Promise<Storage>, cleanup: () => Promise<void> = async () => {}): void {
  describe(`storage suite: ${name}`, () => {
    let s: Storage;
    let n = 0;
    // Each test works under its own prefix so tests do not see each other's keys.
    const p = () => `/t${++n}/`;

    before(async () => {
      s = await open();
    });
    after(async () => {
      await s.close();
      await cleanup();
    });

    it('creates a key once and reads it back with its revisions', async () => {
      const pre = p();
      const kv = await s.create(pre + 'a', 'v1');
      assert.ok(kv);
      assert.equal(kv.value, 'v1');
      assert.equal(kv.createRevision, kv.modRevision);
      assert.equal(await s.create(pre + 'a', 'v2'), undefined);
      const got = await s.get(pre + 'a');
      assert.deepEqual(got, kv);
      assert.equal(await s.get(pre + 'missing'), undefined);
      assert.equal(await s.currentRevision(), kv.modRevision);
    });

    it('reads a key not older than a revision (the latest, or a watch cache\'s)', async () => {
      const pre = p();
      const kv = (await s.create(pre + 'a', 'v1'))!;
      const res = await s.update(pre + 'a', 'v2', kv.modRevision);
      assert.ok(res.succeeded);
      assert.deepEqual(await s.get(pre + 'a', { minRevision: res.kv.modRevision }), res.kv);
      // A watch cache has reached that revision now.
      assert.equal((await s.get(pre + 'a', { minRevision: 0 }))?.value, 'v2');
      assert.equal(await s.get(pre + 'missing', { minRevision: res.kv.modRevision }), undefined);
    });

    it('updates only when the expected revision still matches', async () => {
      const pre = p();
      const kv = (await s.create(pre + 'a', 'v1'))!;
      const ok = await s.update(pre + 'a', 'v2', kv.modRevision);
      assert.ok(ok.succeeded);
      assert.ok(ok.kv.modRevision > kv.modRevision);
      assert.equal(ok.kv.createRevision, kv.createRevision);
      const stale = await s.update(pre + 'a', 'v3', kv.modRevision);
      assert.equal(stale.succeeded, false);
      assert.equal(stale.current?.value, 'v2');
      const missing = await s.update(pre + 'nope', 'x', 1);
      assert.deepEqual(missing, { succeeded: false, current: undefined });
    });

    it('deletes only when the expected revision still matches', async () => {
      const pre = p();
      const kv = (await s.create(pre + 'a', 'v1'))!;
      const stale = await s.delete(pre + 'a', kv.modRevision - 1);
      assert.equal(stale.succeeded, false);
      const del = await s.delete(pre + 'a', kv.modRevision);
      assert.ok(del.succeeded);
      assert.equal(del.kv.value, 'v1');
      assert.ok(del.kv.modRevision > kv.modRevision);
      assert.equal(await s.get(pre + 'a'), undefined);
      assert.ok(await s.create(pre + 'a', 'again'), 'a deleted key can be created again');
    });

    it('lists a prefix in key order, and not a longer sibling prefix', async () => {
      const pre = p();
      for (const k of ['c', 'a', 'b']) await s.create(pre + 'x/' + k, k);
      await s.create(pre + 'xy/z', 'z');
      const res = await s.list(pre + 'x/');
      assert.deepEqual(res.kvs.map((kv) => kv.value), ['a', 'b', 'c']);
      assert.equal(res.more, false);
      assert.equal(res.count, 3);
      assert.equal(res.revision, await s.currentRevision());
    });

    it('pages with limit and startKey', async () => {
      const pre = p();
      for (const k of ['a', 'b', 'c', 'd', 'e']) await s.create(pre + k, k);
      const first = await s.list(pre, { limit: 2 });
      assert.deepEqual(first.kvs.map((kv) => kv.value), ['a', 'b']);
      assert.equal(first.more, true);
      assert.equal(first.count, 5);
      const second = await s.list(pre, { limit: 2, startKey: first.kvs[1]!.key + '\x00', revision: first.revision });
      assert.deepEqual(second.kvs.map((kv) => kv.value), ['c', 'd']);
      assert.equal(second.count, 3);
      const third = await s.list(pre, { limit: 2, startKey: second.kvs[1]!.key + '\x00', revision: first.revision });
      assert.deepEqual(third.kvs.map((kv) => kv.value), ['e']);
      assert.equal(third.more, false);
    });

    it('reads a list as it was at a past revision', async () => {
      const pre = p();
      const a = (await s.create(pre + 'a', 'a1'))!;
      const b = (await s.create(pre + 'b', 'b1'))!;
      const at = await s.currentRevision();
      await s.update(pre + 'a', 'a2', a.modRevision);
      await s.delete(pre + 'b', b.modRevision);
      await s.create(pre + 'c', 'c1');
      const then = await s.list(pre, { revision: at });
      assert.deepEqual(
        then.kvs.map((kv) => [kv.value, kv.modRevision]),
        [
          ['a1', a.modRevision],
          ['b1', b.modRevision],
        ],
      );
      assert.equal(then.revision, at);
      const now = await s.list(pre);
      assert.deepEqual(now.kvs.map((kv) => kv.value), ['a2', 'c1']);
    });

    it('watches from a revision: history first, then live, in order, with previous values', async () => {
      const pre = p();
      const start = await s.currentRevision();
      const a = (await s.create(pre + 'a', '1'))!;
      const u = await s.update(pre + 'a', '2', a.modRevision);
      assert.ok(u.succeeded);
      const w = collect(s, pre, start);
      await w.until(2);
      await s.delete(pre + 'a', u.kv.modRevision);
      await s.create(p() + 'other', 'not mine');
      const events = await w.until(3);
      w.stop();
      assert.deepEqual(
        events.map((e) => (e.type === 'progress' ? e.type : [e.type, e.kv.value, e.prev?.value])),
        [
          ['put', '1', undefined],
          ['put', '2', '1'],
          ['delete', '2', '2'],
        ],
      );
      const revs = events.map((e) => (e.type === 'progress' ? 0 : e.kv.modRevision));
      assert.deepEqual([...revs].sort((x, y) => x - y), revs);
    });

    it('watch is exclusive of the revision it starts after', async () => {
      const pre = p();
      const a = (await s.create(pre + 'a', '1'))!;
      const w = collect(s, pre, a.modRevision);
      await s.create(pre + 'b', '2');
      const events = await w.until(1);
      w.stop();
      assert.equal(events.length, 1);
      assert.equal(events[0]!.type === 'put' && events[0]!.kv.value, '2');
    });

    it('reports progress after everything written so far', async () => {
      const pre = p();
      const w = collect(s, pre, await s.currentRevision());
      await s.create(pre + 'a', '1');
      w.requestProgress();
      const events = await w.until(2);
      w.stop();
      assert.equal(events[1]!.type, 'progress');
      assert.ok(events[1]!.type === 'progress' && events[1]!.revision >= (await s.get(pre + 'a'))!.modRevision);
    });

    it('fails reads and watches from before a compaction', async () => {
      const pre = p();
      const a = (await s.create(pre + 'a', '1'))!;
      const u = await s.update(pre + 'a', '2', a.modRevision);
      assert.ok(u.succeeded);
      await s.compact(u.kv.modRevision);
      assert.equal(await s.compactedRevision(), u.kv.modRevision);
      await assert.rejects(s.list(pre, { revision: a.modRevision }), CompactedError);
      assert.throws(() => s.watch(pre, a.modRevision, () => {}), CompactedError);
      assert.deepEqual((await s.list(pre)).kvs.map((kv) => kv.value), ['2'], 'current values survive compaction');
      const w = collect(s, pre, u.kv.modRevision);
      await s.update(pre + 'a', '3', u.kv.modRevision);
      await w.until(1);
      w.stop();
    });

    it('a watch from the revision a list saw gets only later writes, even before the writer reports', async () => {
      const pre = p();
      // Large enough that a backend may commit it elsewhere (SQLite: its writer thread).
      const written = s.create(pre + 'a', 'x'.repeat(100_000));
      await new Promise((r) => setImmediate(r)); // the write is on its way
      // Reads without a turn of the event loop until one sees the write: a backend that commits
      // elsewhere (a thread, a server) has made it, but may not have reported it here yet.
      let listed = await s.list(pre);
      for (const deadline = Date.now() + 5000; !listed.kvs.length && Date.now() < deadline; ) listed = await s.list(pre);
      assert.equal(listed.kvs.length, 1);
      const w = collect(s, pre, listed.revision);
      await written;
      await s.create(pre + 'b', '2');
      const events = await w.until(1);
      await new Promise((r) => setTimeout(r, 50));
      w.stop();
      assert.deepEqual(events.map((e) => e.type !== 'progress' && e.kv.key), [pre + 'b'], 'the write the list saw is not an event');
    });

    it('never loses an update among concurrent writers', async () => {
      const pre = p();
      await s.create(pre + 'counter', '0');
      const writer = async () => {
        for (let i = 0; i < 20; i++) {
          for (;;) {
            const cur = (await s.get(pre + 'counter'))!;
            const res = await s.update(pre + 'counter', String(Number(cur.value) + 1), cur.modRevision);
            if (res.succeeded) break;
          }
        }
      };
      await Promise.all(Array.from({ length: 5 }, writer));
      assert.equal((await s.get(pre + 'counter'))!.value, '100');
    });
  });
}
