// The watch cache, as kube-apiserver's cacher: a Storage that wraps another and keeps, per
// resource (`/registry/<resource>/`), one underlying watch, a bounded buffer of its recent
// events and the resource's current objects, so that any number of watches on the resource or a
// namespace of it cost one watch of the storage underneath (one etcd watch). It starts at the
// first watch of the resource (from that watch's revision, the current objects listed at that
// revision) or at the first list that allows a cached answer (listed, then watched from the
// list's revision, as the cacher's reflector). A watch from a revision older than the buffer
// fails with CompactedError (410 "too old resource version"), unless the buffer has never
// dropped an event (the cache started after that revision): that rare watch goes to the storage
// underneath. A list that allows any revision at or after `minRevision` is answered from memory
// once the cache has that revision; so is a GET that allows one (resourceVersion "0" or N, as the
// cacher's Get), after waiting up to 3 s for the cache to reach it (FutureRevisionError after
// that); a GET of a resource not cached yet goes to the storage and starts its cache (listed,
// then watched). GETs without one, writes and everything else pass through. When the
// underlying watch ends (its history compacted away, e.g. after a long outage), every watch of
// the cache ends with that error (clients list again) and the next watch or list starts it anew.
import { systemClock, type Clock } from '../api/clock.js';
import { CompactedError, FutureRevisionError, prefixEnd, type GetOptions, type KeyValue, type ListOptions, type ListResult, type Storage, type Watch, type WatchEvent } from './storage.js';
import { WatcherSet } from './watchers.js';
import { REGISTRY_PREFIX, resourcePrefixOf } from './key-layout.js';

export interface WatchCacheOptions {
  /** The cached prefix a watched or listed prefix belongs to, or undefined for none (events). */
  resourceOf?: (prefix: string) => string | undefined;
  clock?: Clock;
}

/**
 * The buffer's policy: always the last MIN_EVENTS events; older ones while younger than
 * FRESH_MS (kube-apiserver's DefaultEventFreshDuration, 75 s), up to MAX_EVENTS
 * (kube-apiserver grows its buffer from 100 to at most 100,000 the same way).
 */
const MIN_EVENTS = 100;
const MAX_EVENTS = 10_000;
const FRESH_MS = 75_000;
/** How long a progress request of the underlying watch may go unanswered before it is sent again. */
const PROGRESS_RETRY_MS = 5_000;
/** How long a GET waits for the cache to reach its revision (the watch cache's blockTimeout, 3 s). */
const FRESH_WAIT_MS = 3_000;

/**
 * The resource's prefix under /registry/ (`/registry/pods/`, `/registry/services/specs/`,
 * `/registry/<group>/<plural>/`), elsewhere the first segment; events are not cached (kube-apiserver: size 0).
 */
export function registryResource(prefix: string): string | undefined {
  if (prefix.startsWith(REGISTRY_PREFIX)) {
    const resource = resourcePrefixOf(prefix);
    return resource === '/registry/events/' ? undefined : resource;
  }
  return /^\/[^/]+\//.exec(prefix)?.[0];
}

interface Entry {
  prefix: string;
  inner?: Watch;
  /** The buffer holds every event after `start`, up to `revision`. */
  start: number;
  revision: number;
  /** An event was dropped from the buffer (its revision is no longer served). */
  dropped: boolean;
  events: Array<{ e: WatchEvent & { type: 'put' | 'delete' }; at: number }>;
  head: number;
  /** The current objects once listed; undefined until then. */
  objects?: Objects;
  watchers: WatcherSet;
  ends: Set<(err: Error) => void>;
  /** Watches waiting for the next progress of the underlying watch. */
  progressWaiters: Set<Watch>;
  /** When progress was last asked of the underlying watch and not yet given (ms), or 0. */
  progressAskedAt: number;
  /** GETs waiting for the cache to reach a revision (called with each new revision, and on failure). */
  freshWaiters: Set<() => void>;
}

export class WatchCache implements Storage {
  private readonly entries = new Map<string, Entry>();
  /** Resources a GET is starting the cache of (listing them). */
  private readonly starting = new Set<string>();
  private readonly resourceOf: (prefix: string) => string | undefined;
  private readonly clock: Clock;

  constructor(
    readonly inner: Storage,
    opts: WatchCacheOptions = {},
  ) {
    this.resourceOf = opts.resourceOf ?? registryResource;
    this.clock = opts.clock ?? systemClock;
  }

  /** The underlying watches open (one per cached resource). */
  get cachedResources(): number {
    return this.entries.size;
  }

