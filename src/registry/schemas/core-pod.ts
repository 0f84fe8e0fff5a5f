// core/v1 types a Pod is made of (k8s.io/api/core/v1), and the references other kinds share with it.
// Field names, protobuf numbers, list strategies and required lists follow Kubernetes 1.32.
import {
  arr,
  bool,
  described,
  embed,
  int32,
  int64,
  intOrString,
  keepZero,
  keyedList,
  mapOf,
  obj,
  pb,
  ptr,
  quantity,
  str,
  stringMap,
  time,
  type Schema,
} from '../../api/schema.js';
import { labelSelector, objectMeta } from './meta.js';

const CORE = 'io.k8s.api.core.v1';

// ---- references ----

export const localObjectReference = obj(`${CORE}.LocalObjectReference`, 'Names an object in the same namespace.', {
  name: pb(1, str('Name of the referenced object.')),
}, { mapType: 'atomic' });

export const objectReference = obj(`${CORE}.ObjectReference`, 'Enough information to find and inspect or change the referenced object.', {
  apiVersion: pb(5, str('API version of the referenced object.')),
  fieldPath: pb(7, str('Path to a part of the object, such as spec.containers{name}, when the reference is to a piece of it.')),
  kind: pb(1, str('Kind of the referenced object.')),
  name: pb(3, str('Name of the referenced object.')),
  namespace: pb(2, str('Namespace of the referenced object.')),
  resourceVersion: pb(6, str('Specific resourceVersion of the object this reference is to, if any.')),
  uid: pb(4, str('UID of the referenced object.')),
}, { mapType: 'atomic' });

export const typedLocalObjectReference = obj(`${CORE}.TypedLocalObjectReference`, 'Names a typed object in the same namespace.', {
  apiGroup: pb(1, ptr(str('API group of the referenced kind; empty for the core group.'))),
  kind: pb(2, str('Kind of the referenced object.')),
  name: pb(3, str('Name of the referenced object.')),
}, { required: ['kind', 'name'], mapType: 'atomic' });

export const typedObjectReference = obj(`${CORE}.TypedObjectReference`, 'Names a typed object, possibly in another namespace.', {
  apiGroup: pb(1, ptr(str('API group of the referenced kind; empty for the core group.'))),
  kind: pb(2, str('Kind of the referenced object.')),
  name: pb(3, str('Name of the referenced object.')),
  namespace: pb(4, ptr(str('Namespace of the referenced object; needs a ReferenceGrant there when set.'))),
}, { required: ['kind', 'name'] });

// ---- persistent volume claims (also embedded in ephemeral volumes) ----

export const volumeResourceRequirements = obj(`${CORE}.VolumeResourceRequirements`, 'Storage resource requirements of a volume.', {
  limits: pb(1, mapOf(quantity(), 'Largest amount of each resource allowed.')),
  requests: pb(2, mapOf(quantity(), 'Smallest amount of each resource required.')),
});

export const persistentVolumeClaimSpec = obj(`${CORE}.PersistentVolumeClaimSpec`, 'The storage a claim asks for and how it may be provided.', {
  accessModes: pb(1, arr(str(), 'Access modes the volume should support.', { listType: 'atomic' })),
  dataSource: pb(7, ptr(described('A VolumeSnapshot or PersistentVolumeClaim to populate the new volume from.', typedLocalObjectReference))),
  dataSourceRef: pb(8, ptr(described('Any populator object, possibly in another namespace, to fill the new volume from.', typedObjectReference))),
  resources: pb(2, described('Minimum resources the volume should have.', volumeResourceRequirements)),
  selector: pb(4, ptr(described('Label query over the volumes that may be bound.', labelSelector))),
  storageClassName: pb(5, ptr(str('Name of the StorageClass the claim requires.'))),
  volumeAttributesClassName: pb(9, ptr(str('Name of the VolumeAttributesClass to apply to the volume.'))),
  volumeMode: pb(6, ptr(str('Filesystem or Block; Filesystem when unset.'))),
  volumeName: pb(3, str('Name of the PersistentVolume bound to this claim.')),
});

export const persistentVolumeClaimTemplate = obj(`${CORE}.PersistentVolumeClaimTemplate`, 'The claim an ephemeral volume creates for its pod.', {
  metadata: pb(1, described('Labels and annotations copied to the created claim.', objectMeta)),
  spec: pb(2, described('Spec copied unchanged into the created claim.', persistentVolumeClaimSpec)),
}, { required: ['spec'] });

// ---- environment ----

export const objectFieldSelector = obj(`${CORE}.ObjectFieldSelector`, 'Selects a field of an object by path.', {
  apiVersion: pb(1, str('API version the field path is written against; v1 by default.')),
  fieldPath: pb(2, str('Path of the field to select.')),
}, { required: ['fieldPath'], mapType: 'atomic' });

export const resourceFieldSelector = obj(`${CORE}.ResourceFieldSelector`, 'Selects a resource request or limit of a container, and its output unit.', {
  containerName: pb(1, str('Container to read from; required in volumes, optional in env vars.')),
  divisor: pb(3, quantity('Unit the value is expressed in; 1 by default.')),
  resource: pb(2, str('Resource to select, such as limits.cpu.')),
}, { required: ['resource'], mapType: 'atomic' });

export const configMapKeySelector = embed(obj(`${CORE}.ConfigMapKeySelector`, 'Selects one key of a ConfigMap.', {
  key: pb(2, str('Key to select.')),
  optional: pb(3, ptr(bool('Whether the ConfigMap or key may be missing.'))),
}, { required: ['key'], mapType: 'atomic' }), 1, {
  name: pb(1, str('Name of the ConfigMap.')),
});

export const secretKeySelector = embed(obj(`${CORE}.SecretKeySelector`, 'Selects one key of a Secret.', {
  key: pb(2, str('Key to select.')),
  optional: pb(3, ptr(bool('Whether the Secret or key may be missing.'))),
}, { required: ['key'], mapType: 'atomic' }), 1, {
  name: pb(1, str('Name of the Secret in the pod namespace.')),
});

export const envVarSource = obj(`${CORE}.EnvVarSource`, 'Where an environment variable takes its value from.', {
  configMapKeyRef: pb(3, ptr(described('A key of a ConfigMap.', configMapKeySelector))),
  fieldRef: pb(1, ptr(described('A field of the pod, such as metadata.name or status.podIP.', objectFieldSelector))),
  resourceFieldRef: pb(2, ptr(described('A resource limit or request of the container.', resourceFieldSelector))),
  secretKeyRef: pb(4, ptr(described('A key of a Secret in the pod namespace.', secretKeySelector))),
});

export const envVar = obj(`${CORE}.EnvVar`, 'An environment variable of a container.', {
  name: pb(1, str('Name of the variable.')),
  value: pb(2, str('Value, with $(VAR) references expanded; empty by default.')),
  valueFrom: pb(3, ptr(described('Source of the value; not allowed with a non-empty value.', envVarSource))),
}, { required: ['name'] });

export const configMapEnvSource = embed(obj(`${CORE}.ConfigMapEnvSource`, 'A ConfigMap whose keys become environment variables.', {
  optional: pb(2, ptr(bool('Whether the ConfigMap may be missing.'))),
}), 1, {
  name: pb(1, str('Name of the ConfigMap.')),
});

export const secretEnvSource = embed(obj(`${CORE}.SecretEnvSource`, 'A Secret whose keys become environment variables.', {
  optional: pb(2, ptr(bool('Whether the Secret may be missing.'))),
}), 1, {
  name: pb(1, str('Name of the Secret.')),
});

export const envFromSource = obj(`${CORE}.EnvFromSource`, 'A ConfigMap or Secret whose keys become environment variables.', {
  configMapRef: pb(2, ptr(described('The ConfigMap to read.', configMapEnvSource))),
  prefix: pb(1, str('Text put before each variable name.')),
  secretRef: pb(3, ptr(described('The Secret to read.', secretEnvSource))),
});

// ---- resources ----

export const resourceClaim = obj(`${CORE}.ResourceClaim`, 'Names one entry of the pod resourceClaims for a container to use.', {
  name: pb(1, str('Name of an entry in pod.spec.resourceClaims.')),
  request: pb(2, str('Request of that claim to use; all of the claim when empty.')),
}, { required: ['name'] });

