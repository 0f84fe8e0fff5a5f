// core/v1 PersistentVolume (k8s.io/api/core/v1) and the volume sources only a PersistentVolume
// holds, as served by Kubernetes 1.32. Sources a pod volume shares come from core-pod.ts.
import { arr, bool, described, embed, int32, mapOf, obj, pb, ptr, quantity, str, stringMap, time, type Schema } from '../../api/schema.js';
import {
  awsElasticBlockStoreVolumeSource,
  azureDiskVolumeSource,
  fcVolumeSource,
  flockerVolumeSource,
  gcePersistentDiskVolumeSource,
  hostPathVolumeSource,
  nfsVolumeSource,
  nodeSelector,
  objectReference,
  photonPersistentDiskVolumeSource,
  portworxVolumeSource,
  quobyteVolumeSource,
  vsphereVirtualDiskVolumeSource,
} from './core-pod.js';
import { kind } from './meta.js';

const CORE = 'io.k8s.api.core.v1';

export const secretReference = obj(`${CORE}.SecretReference`, 'Names a Secret in any namespace.', {
  name: pb(1, str('Name of the Secret.')),
  namespace: pb(2, str('Namespace of the Secret.')),
}, { mapType: 'atomic' });

const secretRef = (what: string) => ptr(described(what, secretReference));

export const glusterfsPersistentVolumeSource = obj(`${CORE}.GlusterfsPersistentVolumeSource`, 'A Glusterfs volume.', {
  endpoints: pb(1, str('Name of the endpoints object describing the Glusterfs topology.')),
  endpointsNamespace: pb(4, ptr(str('Namespace of the endpoints; the claim namespace by default.'))),
  path: pb(2, str('Glusterfs volume path.')),
  readOnly: pb(3, bool('Mount read-only.')),
}, { required: ['endpoints', 'path'] });

export const rbdPersistentVolumeSource = obj(`${CORE}.RBDPersistentVolumeSource`, 'A Rados Block Device.', {
  fsType: pb(3, str('Filesystem type; ext4 when absent.')),
  image: pb(2, str('Rados image name.')),
  keyring: pb(6, str('Path of the key ring; /etc/ceph/keyring by default.')),
  monitors: pb(1, arr(str(), 'Ceph monitors.', { listType: 'atomic' })),
  pool: pb(4, str('Rados pool name; rbd by default.')),
  readOnly: pb(8, bool('Mount read-only.')),
  secretRef: pb(7, secretRef('Secret with the authentication key; overrides the keyring.')),
  user: pb(5, str('Rados user name; admin by default.')),
}, { required: ['monitors', 'image'] });

export const iscsiPersistentVolumeSource = obj(`${CORE}.ISCSIPersistentVolumeSource`, 'An iSCSI disk.', {
  chapAuthDiscovery: pb(8, bool('Use CHAP authentication for discovery.')),
  chapAuthSession: pb(11, bool('Use CHAP authentication for the session.')),
  fsType: pb(5, str('Filesystem type; ext4 when absent.')),
  initiatorName: pb(12, ptr(str('Custom iSCSI initiator name.'))),
  iqn: pb(2, str('iSCSI qualified name of the target.')),
  iscsiInterface: pb(4, str('iSCSI interface name; default (tcp) by default.')),
  lun: pb(3, int32('Target LUN number.')),
  portals: pb(7, arr(str(), 'Additional target portals.', { listType: 'atomic' })),
  readOnly: pb(6, bool('Mount read-only.')),
  secretRef: pb(10, secretRef('Secret with the CHAP credentials.')),
  targetPortal: pb(1, str('Target portal, an IP or ip:port.')),
}, { required: ['targetPortal', 'iqn', 'lun'] });

export const cinderPersistentVolumeSource = obj(`${CORE}.CinderPersistentVolumeSource`, 'An OpenStack Cinder volume.', {
  fsType: pb(2, str('Filesystem type; ext4 when absent.')),
  readOnly: pb(3, bool('Mount read-only.')),
  secretRef: pb(4, secretRef('Secret with the OpenStack connection parameters.')),
  volumeID: pb(1, str('ID of the Cinder volume.')),
}, { required: ['volumeID'] });

export const cephFSPersistentVolumeSource = obj(`${CORE}.CephFSPersistentVolumeSource`, 'A CephFS mount.', {
  monitors: pb(1, arr(str(), 'Ceph monitors.', { listType: 'atomic' })),
  path: pb(2, str('Root of the mount inside the Ceph tree; / by default.')),
  readOnly: pb(6, bool('Mount read-only.')),
  secretFile: pb(4, str('Path of the user key ring; /etc/ceph/user.secret by default.')),
  secretRef: pb(5, secretRef('Secret with the user authentication key.')),
  user: pb(3, str('Rados user name; admin by default.')),
}, { required: ['monitors'] });

export const flexPersistentVolumeSource = obj(`${CORE}.FlexPersistentVolumeSource`, 'A volume provided by an exec-based plugin.', {
  driver: pb(1, str('Name of the driver.')),
  fsType: pb(2, str('Filesystem type; the default depends on the driver.')),
  options: pb(5, stringMap('Extra command options.')),
  readOnly: pb(4, bool('Mount read-only.')),
  secretRef: pb(3, secretRef('Secret passed to the plugin scripts.')),
}, { required: ['driver'] });

export const azureFilePersistentVolumeSource = obj(`${CORE}.AzureFilePersistentVolumeSource`, 'An Azure File share.', {
  readOnly: pb(3, bool('Mount read-only.')),
  secretName: pb(1, str('Secret with the storage account name and key.')),
  secretNamespace: pb(4, ptr(str('Namespace of that Secret; the pod namespace by default.'))),
  shareName: pb(2, str('Name of the share.')),
}, { required: ['secretName', 'shareName'] });

export const scaleIOPersistentVolumeSource = obj(`${CORE}.ScaleIOPersistentVolumeSource`, 'A ScaleIO volume.', {
  fsType: pb(9, str('Filesystem type; xfs by default.')),
  gateway: pb(1, str('Host address of the ScaleIO API gateway.')),
  protectionDomain: pb(5, str('ScaleIO protection domain of the storage.')),
  readOnly: pb(10, bool('Mount read-only.')),
  secretRef: pb(3, secretRef('Secret with the ScaleIO credentials.')),
  sslEnabled: pb(4, bool('Use SSL to talk to the gateway.')),
  storageMode: pb(7, str('ThickProvisioned or ThinProvisioned; ThinProvisioned by default.')),
  storagePool: pb(6, str('ScaleIO storage pool.')),
  system: pb(2, str('Name of the storage system.')),
  volumeName: pb(8, str('Name of an existing volume in the system.')),
}, { required: ['gateway', 'system', 'secretRef'] });

export const localVolumeSource = obj(`${CORE}.LocalVolumeSource`, 'A directly attached disk, partition or directory of one node.', {
  fsType: pb(2, ptr(str('Filesystem type, for a block device; the node chooses when absent.'))),
  path: pb(1, str('Full path of the volume on the node: a directory or a block device.')),
}, { required: ['path'] });

export const storageOSPersistentVolumeSource = obj(`${CORE}.StorageOSPersistentVolumeSource`, 'A StorageOS volume.', {
  fsType: pb(3, str('Filesystem type; ext4 when absent.')),
  readOnly: pb(4, bool('Mount read-only.')),
  secretRef: pb(5, ptr(described('Secret with the StorageOS API credentials.', objectReference))),
  volumeName: pb(1, str('Name of the StorageOS volume.')),
  volumeNamespace: pb(2, str('StorageOS namespace of the volume; the pod namespace by default.')),
});

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
