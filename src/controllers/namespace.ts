// The namespace controller: once a namespace is being deleted, delete everything in it, then
// remove the `kubernetes` finalizer (through /finalize) and let the namespace go.
import { R, type Client, type ResourceRef } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { WorkQueue } from '../client/queue.js';
import { isNotFound } from '../api/errors.js';
import { FINALIZER_KUBERNETES } from '../api/well-known.js';

export interface NamespaceControllerDeps {
  client: Client;
  informers: InformerFactory;
  /** Every namespaced resource whose objects die with their namespace (asked for each namespace deleted: custom resources come and go). */
  namespacedResources: () => ResourceRef[];
}

export function namespaceController({ client, informers, namespacedResources }: NamespaceControllerDeps) {
  const informer = informers.forResource(R.namespaces);
  const queue = new WorkQueue('namespace-controller', reconcile);

  async function reconcile(name: string): Promise<void> {
    const ns = informer.get('', name);
    if (!ns?.metadata.deletionTimestamp) return;
    let remaining = 0;
    for (const ref of namespacedResources()) {
      const { items } = await client.list(ref, name);
      for (const item of items) {
        remaining++;
        if (item.metadata.deletionTimestamp) continue;
        try {
          await client.delete(ref, name, item.metadata.name!, { propagationPolicy: 'Background' });
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
    }
    if (remaining > 0) {
      queue.addAfter(name, 500);
      return;
    }
    const finalizers = ns.spec?.finalizers ?? [];
    if (finalizers.includes(FINALIZER_KUBERNETES)) {
      const spec = { ...ns.spec, finalizers: finalizers.filter((f) => f !== FINALIZER_KUBERNETES) };
      await client.update(R.namespaces, '', { ...ns, spec }, 'finalize');
    }
    try {
      await client.delete(R.namespaces, '', name);
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
