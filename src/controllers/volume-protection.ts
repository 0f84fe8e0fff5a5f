// The PVC and PV protection controllers (pkg/controller/volume/pvcprotection, pvprotection): a
// deleted claim keeps its kubernetes.io/pvc-protection finalizer while a pod that has not finished
// uses it (by a persistentVolumeClaim volume, or an ephemeral volume's claim `<pod>-<volume>`), and
// a deleted volume keeps kubernetes.io/pv-protection while it is Bound; then the finalizer goes.
import type { KubeObject } from '../api/meta.js';
import type { Pod } from '../api/kinds.js';
import { isNotFound } from '../api/errors.js';
import { PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER } from '../api/storage-classes.js';
import { R, type Client, type ResourceRef } from '../client/client.js';
import { waitForSync } from '../client/informer.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { keyOf } from '../client/object-cache.js';
import { WorkQueue } from '../client/queue.js';
import { asPatch, isTerminal, splitKey } from './controller-utils.js';

export interface VolumeProtectionDeps {
  client: Client;
  informers: InformerFactory;
}

/** The claims a pod uses, by name. */
export function claimsOf(pod: Pod): string[] {
  return (pod.spec?.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : v.ephemeral ? [`${pod.metadata.name}-${v.name}`] : []));
}

/** Removes `finalizer` from the object, if it is still the same one. */
async function removeFinalizer<T extends KubeObject>(client: Client, ref: ResourceRef<T>, o: T, finalizer: string): Promise<void> {
  try {
    await client.mutate(ref, o.metadata.namespace ?? '', o.metadata.name!, (cur) => {
      if (cur.metadata.uid !== o.metadata.uid || !cur.metadata.finalizers?.includes(finalizer)) return cur;
      cur.metadata.finalizers = cur.metadata.finalizers.filter((f) => f !== finalizer);
      return asPatch(cur);
    });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

export function volumeProtectionController({ client, informers }: VolumeProtectionDeps) {
  const claims = informers.forResource(R.persistentvolumeclaims);
  const volumes = informers.forResource(R.persistentvolumes);
  const pods = informers.forResource(R.pods);
  const claimQueue = new WorkQueue('pvc-protection', syncClaim, 1000, 60_000);
  const volumeQueue = new WorkQueue('pv-protection', syncVolume, 1000, 60_000);
  const beingDeleted = (o: KubeObject, finalizer: string) => !!o.metadata.deletionTimestamp && !!o.metadata.finalizers?.includes(finalizer);

  async function syncClaim(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const claim = claims.get(ns, name);
    if (!claim || !beingDeleted(claim, PVC_PROTECTION_FINALIZER)) return;
    // The cache may lag behind a pod just made: the server's list decides, as upstream's live check does.
    const { items } = await client.list(R.pods, ns);
    if (items.some((p) => !isTerminal(p) && claimsOf(p).includes(name))) return;
    await removeFinalizer(client, R.persistentvolumeclaims, claim, PVC_PROTECTION_FINALIZER);
  }

  async function syncVolume(name: string): Promise<void> {
    const pv = volumes.get('', name);
    if (!pv || !beingDeleted(pv, PV_PROTECTION_FINALIZER) || pv.status?.phase === 'Bound') return;
    await removeFinalizer(client, R.persistentvolumes, pv, PV_PROTECTION_FINALIZER);
  }

  /** A pod that finished or went may free the claims it used. */
  const podChanged = (pod: Pod) => {
    for (const c of claimsOf(pod)) if (claims.get(pod.metadata.namespace ?? '', c)) claimQueue.add(`${pod.metadata.namespace}/${c}`);
  };

  return {
    async start() {
      informers.start();
      await waitForSync(claims, volumes, pods);
      claims.on({ add: (c) => claimQueue.add(keyOf(c)), update: (_, c) => claimQueue.add(keyOf(c)) });
      volumes.on({ add: (v) => volumeQueue.add(v.metadata.name!), update: (_, v) => volumeQueue.add(v.metadata.name!) });
      pods.on({ update: (_, p) => isTerminal(p) && podChanged(p), delete: podChanged });
    },
    stop() {
      claimQueue.stop();
      volumeQueue.stop();
    },
  };
}
