// The root CA publisher (pkg/controller/certificates/rootcacertpublisher): every namespace has the
// ConfigMap `kube-root-ca.crt` with the cluster CA, restored when it is changed or deleted.
import type { KubeObject } from '../api/meta.js';
import { deepEqual } from '../api/meta.js';
import { R, type Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { waitForSync } from '../client/informer.js';
import { WorkQueue } from '../client/queue.js';
import { settled } from './serviceaccounts.js';
import { ROOT_CA_CONFIGMAP } from '../api/well-known.js';

export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
export const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export interface RootCaDeps {
  client: Client;
  informers: InformerFactory;
  /** The cluster CA certificate (PEM). */
  rootCA: string;
}

export function rootCaPublisher({ client, informers, rootCA }: RootCaDeps) {
  const namespaces = informers.forResource(R.namespaces);
  const configMaps = informers.forResource(R.configmaps);
  const queue = new WorkQueue('root-ca-cert-publisher', reconcile);
  const data = () => ({ 'ca.crt': rootCA });

  async function reconcile(namespace: string): Promise<void> {
    const cm = configMaps.get(namespace, ROOT_CA_CONFIGMAP);
    if (!cm) {
      try {
        await client.create(R.configmaps, namespace, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: ROOT_CA_CONFIGMAP, namespace, annotations: { [DESCRIPTION_ANNOTATION]: ROOT_CA_DESCRIPTION } },
          data: data(),
        });
      } catch (err) {
        if (!settled(err)) throw err;
      }
      return;
    }
    if (deepEqual(cm.data ?? {}, data()) && cm.metadata.annotations?.[DESCRIPTION_ANNOTATION]) return;
    const fixed = structuredClone(cm);
    fixed.data = data();
    fixed.metadata.annotations = { ...fixed.metadata.annotations, [DESCRIPTION_ANNOTATION]: ROOT_CA_DESCRIPTION };
    try {
      await client.update(R.configmaps, namespace, fixed);
    } catch (err) {
      // A conflict or a delete brings another event, and with it another try.
      const code = (err as { code?: number }).code;
      if (code !== 409 && code !== 404) throw err;
    }
  }

  const ours = (o: KubeObject) => o.metadata.name === ROOT_CA_CONFIGMAP;
  return {
    async start() {
      informers.start();
      await waitForSync(namespaces, configMaps);
      namespaces.on({
        add: (o) => queue.add(o.metadata.name!),
        update: (_, o) => {
          if (o.status?.phase === 'Active') queue.add(o.metadata.name!);
        },
      });
      configMaps.on({
        update: (_, o) => ours(o) && queue.add(o.metadata.namespace!),
        delete: (o) => ours(o) && queue.add(o.metadata.namespace!),
      });
    },
    stop: () => queue.stop(),
  };
}
