// NamespaceLifecycle admission: no new content in missing or terminating namespaces, and the
// system namespaces cannot be deleted.
import { forbidden, isNotFound, notFound } from '../../api/errors.js';
import type { Registry } from '../../registry/registry.js';
import type { AdmissionPlugin } from '../../registry/admission.js';

export const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];

export function namespaceLifecycle(registry: Registry): AdmissionPlugin {
  const namespaces = () => registry.mustStore('', 'v1', 'namespaces');
  return {
    name: 'NamespaceLifecycle',
    async validate(a) {
      const gr = { group: a.def.group, resource: a.def.resource };
      if (a.operation === 'DELETE' && a.def.resource === 'namespaces' && a.def.group === '' && IMMORTAL_NAMESPACES.includes(a.name)) {
        throw forbidden(gr, a.name, 'this namespace may not be deleted');
      }
      if (a.operation !== 'CREATE' || !a.def.namespaced || a.def.createOnly) return;
      let ns;
      try {
        ns = await namespaces().get(a.ctx, '', a.namespace);
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
