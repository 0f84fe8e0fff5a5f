// StorageObjectInUseProtection admission (plugin/pkg/admission/storage/storageobjectinuseprotection):
// a new PersistentVolume gets the kubernetes.io/pv-protection finalizer and a new claim
// kubernetes.io/pvc-protection, which the protection controllers remove once nothing uses them.
import { PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER } from '../api/storage-classes.js';
import type { AdmissionPlugin } from './chain.js';

const FINALIZERS: Record<string, string> = { persistentvolumes: PV_PROTECTION_FINALIZER, persistentvolumeclaims: PVC_PROTECTION_FINALIZER };

export function storageObjectInUseProtection(): AdmissionPlugin {
  return {
    name: 'StorageObjectInUseProtection',
    async admit(a) {
      const finalizer = FINALIZERS[a.resource.resource];
      if (a.operation !== 'CREATE' || a.subresource || a.resource.group !== '' || !finalizer || !a.object) return;
      const finalizers = a.object.metadata.finalizers ?? [];
      if (!finalizers.includes(finalizer)) a.object.metadata.finalizers = [...finalizers, finalizer];
    },
  };
}
