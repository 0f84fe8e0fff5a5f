// WATCH for the generic store: initial events, selector-aware event types, bookmarks, and 410
// once the requested history is compacted.
import { expired, internalError, invalid } from '../api/errors.js';
import { yieldToEventLoop } from '../api/event-loop.js';
import { forbidden, type FieldError } from '../api/field-errors.js';
import { apiVersionOf, type KubeObject } from '../api/meta.js';
import { CompactedError, type Storage, type WatchEvent } from '../storage/storage.js';
import { compileFilter, listObjects, parseResourceVersion } from './store-list.js';
import type { Store } from './store.js';
import { INITIAL_EVENTS_END, type ApiWatchEvent, type WatchOptions, type WatchSink, type WatchStop } from '../api/operations.js';


/** How many initial events are sent between turns of the event loop. */
const INITIAL_EVENTS_STEP = 256;

function validate(opts: WatchOptions): void {
  const errs: FieldError[] = [];
  if (opts.sendInitialEvents !== undefined) {
    if (opts.resourceVersionMatch !== 'NotOlderThan') {
      errs.push(forbidden('resourceVersionMatch', "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
    }
    if (!opts.allowWatchBookmarks) errs.push(forbidden('allowWatchBookmarks', 'allowWatchBookmarks must be set to true when sendInitialEvents is specified'));
  } else if (opts.resourceVersionMatch) {
    errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
  }
  if (errs.length) throw invalid('meta.k8s.io', 'ListOptions', '', errs);
}

export async function watchObjects(store: Store, storage: Storage, namespace: string, opts: WatchOptions, sink: WatchSink): Promise<WatchStop> {
  validate(opts);
  const def = store.def;
  const filter = compileFilter(def, opts.labelSelector, opts.fieldSelector);
  const matches = (o: KubeObject) => !filter || filter(o);
  const bookmark = (rv: number, annotations?: Record<string, string>): ApiWatchEvent => ({
    type: 'BOOKMARK',
    object: { kind: def.kind, apiVersion: apiVersionOf(def.group, def.version), metadata: { resourceVersion: String(rv), ...(annotations ? { annotations } : {}) } },
  });

  const rv = opts.resourceVersion ?? '';
  const initial = opts.sendInitialEvents ?? (rv === '' || rv === '0');
  let after: number;
  if (initial) {
    const list = await listObjects(store, storage, namespace, { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, resourceVersion: rv && rv !== '0' ? rv : undefined });
    // Sent in steps: thousands of initial events must not hold up other requests, and as fast as
    // the client takes them: a client that does not read holds up only its own watch.
    for (let i = 0; i < list.items.length; i++) {
      if (i > 0 && i % INITIAL_EVENTS_STEP === 0) await yieldToEventLoop();
      const taken = sink({ type: 'ADDED', object: list.items[i]! });
      if (taken) await taken;
    }
    after = Number(list.resourceVersion);
    if (opts.sendInitialEvents) sink(bookmark(after, { [INITIAL_EVENTS_END]: 'true' }));
  } else {
    after = rv === '' || rv === '0' ? await storage.currentRevision() : parseResourceVersion(rv);
  }

  const tooOld = (err: CompactedError) => expired(`too old resource version: ${err.requested} (${err.compacted})`).toStatus();
  // The storage ended the watch: the client lists again (410), or is told why.
  const onEnd = (err: Error) => sink({ type: 'ERROR', object: err instanceof CompactedError ? tooOld(err) : internalError(err).toStatus() });
  const onEvent = (e: WatchEvent) => {
    if (e.type === 'progress') {
      if (opts.allowWatchBookmarks) sink(bookmark(e.revision));
      return;
    }
    // One frozen object per event, whichever watchers it goes to.
    const obj = store.frozen(e.kv) as KubeObject;
    if (e.type === 'delete') {
      if (matches(obj)) sink({ type: 'DELETED', object: obj });
      return;
    }
    const now = matches(obj);
    if (!e.prev) {
      if (now) sink({ type: 'ADDED', object: obj });
      return;
    }
    const before = !filter || filter(store.frozen(e.prev));
    if (now) sink({ type: before ? 'MODIFIED' : 'ADDED', object: obj });
    else if (before) sink({ type: 'DELETED', object: store.decode(e.prev, e.kv.modRevision) });
  };

  let w;
  try {
    w = storage.watch(store.listPrefix(namespace), after, onEvent, onEnd);
  } catch (err) {
    if (!(err instanceof CompactedError)) throw err;
    sink({ type: 'ERROR', object: tooOld(err) });
    return () => {};
  }
  const timer = opts.allowWatchBookmarks ? setInterval(() => w.requestProgress(), opts.bookmarkIntervalMs ?? 60_000) : undefined;
  timer?.unref();
  return () => {
    if (timer) clearInterval(timer);
    w.stop();
  };
}