  create: Storage['create'] = (key, value, opts) => this.inner.create(key, value, opts);
  update: Storage['update'] = (key, value, expected, opts) => this.inner.update(key, value, expected, opts);
  delete: Storage['delete'] = (key, expected) => this.inner.delete(key, expected);
  currentRevision: Storage['currentRevision'] = () => this.inner.currentRevision();
  compact: Storage['compact'] = (revision) => this.inner.compact(revision);
  compactedRevision: Storage['compactedRevision'] = () => this.inner.compactedRevision();

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const resource = opts.minRevision !== undefined && !opts.revision ? this.resourceOf(prefix) : undefined;
    if (resource === undefined) return this.inner.list(prefix, opts);
    const entry = this.entries.get(resource);
    if (entry?.objects && entry.revision >= opts.minRevision!) return entry.objects.list(entry.revision, prefix, opts);
    const res = await this.inner.list(prefix, opts);
    // The reflector's list: the first cacheable list of a resource starts its cache.
    if (!this.entries.has(resource)) {
      const all = prefix === resource && !opts.limit && (!opts.startKey || opts.startKey <= prefix) ? res : await this.inner.list(resource, { revision: res.revision }).catch(() => undefined);
      if (all) this.startListed(resource, all);
    }
    return res;
  }

  async get(key: string, opts: GetOptions = {}): Promise<KeyValue | undefined> {
    const resource = opts.minRevision !== undefined ? this.resourceOf(key) : undefined;
    if (resource === undefined) return this.inner.get(key, opts);
    const entry = this.entries.get(resource);
    // Not ready (as the cacher delegates to the storage then): the storage answers, and the
    // first such GET starts the cache.
    if (!entry?.objects) {
      if (!entry && !this.starting.has(resource)) {
        this.starting.add(resource);
        void this.inner.list(resource).then(
          (all) => (this.starting.delete(resource), this.startListed(resource, all)),
          () => this.starting.delete(resource),
        );
      }
      return this.inner.get(key, opts);
    }
    if (entry.revision < opts.minRevision! && !(await this.waitFresh(entry, opts.minRevision!))) return this.inner.get(key, opts);
    return entry.objects.get(key);
  }

  watch(prefix: string, after: number, onEvent: (e: WatchEvent) => void, onEnd: (err: Error) => void = () => undefined): Watch {
    const resource = this.resourceOf(prefix);
    if (resource === undefined) return this.inner.watch(prefix, after, onEvent, onEnd);
    let entry = this.entries.get(resource);
    if (!entry) {
      entry = this.start(resource, after);
      const started = entry;
      void this.inner.list(resource, { revision: after }).then(
        (res) => this.entries.get(resource) === started && !started.objects && fill(started, res.kvs),
        () => undefined,
      );
    }
    if (after < entry.start) {
      if (entry.dropped) throw new CompactedError(after, entry.start);
      return this.inner.watch(prefix, after, onEvent, onEnd);
    }
    const backlog: WatchEvent[] = [];
    for (let i = entry.head; i < entry.events.length; i++) {
      const e = entry.events[i]!.e;
      if (e.kv.modRevision > after && e.kv.key.startsWith(prefix)) backlog.push(e);
    }
    const e = entry;
    // Progress is the cache's revision, never older than the revision the watch started after.
    const w = e.watchers.add(prefix, after, backlog, (ev) => onEvent(ev.type === 'progress' && ev.revision < after ? { type: 'progress', revision: after } : ev));
    e.ends.add(onEnd);
    return {
      requestProgress: () => {
        e.progressWaiters.add(w);
        this.askProgress(e);
      },
      stop: () => {
        e.ends.delete(onEnd);
        e.progressWaiters.delete(w);
        w.stop();
      },
    };
  }

  async close(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const e of entries) {
      e.inner?.stop();
      e.watchers.stopAll();
      wake(e);
    }
    await this.inner.close();
  }

  /** Starts the cache of `resource` from a list of all of it, unless started meanwhile. */
  private startListed(resource: string, all: ListResult): void {
    if (this.entries.has(resource)) return;
    try {
      this.start(resource, all.revision, all.kvs);
    } catch {
      // compacted meanwhile: the next list or GET tries again
    }
  }

  /** One progress request of the underlying watch for everyone asking; asked again if no answer came (a reconnecting stream). */
  private askProgress(e: Entry): void {
    const now = this.clock.now().getTime();
    if (now - e.progressAskedAt > PROGRESS_RETRY_MS) {
      e.progressAskedAt = now;
      e.inner?.requestProgress();
    }
  }

  /**
   * Waits until the cache of `entry` has `revision` (asking the underlying watch for progress: the
   * revision may be another resource's write); false when the cache failed meanwhile.
   * FutureRevisionError after FRESH_WAIT_MS.
   */
  private waitFresh(entry: Entry, revision: number): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const done = () => {
        if (entry.revision < revision && this.entries.get(entry.prefix) === entry) return;
        clearTimeout(timer);
        entry.freshWaiters.delete(done);
        resolve(entry.revision >= revision);
      };
      const timer = setTimeout(() => {
        entry.freshWaiters.delete(done);
        reject(new FutureRevisionError(revision, entry.revision));
      }, FRESH_WAIT_MS);
      entry.freshWaiters.add(done);
      this.askProgress(entry);
    });
  }

  /** Opens the underlying watch of `resource` after `revision` (throws CompactedError when gone). */
  private start(resource: string, revision: number, kvs?: KeyValue[]): Entry {
    const entry: Entry = {
      prefix: resource,
      start: revision,
      revision,
      dropped: false,
      events: [],
      head: 0,
      watchers: new WatcherSet(() => entry.revision),
      ends: new Set(),
      progressWaiters: new Set(),
      progressAskedAt: 0,
      freshWaiters: new Set(),
    };
    if (kvs) fill(entry, kvs);
    entry.inner = this.inner.watch(
      resource,
      revision,
      (e) => this.apply(entry, e),
      (err) => this.fail(entry, err),
    );
    this.entries.set(resource, entry);
    return entry;
  }

  private apply(entry: Entry, e: WatchEvent): void {
    if (e.type === 'progress') {
      entry.revision = Math.max(entry.revision, e.revision);
      entry.progressAskedAt = 0;
      const waiters = [...entry.progressWaiters];
      entry.progressWaiters.clear();
      for (const w of waiters) w.requestProgress();
      wake(entry);
      return;
    }
    entry.revision = e.kv.modRevision;
    entry.objects?.apply(e);
    const now = this.clock.now().getTime();
    entry.events.push({ e, at: now });
    while (entry.events.length - entry.head > MIN_EVENTS && (entry.events.length - entry.head > MAX_EVENTS || now - entry.events[entry.head]!.at > FRESH_MS)) {
      entry.start = entry.events[entry.head]!.e.kv.modRevision;
      entry.dropped = true;
      entry.head++;
    }
    if (entry.head > 1024 && entry.head * 2 > entry.events.length) {
      entry.events = entry.events.slice(entry.head);
      entry.head = 0;
    }
    entry.watchers.publish(e);
    wake(entry);
  }

  private fail(entry: Entry, err: Error): void {
    if (this.entries.get(entry.prefix) === entry) this.entries.delete(entry.prefix);
    entry.watchers.stopAll();
    for (const end of entry.ends) end(err);
    entry.ends.clear();
    wake(entry);
  }
}