export const resourceRequirements = obj(`${CORE}.ResourceRequirements`, 'Compute resource requests and limits.', {
  claims: pb(3, arr(resourceClaim, 'Resource claims, from spec.resourceClaims, this container uses.', { listType: 'map', listMapKeys: ['name'] })),
  limits: pb(1, mapOf(quantity(), 'Largest amount of each resource allowed.')),
  requests: pb(2, mapOf(quantity(), 'Smallest amount of each resource required; defaults to the limits.')),
});

export const containerResizePolicy = obj(`${CORE}.ContainerResizePolicy`, 'How a container reacts when one of its resources is resized.', {
  resourceName: pb(1, str('Resource this policy applies to: cpu or memory.')),
  restartPolicy: pb(2, str('NotRequired or RestartContainer.')),
}, { required: ['resourceName', 'restartPolicy'] });

// ---- ports, mounts, devices ----

export const containerPort = obj(`${CORE}.ContainerPort`, 'A network port of a container.', {
  containerPort: pb(3, int32('Port number on the pod IP address.')),
  hostIP: pb(5, str('Host IP to bind the host port to.')),
  hostPort: pb(2, int32('Port number to expose on the host.')),
  name: pb(1, str('IANA_SVC_NAME for the port, unique in the pod, that services can refer to.')),
  protocol: pb(4, str('UDP, TCP or SCTP; TCP by default.', { default: 'TCP' })),
}, { required: ['containerPort'] });

export const volumeMount = obj(`${CORE}.VolumeMount`, 'Where a pod volume is mounted in a container.', {
  mountPath: pb(3, str('Path in the container to mount the volume at.')),
  mountPropagation: pb(5, ptr(str('How mounts propagate between host and container; None by default.'))),
  name: pb(1, str('Name of the pod volume.')),
  readOnly: pb(2, bool('Mount read-only when true.')),
  recursiveReadOnly: pb(7, ptr(str('Whether a read-only mount is also read-only for submounts: Disabled, IfPossible or Enabled.'))),
  subPath: pb(4, str('Path inside the volume to mount instead of its root.')),
  subPathExpr: pb(6, str('Like subPath, with $(VAR) references expanded from the container environment.')),
}, { required: ['name', 'mountPath'] });

export const volumeDevice = obj(`${CORE}.VolumeDevice`, 'A raw block device mapped into a container.', {
  devicePath: pb(2, str('Path in the container the device is mapped to.')),
  name: pb(1, str('Name of a persistentVolumeClaim volume of the pod.')),
}, { required: ['name', 'devicePath'] });

// ---- probes and lifecycle handlers ----

export const execAction = obj(`${CORE}.ExecAction`, 'Runs a command in the container.', {
  command: pb(1, arr(str(), 'Command line to run, not in a shell; exit status 0 means healthy.', { listType: 'atomic' })),
});

export const httpHeader = obj(`${CORE}.HTTPHeader`, 'A custom HTTP header.', {
  name: pb(1, str('Header name.')),
  value: pb(2, str('Header value.')),
}, { required: ['name', 'value'] });

export const httpGetAction = obj(`${CORE}.HTTPGetAction`, 'Performs an HTTP GET request.', {
  host: pb(3, str('Host to connect to; the pod IP by default.')),
  httpHeaders: pb(5, arr(httpHeader, 'Custom headers to send.', { listType: 'atomic' })),
  path: pb(1, str('Path to request.')),
  port: pb(2, intOrString('Port number or name to connect to.')),
  scheme: pb(4, str('HTTP or HTTPS; HTTP by default.')),
}, { required: ['port'] });

export const tcpSocketAction = obj(`${CORE}.TCPSocketAction`, 'Opens a TCP connection.', {
  host: pb(2, str('Host to connect to; the pod IP by default.')),
  port: pb(1, intOrString('Port number or name to connect to.')),
}, { required: ['port'] });

export const grpcAction = obj(`${CORE}.GRPCAction`, 'Calls the gRPC health checking service.', {
  port: pb(1, int32('Port of the gRPC service.')),
  service: pb(2, ptr(str('Service name put in the HealthCheckRequest.'))),
}, { required: ['port'] });

export const sleepAction = obj(`${CORE}.SleepAction`, 'Waits for a number of seconds.', {
  seconds: pb(1, int64('Seconds to sleep.')),
}, { required: ['seconds'] });

export const probe = embed(obj(`${CORE}.Probe`, 'A health check run against a container.', {
  failureThreshold: pb(6, int32('Consecutive failures after which the probe has failed; 3 by default.')),
  initialDelaySeconds: pb(2, int32('Seconds after the container started before probing begins.')),
  periodSeconds: pb(4, int32('Seconds between probes; 10 by default.')),
  successThreshold: pb(5, int32('Consecutive successes after a failure for the probe to pass; 1 by default.')),
  terminationGracePeriodSeconds: pb(7, ptr(int64('Grace period used when the probe fails, overriding the pod value.'))),
  timeoutSeconds: pb(3, int32('Seconds after which the probe times out; 1 by default.')),
}), 1, {
  exec: pb(1, ptr(described('Command to run in the container.', execAction))),
  grpc: pb(4, ptr(described('gRPC health check to call.', grpcAction))),
  httpGet: pb(2, ptr(described('HTTP GET request to perform.', httpGetAction))),
  tcpSocket: pb(3, ptr(described('TCP port to connect to.', tcpSocketAction))),
});

export const lifecycleHandler = obj(`${CORE}.LifecycleHandler`, 'An action run at a container lifecycle hook.', {
  exec: pb(1, ptr(described('Command to run in the container.', execAction))),
  httpGet: pb(2, ptr(described('HTTP GET request to perform.', httpGetAction))),
  sleep: pb(4, ptr(described('Time to wait.', sleepAction))),
  tcpSocket: pb(3, ptr(described('Deprecated and unsupported; kept for compatibility.', tcpSocketAction))),
});

export const lifecycle = obj(`${CORE}.Lifecycle`, 'Actions taken at container lifecycle events.', {
  postStart: pb(1, ptr(described('Runs right after the container is created.', lifecycleHandler))),
  preStop: pb(2, ptr(described('Runs right before the container is terminated by an API request or management event.', lifecycleHandler))),
});

// ---- security ----

export const capabilities = obj(`${CORE}.Capabilities`, 'POSIX capabilities added to or dropped from a container.', {
  add: pb(1, arr(str(), 'Capabilities to add.', { listType: 'atomic' })),
  drop: pb(2, arr(str(), 'Capabilities to remove.', { listType: 'atomic' })),
});

export const seLinuxOptions = obj(`${CORE}.SELinuxOptions`, 'SELinux labels applied to a container.', {
  level: pb(4, str('SELinux level label.')),
  role: pb(2, str('SELinux role label.')),
  type: pb(3, str('SELinux type label.')),
  user: pb(1, str('SELinux user label.')),
});

export const windowsSecurityContextOptions = obj(`${CORE}.WindowsSecurityContextOptions`, 'Windows-specific security settings.', {
  gmsaCredentialSpec: pb(2, ptr(str('Contents of the GMSA credential spec, filled in by the GMSA webhook.'))),
  gmsaCredentialSpecName: pb(1, ptr(str('Name of the GMSA credential spec to use.'))),
  hostProcess: pb(4, ptr(bool('Run the container as a Windows host process.'))),
  runAsUserName: pb(3, ptr(str('Windows user name to run the container entrypoint as.'))),
});

export const seccompProfile = obj(`${CORE}.SeccompProfile`, 'The seccomp profile to apply.', {
  localhostProfile: pb(2, ptr(str('Path of a profile file on the node, for type Localhost.'))),
  type: pb(1, str('Localhost, RuntimeDefault or Unconfined.')),
}, { required: ['type'] });

export const appArmorProfile = obj(`${CORE}.AppArmorProfile`, 'The AppArmor profile to apply.', {
  localhostProfile: pb(2, ptr(str('Name of a profile loaded on the node, for type Localhost.'))),
  type: pb(1, str('Localhost, RuntimeDefault or Unconfined.')),
}, { required: ['type'] });

