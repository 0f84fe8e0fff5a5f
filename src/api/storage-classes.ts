// Well-known names of storage classes and volumes the registry, admission and controllers share
// (k8s.io/component-helpers/storage and pkg/controller/volume/persistentvolume), and the contract
// between the local provisioner (controllers/persistent-volume.ts) and its file system side
// (node/local-volumes.ts), which app.ts joins.
import type { KubeObject } from './meta.js';

export const IS_DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
const BETA_IS_DEFAULT_CLASS = 'storageclass.beta.kubernetes.io/is-default-class';
/** The claim annotation that named a class before spec.storageClassName existed. */
export const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';
export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';

/** storageutil.IsDefaultAnnotation: the class is a default one. */
export const isDefaultClass = (o: KubeObject): boolean =>
  o.metadata.annotations?.[IS_DEFAULT_CLASS] === 'true' || o.metadata.annotations?.[BETA_IS_DEFAULT_CLASS] === 'true';

/** Of the objects `isDefault` picks, the newest; of those made the same second, the first by name. */
export function newestDefault<T extends KubeObject>(items: readonly T[], isDefault: (o: T) => boolean): T | undefined {
  const created = (o: T) => Date.parse(o.metadata.creationTimestamp ?? '');
  return items.filter(isDefault).sort((a, b) => created(b) - created(a) || a.metadata.name!.localeCompare(b.metadata.name!))[0];
}

/** The file-system side of the local provisioner. */
export interface LocalVolumes {
  /** Makes the directory of a new volume (world-writable, as local-path-provisioner makes them); answers its path. */
  create(name: string): string;
  /** Removes a volume's directory and everything in it. */
  remove(path: string): void;
}
