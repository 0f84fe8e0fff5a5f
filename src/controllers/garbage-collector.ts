// The garbage collector: objects whose owners are all gone are deleted; an owner deleted in the
// foreground waits for its blocking dependents; an owner deleted with orphan releases them. It
// follows the served resources as they change (custom resources come and go), one informer each,
// as upstream's GC resyncs its monitors from discovery.
import type { KubeObject, OwnerReference } from '../api/meta.js';
import { splitApiVersion } from '../api/meta.js';
import type { Client, ResourceRef } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { WorkQueue } from '../client/queue.js';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from '../api/operations.js';
import { isNotFound } from '../api/errors.js';

export interface GcResource extends ResourceRef {
  kind: string;
  namespaced: boolean;
}

interface Node {
  resource: GcResource;
  obj: KubeObject;
}

/** How many deleted owners are remembered as gone (upstream's absentOwnerCache holds 500). */
const ABSENT_OWNERS = 500;

const keyOf = (r: ResourceRef) => `${r.group}/${r.version}/${r.resource}`;

export interface GcDeps {
  client: Client;
  informers: InformerFactory;
  /** The resources whose objects are collected (those stored, each once), as served now. */
  resources: () => GcResource[];
  /** Calls the listener after each change of the served resources; answers the function that stops it. */
  onResourcesChange?: (listener: () => void) => () => void;
}

