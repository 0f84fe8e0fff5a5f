// The clean-up of a deleted CustomResourceDefinition (AE pkg/controller/finalizer/crd_finalizer.go):
// its custom resources are deleted (a DeleteCollection per namespace that has any), counted again
// until none is left, then its finalizer is removed and the definition goes.
import { CUSTOM_RESOURCE_CLEANUP_FINALIZER, findCrdCondition, isCrdConditionTrue, setCrdCondition, type CrdCondition, type CustomResourceDefinition } from '../api/crd.js';
import { aggregateText } from '../api/aggregate.js';
import type { Clock } from '../api/clock.js';
import { isNotFound } from '../api/errors.js';
import { formatTime } from '../api/meta.js';
import { ref, type Client, type ResourceRef } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { WorkQueue } from '../client/queue.js';
import { CRDS } from './crd-status.js';

/** How often the remaining custom resources are counted again, and for how long (wait.PollImmediate's 5 s and 1 min). */
const POLL_MS = 5000;
const POLL_FOR_MS = 60_000;

/** The custom resources of a definition, through a version it serves (its storage version else). */
function resourceOf(crd: CustomResourceDefinition): ResourceRef {
  const versions = crd.spec?.versions ?? [];
  const version = versions.find((v) => v.served) ?? versions.find((v) => v.storage);
  return ref(crd.spec?.group ?? '', version?.name ?? '', crd.status?.acceptedNames?.plural || crd.spec?.names?.plural || '');
}

/** The in-process client's answer for a resource the registry does not serve (a remote one answers 404). */
const isUnserved = (err: unknown) => err instanceof Error && err.message.startsWith('no store for ');

const terminating = (status: 'True' | 'False', reason: string, message: string): CrdCondition => ({ type: 'Terminating', status, reason, message });

export function crdFinalizer({ client, informers, clock, pollMs = POLL_MS }: { client: Client; informers: InformerFactory; clock: Clock; pollMs?: number }) {
  const informer = informers.forResource(CRDS);
  const queue = new WorkQueue('crd-finalizer', reconcile);
  /** When each definition's instances were first found still there after their deletes. */
  const waitingSince = new Map<string, number>();

  const setStatus = async (crd: CustomResourceDefinition, condition: CrdCondition) => {
    const had = findCrdCondition(crd, condition.type);
    if (had && had.status === condition.status && had.reason === condition.reason && had.message === condition.message) return crd;
    setCrdCondition(crd, condition, formatTime(clock.now()));
    return client.update(CRDS, '', crd, 'status');
  };

  /**
   * deleteInstances: a DeleteCollection per namespace that has any, then whether none is left
   * (undefined while some are still going, their own finalizers pending); the condition to set.
   */
  async function deleteInstances(crd: CustomResourceDefinition): Promise<CrdCondition | undefined> {
    const resource = resourceOf(crd);
    const listed = async () => {
      try {
        return (await client.list(resource, '')).items;
      } catch (err) {
        if (isNotFound(err) || isUnserved(err)) return []; // nothing served, nothing stored to delete
        throw err;
      }
    };
    let items;
    try {
      items = await listed();
    } catch (err) {
      return terminating('True', 'InstanceDeletionFailed', `could not list instances: ${(err as Error).message}`);
    }
    const errors: string[] = [];
    // Deletes once per wait: while the instances' own finalizers run, they are only counted.
    const waiting = waitingSince.has(crd.metadata.name!);
    for (const namespace of waiting ? [] : new Set(items.map((i) => i.metadata.namespace ?? ''))) {
      try {
        await client.deleteCollection(resource, namespace);
      } catch (err) {
        if (!isNotFound(err)) errors.push((err as Error).message);
      }
    }
    if (errors.length) return terminating('True', 'InstanceDeletionFailed', `could not issue all deletes: ${aggregateText(errors)}`);
    const left = (await listed()).length;
    if (left === 0) {
      waitingSince.delete(crd.metadata.name!);
      return terminating('False', 'InstanceDeletionCompleted', 'removed all instances');
    }
    const since = waitingSince.get(crd.metadata.name!) ?? clock.now().getTime();
    waitingSince.set(crd.metadata.name!, since);
    if (clock.now().getTime() - since < POLL_FOR_MS) return undefined;
    waitingSince.delete(crd.metadata.name!);
    return terminating('True', 'InstanceDeletionCheck', 'could not confirm zero CustomResources remaining: timed out waiting for the condition');
  }

  async function reconcile(name: string): Promise<void> {
    const cached = informer.get('', name);
    if (!cached?.metadata.deletionTimestamp || !cached.metadata.finalizers?.includes(CUSTOM_RESOURCE_CLEANUP_FINALIZER)) return;
    let crd = structuredClone(cached) as CustomResourceDefinition;
    if (isCrdConditionTrue(crd, 'Established')) {
      crd = await setStatus(crd, terminating('True', 'InstanceDeletionInProgress', 'CustomResource deletion is in progress'));
      const done = await deleteInstances(crd);
      if (done?.status !== 'False') {
        // Not yet (or failed): the condition says why, and the clean-up runs again.
        if (done) await setStatus(crd, done);
        queue.addAfter(name, pollMs);
        return;
      }
      crd = await setStatus(crd, done);
    } else {
      crd = await setStatus(crd, terminating('False', 'NeverEstablished', 'resource was never established'));
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
