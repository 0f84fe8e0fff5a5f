import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLabelSelector } from '../api/labels.js';
import type { Pod } from '../api/kinds.js';
import type { KubeObject } from '../api/meta.js';
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import type { ApiWatchEvent, ListResult, WatchOptions, WatchSink } from '../api/operations.js';
import { R, type Client } from './client.js';
import { InformerFactory } from './informer-factory.js';
import type { InformerHandlers } from './informer.js';
import { CONTROLLER_INDEX, NAMESPACE_INDEX, NODE_NAME_INDEX, ObjectCache, podsByNodeName } from './object-cache.js';

const pod = (ns: string, name: string, rv: string, extra: Partial<KubeObject['metadata']> = {}, spec: Partial<PodSpec> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace: ns, name, uid: `uid-${ns}-${name}`, resourceVersion: rv, ...extra },
  spec: { containers: [], ...spec },
});
const owned = (uid: string) => ({ ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid, controller: true }] });
const names = (objs: KubeObject[]) => objs.map((o) => o.metadata.name).sort();

/** A Client that answers list with what the test sets, and hands the test each watch's sink. */
class ScriptedClient {
  items: KubeObject[] = [];
  resourceVersion = '10';
  lists = 0;
  readonly watches: { opts: WatchOptions; sink: WatchSink; stopped: boolean }[] = [];
  async list(): Promise<ListResult> {
    this.lists++;
    return { items: structuredClone(this.items), resourceVersion: this.resourceVersion };
  }
  async watch(_ref: unknown, _ns: string, opts: WatchOptions, sink: WatchSink) {
    const w = { opts, sink, stopped: false };
    this.watches.push(w);
    return () => void (w.stopped = true);
  }
  send(e: ApiWatchEvent): void {
    this.watches.at(-1)!.sink(e);
  }
}

function recorder(): { seen: string[]; handlers: InformerHandlers } {
  const seen: string[] = [];
  return {
    seen,
    handlers: {
      add: (o) => seen.push(`add ${o.metadata.name}@${o.metadata.resourceVersion}`),
      update: (old, o) => seen.push(`update ${o.metadata.name}@${old.metadata.resourceVersion}→${o.metadata.resourceVersion}`),
      delete: (o) => seen.push(`delete ${o.metadata.name}`),
    },
  };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), 'in time');
};

describe('the object cache', () => {
  it('indexes by namespace and controller, keeping both current as objects change and go', () => {
    const cache = new ObjectCache<Pod>();
    cache.put(pod('a', 'p1', '1', owned('rs-1')));
    cache.put(pod('a', 'p2', '1'));
    cache.put(pod('b', 'p3', '1', owned('rs-1')));
    assert.deepEqual(names(cache.byIndex(NAMESPACE_INDEX, 'a')), ['p1', 'p2']);
    assert.deepEqual(names(cache.byIndex(CONTROLLER_INDEX, 'rs-1')), ['p1', 'p3']);
    cache.put(pod('a', 'p2', '2', owned('rs-1')));
    cache.put(pod('a', 'p1', '2', owned('rs-2')));
    assert.deepEqual(names(cache.byIndex(CONTROLLER_INDEX, 'rs-1')), ['p2', 'p3']);
    assert.deepEqual(names(cache.byIndex(CONTROLLER_INDEX, 'rs-2')), ['p1']);
    cache.remove('b/p3');
    assert.deepEqual(names(cache.byIndex(CONTROLLER_INDEX, 'rs-1')), ['p2']);
    assert.deepEqual(cache.byIndex(NAMESPACE_INDEX, 'b'), []);
    assert.throws(() => cache.byIndex('nope', 'x'), /no index "nope"/);
  });

  it('files what it holds under an index added later; selects by labels within a namespace', () => {
    const cache = new ObjectCache<Pod>();
    cache.put(pod('a', 'bound', '1', { labels: { app: 'web' } }, { nodeName: 'n1' }));
    cache.put(pod('a', 'pending', '1', { labels: { app: 'db' } }));
    cache.put(pod('b', 'other', '1', { labels: { app: 'web' } }, { nodeName: 'n1' }));
    cache.addIndex(NODE_NAME_INDEX, podsByNodeName);
    assert.deepEqual(names(cache.byIndex(NODE_NAME_INDEX, 'n1')), ['bound', 'other']);
    assert.deepEqual(names(cache.byIndex(NODE_NAME_INDEX, '')), ['pending']);
    assert.deepEqual(names(cache.select('a', parseLabelSelector('app=web'))), ['bound']);
    assert.deepEqual(names(cache.select(undefined, parseLabelSelector('app=web'))), ['bound', 'other']);
  });

  it('keeps objects frozen', () => {
    const cache = new ObjectCache<Pod>();
    const { now } = cache.put(pod('a', 'p', '1', { labels: { x: 'y' } }));
    assert.throws(() => {
      now.metadata.labels!.x = 'z';
    }, TypeError);
  });
});

