// The ConfigMap kube-system/extension-apiserver-authentication, as kube-apiserver's cluster
// authentication trust controller publishes it: what a server behind an APIService needs to trust
// this one's requests (the CA of client certificates, and requestheader authentication: the CA
// and names of the front proxy's client certificate, and the X-Remote-* headers it sets).
// Restored when it is changed or deleted.
import { FRONT_PROXY_CLIENT } from '../api/apiservices.js';
import { deepEqual } from '../api/meta.js';
import { R, type Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { WorkQueue } from '../client/queue.js';

export const AUTHENTICATION_CONFIGMAP = 'extension-apiserver-authentication';
const KUBE_SYSTEM = 'kube-system';

/** The ConfigMap's data: the CA signs both the clients' certificates and the front proxy's. */
export function authenticationTrustData(ca: string): Record<string, string> {
  return {
    'client-ca-file': ca,
    'requestheader-allowed-names': JSON.stringify([FRONT_PROXY_CLIENT]),
    'requestheader-client-ca-file': ca,
    'requestheader-extra-headers-prefix': JSON.stringify(['X-Remote-Extra-']),
    'requestheader-group-headers': JSON.stringify(['X-Remote-Group']),
    'requestheader-username-headers': JSON.stringify(['X-Remote-User']),
  };
}

export function authenticationTrust({ client, informers, rootCA }: { client: Client; informers: InformerFactory; rootCA: string }) {
  const configMaps = informers.forResource(R.configmaps);
  const data = authenticationTrustData(rootCA);
  const queue = new WorkQueue('cluster-authentication-trust', async () => {
    const cm = configMaps.get(KUBE_SYSTEM, AUTHENTICATION_CONFIGMAP);
    try {
      if (!cm) await client.create(R.configmaps, KUBE_SYSTEM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: AUTHENTICATION_CONFIGMAP, namespace: KUBE_SYSTEM }, data });
      else if (!deepEqual(cm.data ?? {}, data)) await client.update(R.configmaps, KUBE_SYSTEM, { ...structuredClone(cm), data });
    } catch (err) {
      // A conflict, or a create that lost to another, brings another event and another try.
      if ((err as { code?: number }).code !== 409) throw err;
    }
  });
  const ours = (o: { metadata: { namespace?: string; name?: string } }) => o.metadata.namespace === KUBE_SYSTEM && o.metadata.name === AUTHENTICATION_CONFIGMAP;
  const poke = (o: { metadata: { namespace?: string; name?: string } }) => ours(o) && queue.add(AUTHENTICATION_CONFIGMAP);
  return {
    async start() {
      informers.start();
      await configMaps.waitForSync();
      configMaps.on({ add: poke, update: (_, o) => poke(o), delete: poke });
      queue.add(AUTHENTICATION_CONFIGMAP);
    },
    stop: () => queue.stop(),
  };
}