export const securityContext = obj(`${CORE}.SecurityContext`, 'Security settings of one container; they override the pod ones.', {
  allowPrivilegeEscalation: pb(7, ptr(bool('Whether a process may gain more privileges than its parent (no_new_privs).'))),
  appArmorProfile: pb(12, ptr(described('AppArmor profile of this container.', appArmorProfile))),
  capabilities: pb(1, ptr(described('Capabilities to add and drop.', capabilities))),
  privileged: pb(2, ptr(bool('Run the container privileged, close to root on the host.'))),
  procMount: pb(9, ptr(str('Kind of /proc mount: Default or Unmasked.'))),
  readOnlyRootFilesystem: pb(6, ptr(bool('Mount the root filesystem read-only.'))),
  runAsGroup: pb(8, ptr(int64('GID to run the entrypoint as.'))),
  runAsNonRoot: pb(5, ptr(bool('Refuse to start the container if it would run as UID 0.'))),
  runAsUser: pb(4, ptr(int64('UID to run the entrypoint as.'))),
  seLinuxOptions: pb(3, ptr(described('SELinux context of the container.', seLinuxOptions))),
  seccompProfile: pb(11, ptr(described('Seccomp profile of the container.', seccompProfile))),
  windowsOptions: pb(10, ptr(described('Windows-specific settings of the container.', windowsSecurityContextOptions))),
});

export const sysctl = obj(`${CORE}.Sysctl`, 'A kernel parameter to set.', {
  name: pb(1, str('Name of the parameter.')),
  value: pb(2, str('Value of the parameter.')),
}, { required: ['name', 'value'] });

export const podSecurityContext = obj(`${CORE}.PodSecurityContext`, 'Security settings of the pod and defaults for its containers.', {
  appArmorProfile: pb(11, ptr(described('AppArmor profile of the containers.', appArmorProfile))),
  fsGroup: pb(5, ptr(int64('Supplemental group that owns supported volumes, applied to all containers.'))),
  fsGroupChangePolicy: pb(9, ptr(str('When volume ownership is changed: OnRootMismatch or Always.'))),
  runAsGroup: pb(6, ptr(int64('GID to run container entrypoints as.'))),
  runAsNonRoot: pb(3, ptr(bool('Refuse to start containers that would run as UID 0.'))),
  runAsUser: pb(2, ptr(int64('UID to run container entrypoints as.'))),
  seLinuxChangePolicy: pb(13, ptr(str('How the SELinux label is applied to volumes: MountOption or Recursive.'))),
  seLinuxOptions: pb(1, ptr(described('SELinux context of all containers.', seLinuxOptions))),
  seccompProfile: pb(10, ptr(described('Seccomp profile of the containers.', seccompProfile))),
  supplementalGroups: pb(4, arr(int64(), 'Extra groups of the first process of each container.', { listType: 'atomic' })),
  supplementalGroupsPolicy: pb(12, ptr(str('How supplemental groups are computed: Merge or Strict.'))),
  sysctls: pb(7, arr(sysctl, 'Namespaced sysctls set for the pod.', { listType: 'atomic' })),
  windowsOptions: pb(8, ptr(described('Windows-specific settings of all containers.', windowsSecurityContextOptions))),
});

// ---- containers ----

const containerFields: Record<string, Schema> = {
  args: pb(4, arr(str(), 'Arguments to the entrypoint; the image CMD when absent.', { listType: 'atomic' })),
  command: pb(3, arr(str(), 'Entrypoint, not run in a shell; the image ENTRYPOINT when absent.', { listType: 'atomic' })),
  env: pb(7, keyedList(envVar, 'name', 'Environment variables to set.', { listType: 'map', listMapKeys: ['name'] })),
  envFrom: pb(19, arr(envFromSource, 'Sources whose keys become environment variables.', { listType: 'atomic' })),
  image: pb(2, str('Container image name.')),
  imagePullPolicy: pb(14, str('Always, Never or IfNotPresent.')),
  lifecycle: pb(12, ptr(described('Actions run at lifecycle events.', lifecycle))),
  livenessProbe: pb(10, ptr(described('Probe whose failure restarts the container.', probe))),
  name: pb(1, str('Name of the container, a DNS_LABEL unique in the pod.')),
  ports: pb(6, keyedList(containerPort, 'containerPort', 'Ports the container exposes.', { listType: 'map', listMapKeys: ['containerPort', 'protocol'] })),
  readinessProbe: pb(11, ptr(described('Probe whose failure removes the container from service endpoints.', probe))),
  resizePolicy: pb(23, arr(containerResizePolicy, 'How each resource may be resized.', { listType: 'atomic' })),
  resources: pb(8, keepZero(described('Compute resources of the container.', resourceRequirements))),
  restartPolicy: pb(24, ptr(str('Restart behavior of this container; Always makes an init container a sidecar.'))),
  securityContext: pb(15, ptr(described('Security settings of the container.', securityContext))),
  startupProbe: pb(22, ptr(described('Probe that must pass before the other probes run.', probe))),
  stdin: pb(16, bool('Allocate a stdin buffer for the container.')),
  stdinOnce: pb(17, bool('Close stdin after the first attach ends.')),
  terminationMessagePath: pb(13, str('File the termination message is read from; /dev/termination-log by default.')),
  terminationMessagePolicy: pb(20, str('File or FallbackToLogsOnError.')),
  tty: pb(18, bool('Allocate a TTY; needs stdin.')),
  volumeDevices: pb(21, keyedList(volumeDevice, 'devicePath', 'Block devices the container uses.', { listType: 'map', listMapKeys: ['devicePath'] })),
  volumeMounts: pb(9, keyedList(volumeMount, 'mountPath', 'Pod volumes mounted in the container.', { listType: 'map', listMapKeys: ['mountPath'] })),
  workingDir: pb(5, str('Working directory; the runtime default when absent.')),
};

export const container = obj(`${CORE}.Container`, 'An application container of a pod.', containerFields, { required: ['name'] });

export const ephemeralContainer = embed(obj(`${CORE}.EphemeralContainer`, 'A temporary container added to a running pod, for example to debug it.', {
  targetContainerName: pb(2, str('Container of the pod whose namespaces this one joins.')),
}, { required: ['name'] }), 1, {
  ...containerFields,
  lifecycle: pb(12, ptr(described('Not allowed for ephemeral containers.', lifecycle))),
  livenessProbe: pb(10, ptr(described('Not allowed for ephemeral containers.', probe))),
  name: pb(1, str('Name of the ephemeral container, unique among all containers of the pod.')),
  ports: pb(6, keyedList(containerPort, 'containerPort', 'Not allowed for ephemeral containers.', { listType: 'map', listMapKeys: ['containerPort', 'protocol'] })),
  readinessProbe: pb(11, ptr(described('Not allowed for ephemeral containers.', probe))),
  resources: pb(8, keepZero(described('Not allowed for ephemeral containers.', resourceRequirements))),
  restartPolicy: pb(24, ptr(str('Not allowed for ephemeral containers.'))),
  startupProbe: pb(22, ptr(described('Not allowed for ephemeral containers.', probe))),
});

// ---- volume sources ----

export const keyToPath = obj(`${CORE}.KeyToPath`, 'Maps a key to a file path in a volume.', {
  key: pb(1, str('Key to project.')),
  mode: pb(3, ptr(int32('Permission bits of the file; the volume default when absent.'))),
  path: pb(2, str('Relative path of the file.')),
}, { required: ['key', 'path'] });

export const hostPathVolumeSource = obj(`${CORE}.HostPathVolumeSource`, 'A file or directory of the host mapped into the pod.', {
  path: pb(1, str('Path on the host.')),
  type: pb(2, ptr(str('Expected type of the path, checked before mounting.'))),
}, { required: ['path'] });

export const emptyDirVolumeSource = obj(`${CORE}.EmptyDirVolumeSource`, 'An empty directory that lives as long as the pod.', {
  medium: pb(1, str('Storage medium: empty for the node default, or Memory.')),
  sizeLimit: pb(2, ptr(quantity('Most local storage the directory may use.'))),
});

export const gcePersistentDiskVolumeSource = obj(`${CORE}.GCEPersistentDiskVolumeSource`, 'A Google Compute Engine persistent disk.', {
  fsType: pb(2, str('Filesystem type; ext4 when absent.')),
  partition: pb(3, int32('Partition of the disk to mount.')),
  pdName: pb(1, str('Name of the disk in GCE.')),
  readOnly: pb(4, bool('Mount read-only.')),
}, { required: ['pdName'] });

