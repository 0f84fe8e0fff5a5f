// Watches: kubectl get -w, resuming from a resourceVersion, bookmarks, 410 after compaction.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { openWatch, startBadge, type Badge } from './harness.js';

const SA = '/api/v1/namespaces/default/serviceaccounts';
const sa = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });

describe('e2e: watch', () => {
  let b: Badge;
  before(async () => {
    b = await startBadge({ compactionIntervalMs: 0 });
  });
  after(() => b.close());

  it('kubectl get -w prints the table, then each change', async () => {
    await b.api('POST', SA, sa('w-first'));
    const child = spawn('/usr/bin/kubectl', ['--kubeconfig', b.kubeconfig, '--cache-dir', `${b.dataDir}/kc`, 'get', 'sa', '-w']);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const wait = async (re: RegExp) => {
      const deadline = Date.now() + 10_000;
      while (!re.test(out)) {
        if (Date.now() > deadline) throw new Error(`no ${re} in ${JSON.stringify(out)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await wait(/w-first/);
    assert.match(out, /^NAME\s+SECRETS\s+AGE\n/);
    await b.api('POST', SA, sa('w-second'));
    await wait(/w-second\s+0\s+\d+s\n/);
    child.kill();
    assert.equal(out.split('\n').filter((l) => l.startsWith('NAME')).length, 1, 'one header');
    assert.equal(out.split('\n').filter((l) => l.startsWith('w-first')).length, 1, 'no replayed rows');
  });

  it('resumes from a resourceVersion with ADDED, MODIFIED and DELETED, and sends bookmarks', async () => {
    const list = await b.api('GET', SA);
    const rv = list.json.metadata.resourceVersion;
    const w = openWatch(b, `${SA}?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true`);
    await b.api('POST', SA, sa('w-life'));
    await b.api('PATCH', `${SA}/w-life`, '{"metadata":{"labels":{"x":"y"}}}', { 'Content-Type': 'application/merge-patch+json' });
    await b.api('DELETE', `${SA}/w-life`);
    await w.until(() => w.events.length >= 3);
    assert.deepEqual(w.events.slice(0, 3).map((e) => [e.type, e.object.metadata.name]), [
      ['ADDED', 'w-life'],
      ['MODIFIED', 'w-life'],
      ['DELETED', 'w-life'],
    ]);
    assert.equal(w.events[1].object.metadata.labels.x, 'y');
    w.stop();
  });

  it('filters by label selector, turning changes in and out of the selection into ADDED and DELETED', async () => {
    const w = openWatch(b, `${SA}?watch=true&labelSelector=team%3Dblue&resourceVersion=${(await b.api('GET', SA)).json.metadata.resourceVersion}`);
    await b.api('POST', SA, sa('w-sel'));
    await b.api('PATCH', `${SA}/w-sel`, '{"metadata":{"labels":{"team":"blue"}}}', { 'Content-Type': 'application/merge-patch+json' });
    await b.api('PATCH', `${SA}/w-sel`, '{"metadata":{"labels":{"team":"red"}}}', { 'Content-Type': 'application/merge-patch+json' });
    await w.until(() => w.events.length >= 2);
    assert.deepEqual(w.events.map((e) => e.type), ['ADDED', 'DELETED']);
    w.stop();
  });

  it('sends initial events and the end-of-initial-events bookmark when asked', async () => {
    const w = openWatch(b, `${SA}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
    await w.until(() => w.events.some((e) => e.type === 'BOOKMARK'));
    const bookmark = w.events.find((e) => e.type === 'BOOKMARK');
    assert.equal(bookmark.object.metadata.annotations['k8s.io/initial-events-end'], 'true');
    assert.ok(w.events.filter((e) => e.type === 'ADDED').length >= 2);
    w.stop();
  });

  it('answers a watch from compacted history with 410 Expired', async () => {
    const rv = Number((await b.api('GET', SA)).json.metadata.resourceVersion);
    await b.api('POST', SA, sa('w-old'));
    await b.server.storage.compact(await b.server.storage.currentRevision());
    const w = openWatch(b, `${SA}?watch=true&resourceVersion=${rv}`);
    await w.until(() => w.ended);
    assert.equal(w.events.length, 1);
    assert.equal(w.events[0].type, 'ERROR');
    assert.equal(w.events[0].object.code, 410);
    assert.equal(w.events[0].object.reason, 'Expired');
    const list = await b.api('GET', `${SA}?resourceVersion=${rv}&resourceVersionMatch=Exact`);
    assert.equal(list.status, 410);
    assert.equal(list.json.message, 'The resourceVersion for the provided list is too old.');
  });

  it('ends the stream at timeoutSeconds', async () => {
    const w = openWatch(b, `${SA}?watch=true&timeoutSeconds=1&resourceVersion=${(await b.api('GET', SA)).json.metadata.resourceVersion}`);
    await w.until(() => w.ended, 4000);
    assert.equal(w.status, 200);
  });

  it('pages lists with limit and continue', async () => {
    await b.api('POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'paging' } }));
    for (let i = 0; i < 5; i++) await b.api('POST', '/api/v1/namespaces/paging/serviceaccounts', sa(`page-${i}`));
    const all = (await b.api('GET', '/api/v1/namespaces/paging/serviceaccounts')).json.items.map((i: any) => i.metadata.name);
    const names: string[] = [];
    let cont = '';
    let pages = 0;
    do {
      const r = await b.api('GET', `/api/v1/namespaces/paging/serviceaccounts?limit=2${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
      names.push(...r.json.items.map((i: any) => i.metadata.name));
      cont = r.json.metadata.continue ?? '';
      if (cont && pages === 0) assert.equal(r.json.metadata.remainingItemCount, all.length - 2);
      pages++;
    } while (cont);
    assert.deepEqual(names, all);
    assert.ok(names.includes('page-4'));
    assert.equal(pages, Math.ceil(all.length / 2));
  });
});
