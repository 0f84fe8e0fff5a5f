// NamespaceLifecycle admission: no new content in missing or terminating namespaces, and the
// system namespaces cannot be deleted.
import { forbidden, isNotFound, notFound } from '../api/errors.js';
import { R, type Client } from '../client/client.js';
import type { AdmissionPlugin } from './chain.js';

export const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];

/** `client` reads namespaces as the API server itself. */
export function namespaceLifecycle(client: Client): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    async validate(a) {
      const gr = { group: a.resource.group, resource: a.resource.resource };
      if (a.operation === 'DELETE' && a.resource.resource === 'namespaces' && a.resource.group === '' && IMMORTAL_NAMESPACES.includes(a.name)) {
        throw forbidden(gr, a.name, 'this namespace may not be deleted');
      }
      if (a.operation !== 'CREATE' || !a.resource.namespaced) return;
      let ns;
      try {
        ns = await client.get(R.namespaces, '', a.namespace);
      } catch (err) {
        if (isNotFound(err)) throw notFound({ group: '', resource: 'namespaces' }, a.namespace);
        throw err;
      }
      if ((ns.status as { phase?: string } | undefined)?.phase === 'Terminating') {
        throw forbidden(gr, a.name, `unable to create new content in namespace ${a.namespace} because it is being terminated`);
      }
    },
  };
}
