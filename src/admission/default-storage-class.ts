// DefaultStorageClass admission (plugin/pkg/admission/storage/storageclass/setdefault): a new
// PersistentVolumeClaim that names no class, by spec.storageClassName or the beta annotation, gets
// the default StorageClass, the one annotated storageclass.kubernetes.io/is-default-class: "true"
// (of several, the newest; of those made the same second, the first by name).
import { R, type Client } from '../client/client.js';
import { BETA_STORAGE_CLASS_ANNOTATION, isDefaultClass, newestDefault } from '../api/storage-classes.js';
import type { AdmissionPlugin } from './chain.js';

/** `client` reads StorageClasses as the API server itself. */
export function defaultStorageClass(client: Client): AdmissionPlugin {
  return {
    name: 'DefaultStorageClass',
    async admit(a) {
      if (a.operation !== 'CREATE' || a.subresource || a.resource.group !== '' || a.resource.resource !== 'persistentvolumeclaims' || !a.object) return;
      const spec = (a.object.spec ??= {}) as Record<string, unknown>;
      if (spec.storageClassName !== undefined || a.object.metadata.annotations?.[BETA_STORAGE_CLASS_ANNOTATION] !== undefined) return;
      const { items } = await client.list(R.storageclasses, '');
      const name = newestDefault(items, isDefaultClass)?.metadata.name;
      if (name) spec.storageClassName = name;
    },
  };
}
