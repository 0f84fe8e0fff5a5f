// core/v1 PersistentVolume (k8s.io/api/core/v1) and the volume sources only a PersistentVolume
// holds, as served by Kubernetes 1.32. Sources a pod volume shares come from core-pod.ts.
import { arr, bool, described, embed, mapOf, obj, pb, ptr, quantity, str, stringMap, time, type ObjectSchema, type Schema } from '../../api/schema.js';
import {
  awsElasticBlockStoreVolumeSource,
  azureDiskVolumeSource,
  azureFileVolumeSource,
  cephFSVolumeSource,
  cinderVolumeSource,
  fcVolumeSource,
  flexVolumeSource,
  flockerVolumeSource,
  gcePersistentDiskVolumeSource,
  glusterfsVolumeSource,
  hostPathVolumeSource,
  iscsiVolumeSource,
  nfsVolumeSource,
  nodeSelector,
  objectReference,
  photonPersistentDiskVolumeSource,
  portworxVolumeSource,
  quobyteVolumeSource,
  rbdVolumeSource,
  scaleIOVolumeSource,
  storageOSVolumeSource,
  vsphereVirtualDiskVolumeSource,
} from './core-pod.js';
import { kind } from './meta.js';

const CORE = 'io.k8s.api.core.v1';

export const secretReference = obj(`${CORE}.SecretReference`, 'Names a Secret in any namespace.', {
  name: pb(1, str('Name of the Secret.')),
  namespace: pb(2, str('Namespace of the Secret.')),
}, { mapType: 'atomic' });

const secretRef = (what: string) => ptr(described(what, secretReference));

/**
 * The PersistentVolume form of a pod's volume source (upstream's *PersistentVolumeSource): the same
 * fields, with a Secret named in any namespace or the namespace field the volume adds.
 */
const persistentForm = (source: ObjectSchema, fields: Record<string, Schema>): ObjectSchema =>
  obj(
    source.name!.replace(/VolumeSource$/, 'PersistentVolumeSource'),
    source.description!,
    Object.fromEntries(Object.entries({ ...source.properties, ...fields }).sort(([a], [b]) => (a < b ? -1 : 1))),
    source.required ? { required: source.required } : {},
  );

export const glusterfsPersistentVolumeSource = persistentForm(glusterfsVolumeSource, {
  endpointsNamespace: pb(4, ptr(str('Namespace of the endpoints; the claim namespace by default.'))),
});
export const rbdPersistentVolumeSource = persistentForm(rbdVolumeSource, { secretRef: pb(7, secretRef('Secret with the authentication key; overrides the keyring.')) });
export const iscsiPersistentVolumeSource = persistentForm(iscsiVolumeSource, { secretRef: pb(10, secretRef('Secret with the CHAP credentials.')) });
export const cinderPersistentVolumeSource = persistentForm(cinderVolumeSource, { secretRef: pb(4, secretRef('Secret with the OpenStack connection parameters.')) });
export const cephFSPersistentVolumeSource = persistentForm(cephFSVolumeSource, { secretRef: pb(5, secretRef('Secret with the user authentication key.')) });
export const flexPersistentVolumeSource = persistentForm(flexVolumeSource, { secretRef: pb(3, secretRef('Secret passed to the plugin scripts.')) });
export const azureFilePersistentVolumeSource = persistentForm(azureFileVolumeSource, {
  secretNamespace: pb(4, ptr(str('Namespace of that Secret; the pod namespace by default.'))),
});
export const scaleIOPersistentVolumeSource = persistentForm(scaleIOVolumeSource, { secretRef: pb(3, secretRef('Secret with the ScaleIO credentials.')) });
export const storageOSPersistentVolumeSource = persistentForm(storageOSVolumeSource, {
  secretRef: pb(5, ptr(described('Secret with the StorageOS API credentials.', objectReference))),
});

export const localVolumeSource = obj(`${CORE}.LocalVolumeSource`, 'A directly attached disk, partition or directory of one node.', {
  fsType: pb(2, ptr(str('Filesystem type, for a block device; the node chooses when absent.'))),
  path: pb(1, str('Full path of the volume on the node: a directory or a block device.')),
}, { required: ['path'] });

export const csiPersistentVolumeSource = obj(`${CORE}.CSIPersistentVolumeSource`, 'Storage managed by an external CSI driver.', {
  controllerExpandSecretRef: pb(9, secretRef('Secret passed to the driver on ControllerExpandVolume.')),
  controllerPublishSecretRef: pb(6, secretRef('Secret passed to the driver on ControllerPublishVolume and ControllerUnpublishVolume.')),
  driver: pb(1, str('Name of the CSI driver.')),
  fsType: pb(4, str('Filesystem type to mount.')),
  nodeExpandSecretRef: pb(10, secretRef('Secret passed to the driver on NodeExpandVolume.')),
  nodePublishSecretRef: pb(8, secretRef('Secret passed to the driver on NodePublishVolume and NodeUnpublishVolume.')),
  nodeStageSecretRef: pb(7, secretRef('Secret passed to the driver on NodeStageVolume and NodeUnstageVolume.')),
  readOnly: pb(3, bool('Publish read-only.')),
  volumeAttributes: pb(5, stringMap('Driver-specific properties of the volume.')),
  volumeHandle: pb(2, str('The volume name the driver returned on CreateVolume.')),
}, { required: ['driver', 'volumeHandle'] });