export const awsElasticBlockStoreVolumeSource = obj(`${CORE}.AWSElasticBlockStoreVolumeSource`, 'An AWS EBS volume.', {
  fsType: pb(2, str('Filesystem type; ext4 when absent.')),
  partition: pb(3, int32('Partition of the volume to mount.')),
  readOnly: pb(4, bool('Mount read-only.')),
  volumeID: pb(1, str('ID of the EBS volume.')),
}, { required: ['volumeID'] });

export const gitRepoVolumeSource = obj(`${CORE}.GitRepoVolumeSource`, 'A directory filled from a git repository (deprecated).', {
  directory: pb(3, str('Directory to clone into.')),
  repository: pb(1, str('URL of the repository.')),
  revision: pb(2, str('Commit hash to check out.')),
}, { required: ['repository'] });

export const secretVolumeSource = obj(`${CORE}.SecretVolumeSource`, 'A Secret presented as files.', {
  defaultMode: pb(3, ptr(int32('Default permission bits of the files; 0644 by default.'))),
  items: pb(2, arr(keyToPath, 'Keys to project and their paths; all keys when absent.', { listType: 'atomic' })),
  optional: pb(4, ptr(bool('Whether the Secret or its keys may be missing.'))),
  secretName: pb(1, str('Name of the Secret in the pod namespace.')),
});

export const nfsVolumeSource = obj(`${CORE}.NFSVolumeSource`, 'An NFS export mounted for the pod.', {
  path: pb(2, str('Path exported by the server.')),
  readOnly: pb(3, bool('Mount read-only.')),
  server: pb(1, str('Host name or IP of the NFS server.')),
}, { required: ['server', 'path'] });

export const iscsiVolumeSource = obj(`${CORE}.ISCSIVolumeSource`, 'An iSCSI disk.', {
  chapAuthDiscovery: pb(8, bool('Use CHAP authentication for discovery.')),
  chapAuthSession: pb(11, bool('Use CHAP authentication for the session.')),
  fsType: pb(5, str('Filesystem type; ext4 when absent.')),
  initiatorName: pb(12, ptr(str('Custom iSCSI initiator name.'))),
  iqn: pb(2, str('iSCSI qualified name of the target.')),
  iscsiInterface: pb(4, str('iSCSI interface name; default (tcp) by default.')),
  lun: pb(3, int32('Target LUN number.')),
  portals: pb(7, arr(str(), 'Additional target portals.', { listType: 'atomic' })),
  readOnly: pb(6, bool('Mount read-only.')),
  secretRef: pb(10, ptr(described('Secret with the CHAP credentials.', localObjectReference))),
  targetPortal: pb(1, str('Target portal, an IP or ip:port.')),
}, { required: ['targetPortal', 'iqn', 'lun'] });

export const glusterfsVolumeSource = obj(`${CORE}.GlusterfsVolumeSource`, 'A Glusterfs volume.', {
  endpoints: pb(1, str('Name of the endpoints object describing the Glusterfs topology.')),
  path: pb(2, str('Glusterfs volume path.')),
  readOnly: pb(3, bool('Mount read-only.')),
}, { required: ['endpoints', 'path'] });

export const persistentVolumeClaimVolumeSource = obj(`${CORE}.PersistentVolumeClaimVolumeSource`, 'A PersistentVolumeClaim of the pod namespace.', {
  claimName: pb(1, str('Name of the claim.')),
  readOnly: pb(2, bool('Mount read-only.')),
}, { required: ['claimName'] });

export const rbdVolumeSource = obj(`${CORE}.RBDVolumeSource`, 'A Rados Block Device.', {
  fsType: pb(3, str('Filesystem type; ext4 when absent.')),
  image: pb(2, str('Rados image name.')),
  keyring: pb(6, str('Path of the key ring; /etc/ceph/keyring by default.')),
  monitors: pb(1, arr(str(), 'Ceph monitors.', { listType: 'atomic' })),
  pool: pb(4, str('Rados pool name; rbd by default.')),
  readOnly: pb(8, bool('Mount read-only.')),
  secretRef: pb(7, ptr(described('Secret with the authentication key; overrides the keyring.', localObjectReference))),
  user: pb(5, str('Rados user name; admin by default.')),
}, { required: ['monitors', 'image'] });

export const flexVolumeSource = obj(`${CORE}.FlexVolumeSource`, 'A volume provided by an exec-based plugin.', {
  driver: pb(1, str('Name of the driver.')),
  fsType: pb(2, str('Filesystem type; the default depends on the driver.')),
  options: pb(5, stringMap('Extra command options.')),
  readOnly: pb(4, bool('Mount read-only.')),
  secretRef: pb(3, ptr(described('Secret passed to the plugin scripts.', localObjectReference))),
}, { required: ['driver'] });

export const cinderVolumeSource = obj(`${CORE}.CinderVolumeSource`, 'An OpenStack Cinder volume.', {
  fsType: pb(2, str('Filesystem type; ext4 when absent.')),
  readOnly: pb(3, bool('Mount read-only.')),
  secretRef: pb(4, ptr(described('Secret with the OpenStack connection parameters.', localObjectReference))),
  volumeID: pb(1, str('ID of the Cinder volume.')),
}, { required: ['volumeID'] });

export const cephFSVolumeSource = obj(`${CORE}.CephFSVolumeSource`, 'A CephFS mount.', {
  monitors: pb(1, arr(str(), 'Ceph monitors.', { listType: 'atomic' })),
  path: pb(2, str('Root of the mount inside the Ceph tree; / by default.')),
  readOnly: pb(6, bool('Mount read-only.')),
  secretFile: pb(4, str('Path of the user key ring; /etc/ceph/user.secret by default.')),
  secretRef: pb(5, ptr(described('Secret with the user authentication key.', localObjectReference))),
  user: pb(3, str('Rados user name; admin by default.')),
}, { required: ['monitors'] });

export const flockerVolumeSource = obj(`${CORE}.FlockerVolumeSource`, 'A Flocker dataset.', {
  datasetName: pb(1, str('Name of the dataset (deprecated).')),
  datasetUUID: pb(2, str('UUID of the dataset.')),
});

export const downwardAPIVolumeFile = obj(`${CORE}.DownwardAPIVolumeFile`, 'A file holding a pod field or container resource.', {
  fieldRef: pb(2, ptr(described('Pod field to write: annotations, labels, name, namespace or uid.', objectFieldSelector))),
  mode: pb(4, ptr(int32('Permission bits of the file; the volume default when absent.'))),
  path: pb(1, str('Relative path of the file.')),
  resourceFieldRef: pb(3, ptr(described('Container resource limit or request to write.', resourceFieldSelector))),
}, { required: ['path'] });

export const downwardAPIVolumeSource = obj(`${CORE}.DownwardAPIVolumeSource`, 'Pod information presented as files.', {
  defaultMode: pb(2, ptr(int32('Default permission bits of the files; 0644 by default.'))),
  items: pb(1, arr(downwardAPIVolumeFile, 'Files to create.', { listType: 'atomic' })),
});

export const fcVolumeSource = obj(`${CORE}.FCVolumeSource`, 'A Fibre Channel disk.', {
  fsType: pb(3, str('Filesystem type; ext4 when absent.')),
  lun: pb(2, ptr(int32('Target LUN number.'))),
  readOnly: pb(4, bool('Mount read-only.')),
  targetWWNs: pb(1, arr(str(), 'Target world wide names.', { listType: 'atomic' })),
  wwids: pb(5, arr(str(), 'Volume world wide identifiers, instead of targetWWNs and lun.', { listType: 'atomic' })),
});

export const azureFileVolumeSource = obj(`${CORE}.AzureFileVolumeSource`, 'An Azure File share.', {
  readOnly: pb(3, bool('Mount read-only.')),
  secretName: pb(1, str('Secret with the storage account name and key.')),
  shareName: pb(2, str('Name of the share.')),
}, { required: ['secretName', 'shareName'] });

export const configMapVolumeSource = embed(obj(`${CORE}.ConfigMapVolumeSource`, 'A ConfigMap presented as files.', {
  defaultMode: pb(3, ptr(int32('Default permission bits of the files; 0644 by default.'))),
  items: pb(2, arr(keyToPath, 'Keys to project and their paths; all keys when absent.', { listType: 'atomic' })),
  optional: pb(4, ptr(bool('Whether the ConfigMap or its keys may be missing.'))),
}), 1, {
  name: pb(1, str('Name of the ConfigMap.')),
});

