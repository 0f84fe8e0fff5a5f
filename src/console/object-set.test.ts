import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ObjectSet, watchEvents, type WatchEvent } from './object-set.js';

const rb = (name: string, rv: string) => ({ metadata: { name, namespace: 'default', resourceVersion: rv } });

it('a list replaces the set (items given apiVersion and kind, first); watch events change it and move the resourceVersion', () => {
  const set = new ObjectSet('rbac.authorization.k8s.io/v1', 'RoleBinding');
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