export function garbageCollector({ client, informers, resources, onResourcesChange }: GcDeps) {
  const byUid = new Map<string, Node>();
  const dependents = new Map<string, Set<string>>();
  /** Owners seen deleted: a dependent's owner of a kind no longer served (its CRD gone) is known gone. */
  const absent = new Set<string>();
  /** The resources watched now, by group/version/resource. */
  const monitors = new Map<string, GcResource>();
  let current: GcResource[] = [];
  let unsubscribe = () => {};
  const queue = new WorkQueue('garbage-collector', process);
  const resourceOf = (ref: OwnerReference): GcResource | undefined => {
    const { group } = splitApiVersion(ref.apiVersion);
    return current.find((r) => r.group === group && r.kind === ref.kind);
  };

  /** Watches what is served and was not, stops watching what is no longer served; resolves when the new ones are synced. */
  function syncMonitors(): Promise<void> {
    current = resources();
    const keys = new Set(current.map(keyOf));
    for (const [key, r] of monitors) {
      if (keys.has(key)) continue;
      monitors.delete(key);
      informers.remove(r);
    }
    const added = current.filter((r) => !monitors.has(keyOf(r))).map((r) => ({ r, informer: informers.forResource(r) }));
    for (const { r } of added) monitors.set(keyOf(r), r);
    informers.start();
    return Promise.all(
      added.map(async ({ r, informer }) => {
        await informer.waitForSync();
        // A resource gone again before its first list came in is not watched.
        if (monitors.get(keyOf(r)) === r) informer.on(observe(r));
      }),
    ).then(() => undefined);
  }

  function index(node: Node, present: boolean): void {
    const uid = node.obj.metadata.uid!;
    for (const ref of node.obj.metadata.ownerReferences ?? []) {
      const set = dependents.get(ref.uid) ?? new Set<string>();
      if (present) set.add(uid);
      else set.delete(uid);
      if (set.size) dependents.set(ref.uid, set);
      else dependents.delete(ref.uid);
    }
    if (present) byUid.set(uid, node);
    else byUid.delete(uid);
  }

  /** An informer's events, while its resource is watched (a removed informer's handlers stay registered but silent). */
  const observe = (resource: GcResource) => {
    const watching = () => monitors.get(keyOf(resource)) === resource;
    const h = handlers(resource);
    return {
      add: (obj: KubeObject) => watching() && h.add(obj),
      update: (old: KubeObject, obj: KubeObject) => watching() && h.update(old, obj),
      delete: (obj: KubeObject) => watching() && h.delete(obj),
    };
  };

  const handlers = (resource: GcResource) => ({
    add(obj: KubeObject) {
      index({ resource, obj }, true);
      queue.add(obj.metadata.uid!);
    },
    update(old: KubeObject, obj: KubeObject) {
      index({ resource, obj: old }, false);
      index({ resource, obj }, true);
      queue.add(obj.metadata.uid!);
    },
    delete(obj: KubeObject) {
      index({ resource, obj }, false);
      absent.add(obj.metadata.uid!);
      if (absent.size > ABSENT_OWNERS) absent.delete(absent.values().next().value!);
      for (const d of dependents.get(obj.metadata.uid!) ?? []) queue.add(d);
      // An owner waiting in the foreground re-checks when a dependent goes.
      for (const ref of obj.metadata.ownerReferences ?? []) queue.add(ref.uid);
    },
  });

  /** Whether an owner still exists: known in the cache, else asked of the API (the cache may lag). */
  async function ownerExists(ref: OwnerReference, namespace: string): Promise<boolean> {
    if (byUid.has(ref.uid)) return true;
    if (absent.has(ref.uid)) return false;
    const r = resourceOf(ref);
    if (!r) return true; // an owner of a kind we do not serve: leave the dependent alone
    try {
      const owner = await client.get(r, r.namespaced ? namespace : '', ref.name);
      return owner.metadata.uid === ref.uid;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async function process(uid: string): Promise<void> {
    const node = byUid.get(uid);
    if (!node) return;
    const { resource, obj } = node;
    const ns = obj.metadata.namespace ?? '';
    const finalizers = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp && finalizers.includes(ORPHAN_FINALIZER)) return orphanDependents(node);
    if (obj.metadata.deletionTimestamp && finalizers.includes(FOREGROUND_FINALIZER)) return deleteDependentsFirst(node);
    const refs = obj.metadata.ownerReferences ?? [];
    if (!refs.length || obj.metadata.deletionTimestamp) return;
    const exists = await Promise.all(refs.map((r) => ownerExists(r, ns)));
    const dangling = refs.filter((_, i) => !exists[i]);
    if (!dangling.length) {
      // Owners being deleted in the foreground take their dependents with them.
      const foregroundOwner = refs.some((r) => byUid.get(r.uid)?.obj.metadata.finalizers?.includes(FOREGROUND_FINALIZER) && byUid.get(r.uid)?.obj.metadata.deletionTimestamp);
      if (foregroundOwner) await remove(resource, ns, obj, 'Foreground');
      return;
    }
    if (dangling.length === refs.length) return remove(resource, ns, obj, 'Background');
    const gone = new Set(dangling.map((r) => r.uid));
    await client.mutate(resource, ns, obj.metadata.name!, (cur) => {
      cur.metadata.ownerReferences = (cur.metadata.ownerReferences ?? []).filter((r) => !gone.has(r.uid));
      return cur;
    });
  }

  async function remove(resource: GcResource, ns: string, obj: KubeObject, propagationPolicy: string): Promise<void> {
    try {
      await client.delete(resource, ns, obj.metadata.name!, { propagationPolicy, preconditions: { uid: obj.metadata.uid } });
    } catch (err) {
      if (!isNotFound(err) && (err as { code?: number }).code !== 409) throw err;
    }
  }

  async function deleteDependentsFirst({ resource, obj }: Node): Promise<void> {
    let blocking = 0;
    for (const d of dependents.get(obj.metadata.uid!) ?? []) {
      const dep = byUid.get(d);
      if (!dep) continue;
      const ref = dep.obj.metadata.ownerReferences?.find((r) => r.uid === obj.metadata.uid);
      if (ref?.blockOwnerDeletion) blocking++;
      if (!dep.obj.metadata.deletionTimestamp) await remove(dep.resource, dep.obj.metadata.namespace ?? '', dep.obj, 'Foreground');
    }
    if (blocking) return;
    await dropFinalizer(resource, obj, FOREGROUND_FINALIZER);
  }

  async function orphanDependents({ resource, obj }: Node): Promise<void> {
    for (const d of [...(dependents.get(obj.metadata.uid!) ?? [])]) {
      const dep = byUid.get(d);
      if (!dep) continue;
      try {
        await client.mutate(dep.resource, dep.obj.metadata.namespace ?? '', dep.obj.metadata.name!, (cur) => {
          cur.metadata.ownerReferences = (cur.metadata.ownerReferences ?? []).filter((r) => r.uid !== obj.metadata.uid);
          if (!cur.metadata.ownerReferences.length) delete cur.metadata.ownerReferences;
          return cur;
        });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    await dropFinalizer(resource, obj, ORPHAN_FINALIZER);
  }

  async function dropFinalizer(resource: GcResource, obj: KubeObject, finalizer: string): Promise<void> {
    try {
      await client.mutate(resource, obj.metadata.namespace ?? '', obj.metadata.name!, (cur) => {
        if (cur.metadata.uid !== obj.metadata.uid) return cur;
        const rest = (cur.metadata.finalizers ?? []).filter((f) => f !== finalizer);
        if (rest.length) cur.metadata.finalizers = rest;
        else delete cur.metadata.finalizers;
        return cur;
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  return {
    async start() {
      await syncMonitors();
      unsubscribe = onResourcesChange?.(() => void syncMonitors()) ?? unsubscribe;
    },
    stop: () => {
      unsubscribe();
      queue.stop();
    },
  };
}
