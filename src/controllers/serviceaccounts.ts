// The service account controller (pkg/controller/serviceaccount/serviceaccounts_controller.go):
// every Active namespace has the ServiceAccount `default`; deleting it brings it back.
import type { Namespace } from '../api/kinds.js';
import { R, type Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { waitForSync } from '../client/informer.js';
import { WorkQueue } from '../client/queue.js';
import { isNotFound } from '../api/errors.js';
import { DEFAULT_SERVICE_ACCOUNT } from '../api/well-known.js';

const phaseOf = (o: Namespace) => o.status?.phase;

/** Errors a create may meet and still be done: it exists, or its namespace is missing or going away. */
export const settled = (err: unknown) => {
  const code = (err as { code?: number }).code;
  return isNotFound(err) || code === 409 || code === 403;
};

export function serviceAccountsController({ client, informers }: { client: Client; informers: InformerFactory }) {
  const namespaces = informers.forResource(R.namespaces);
  const serviceAccounts = informers.forResource(R.serviceaccounts);
  const queue = new WorkQueue('serviceaccount-controller', reconcile);

  async function reconcile(namespace: string): Promise<void> {
    const ns = namespaces.get('', namespace);
    if (!ns || phaseOf(ns) !== 'Active') return;
    if (serviceAccounts.get(namespace, DEFAULT_SERVICE_ACCOUNT)) return;
    try {
      await client.create(R.serviceaccounts, namespace, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace } });
    } catch (err) {
      if (!settled(err)) throw err;
    }
  }

  return {
    async start() {
      informers.start();
      await waitForSync(namespaces, serviceAccounts);
      namespaces.on({ add: (o) => queue.add(o.metadata.name!), update: (_, o) => queue.add(o.metadata.name!) });
      serviceAccounts.on({ delete: (o) => queue.add(o.metadata.namespace!) });
    },
    stop: () => queue.stop(),
  };
}
