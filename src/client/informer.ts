// A shared informer (client-go's reflector + indexer + shared processor, in small): lists a
// resource, then watches from the list's resourceVersion, keeping one cache of frozen objects with
// indexes; every consumer registers its handlers on it. A watch that fails resumes from the last
// resourceVersion seen; on 410 Gone the informer lists again and tells handlers what changed.
// Objects from the cache are frozen and shared: copy one before changing it.
import { deepFreeze, type KubeObject } from '../api/meta.js';
import type { LabelSelector } from '../api/labels.js';
import type { ApiWatchEvent, WatchStop } from '../api/operations.js';
import type { Client, ResourceRef } from './client.js';
import { CONTROLLER_INDEX, keyOf, NAMESPACE_INDEX, ObjectCache, type IndexFunc } from './object-cache.js';

export interface InformerHandlers<T extends KubeObject = KubeObject> {
  add?(obj: T): void;
  update?(old: T, obj: T): void;
  delete?(obj: T): void;
}

/** How long a failed list or watch waits before it is tried again. */
const RETRY_MS = 1000;

export class SharedInformer<T extends KubeObject = KubeObject> {
  private readonly cache = new ObjectCache<T>();
  /** Replaced, not changed in place, so that an event being delivered reaches the handlers it started with. */
  private handlers: InformerHandlers<T>[] = [];
  private resourceVersion = '';
  private synced = false;
  private markSynced!: () => void;
  private readonly syncedPromise = new Promise<void>((resolve) => (this.markSynced = resolve));
  /** Counts watches: events of an older one (stopped, or failed) are dropped. */
  private generation = 0;
  private stopWatch: WatchStop = () => {};
  private retry?: NodeJS.Timeout;
  private state: 'new' | 'running' | 'stopped' = 'new';

  constructor(
    private readonly client: Client,
    readonly ref: ResourceRef<T>,
  ) {}

  /**
   * Registers handlers for as long as the informer runs. Registered once the cache is synced,
   * they are first told of every cached object as an add (client-go's AddEventHandler).
   */
  on(h: InformerHandlers<T>): void {
    this.handlers = [...this.handlers, h];
    if (this.synced) for (const o of this.cache.all()) call(this.ref, () => h.add?.(o));
  }

  /** Removes handlers `on` registered (client-go's RemoveEventHandler). */
  off(h: InformerHandlers<T>): void {
    this.handlers = this.handlers.filter((x) => x !== h);
  }

  /** Adds an index (IndexFunc: the values an object is filed under); the first definition of a name stays. */
  addIndex(name: string, of: IndexFunc<T>): void {
    this.cache.addIndex(name, of);
  }

  get(namespace: string, name: string): T | undefined {
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  /** Every object, or those of one namespace (read from the namespace index). */
  list(namespace?: string): T[] {
    return namespace === undefined ? this.cache.all() : this.cache.byIndex(NAMESPACE_INDEX, namespace);
  }

  /** Objects of a namespace (undefined: every namespace) whose labels the selector matches. */
  select(namespace: string | undefined, selector: LabelSelector): T[] {
    return this.cache.select(namespace, selector);
  }

  /** The objects whose controller (the ownerReference with controller: true) has this uid. */
  controlledBy(uid: string): T[] {
    return this.cache.byIndex(CONTROLLER_INDEX, uid);
  }

  byIndex(name: string, value: string): T[] {
    return this.cache.byIndex(name, value);
  }

  /** Resolves once the first list is in the cache. */
  waitForSync(): Promise<void> {
    return this.syncedPromise;
  }

  /** Lists and watches, once: later calls do nothing. */
  start(): void {
    if (this.state !== 'new') return;
    this.state = 'running';
    void this.resume(true);
  }

  stop(): void {
    this.state = 'stopped';
    this.endWatch();
    clearTimeout(this.retry);
  }

  private endWatch(): void {
    this.generation++;
    this.stopWatch();
    this.stopWatch = () => {};
  }

  /** Lists (when asked, or when the history is gone), then watches from the resourceVersion reached. */
  private async resume(relist: boolean): Promise<void> {
    if (this.state !== 'running') return;
    try {
      if (relist) {
        const list = await this.client.list(this.ref, '');
        if (this.state !== 'running') return;
        this.replace(list.items);
        this.resourceVersion = list.resourceVersion;
        if (!this.synced) {
          this.synced = true;
          this.markSynced();
        }
      }
      const generation = ++this.generation;
      const opts = { resourceVersion: this.resourceVersion, allowWatchBookmarks: true };
      const stop = await this.client.watch(this.ref, '', opts, (e) => {
        if (generation === this.generation) this.onEvent(e);
      });
      if (generation === this.generation) this.stopWatch = stop;
      else stop();
    } catch (err) {
      this.later(relist || isGone(err), err);
    }
  }

  private later(relist: boolean, err: unknown): void {
    if (this.state !== 'running') return;
    console.error(`badge: informer ${this.ref.resource}: ${(err as Error).message ?? err}`);
    this.retry = setTimeout(() => void this.resume(relist), RETRY_MS);
    this.retry.unref();
  }

  private onEvent(e: ApiWatchEvent<T>): void {
    if (e.type === 'ERROR') {
      this.endWatch();
      if (isGone(e.object)) void this.resume(true);
      else this.later(false, new Error(e.object.message));
      return;
    }
    this.resourceVersion = e.object.metadata.resourceVersion ?? this.resourceVersion;
    if (e.type === 'BOOKMARK') return;
    if (e.type === 'DELETED') {
      const gone = deepFreeze(e.object) as T;
      this.cache.remove(keyOf(gone));
      this.emit((h) => h.delete?.(gone));
      return;
    }
    const { now, old } = this.cache.put(e.object);
    if (old) this.emit((h) => h.update?.(old, now));
    else this.emit((h) => h.add?.(now));
  }

  /** A (re)list: the cache becomes the list, and handlers hear what changed. */
  private replace(items: T[]): void {
    const seen = new Set<string>();
    for (const item of items) {
      const { now, old } = this.cache.put(item);
      seen.add(keyOf(now));
      if (!old) this.emit((h) => h.add?.(now));
      else if (old.metadata.resourceVersion !== now.metadata.resourceVersion) this.emit((h) => h.update?.(old, now));
    }
    for (const old of this.cache.all()) {
      if (seen.has(keyOf(old))) continue;
      this.cache.remove(keyOf(old));
      this.emit((h) => h.delete?.(old));
    }
  }

  private emit(fn: (h: InformerHandlers<T>) => void): void {
    for (const h of this.handlers) call(this.ref, () => fn(h));
  }
}

/** Waits for every informer's first list. */
export const waitForSync = (...informers: { waitForSync(): Promise<void> }[]): Promise<unknown> => Promise.all(informers.map((i) => i.waitForSync()));

const isGone = (err: unknown) => (err as { code?: number }).code === 410;

function call(ref: ResourceRef, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    console.error(`badge: informer handler for ${ref.resource}:`, err);
  }
}
