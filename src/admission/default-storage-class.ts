// DefaultStorageClass admission (plugin/pkg/admission/storage/storageclass/setdefault): a new
// PersistentVolumeClaim that names no class, by spec.storageClassName or the beta annotation, gets
// the default StorageClass, the one annotated storageclass.kubernetes.io/is-default-class: "true"
// (of several, the newest; of those made the same second, the first by name). Once started, the
// classes are listed from the shared informer, as upstream lists its lister: a default class the
// informer has not seen yet is not given (the claim keeps no class), as upstream.
import type { StorageClass } from '../api/kinds.js';
import { R, type Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import type { SharedInformer } from '../client/informer.js';
import { BETA_STORAGE_CLASS_ANNOTATION, isDefaultClass, newestDefault } from '../api/storage-classes.js';
import type { AdmissionPlugin } from './chain.js';

export interface DefaultStorageClassAdmission extends AdmissionPlugin {
  /** Lists StorageClasses from the shared informers from now on. */
  start(informers: InformerFactory): Promise<void>;
}

/** `client` reads StorageClasses as the API server itself until `start`. */
export function defaultStorageClass(client: Client): DefaultStorageClassAdmission {
  let classes: SharedInformer<StorageClass> | undefined;
  return {
    name: 'DefaultStorageClass',
    async start(informers) {
      classes = informers.forResource(R.storageclasses);
      informers.start();
      await classes.waitForSync();
    },
    async admit(a) {
      if (a.operation !== 'CREATE' || a.subresource || a.resource.group !== '' || a.resource.resource !== 'persistentvolumeclaims' || !a.object) return;
      const spec = (a.object.spec ??= {}) as Record<string, unknown>;
      if (spec.storageClassName !== undefined || a.object.metadata.annotations?.[BETA_STORAGE_CLASS_ANNOTATION] !== undefined) return;
      const items = classes ? classes.list() : (await client.list(R.storageclasses, '')).items;
      const name = newestDefault(items, isDefaultClass)?.metadata.name;
      if (name) spec.storageClassName = name;
    },
  };
}