/** Tells the GETs waiting on the cache of `entry` that its revision moved, or that it ended. */
function wake(entry: Entry): void {
  for (const done of [...entry.freshWaiters]) done();
}

function fill(entry: Entry, kvs: KeyValue[]): void {
  const objects = new Objects(kvs);
  for (let i = entry.head; i < entry.events.length; i++) objects.apply(entry.events[i]!.e);
  entry.objects = objects;
}

/** The current objects by key, and their keys in order, for lists of a prefix and from a key. */
class Objects {
  private readonly byKey = new Map<string, KeyValue>();
  private readonly keys: string[];

  constructor(kvs: KeyValue[]) {
    for (const kv of kvs) this.byKey.set(kv.key, kv);
    this.keys = [...this.byKey.keys()].sort();
  }

  apply(e: WatchEvent): void {
    if (e.type === 'put') {
      if (!this.byKey.has(e.kv.key)) this.keys.splice(this.indexOf(e.kv.key), 0, e.kv.key);
      this.byKey.set(e.kv.key, e.kv);
    } else if (e.type === 'delete' && this.byKey.delete(e.kv.key)) this.keys.splice(this.indexOf(e.kv.key), 1);
  }

  get(key: string): KeyValue | undefined {
    return this.byKey.get(key);
  }

  list(revision: number, prefix: string, opts: ListOptions): ListResult {
    const from = this.indexOf(opts.startKey && opts.startKey > prefix ? opts.startKey : prefix);
    const to = this.indexOf(prefixEnd(prefix));
    const count = Math.max(0, to - from);
    const limit = opts.limit && opts.limit > 0 ? Math.min(opts.limit, count) : count;
    const kvs: KeyValue[] = [];
    for (let i = from; i < from + limit; i++) kvs.push(this.byKey.get(this.keys[i]!)!);
    return { kvs, revision, more: count > limit, count };
  }

  /** The index of the first key not less than `key`. */
  private indexOf(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