export const volumeNodeAffinity = obj(`${CORE}.VolumeNodeAffinity`, 'The nodes a volume can be reached from.', {
  required: pb(1, ptr(described('Node constraints that must be met.', nodeSelector))),
});

/** PersistentVolumeSource, inlined into the spec (protobuf field 2 of PersistentVolumeSpec). */
const persistentVolumeSourceFields: Record<string, Schema> = {
  awsElasticBlockStore: pb(2, ptr(described('AWS EBS disk (deprecated).', awsElasticBlockStoreVolumeSource))),
  azureDisk: pb(16, ptr(described('Azure data disk (deprecated).', azureDiskVolumeSource))),
  azureFile: pb(13, ptr(described('Azure File share (deprecated).', azureFilePersistentVolumeSource))),
  cephfs: pb(9, ptr(described('CephFS mount (deprecated).', cephFSPersistentVolumeSource))),
  cinder: pb(8, ptr(described('OpenStack Cinder volume (deprecated).', cinderPersistentVolumeSource))),
  csi: pb(22, ptr(described('Storage of an external CSI driver.', csiPersistentVolumeSource))),
  fc: pb(10, ptr(described('Fibre Channel disk.', fcVolumeSource))),
  flexVolume: pb(12, ptr(described('Volume of an exec-based plugin (deprecated).', flexPersistentVolumeSource))),
  flocker: pb(11, ptr(described('Flocker dataset (deprecated).', flockerVolumeSource))),
  gcePersistentDisk: pb(1, ptr(described('GCE persistent disk (deprecated).', gcePersistentDiskVolumeSource))),
  glusterfs: pb(4, ptr(described('Glusterfs volume (deprecated).', glusterfsPersistentVolumeSource))),
  hostPath: pb(3, ptr(described('Directory of the host, for single-node development and testing.', hostPathVolumeSource))),
  iscsi: pb(7, ptr(described('iSCSI disk.', iscsiPersistentVolumeSource))),
  local: pb(20, ptr(described('Directly attached storage of one node, reached through nodeAffinity.', localVolumeSource))),
  nfs: pb(5, ptr(described('NFS export.', nfsVolumeSource))),
  photonPersistentDisk: pb(17, ptr(described('Photon Controller disk (deprecated).', photonPersistentDiskVolumeSource))),
  portworxVolume: pb(18, ptr(described('Portworx volume (deprecated).', portworxVolumeSource))),
  quobyte: pb(15, ptr(described('Quobyte volume (deprecated).', quobyteVolumeSource))),
  rbd: pb(6, ptr(described('Rados Block Device (deprecated).', rbdPersistentVolumeSource))),
  scaleIO: pb(19, ptr(described('ScaleIO volume (deprecated).', scaleIOPersistentVolumeSource))),
  storageos: pb(21, ptr(described('StorageOS volume (deprecated).', storageOSPersistentVolumeSource))),
  vsphereVolume: pb(14, ptr(described('vSphere virtual disk (deprecated).', vsphereVirtualDiskVolumeSource))),
};

export const persistentVolumeSpec = embed(obj(`${CORE}.PersistentVolumeSpec`, 'A persistent volume: its capacity, how it may be mounted, and the storage behind it (exactly one source).', {
  accessModes: pb(3, arr(str(), 'All the ways the volume can be mounted.', { listType: 'atomic' })),
  capacity: pb(1, mapOf(quantity(), "The volume's resources: its storage size.")),
  claimRef: pb(4, ptr(described('The claim this volume is bound to (one half of the binding; the claim holds the other).', objectReference))),
  mountOptions: pb(7, arr(str(), 'Mount options, not validated: a mount with a bad one fails.', { listType: 'atomic' })),
  nodeAffinity: pb(9, ptr(described('The nodes the volume can be reached from.', volumeNodeAffinity))),
  persistentVolumeReclaimPolicy: pb(5, str('What happens to the volume when its claim goes: Retain (the default for volumes made by hand), Delete (the default for provisioned ones) or Recycle (deprecated).')),
  storageClassName: pb(6, str('The StorageClass the volume belongs to; none when empty.')),
  volumeAttributesClassName: pb(10, ptr(str('The VolumeAttributesClass of the volume.'))),
  volumeMode: pb(8, ptr(str('Filesystem (the default) or Block.'))),
}), 2, persistentVolumeSourceFields);

export const persistentVolumeStatus = obj(`${CORE}.PersistentVolumeStatus`, 'Current status of a persistent volume.', {
  lastPhaseTransitionTime: pb(4, ptr(time('When the phase last changed.'))),
  message: pb(2, str('Why the volume is in this state, for people.')),
  phase: pb(1, str('Pending, Available, Bound, Released or Failed.')),
  reason: pb(3, str('Why the volume failed, in CamelCase, for machines.')),
});

export const persistentVolume = kind('', 'v1', 'PersistentVolume', CORE, 'A piece of storage in the cluster, provisioned by an administrator or dynamically through a StorageClass.', {
  spec: pb(2, described('What the volume is and offers.', persistentVolumeSpec)),
  status: pb(3, described('Current status of the volume.', persistentVolumeStatus)),
});