describe('a shared informer', () => {
  it('is one per resource: lists once, then watches from the list, with handlers on one cache', async () => {
    const client = new ScriptedClient();
    client.items = [pod('a', 'p1', '5'), pod('b', 'p2', '6')];
    const factory = new InformerFactory(client as unknown as Client);
    const informer = factory.forResource(R.pods);
    assert.equal(factory.forResource({ ...R.pods }), informer);
    const first = recorder();
    informer.on(first.handlers);
    factory.start();
    factory.start();
    await informer.waitForSync();
    assert.equal(client.lists, 1);
    assert.deepEqual(first.seen.sort(), ['add p1@5', 'add p2@6']);
    assert.equal(client.watches[0]!.opts.resourceVersion, '10');
    assert.ok(Object.isFrozen(informer.get('a', 'p1')!.metadata));

    // A handler registered later hears of what is cached, then of changes.
    const late = recorder();
    informer.on(late.handlers);
    client.send({ type: 'MODIFIED', object: pod('a', 'p1', '11') });
    client.send({ type: 'DELETED', object: pod('b', 'p2', '12') });
    client.send({ type: 'ADDED', object: pod('a', 'p3', '13') });
    assert.deepEqual(late.seen, ['add p1@5', 'add p2@6', 'update p1@5→11', 'delete p2', 'add p3@13']);
    assert.deepEqual(names(informer.list('a')), ['p1', 'p3']);
    assert.deepEqual(informer.list('b'), []);
    factory.stop();
    await until(() => client.watches[0]!.stopped);
  });

  it('lists again on 410 Gone and tells handlers what changed meanwhile', async () => {
    const client = new ScriptedClient();
    client.items = [pod('a', 'stays', '1'), pod('a', 'changes', '2'), pod('a', 'goes', '3')];
    const informer = new InformerFactory(client as unknown as Client).forResource(R.pods);
    const r = recorder();
    informer.on(r.handlers);
    informer.start();
    await informer.waitForSync();
    r.seen.length = 0;
    client.items = [pod('a', 'stays', '1'), pod('a', 'changes', '20'), pod('a', 'new', '21')];
    client.resourceVersion = '30';
    client.send({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version', reason: 'Expired', code: 410 } });
    await until(() => client.watches.length === 2);
    assert.equal(client.lists, 2);
    assert.ok(client.watches[0]!.stopped);
    assert.equal(client.watches[1]!.opts.resourceVersion, '30');
    assert.deepEqual(r.seen.sort(), ['add new@21', 'delete goes', 'update changes@2→20']);
    informer.stop();
  });

  it('resumes a failed watch from the last resourceVersion it saw, without listing', async () => {
    const client = new ScriptedClient();
    const informer = new InformerFactory(client as unknown as Client).forResource(R.pods);
    informer.start();
    await informer.waitForSync();
    client.send({ type: 'ADDED', object: pod('a', 'p', '15') });
    client.send({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '17' } } });
    client.send({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'internal error', reason: 'InternalError', code: 500 } });
    await until(() => client.watches.length === 2);
    assert.equal(client.lists, 1);
    assert.equal(client.watches[1]!.opts.resourceVersion, '17');
    assert.equal(informer.get('a', 'p')!.metadata.resourceVersion, '15');
    informer.stop();
  });
});
