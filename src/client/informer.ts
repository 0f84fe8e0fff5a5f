// An informer: lists a resource, then watches from the list's resourceVersion, keeping a cache
// and telling handlers what changed. On 410 Gone it lists again (client-go's reflector).
import type { KubeObject } from '../api/meta.js';
import type { Client, ResourceRef } from './client.js';
import type { ApiWatchEvent, WatchStop } from '../api/operations.js';

export interface InformerHandlers {
  add?(obj: KubeObject): void;
  update?(old: KubeObject, obj: KubeObject): void;
  delete?(obj: KubeObject): void;
}

export const keyOf = (o: KubeObject) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name!);

export class Informer {
  private readonly cache = new Map<string, KubeObject>();
  private readonly handlers: InformerHandlers[] = [];
  private stopWatch: WatchStop = () => {};
  private stopped = false;

  constructor(
    private readonly client: Client,
    readonly ref: ResourceRef,
    private readonly namespace = '',
  ) {}

  on(h: InformerHandlers): this {
    this.handlers.push(h);
    return this;
  }

  get(namespace: string, name: string): KubeObject | undefined {
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  list(namespace?: string): KubeObject[] {
    const all = [...this.cache.values()];
    return namespace === undefined ? all : all.filter((o) => (o.metadata.namespace ?? '') === namespace);
  }

  async start(): Promise<void> {
    const list = await this.client.list(this.ref, this.namespace);
    const seen = new Set<string>();
    for (const obj of list.items) {
      const key = keyOf(obj);
      seen.add(key);
      const old = this.cache.get(key);
      this.cache.set(key, obj);
      if (!old) this.emit('add', obj);
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.emit('update', obj, old);
    }
    for (const [key, old] of this.cache) {
      if (!seen.has(key)) {
        this.cache.delete(key);
        this.emit('delete', old);
      }
    }
    if (this.stopped) return;
    this.stopWatch = await this.client.watch(this.ref, this.namespace, { resourceVersion: list.resourceVersion, allowWatchBookmarks: true }, (e) => this.onEvent(e));
  }

  stop(): void {
    this.stopped = true;
    this.stopWatch();
  }

  private onEvent(e: ApiWatchEvent): void {
    if (e.type === 'BOOKMARK') return;
    if (e.type === 'ERROR') {
      this.stopWatch();
      if (!this.stopped) void this.start().catch((err) => console.error(`badge: informer ${this.ref.resource}:`, err));
      return;
    }
    const key = keyOf(e.object);
    const old = this.cache.get(key);
    if (e.type === 'DELETED') {
      this.cache.delete(key);
      this.emit('delete', e.object);
    } else {
      this.cache.set(key, e.object);
      if (old) this.emit('update', e.object, old);
      else this.emit('add', e.object);
    }
  }

  private emit(kind: 'add' | 'update' | 'delete', obj: KubeObject, old?: KubeObject): void {
    for (const h of this.handlers) {
      try {
        if (kind === 'add') h.add?.(obj);
        else if (kind === 'update') h.update?.(old!, obj);
        else h.delete?.(obj);
      } catch (err) {
        console.error(`badge: informer handler for ${this.ref.resource}:`, err);
      }
    }
  }
}