export const vsphereVirtualDiskVolumeSource = obj(`${CORE}.VsphereVirtualDiskVolumeSource`, 'A vSphere virtual disk.', {
  fsType: pb(2, str('Filesystem type; ext4 when absent.')),
  storagePolicyID: pb(4, str('ID of the storage policy profile.')),
  storagePolicyName: pb(3, str('Name of the storage policy profile.')),
  volumePath: pb(1, str('Path of the vmdk.')),
}, { required: ['volumePath'] });

export const quobyteVolumeSource = obj(`${CORE}.QuobyteVolumeSource`, 'A Quobyte volume.', {
  group: pb(5, str('Group to map access to.')),
  readOnly: pb(3, bool('Mount read-only.')),
  registry: pb(1, str('Quobyte registry services as host:port pairs, comma separated.')),
  tenant: pb(6, str('Tenant owning the volume.')),
  user: pb(4, str('User to map access to.')),
  volume: pb(2, str('Name of an existing Quobyte volume.')),
}, { required: ['registry', 'volume'] });

export const azureDiskVolumeSource = obj(`${CORE}.AzureDiskVolumeSource`, 'An Azure data disk.', {
  cachingMode: pb(3, ptr(str('Host caching: None, ReadOnly or ReadWrite.'))),
  diskName: pb(1, str('Name of the disk in blob storage.')),
  diskURI: pb(2, str('URI of the disk in blob storage.')),
  fsType: pb(4, ptr(str('Filesystem type; ext4 when absent.'))),
  kind: pb(6, ptr(str('Shared, Dedicated or Managed; Shared by default.'))),
  readOnly: pb(5, ptr(bool('Mount read-only.'))),
}, { required: ['diskName', 'diskURI'] });

export const photonPersistentDiskVolumeSource = obj(`${CORE}.PhotonPersistentDiskVolumeSource`, 'A Photon Controller persistent disk.', {
  fsType: pb(2, str('Filesystem type; ext4 when absent.')),
  pdID: pb(1, str('ID of the disk.')),
}, { required: ['pdID'] });

export const secretProjection = embed(obj(`${CORE}.SecretProjection`, 'A Secret projected into a volume.', {
  items: pb(2, arr(keyToPath, 'Keys to project and their paths; all keys when absent.', { listType: 'atomic' })),
  optional: pb(4, ptr(bool('Whether the Secret or its keys may be missing.'))),
}), 1, {
  name: pb(1, str('Name of the Secret.')),
});

export const configMapProjection = embed(obj(`${CORE}.ConfigMapProjection`, 'A ConfigMap projected into a volume.', {
  items: pb(2, arr(keyToPath, 'Keys to project and their paths; all keys when absent.', { listType: 'atomic' })),
  optional: pb(4, ptr(bool('Whether the ConfigMap or its keys may be missing.'))),
}), 1, {
  name: pb(1, str('Name of the ConfigMap.')),
});

export const downwardAPIProjection = obj(`${CORE}.DownwardAPIProjection`, 'Pod information projected into a volume.', {
  items: pb(1, arr(downwardAPIVolumeFile, 'Files to create.', { listType: 'atomic' })),
});

export const serviceAccountTokenProjection = obj(`${CORE}.ServiceAccountTokenProjection`, 'A service account token projected into a volume and rotated by the kubelet.', {
  audience: pb(1, str('Intended audience of the token; the API server by default.')),
  expirationSeconds: pb(2, ptr(int64('Requested lifetime of the token; one hour by default, at least ten minutes.'))),
  path: pb(3, str('Path of the token file, relative to the mount point.')),
}, { required: ['path'] });

export const clusterTrustBundleProjection = obj(`${CORE}.ClusterTrustBundleProjection`, 'ClusterTrustBundle certificates projected into a volume.', {
  labelSelector: pb(3, ptr(described('Selects bundles of the signer by label; nothing when absent.', labelSelector))),
  name: pb(1, ptr(str('Name of a single bundle to use.'))),
  optional: pb(5, ptr(bool('Start the pod even if no matching bundle exists.'))),
  path: pb(4, str('Path of the bundle file, relative to the volume root.')),
  signerName: pb(2, ptr(str('Use all bundles of this signer.'))),
}, { required: ['path'] });

export const volumeProjection = obj(`${CORE}.VolumeProjection`, 'One source of a projected volume.', {
  clusterTrustBundle: pb(5, ptr(described('Trust bundle certificates to project.', clusterTrustBundleProjection))),
  configMap: pb(3, ptr(described('ConfigMap data to project.', configMapProjection))),
  downwardAPI: pb(2, ptr(described('Pod information to project.', downwardAPIProjection))),
  secret: pb(1, ptr(described('Secret data to project.', secretProjection))),
  serviceAccountToken: pb(4, ptr(described('Service account token to project.', serviceAccountTokenProjection))),
});

export const projectedVolumeSource = obj(`${CORE}.ProjectedVolumeSource`, 'Several sources projected into one directory.', {
  defaultMode: pb(2, ptr(int32('Default permission bits of the files.'))),
  sources: pb(1, arr(volumeProjection, 'Sources to project.', { listType: 'atomic' })),
});

export const portworxVolumeSource = obj(`${CORE}.PortworxVolumeSource`, 'A Portworx volume.', {
  fsType: pb(2, str('Filesystem type; ext4 when absent.')),
  readOnly: pb(3, bool('Mount read-only.')),
  volumeID: pb(1, str('ID of the volume.')),
}, { required: ['volumeID'] });

export const scaleIOVolumeSource = obj(`${CORE}.ScaleIOVolumeSource`, 'A ScaleIO volume.', {
  fsType: pb(9, str('Filesystem type; xfs by default.')),
  gateway: pb(1, str('Host address of the ScaleIO API gateway.')),
  protectionDomain: pb(5, str('ScaleIO protection domain of the storage.')),
  readOnly: pb(10, bool('Mount read-only.')),
  secretRef: pb(3, ptr(described('Secret with the ScaleIO credentials.', localObjectReference))),
  sslEnabled: pb(4, bool('Use SSL to talk to the gateway.')),
  storageMode: pb(7, str('ThickProvisioned or ThinProvisioned; ThinProvisioned by default.')),
  storagePool: pb(6, str('ScaleIO storage pool.')),
  system: pb(2, str('Name of the storage system.')),
  volumeName: pb(8, str('Name of an existing volume in the system.')),
}, { required: ['gateway', 'system', 'secretRef'] });

export const storageOSVolumeSource = obj(`${CORE}.StorageOSVolumeSource`, 'A StorageOS volume.', {
  fsType: pb(3, str('Filesystem type; ext4 when absent.')),
  readOnly: pb(4, bool('Mount read-only.')),
  secretRef: pb(5, ptr(described('Secret with the StorageOS API credentials.', localObjectReference))),
  volumeName: pb(1, str('Name of the StorageOS volume.')),
  volumeNamespace: pb(2, str('StorageOS namespace of the volume; the pod namespace by default.')),
});

export const csiVolumeSource = obj(`${CORE}.CSIVolumeSource`, 'An ephemeral volume provided by a CSI driver.', {
  driver: pb(1, str('Name of the CSI driver.')),
  fsType: pb(3, ptr(str('Filesystem type; the driver chooses when absent.'))),
  nodePublishSecretRef: pb(5, ptr(described('Secret passed to the driver on NodePublishVolume.', localObjectReference))),
  readOnly: pb(2, ptr(bool('Mount read-only.'))),
  volumeAttributes: pb(4, stringMap('Driver-specific properties.')),
}, { required: ['driver'] });

export const ephemeralVolumeSource = obj(`${CORE}.EphemeralVolumeSource`, 'A volume backed by a claim created for, and deleted with, the pod.', {
  volumeClaimTemplate: pb(1, ptr(described('Template of the claim to create.', persistentVolumeClaimTemplate))),
});

export const imageVolumeSource = obj(`${CORE}.ImageVolumeSource`, 'An OCI image or artifact mounted read-only.', {
  pullPolicy: pb(2, str('Always, Never or IfNotPresent.')),
  reference: pb(1, str('Image or artifact reference.')),
});

