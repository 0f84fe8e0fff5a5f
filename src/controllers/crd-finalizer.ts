// The clean-up of a deleted CustomResourceDefinition (AE pkg/controller/finalizer/crd_finalizer.go):
// its custom resources are deleted, then its finalizer is removed and the definition goes.
import { CUSTOM_RESOURCE_CLEANUP_FINALIZER, isCrdConditionTrue, setCrdCondition, type CrdCondition, type CustomResourceDefinition } from '../api/crd.js';
import type { Clock } from '../api/clock.js';
import { isNotFound } from '../api/errors.js';
import { formatTime } from '../api/meta.js';
import { ref, type Client, type ResourceRef } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { WorkQueue } from '../client/queue.js';
import { CRDS } from './crd-status.js';

/** How often the remaining custom resources are counted again. */
const POLL_MS = 1000;

/** The custom resources of a definition, through a version it serves (its storage version else). */
function resourceOf(crd: CustomResourceDefinition): ResourceRef {
  const versions = crd.spec?.versions ?? [];
  const version = versions.find((v) => v.served) ?? versions.find((v) => v.storage);
  return ref(crd.spec?.group ?? '', version?.name ?? '', crd.status?.acceptedNames?.plural || crd.spec?.names?.plural || '');
}

/** The in-process client's answer for a resource the registry does not serve (a remote one answers 404). */
const isUnserved = (err: unknown) => err instanceof Error && err.message.startsWith('no store for ');

export function crdFinalizer({ client, informers, clock }: { client: Client; informers: InformerFactory; clock: Clock }) {
  const informer = informers.forResource(CRDS);
  const queue = new WorkQueue('crd-finalizer', reconcile);

  const setStatus = async (crd: CustomResourceDefinition, condition: CrdCondition) => {
    setCrdCondition(crd, condition, formatTime(clock.now()));
    return client.update(CRDS, '', crd, 'status');
  };

  /** Deletes every custom resource, namespace by namespace; true once none is left. */
  async function deleteInstances(crd: CustomResourceDefinition): Promise<boolean> {
    const resource = resourceOf(crd);
    let items;
    try {
      ({ items } = await client.list(resource, ''));
    } catch (err) {
      if (isNotFound(err) || isUnserved(err)) return true; // nothing served, nothing to delete
      throw err;
    }
    for (const item of items) {
      if (item.metadata.deletionTimestamp) continue;
      try {
        await client.delete(resource, item.metadata.namespace ?? '', item.metadata.name!);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    return items.length === 0;
  }

  async function reconcile(name: string): Promise<void> {
    const cached = informer.get('', name);
    if (!cached?.metadata.deletionTimestamp || !cached.metadata.finalizers?.includes(CUSTOM_RESOURCE_CLEANUP_FINALIZER)) return;
    let crd = structuredClone(cached) as CustomResourceDefinition;
    if (isCrdConditionTrue(crd, 'Established')) {
      crd = await setStatus(crd, { type: 'Terminating', status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' });
      if (!(await deleteInstances(crd))) {
        queue.addAfter(name, POLL_MS);
        return;
      }
      crd = await setStatus(crd, { type: 'Terminating', status: 'False', reason: 'InstanceDeletionCompleted', message: 'removed all instances' });
    } else {
      crd = await setStatus(crd, { type: 'Terminating', status: 'False', reason: 'NeverEstablished', message: 'resource was never established' });
    }
    try {
      await client.mutate(CRDS, '', name, (cur) => ({ ...cur, metadata: { ...cur.metadata, finalizers: (cur.metadata.finalizers ?? []).filter((f) => f !== CUSTOM_RESOURCE_CLEANUP_FINALIZER) } }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  return {
    async start() {
      informers.start();
      await informer.waitForSync();
      informer.on({ add: (o) => queue.add(o.metadata.name!), update: (_, o) => queue.add(o.metadata.name!) });
    },
    stop: () => queue.stop(),
  };
}
