// NamespaceLifecycle admission: no new content in missing or terminating namespaces, and the
// system namespaces cannot be deleted. Namespaces are read from the shared informer (upstream's
// lister), with a live read only when the informer lacks the namespace, or when this server
// admitted the namespace's deletion in the last 30 s and the informer still shows it Active
// (upstream's forceLiveLookupCache).
import { forbidden, isNotFound, notFound } from '../api/errors.js';
import type { Namespace } from '../api/kinds.js';
import { R, type Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import type { SharedInformer } from '../client/informer.js';
import type { AdmissionPlugin } from './chain.js';

export const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];

/** forceLiveLookupTTL of upstream's plugin. */
const FORCE_LIVE_LOOKUP_MS = 30_000;

export interface NamespaceLifecycleAdmission extends AdmissionPlugin {
  /** Reads namespaces through the shared informers from now on. */
  start(informers: InformerFactory): Promise<void>;
}

/** `client` reads namespaces as the API server itself; `now` is the clock of the live-lookup cache. */
export function namespaceLifecycle(client: Client, now: () => number = Date.now): NamespaceLifecycleAdmission {
  let namespaces: SharedInformer<Namespace> | undefined;
  /** Namespaces whose deletion this server admitted: name → until when to read them live. */
  const forceLiveLookup = new Map<string, number>();

  const liveLookup = async (name: string): Promise<Namespace> => {
    try {
      return (await client.get(R.namespaces, '', name)) as Namespace;
    } catch (err) {
      if (isNotFound(err)) throw notFound({ group: '', resource: 'namespaces' }, name);
      throw err;
    }
  };
  const mustReadLive = (name: string, cached: Namespace): boolean => {
    const until = forceLiveLookup.get(name);
    if (until === undefined) return false;
    if (until <= now()) {
      forceLiveLookup.delete(name);
      return false;
    }
    return cached.status?.phase !== 'Terminating';
  };

  return {
    name: 'NamespaceLifecycle',
    async start(informers) {
      namespaces = informers.forResource(R.namespaces);
      informers.start();
      await namespaces.waitForSync();
    },
    async validate(a) {
      const gr = { group: a.resource.group, resource: a.resource.resource };
      if (a.operation === 'DELETE' && a.resource.resource === 'namespaces' && a.resource.group === '') {
        if (IMMORTAL_NAMESPACES.includes(a.name)) throw forbidden(gr, a.name, 'this namespace may not be deleted');
        for (const [name, until] of forceLiveLookup) if (until <= now()) forceLiveLookup.delete(name);
        forceLiveLookup.set(a.name, now() + FORCE_LIVE_LOOKUP_MS);
        return;
      }
      if (a.operation !== 'CREATE' || !a.resource.namespaced) return;
      const cached = namespaces?.get('', a.namespace);
      const ns = cached && !mustReadLive(a.namespace, cached) ? cached : await liveLookup(a.namespace);
      if (ns.status?.phase === 'Terminating') {
        throw forbidden(gr, a.name, `unable to create new content in namespace ${a.namespace} because it is being terminated`);
      }
    },
  };
}