const volumeSourceFields: Record<string, Schema> = {
  awsElasticBlockStore: pb(4, ptr(described('AWS EBS disk (deprecated).', awsElasticBlockStoreVolumeSource))),
  azureDisk: pb(22, ptr(described('Azure data disk (deprecated).', azureDiskVolumeSource))),
  azureFile: pb(18, ptr(described('Azure File share (deprecated).', azureFileVolumeSource))),
  cephfs: pb(14, ptr(described('CephFS mount (deprecated).', cephFSVolumeSource))),
  cinder: pb(13, ptr(described('OpenStack Cinder volume (deprecated).', cinderVolumeSource))),
  configMap: pb(19, ptr(described('ConfigMap to present as files.', configMapVolumeSource))),
  csi: pb(28, ptr(described('Ephemeral volume of a CSI driver.', csiVolumeSource))),
  downwardAPI: pb(16, ptr(described('Pod information to present as files.', downwardAPIVolumeSource))),
  emptyDir: pb(2, ptr(described('Empty directory living as long as the pod.', emptyDirVolumeSource))),
  ephemeral: pb(29, ptr(described('Claim created for and deleted with the pod.', ephemeralVolumeSource))),
  fc: pb(17, ptr(described('Fibre Channel disk.', fcVolumeSource))),
  flexVolume: pb(12, ptr(described('Volume of an exec-based plugin (deprecated).', flexVolumeSource))),
  flocker: pb(15, ptr(described('Flocker dataset (deprecated).', flockerVolumeSource))),
  gcePersistentDisk: pb(3, ptr(described('GCE persistent disk (deprecated).', gcePersistentDiskVolumeSource))),
  gitRepo: pb(5, ptr(described('Git repository clone (deprecated).', gitRepoVolumeSource))),
  glusterfs: pb(9, ptr(described('Glusterfs volume (deprecated).', glusterfsVolumeSource))),
  hostPath: pb(1, ptr(described('File or directory of the host.', hostPathVolumeSource))),
  image: pb(30, ptr(described('OCI image or artifact to mount.', imageVolumeSource))),
  iscsi: pb(8, ptr(described('iSCSI disk.', iscsiVolumeSource))),
  nfs: pb(7, ptr(described('NFS export.', nfsVolumeSource))),
  persistentVolumeClaim: pb(10, ptr(described('Claim of the pod namespace.', persistentVolumeClaimVolumeSource))),
  photonPersistentDisk: pb(23, ptr(described('Photon Controller disk (deprecated).', photonPersistentDiskVolumeSource))),
  portworxVolume: pb(24, ptr(described('Portworx volume (deprecated).', portworxVolumeSource))),
  projected: pb(26, ptr(described('Several sources in one directory.', projectedVolumeSource))),
  quobyte: pb(21, ptr(described('Quobyte volume (deprecated).', quobyteVolumeSource))),
  rbd: pb(11, ptr(described('Rados Block Device (deprecated).', rbdVolumeSource))),
  scaleIO: pb(25, ptr(described('ScaleIO volume (deprecated).', scaleIOVolumeSource))),
  secret: pb(6, ptr(described('Secret to present as files.', secretVolumeSource))),
  storageos: pb(27, ptr(described('StorageOS volume (deprecated).', storageOSVolumeSource))),
  vsphereVolume: pb(20, ptr(described('vSphere virtual disk (deprecated).', vsphereVirtualDiskVolumeSource))),
};

export const volume = embed(obj(`${CORE}.Volume`, 'A named volume of a pod that its containers can mount; exactly one source is set.', {
  name: pb(1, str('Name of the volume, a DNS_LABEL unique in the pod.')),
}, { required: ['name'] }), 2, volumeSourceFields);

// ---- scheduling ----

export const nodeSelectorRequirement = obj(`${CORE}.NodeSelectorRequirement`, 'A requirement on a node label or field.', {
  key: pb(1, str('Label or field key.')),
  operator: pb(2, str('In, NotIn, Exists, DoesNotExist, Gt or Lt.')),
  values: pb(3, arr(str(), 'Values to compare with; one integer for Gt and Lt, none for Exists and DoesNotExist.', { listType: 'atomic' })),
}, { required: ['key', 'operator'] });

export const nodeSelectorTerm = obj(`${CORE}.NodeSelectorTerm`, 'Requirements on a node, ANDed; an empty term matches nothing.', {
  matchExpressions: pb(1, arr(nodeSelectorRequirement, 'Requirements on node labels.', { listType: 'atomic' })),
  matchFields: pb(2, arr(nodeSelectorRequirement, 'Requirements on node fields.', { listType: 'atomic' })),
}, { mapType: 'atomic' });

export const nodeSelector = obj(`${CORE}.NodeSelector`, 'Node selector terms, ORed.', {
  nodeSelectorTerms: pb(1, arr(nodeSelectorTerm, 'The terms, ORed.', { listType: 'atomic' })),
}, { required: ['nodeSelectorTerms'], mapType: 'atomic' });

export const preferredSchedulingTerm = obj(`${CORE}.PreferredSchedulingTerm`, 'A weighted node selector term.', {
  preference: pb(2, described('The node selector term.', nodeSelectorTerm)),
  weight: pb(1, int32('Weight of the term, 1 to 100.')),
}, { required: ['weight', 'preference'] });

export const nodeAffinity = obj(`${CORE}.NodeAffinity`, 'Node affinity scheduling rules.', {
  preferredDuringSchedulingIgnoredDuringExecution: pb(2, arr(preferredSchedulingTerm, 'Terms the scheduler prefers, by weight.', { listType: 'atomic' })),
  requiredDuringSchedulingIgnoredDuringExecution: pb(1, ptr(described('Nodes the pod must be scheduled on.', nodeSelector))),
});

export const podAffinityTerm = obj(`${CORE}.PodAffinityTerm`, 'A set of pods, by label and namespace, and the topology key that defines co-location.', {
  labelSelector: pb(1, ptr(described('Pods to match; none when absent.', labelSelector))),
  matchLabelKeys: pb(5, arr(str(), 'Keys of the incoming pod labels added to labelSelector as key in (value).', { listType: 'atomic' })),
  mismatchLabelKeys: pb(6, arr(str(), 'Keys of the incoming pod labels added to labelSelector as key notin (value).', { listType: 'atomic' })),
  namespaceSelector: pb(4, ptr(described('Namespaces the term applies to, by label.', labelSelector))),
  namespaces: pb(2, arr(str(), 'Namespaces the term applies to, by name.', { listType: 'atomic' })),
  topologyKey: pb(3, str('Node label whose equal values count as co-located.')),
}, { required: ['topologyKey'] });

export const weightedPodAffinityTerm = obj(`${CORE}.WeightedPodAffinityTerm`, 'A weighted pod affinity term.', {
  podAffinityTerm: pb(2, described('The pod affinity term.', podAffinityTerm)),
  weight: pb(1, int32('Weight of the term, 1 to 100.')),
}, { required: ['weight', 'podAffinityTerm'] });

export const podAffinity = obj(`${CORE}.PodAffinity`, 'Rules to place the pod near other pods.', {
  preferredDuringSchedulingIgnoredDuringExecution: pb(2, arr(weightedPodAffinityTerm, 'Terms the scheduler prefers, by weight.', { listType: 'atomic' })),
  requiredDuringSchedulingIgnoredDuringExecution: pb(1, arr(podAffinityTerm, 'Terms that must all hold at scheduling time.', { listType: 'atomic' })),
});

export const podAntiAffinity = obj(`${CORE}.PodAntiAffinity`, 'Rules to keep the pod away from other pods.', {
  preferredDuringSchedulingIgnoredDuringExecution: pb(2, arr(weightedPodAffinityTerm, 'Terms the scheduler prefers, by weight.', { listType: 'atomic' })),
  requiredDuringSchedulingIgnoredDuringExecution: pb(1, arr(podAffinityTerm, 'Terms that must all hold at scheduling time.', { listType: 'atomic' })),
});

export const affinity = obj(`${CORE}.Affinity`, 'Affinity scheduling rules of a pod.', {
  nodeAffinity: pb(1, ptr(described('Rules on the nodes the pod may run on.', nodeAffinity))),
  podAffinity: pb(2, ptr(described('Rules to co-locate the pod with other pods.', podAffinity))),
  podAntiAffinity: pb(3, ptr(described('Rules to keep the pod apart from other pods.', podAntiAffinity))),
});

