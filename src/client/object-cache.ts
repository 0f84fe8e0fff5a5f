// An informer's cache (client-go's thread-safe store with indexers): frozen objects by
// namespace/name, and indexes from a value (a namespace, an owner's uid, a node name…) to the
// objects that have it, so that reading a part of the cache costs the size of the part.
import { matchesLabels, type LabelSelector } from '../api/labels.js';
import type { Pod } from '../api/kinds.js';
import { deepFreeze, type KubeObject } from '../api/meta.js';

/** The values an object is filed under in an index (none: not in it). */
export type IndexFunc<T extends KubeObject = KubeObject> = (obj: T) => string[];

export const keyOf = (o: KubeObject) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name!);

/** The built-in indexes: every object by namespace, and by the uid of its controller (ownerReferences with controller: true). */
export const NAMESPACE_INDEX = 'namespace';
export const CONTROLLER_INDEX = 'controller';
const byNamespace: IndexFunc = (o) => [o.metadata.namespace ?? ''];
const byController: IndexFunc = (o) => {
  const ref = o.metadata.ownerReferences?.find((r) => r.controller === true);
  return ref ? [ref.uid] : [];
};

/** An index of pods by the node they are bound to (spec.nodeName; '' before they are), for the scheduler and the node agent. */
export const NODE_NAME_INDEX = 'nodeName';
export const podsByNodeName: IndexFunc<Pod> = (p) => [p.spec?.nodeName ?? ''];

interface Index<T extends KubeObject> {
  of: IndexFunc<T>;
  /** value → key → object */
  entries: Map<string, Map<string, T>>;
}

export class ObjectCache<T extends KubeObject = KubeObject> {
  private readonly objects = new Map<string, T>();
  private readonly indexes = new Map<string, Index<T>>();

  constructor() {
    this.addIndex(NAMESPACE_INDEX, byNamespace);
    this.addIndex(CONTROLLER_INDEX, byController);
  }

  /** Adds an index (once per name: the first definition stays), filing what is cached already. */
  addIndex(name: string, of: IndexFunc<T>): void {
    if (this.indexes.has(name)) return;
    const index: Index<T> = { of, entries: new Map() };
    this.indexes.set(name, index);
    for (const [key, obj] of this.objects) file(index, key, obj);
  }

  get(key: string): T | undefined {
    return this.objects.get(key);
  }

  all(): T[] {
    return [...this.objects.values()];
  }

  /** The objects an index files under a value (an unknown index is an error: a typo must not read as "none"). */
  byIndex(name: string, value: string): T[] {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`no index ${JSON.stringify(name)}`);
    const entries = index.entries.get(value);
    return entries ? [...entries.values()] : [];
  }

  /** Objects of a namespace (all of them when namespace is undefined) whose labels a selector matches. */
  select(namespace: string | undefined, selector: LabelSelector): T[] {
    const from = namespace === undefined ? this.objects.values() : (this.indexes.get(NAMESPACE_INDEX)!.entries.get(namespace)?.values() ?? []);
    const out: T[] = [];
    for (const o of from) if (matchesLabels(selector, o.metadata.labels)) out.push(o);
    return out;
  }

  /** Stores an object, frozen (the caller gives it up): answers with what it replaced. */
  put(obj: T): { now: T; old?: T } {
    const now = deepFreeze(obj) as T;
    const key = keyOf(now);
    const old = this.objects.get(key);
    this.objects.set(key, now);
    for (const index of this.indexes.values()) {
      // Values the object keeps are filed again in place, so an index keeps the cache's order.
      const values = index.of(now);
      if (old) unfile(index, key, old, values);
      file(index, key, now, values);
    }
    return { now, old };
  }

  remove(key: string): void {
    const old = this.objects.get(key);
    if (!old) return;
    this.objects.delete(key);
    for (const index of this.indexes.values()) unfile(index, key, old);
  }
}

function file<T extends KubeObject>(index: Index<T>, key: string, obj: T, values = index.of(obj)): void {
  for (const value of values) {
    let entries = index.entries.get(value);
    if (!entries) index.entries.set(value, (entries = new Map()));
    entries.set(key, obj);
  }
}

/** Takes the object out of the index, except under the values it keeps. */
function unfile<T extends KubeObject>(index: Index<T>, key: string, obj: T, keep: string[] = []): void {
  for (const value of index.of(obj)) {
    if (keep.includes(value)) continue;
    const entries = index.entries.get(value);
    if (!entries) continue;
    entries.delete(key);
    if (!entries.size) index.entries.delete(value);
  }
}
