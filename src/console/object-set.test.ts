import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ObjectSet, readList, watchEvents, type WatchEvent } from './object-set.js';
import { eventually } from '../testing/eventually.js';
import { ACCESS_LISTS } from '../access/lists.js';

const rb = (name: string, rv: string) => ({ metadata: { name, namespace: 'default', resourceVersion: rv } });

it('a list replaces the set (items given apiVersion and kind, first); watch events change it and move the resourceVersion', () => {
  const set = new ObjectSet(ACCESS_LISTS.find((s) => s.resource === 'rolebindings')!);
  set.replace([rb('a', '1'), rb('b', '2')], '5');
  assert.deepEqual(Object.keys(set.items.get('default/a')!), ['apiVersion', 'kind', 'metadata']);
  assert.equal(set.items.get('default/a')!.kind, 'RoleBinding');
  assert.equal(set.resourceVersion, '5');
  assert.equal(set.apply({ type: 'ADDED', object: rb('c', '6') }), true);
  assert.equal(set.apply({ type: 'DELETED', object: rb('a', '7') }), true);
  assert.equal(set.apply({ type: 'DELETED', object: rb('gone', '8') }), false);
  assert.equal(set.apply({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '9' } } }), false);
  assert.deepEqual([...set.items.keys()], ['default/b', 'default/c']);
  assert.equal(set.resourceVersion, '9');
});

it('reads newline-delimited events however the chunks split them', async () => {
  const events: WatchEvent[] = [{ type: 'ADDED', object: rb('a', '1') }, { type: 'MODIFIED', object: rb('é', '2') }, { type: 'ERROR', object: { metadata: {}, code: 410 } }];
  const bytes = new TextEncoder().encode(events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  for (const size of [1, 3, 7, bytes.length]) {
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += size) c.enqueue(bytes.slice(i, i + size));
        c.close();
      },
    });
    const got: WatchEvent[] = [];
    for await (const e of watchEvents(body)) got.push(e);
    assert.deepEqual(got, events, `chunks of ${size}`);
  }
});

it('keeps of a token Secret (read as metadata) its metadata and type, as the CLI does, from the list and from watch events', () => {
  const set = new ObjectSet(ACCESS_LISTS.find((s) => s.resource === 'secrets')!);
  const meta = (rv: string) => ({ apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: { name: 's', namespace: 'default', resourceVersion: rv, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"stringData":{"token":"x"}}', 'kubernetes.io/service-account.name': 'app' } } });
  set.replace([meta('1')], '1');
  assert.deepEqual(set.items.get('default/s'), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default', resourceVersion: '1', annotations: { 'kubernetes.io/service-account.name': 'app' } }, type: 'kubernetes.io/service-account-token' });
  set.apply({ type: 'MODIFIED', object: meta('2') });
  assert.deepEqual([set.items.get('default/s')!.kind, set.items.get('default/s')!.metadata.resourceVersion], ['Secret', '2']);
});

it('reads a list as it arrives, giving its continue token as soon as the metadata before its items has come', async () => {
  const text = JSON.stringify({ kind: 'RoleBindingList', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { resourceVersion: '7', continue: 'a"b\\c' }, items: [rb('a', '1'), rb('b', '2')] });
  const split = text.indexOf('"items"') + '"items":['.length;
  const seen: string[] = [];
  let second!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new TextEncoder().encode(text.slice(0, split)));
      second = c;
    },
  });
  const reading = readList(new Response(body), (cont) => seen.push(cont));
  await eventually(() => seen.length === 1, 'the continue token before the items');
  assert.deepEqual(seen, ['a"b\\c']);
  second.enqueue(new TextEncoder().encode(text.slice(split)));
  second.close();
  assert.deepEqual(await reading, JSON.parse(text));
  // Without a continue token (the last page), none is given.
  assert.deepEqual(await readList(new Response('{"metadata":{},"items":[]}'), (cont) => seen.push(cont)), { metadata: {}, items: [] });
  assert.equal(seen.length, 1);
});