export const toleration = obj(`${CORE}.Toleration`, 'Lets the pod tolerate taints that match it.', {
  effect: pb(4, str('Taint effect to match; all effects when empty.')),
  key: pb(1, str('Taint key to match; all keys when empty, with operator Exists.')),
  operator: pb(2, str('Exists or Equal; Equal by default.')),
  tolerationSeconds: pb(5, ptr(int64('How long a NoExecute taint is tolerated before eviction; forever when absent.'))),
  value: pb(3, str('Taint value to match; empty for Exists.')),
});

export const topologySpreadConstraint = obj(`${CORE}.TopologySpreadConstraint`, 'How matching pods are spread across a topology.', {
  labelSelector: pb(4, ptr(described('Pods counted in each topology domain.', labelSelector))),
  matchLabelKeys: pb(8, arr(str(), 'Keys of the incoming pod labels ANDed with labelSelector.', { listType: 'atomic' })),
  maxSkew: pb(1, int32('Largest allowed difference in matching pods between domains.')),
  minDomains: pb(5, ptr(int32('Least number of eligible domains; fewer makes the global minimum 0.'))),
  nodeAffinityPolicy: pb(6, ptr(str('Honor or Ignore the pod node affinity when counting; Honor by default.'))),
  nodeTaintsPolicy: pb(7, ptr(str('Honor or Ignore node taints when counting; Ignore by default.'))),
  topologyKey: pb(2, str('Node label that defines a topology domain.')),
  whenUnsatisfiable: pb(3, str('DoNotSchedule or ScheduleAnyway.')),
}, { required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'] });

// ---- other pod spec parts ----

export const hostAlias = obj(`${CORE}.HostAlias`, 'An entry added to the pod hosts file.', {
  hostnames: pb(2, arr(str(), 'Host names for the IP.', { listType: 'atomic' })),
  ip: pb(1, str('IP address of the entry.')),
}, { required: ['ip'] });

export const podDNSConfigOption = obj(`${CORE}.PodDNSConfigOption`, 'A DNS resolver option.', {
  name: pb(1, str('Name of the option.')),
  value: pb(2, ptr(str('Value of the option.'))),
});

export const podDNSConfig = obj(`${CORE}.PodDNSConfig`, 'DNS settings of a pod, added to those of its DNS policy.', {
  nameservers: pb(1, arr(str(), 'Name server IP addresses.', { listType: 'atomic' })),
  options: pb(3, arr(podDNSConfigOption, 'Resolver options.', { listType: 'atomic' })),
  searches: pb(2, arr(str(), 'Search domains.', { listType: 'atomic' })),
});

export const podReadinessGate = obj(`${CORE}.PodReadinessGate`, 'A pod condition that must be true for the pod to be ready.', {
  conditionType: pb(1, str('Type of the pod condition.')),
}, { required: ['conditionType'] });

export const podOS = obj(`${CORE}.PodOS`, 'Operating system of the pod.', {
  name: pb(1, str('linux or windows.')),
}, { required: ['name'] });

export const podSchedulingGate = obj(`${CORE}.PodSchedulingGate`, 'A gate that holds the pod back from scheduling.', {
  name: pb(1, str('Name of the gate, unique in the pod.')),
}, { required: ['name'] });

export const podResourceClaim = obj(`${CORE}.PodResourceClaim`, 'A ResourceClaim, or a template to create one, that the pod uses.', {
  name: pb(1, str('Name of the claim inside the pod, a DNS_LABEL.')),
  resourceClaimName: pb(3, ptr(str('Name of an existing ResourceClaim in the pod namespace.'))),
  resourceClaimTemplateName: pb(4, ptr(str('Name of a ResourceClaimTemplate to create the claim from.'))),
}, { required: ['name'] });

export const podSpec = obj(`${CORE}.PodSpec`, 'The desired behavior of a pod.', {
  activeDeadlineSeconds: pb(5, ptr(int64('Seconds the pod may be active on the node before it is failed.'))),
  affinity: pb(18, ptr(described('Scheduling constraints of the pod.', affinity))),
  automountServiceAccountToken: pb(21, ptr(bool('Whether a service account token is mounted automatically.'))),
  containers: pb(2, keyedList(container, 'name', 'Containers of the pod; at least one.', { listType: 'map', listMapKeys: ['name'] })),
  dnsConfig: pb(26, ptr(described('DNS settings merged with those of the DNS policy.', podDNSConfig))),
  dnsPolicy: pb(6, str('ClusterFirstWithHostNet, ClusterFirst, Default or None; ClusterFirst by default.')),
  enableServiceLinks: pb(30, ptr(bool('Inject service information as environment variables; true by default.'))),
  ephemeralContainers: pb(34, keyedList(ephemeralContainer, 'name', 'Ephemeral containers, added through the ephemeralcontainers subresource.', { listType: 'map', listMapKeys: ['name'] })),
  hostAliases: pb(23, keyedList(hostAlias, 'ip', 'Entries added to the pod hosts file.', { listType: 'map', listMapKeys: ['ip'] })),
  hostIPC: pb(13, bool('Use the host IPC namespace.')),
  hostNetwork: pb(11, bool('Use the host network namespace.')),
  hostPID: pb(12, bool('Use the host PID namespace.')),
  hostUsers: pb(37, ptr(bool('Use the host user namespace; true by default.'))),
  hostname: pb(16, str('Host name of the pod; a system value by default.')),
  imagePullSecrets: pb(15, keyedList(localObjectReference, 'name', 'Secrets used to pull the images of the pod.', { listType: 'map', listMapKeys: ['name'] })),
  initContainers: pb(20, keyedList(container, 'name', 'Containers run in order before the app containers start.', { listType: 'map', listMapKeys: ['name'] })),
  nodeName: pb(10, str('Node the pod is bound to.')),
  nodeSelector: pb(7, stringMap('Labels a node must have for the pod to run there.')),
  os: pb(36, ptr(described('Operating system of the containers.', podOS))),
  overhead: pb(32, mapOf(quantity(), 'Resources used by the pod sandbox, set from its RuntimeClass.')),
  preemptionPolicy: pb(31, ptr(str('Never or PreemptLowerPriority; PreemptLowerPriority by default.'))),
  priority: pb(25, ptr(int32('Priority value, set from priorityClassName by admission.'))),
  priorityClassName: pb(24, str('Name of the PriorityClass of the pod.')),
  readinessGates: pb(28, arr(podReadinessGate, 'Extra conditions that must be true for the pod to be ready.', { listType: 'atomic' })),
  resourceClaims: pb(39, keyedList(podResourceClaim, 'name', 'ResourceClaims to allocate before the pod starts.', { patchStrategy: 'merge,retainKeys', listType: 'map', listMapKeys: ['name'] })),
  resources: pb(40, ptr(described('Total compute resources of all containers of the pod.', resourceRequirements))),
  restartPolicy: pb(3, str('Always, OnFailure or Never; Always by default.')),
  runtimeClassName: pb(29, ptr(str('RuntimeClass used to run the pod.'))),
  schedulerName: pb(19, str('Scheduler that places the pod; the default scheduler when absent.')),
  schedulingGates: pb(38, keyedList(podSchedulingGate, 'name', 'Gates that hold the pod back from scheduling while present.', { listType: 'map', listMapKeys: ['name'] })),
  securityContext: pb(14, ptr(described('Security settings of the pod.', podSecurityContext))),
  serviceAccount: pb(9, str('Deprecated alias of serviceAccountName.')),
  serviceAccountName: pb(8, str('Name of the ServiceAccount the pod runs as.')),
  setHostnameAsFQDN: pb(35, ptr(bool('Set the fully qualified domain name as the pod host name.'))),
  shareProcessNamespace: pb(27, ptr(bool('Share one process namespace between the containers.'))),
  subdomain: pb(17, str('Subdomain of the pod, giving it a host name under a service.')),
  terminationGracePeriodSeconds: pb(4, ptr(int64('Seconds the pod has to stop gracefully; 30 by default.'))),
  tolerations: pb(22, arr(toleration, 'Taints the pod tolerates.', { listType: 'atomic' })),
  topologySpreadConstraints: pb(33, keyedList(topologySpreadConstraint, 'topologyKey', 'How the pods spread across topology domains.', { listType: 'map', listMapKeys: ['topologyKey', 'whenUnsatisfiable'] })),
  volumes: pb(1, keyedList(volume, 'name', 'Volumes the containers can mount.', { patchStrategy: 'merge,retainKeys', listType: 'map', listMapKeys: ['name'] })),
}, { required: ['containers'] });

export const podTemplateSpec = obj(`${CORE}.PodTemplateSpec`, 'The data of pods created from a template.', {
  metadata: pb(1, keepZero(described("Standard object's metadata.", objectMeta))),
  spec: pb(2, keepZero(described('Desired behavior of the pods.', podSpec))),
});

// ---- pod status ----

export const podCondition = obj(`${CORE}.PodCondition`, 'A condition of a pod.', {
  lastProbeTime: pb(3, time('When the condition was last probed.')),
  lastTransitionTime: pb(4, time('When the condition last changed status.')),
  message: pb(6, str('Human readable detail of the last transition.')),
  reason: pb(5, str('CamelCase reason of the last transition.')),
  status: pb(2, str('True, False or Unknown.')),
  type: pb(1, str('Type of the condition.')),
}, { required: ['type', 'status'] });

export const hostIP = obj(`${CORE}.HostIP`, 'An IP address of the host.', {
  ip: pb(1, str('The IP address.')),
}, { required: ['ip'] });

export const podIP = obj(`${CORE}.PodIP`, 'An IP address of the pod.', {
  ip: pb(1, str('The IP address.')),
}, { required: ['ip'] });

export const containerStateWaiting = obj(`${CORE}.ContainerStateWaiting`, 'A container not yet running.', {
  message: pb(2, str('Why the container is not running yet.')),
  reason: pb(1, str('Brief reason the container is not running yet.')),
});

export const containerStateRunning = obj(`${CORE}.ContainerStateRunning`, 'A running container.', {
  startedAt: pb(1, time('When the container last started.')),
});

export const containerStateTerminated = obj(`${CORE}.ContainerStateTerminated`, 'A container that has terminated.', {
  containerID: pb(7, str('ID of the container, as <type>://<id>.')),
  exitCode: pb(1, int32('Exit status of the last termination.')),
  finishedAt: pb(6, time('When the container last terminated.')),
  message: pb(4, str('Message about the last termination.')),
  reason: pb(3, str('Brief reason of the last termination.')),
  signal: pb(2, int32('Signal of the last termination.')),
  startedAt: pb(5, time('When the last run of the container started.')),
}, { required: ['exitCode'] });

export const containerState = obj(`${CORE}.ContainerState`, 'State of a container; at most one member is set, waiting by default.', {
  running: pb(2, ptr(described('Set when the container is running.', containerStateRunning))),
  terminated: pb(3, ptr(described('Set when the container has terminated.', containerStateTerminated))),
  waiting: pb(1, ptr(described('Set when the container is waiting.', containerStateWaiting))),
});

export const volumeMountStatus = obj(`${CORE}.VolumeMountStatus`, 'Status of a volume mount.', {
  mountPath: pb(2, str('Mount path of the original volume mount.')),
  name: pb(1, str('Name of the original volume mount.')),
  readOnly: pb(3, bool('Read-only setting of the original volume mount.')),
  recursiveReadOnly: pb(4, ptr(str('Disabled or Enabled for read-only mounts; unset otherwise.'))),
}, { required: ['name', 'mountPath'] });

export const linuxContainerUser = obj(`${CORE}.LinuxContainerUser`, 'Identity of the first process of a Linux container.', {
  gid: pb(2, int64('Primary GID.')),
  supplementalGroups: pb(3, arr(int64(), 'Supplemental group IDs.', { listType: 'atomic' })),
  uid: pb(1, int64('Primary UID.')),
}, { required: ['uid', 'gid'] });

export const containerUser = obj(`${CORE}.ContainerUser`, 'Identity of the first process of a container.', {
  linux: pb(1, ptr(described('Identity on Linux.', linuxContainerUser))),
});

export const resourceHealth = obj(`${CORE}.ResourceHealth`, 'Health of one allocated device.', {
  health: pb(2, str('Healthy, Unhealthy or Unknown.')),
  resourceID: pb(1, str('Unique identifier of the device.')),
}, { required: ['resourceID'] });

export const resourceStatus = obj(`${CORE}.ResourceStatus`, 'Health of the devices behind one allocated resource.', {
  name: pb(1, str('Name of the resource, or claim:<claim>/<request> for a DRA resource.')),
  resources: pb(2, arr(resourceHealth, 'Health of each device.', { listType: 'map', listMapKeys: ['resourceID'] })),
}, { required: ['name'] });

export const containerStatus = obj(`${CORE}.ContainerStatus`, 'Current status of a container.', {
  allocatedResources: pb(10, mapOf(quantity(), 'Resources the node allocated to the container.')),
  allocatedResourcesStatus: pb(14, keyedList(resourceStatus, 'name', 'Health of the resources allocated to the container.', { listType: 'map', listMapKeys: ['name'] })),
  containerID: pb(8, str('ID of the container, as <type>://<id>.')),
  image: pb(6, str('Image the container runs.')),
  imageID: pb(7, str('ID of the image the container runs.')),
  lastState: pb(3, described('State of the last termination.', containerState)),
  name: pb(1, str('Name of the container.')),
  ready: pb(4, bool('Whether the container passes its readiness check.')),
  resources: pb(11, ptr(described('Requests and limits in effect for the running container.', resourceRequirements))),
  restartCount: pb(5, int32('How many times the container has restarted.')),
  started: pb(9, ptr(bool('Whether the container passed its postStart hook and startup probe.'))),
  state: pb(2, described('Current state of the container.', containerState)),
  user: pb(13, ptr(described('Identity of the first process of the container.', containerUser))),
  volumeMounts: pb(12, keyedList(volumeMountStatus, 'mountPath', 'Status of the volume mounts.', { listType: 'map', listMapKeys: ['mountPath'] })),
}, { required: ['name', 'ready', 'restartCount', 'image', 'imageID'] });

export const podResourceClaimStatus = obj(`${CORE}.PodResourceClaimStatus`, 'The ResourceClaim generated for a template-based pod claim.', {
  name: pb(1, str('Name of the entry in pod.spec.resourceClaims.')),
  resourceClaimName: pb(2, ptr(str('Name of the generated ResourceClaim; unset when none was needed.'))),
}, { required: ['name'] });

export const podStatus = obj(`${CORE}.PodStatus`, 'Most recently observed status of a pod.', {
  conditions: pb(2, keyedList(podCondition, 'type', 'Current conditions of the pod.', { listType: 'map', listMapKeys: ['type'] })),
  containerStatuses: pb(8, arr(containerStatus, 'Status of each container.', { listType: 'atomic' })),
  ephemeralContainerStatuses: pb(13, arr(containerStatus, 'Status of each ephemeral container.', { listType: 'atomic' })),
  hostIP: pb(5, str('IP address of the host the pod runs on.')),
  hostIPs: pb(16, keyedList(hostIP, 'ip', 'IP addresses of the host; the first matches hostIP.', { listType: 'atomic' })),
  initContainerStatuses: pb(10, arr(containerStatus, 'Status of each init container.', { listType: 'atomic' })),
  message: pb(3, str('Human readable detail of the pod condition.')),
  nominatedNodeName: pb(11, str('Node the pod may run on after preempting others.')),
  phase: pb(1, str('Pending, Running, Succeeded, Failed or Unknown.')),
  podIP: pb(6, str('IP address of the pod.')),
  podIPs: pb(12, keyedList(podIP, 'ip', 'IP addresses of the pod; the first matches podIP.', { listType: 'map', listMapKeys: ['ip'] })),
  qosClass: pb(9, str('Quality of service class of the pod.')),
  reason: pb(4, str('Brief CamelCase reason for the pod state, such as Evicted.')),
  resize: pb(14, str('Status of a pending resize of container resources.')),
  resourceClaimStatuses: pb(15, keyedList(podResourceClaimStatus, 'name', 'Status of the resource claims.', { patchStrategy: 'merge,retainKeys', listType: 'map', listMapKeys: ['name'] })),
  startTime: pb(7, ptr(time('When the kubelet acknowledged the pod.'))),
});
