// Kinds of the core API group, v1 (k8s.io/api/core/v1), as served by Kubernetes 1.32.
// Pod parts and the references shared with other groups live in core-pod.ts.
import { arr, bool, bytes, described, int32, int64, intOrString, keepZero, keyedList, mapOf, obj, pb, ptr, quantity, str, stringMap, time } from '../../api/schema.js';
import {
  container,
  localObjectReference,
  objectReference,
  persistentVolumeClaimSpec,
  podSpec,
  podStatus,
  podTemplateSpec,
  volume,
} from './core-pod.js';
import { condition, kind } from './meta.js';

export { container, localObjectReference, objectReference, podSpec, podTemplateSpec, volume };

const CORE = 'io.k8s.api.core.v1';

// ---- Namespace ----

export const namespaceCondition = obj(`${CORE}.NamespaceCondition`, 'A condition of a namespace.', {
  lastTransitionTime: pb(4, time('When the condition last changed status.')),
  message: pb(6, str('Human readable detail of the last transition.')),
  reason: pb(5, str('CamelCase reason of the last transition.')),
  status: pb(2, str('True, False or Unknown.')),
  type: pb(1, str('Type of the condition.')),
}, { required: ['type', 'status'] });

export const namespaceSpec = obj(`${CORE}.NamespaceSpec`, 'Attributes of a namespace.', {
  finalizers: pb(1, arr(str(), 'Values that must be removed before the namespace is deleted from storage.', { listType: 'atomic' })),
});

export const namespaceStatus = obj(`${CORE}.NamespaceStatus`, 'Current status of a namespace.', {
  conditions: pb(2, keyedList(namespaceCondition, 'type', 'Latest observations of the namespace state.', { listType: 'map', listMapKeys: ['type'] })),
  phase: pb(1, str('Active or Terminating.')),
});

export const namespace = kind('', 'v1', 'Namespace', CORE, 'A scope for names.', {
  spec: pb(2, described('Behavior of the namespace.', namespaceSpec)),
  status: pb(3, described('Current status of the namespace.', namespaceStatus)),
});

// ---- ServiceAccount, Secret, ConfigMap ----

export const serviceAccount = kind('', 'v1', 'ServiceAccount', CORE, 'An identity for processes in pods, with the secrets they may use.', {
  automountServiceAccountToken: pb(4, ptr(bool('Whether pods running as this account get an API token mounted; pods can override it.'))),
  imagePullSecrets: pb(3, arr(localObjectReference, 'Secrets used to pull images of pods that run as this account.', { listType: 'atomic' })),
  secrets: pb(2, keyedList(objectReference, 'name', 'Secrets pods running as this account may use.', { listType: 'map', listMapKeys: ['name'] })),
});

export const secret = kind('', 'v1', 'Secret', CORE, 'Secret data of a given type.', {
  data: pb(2, mapOf(bytes(), 'Secret values, base64 encoded in JSON.')),
  immutable: pb(5, ptr(bool('When true, the data cannot be changed.'))),
  stringData: pb(4, stringMap('Write-only plain-text values merged into data on write.')),
  type: pb(3, str('Type of the secret, for programmatic handling of its data.')),
});

export const configMap = kind('', 'v1', 'ConfigMap', CORE, 'Configuration data for pods to use.', {
  binaryData: pb(3, mapOf(bytes(), 'Binary values, base64 encoded in JSON.')),
  data: pb(2, stringMap('UTF-8 values.')),
  immutable: pb(4, ptr(bool('When true, the data cannot be changed.'))),
});

// ---- Pod, Binding ----

export const pod = kind('', 'v1', 'Pod', CORE, 'A group of containers that run together on a host.', {
  spec: pb(2, described('Desired behavior of the pod.', podSpec)),
  status: pb(3, described('Most recently observed status of the pod.', podStatus)),
});

export const podTemplate = kind('', 'v1', 'PodTemplate', CORE, 'A template of pods, kept for other objects to copy.', {
  template: pb(2, keepZero(described('The pods this template describes.', podTemplateSpec))),
});

export const binding = kind('', 'v1', 'Binding', CORE, 'Ties one object to another, such as a pod to a node.', {
  target: pb(2, described('The object to bind to.', objectReference)),
}, { required: ['target'] });

// ---- Service ----

export const servicePort = obj(`${CORE}.ServicePort`, 'A port of a service.', {
  appProtocol: pb(6, ptr(str('Application protocol of the port, a hint for implementations.'))),
  name: pb(1, str('Name of the port, a DNS_LABEL unique in the service.')),
  nodePort: pb(5, int32('Port on each node for NodePort and LoadBalancer services.')),
  port: pb(3, int32('Port the service exposes.')),
  protocol: pb(2, str('TCP, UDP or SCTP; TCP by default.', { default: 'TCP' })),
  targetPort: pb(4, intOrString('Number or name of the port on the pods; the port value by default.')),
}, { required: ['port'] });

export const clientIPConfig = obj(`${CORE}.ClientIPConfig`, 'Settings of client IP session affinity.', {
  timeoutSeconds: pb(1, ptr(int32('Seconds a ClientIP session sticks; 10800 by default.'))),
});

export const sessionAffinityConfig = obj(`${CORE}.SessionAffinityConfig`, 'Settings of session affinity.', {
  clientIP: pb(1, ptr(described('Settings of client IP session affinity.', clientIPConfig))),
});

export const serviceSpec = obj(`${CORE}.ServiceSpec`, 'Attributes a user sets on a service.', {
  allocateLoadBalancerNodePorts: pb(20, ptr(bool('Whether a LoadBalancer service gets node ports; true by default.'))),
  clusterIP: pb(3, str('Virtual IP of the service, None for a headless service.')),
  clusterIPs: pb(18, arr(str(), 'Virtual IPs of the service, one per IP family.', { listType: 'atomic' })),
  externalIPs: pb(5, arr(str(), 'IPs outside Kubernetes on which nodes also accept traffic for the service.', { listType: 'atomic' })),
  externalName: pb(10, str('DNS name the service aliases, for type ExternalName.')),
  externalTrafficPolicy: pb(11, str('Cluster or Local routing of traffic from external addresses.')),
  healthCheckNodePort: pb(12, int32('Node port for health checks of LoadBalancer services with the Local policy.')),
  internalTrafficPolicy: pb(22, ptr(str('Cluster or Local routing of traffic to the cluster IP.'))),
  ipFamilies: pb(19, arr(str(), 'IP families of the service: IPv4, IPv6.', { listType: 'atomic' })),
  ipFamilyPolicy: pb(17, ptr(str('SingleStack, PreferDualStack or RequireDualStack.'))),
  loadBalancerClass: pb(21, ptr(str('Load balancer implementation that handles the service.'))),
  loadBalancerIP: pb(8, str('Requested load balancer IP (deprecated).')),
  loadBalancerSourceRanges: pb(9, arr(str(), 'Client CIDRs allowed through the load balancer.', { listType: 'atomic' })),
  ports: pb(1, keyedList(servicePort, 'port', 'Ports the service exposes.', { listType: 'map', listMapKeys: ['port', 'protocol'] })),
  publishNotReadyAddresses: pb(13, bool('Publish endpoints whether or not the pods are ready.')),
  selector: pb(2, stringMap('Labels of the pods traffic is routed to.')),
  sessionAffinity: pb(7, str('ClientIP or None; None by default.')),
  sessionAffinityConfig: pb(14, ptr(described('Settings of session affinity.', sessionAffinityConfig))),
  trafficDistribution: pb(23, ptr(str('Preference for how traffic is distributed, such as PreferClose.'))),
  type: pb(4, str('ClusterIP, NodePort, LoadBalancer or ExternalName; ClusterIP by default.')),
});

export const portStatus = obj(`${CORE}.PortStatus`, 'Error state of a service port.', {
  error: pb(3, ptr(str('Problem with the port, as a CamelCase or domain-prefixed value.'))),
  port: pb(1, int32('Port number of the service port.')),
  protocol: pb(2, str('TCP, UDP or SCTP.')),
}, { required: ['port', 'protocol'] });

export const loadBalancerIngress = obj(`${CORE}.LoadBalancerIngress`, 'An ingress point of a load balancer.', {
  hostname: pb(2, str('Host name of a DNS-based ingress point.')),
  ip: pb(1, str('IP of an IP-based ingress point.')),
  ipMode: pb(3, ptr(str('VIP or Proxy: how traffic to the IP reaches the node.'))),
  ports: pb(4, arr(portStatus, 'Status of each service port.', { listType: 'atomic' })),
});

export const loadBalancerStatus = obj(`${CORE}.LoadBalancerStatus`, 'Status of a load balancer.', {
  ingress: pb(1, arr(loadBalancerIngress, 'Ingress points of the load balancer.', { listType: 'atomic' })),
});

export const serviceStatus = obj(`${CORE}.ServiceStatus`, 'Current status of a service.', {
  conditions: pb(2, keyedList(condition, 'type', 'Current conditions of the service.', { listType: 'map', listMapKeys: ['type'] })),
  loadBalancer: pb(1, keepZero(described('Status of the load balancer, if any.', loadBalancerStatus))),
});

export const service = kind('', 'v1', 'Service', CORE, 'A named set of ports, and the selector of the pods that serve them.', {
  spec: pb(2, described('Behavior of the service.', serviceSpec)),
  status: pb(3, described('Most recently observed status of the service.', serviceStatus)),
});

// ---- Endpoints ----

export const endpointAddress = obj(`${CORE}.EndpointAddress`, 'One IP address of an endpoint.', {
  hostname: pb(3, str('Host name of the endpoint.')),
  ip: pb(1, str('IP of the endpoint.')),
  nodeName: pb(4, ptr(str('Node hosting the endpoint.'))),
  targetRef: pb(2, ptr(described('Object providing the endpoint.', objectReference))),
}, { required: ['ip'], mapType: 'atomic' });

export const endpointPort = obj(`${CORE}.EndpointPort`, 'One port of an endpoint.', {
  appProtocol: pb(4, ptr(str('Application protocol of the port, a hint for implementations.'))),
  name: pb(1, str('Name of the port, matching the service port name.')),
  port: pb(2, int32('Port number of the endpoint.')),
  protocol: pb(3, str('TCP, UDP or SCTP; TCP by default.')),
}, { required: ['port'], mapType: 'atomic' });

export const endpointSubset = obj(`${CORE}.EndpointSubset`, 'Addresses sharing one set of ports.', {
  addresses: pb(1, arr(endpointAddress, 'Addresses that are ready.', { listType: 'atomic' })),
  notReadyAddresses: pb(2, arr(endpointAddress, 'Addresses that are not ready yet.', { listType: 'atomic' })),
  ports: pb(3, arr(endpointPort, 'Ports available on the addresses.', { listType: 'atomic' })),
});

export const endpoints = kind('', 'v1', 'Endpoints', CORE, 'The endpoints that implement a service.', {
  subsets: pb(2, arr(endpointSubset, 'Groups of addresses with their ports.', { listType: 'atomic' })),
});

// ---- Event ----

export const eventSource = obj(`${CORE}.EventSource`, 'Where an event came from.', {
  component: pb(1, str('Component that generated the event.')),
  host: pb(2, str('Node the event was generated on.')),
});

export const eventSeries = obj(`${CORE}.EventSeries`, 'A series of repeated events.', {
  count: pb(1, int32('Occurrences in the series up to the last heartbeat.')),
  lastObservedTime: pb(2, time('When the last occurrence was observed.')),
});

export const event = kind('', 'v1', 'Event', CORE, 'A report of something that happened in the cluster.', {
  action: pb(12, str('What was done, or failed, about the object.')),
  count: pb(8, int32('How many times the event occurred.')),
  eventTime: pb(10, time('When the event was first observed, in microseconds.')),
  firstTimestamp: pb(6, time('When the event was first recorded.')),
  involvedObject: pb(2, keepZero(described('The object the event is about.', objectReference))),
  lastTimestamp: pb(7, time('When the event was last recorded.')),
  message: pb(4, str('Human readable description of the event.')),
  reason: pb(3, str('Short machine readable reason for the event.')),
  related: pb(13, ptr(described('A secondary object of the action.', objectReference))),
  reportingComponent: pb(14, keepZero(str('Controller that emitted the event, such as kubernetes.io/kubelet.'))),
  reportingInstance: pb(15, keepZero(str('Instance of the controller that emitted the event.'))),
  series: pb(11, ptr(described('Series data, when the event repeats.', eventSeries))),
  source: pb(5, keepZero(described('Component that reported the event.', eventSource))),
  type: pb(9, str('Normal or Warning.')),
}, { required: ['metadata', 'involvedObject'] });

// ---- Node ----

export const taint = obj(`${CORE}.Taint`, 'A mark on a node that repels pods not tolerating it.', {
  effect: pb(3, str('NoSchedule, PreferNoSchedule or NoExecute.')),
  key: pb(1, str('Key of the taint.')),
  timeAdded: pb(4, ptr(time('When the taint was added.'))),
  value: pb(2, str('Value of the taint.')),
}, { required: ['key', 'effect'] });

export const configMapNodeConfigSource = obj(`${CORE}.ConfigMapNodeConfigSource`, 'A ConfigMap holding node configuration (deprecated).', {
  kubeletConfigKey: pb(5, str('Key of the ConfigMap holding the KubeletConfiguration.')),
  name: pb(2, str('Name of the ConfigMap.')),
  namespace: pb(1, str('Namespace of the ConfigMap.')),
  resourceVersion: pb(4, str('ResourceVersion of the ConfigMap; only in the status.')),
  uid: pb(3, str('UID of the ConfigMap; only in the status.')),
}, { required: ['namespace', 'name', 'kubeletConfigKey'] });

export const nodeConfigSource = obj(`${CORE}.NodeConfigSource`, 'Source of node configuration (deprecated).', {
  configMap: pb(2, ptr(described('ConfigMap holding the configuration.', configMapNodeConfigSource))),
});

export const nodeSpec = obj(`${CORE}.NodeSpec`, 'Attributes a node is created with.', {
  configSource: pb(6, ptr(described('Deprecated source of dynamic kubelet configuration.', nodeConfigSource))),
  externalID: pb(2, str('Deprecated; not set by all kubelets.')),
  podCIDR: pb(1, str('Pod IP range of the node.')),
  podCIDRs: pb(7, arr(str(), 'Pod IP ranges of the node, at most one per IP family; the first matches podCIDR.', { patchStrategy: 'merge', listType: 'set' })),
  providerID: pb(3, str('ID of the node at the cloud provider, as <provider>://<id>.')),
  taints: pb(5, arr(taint, 'Taints of the node.', { listType: 'atomic' })),
  unschedulable: pb(4, bool('Keep new pods off the node.')),
});

export const nodeCondition = obj(`${CORE}.NodeCondition`, 'A condition of a node.', {
  lastHeartbeatTime: pb(3, time('When the condition was last updated.')),
  lastTransitionTime: pb(4, time('When the condition last changed status.')),
  message: pb(6, str('Human readable detail of the last transition.')),
  reason: pb(5, str('Brief reason of the last transition.')),
  status: pb(2, str('True, False or Unknown.')),
  type: pb(1, str('Type of the condition.')),
}, { required: ['type', 'status'] });

export const nodeAddress = obj(`${CORE}.NodeAddress`, 'An address of a node.', {
  address: pb(2, str('The address.')),
  type: pb(1, str('Hostname, ExternalIP or InternalIP.')),
}, { required: ['type', 'address'] });

export const daemonEndpoint = obj(`${CORE}.DaemonEndpoint`, 'An endpoint of a daemon on a node.', {
  Port: pb(1, int32('Port number of the endpoint.')),
}, { required: ['Port'] });

export const nodeDaemonEndpoints = obj(`${CORE}.NodeDaemonEndpoints`, 'Ports daemons listen on on a node.', {
  kubeletEndpoint: pb(1, keepZero(described('Endpoint of the kubelet.', daemonEndpoint))),
});

export const nodeSystemInfo = obj(`${CORE}.NodeSystemInfo`, 'Identifiers and versions a node reports.', {
  architecture: pb(10, str('CPU architecture of the node.')),
  bootID: pb(3, str('Boot ID of the node.')),
  containerRuntimeVersion: pb(6, str('Container runtime version, such as containerd://1.7.0.')),
  kernelVersion: pb(4, str('Kernel version from uname -r.')),
  kubeProxyVersion: pb(8, str('Deprecated kube-proxy version.')),
  kubeletVersion: pb(7, str('Kubelet version.')),
  machineID: pb(1, str('Machine ID of the node, preferred to identify it.')),
  operatingSystem: pb(9, str('Operating system of the node.')),
  osImage: pb(5, str('OS image from /etc/os-release.')),
  systemUUID: pb(2, str('System UUID of the node.')),
}, {
  required: ['machineID', 'systemUUID', 'bootID', 'kernelVersion', 'osImage', 'containerRuntimeVersion', 'kubeletVersion', 'kubeProxyVersion', 'operatingSystem', 'architecture'],
});

export const containerImage = obj(`${CORE}.ContainerImage`, 'A container image present on a node.', {
  names: pb(1, arr(str(), 'Names the image is known by.', { listType: 'atomic' })),
  sizeBytes: pb(2, int64('Size of the image in bytes.')),
});

export const attachedVolume = obj(`${CORE}.AttachedVolume`, 'A volume attached to a node.', {
  devicePath: pb(2, str('Path where the device is available.')),
  name: pb(1, str('Name of the volume.')),
}, { required: ['name', 'devicePath'] });

export const nodeConfigStatus = obj(`${CORE}.NodeConfigStatus`, 'Status of the configuration assigned by spec.configSource (deprecated).', {
  active: pb(2, ptr(described('Configuration the node is using.', nodeConfigSource))),
  assigned: pb(1, ptr(described('Configuration the node will try to use.', nodeConfigSource))),
  error: pb(4, str('Problem reconciling the configuration.')),
  lastKnownGood: pb(3, ptr(described('Configuration the node falls back to on error.', nodeConfigSource))),
});

export const nodeRuntimeHandlerFeatures = obj(`${CORE}.NodeRuntimeHandlerFeatures`, 'Features a runtime handler supports.', {
  recursiveReadOnlyMounts: pb(1, ptr(bool('Supports recursive read-only mounts.'))),
  userNamespaces: pb(2, ptr(bool('Supports user namespaces, volumes included.'))),
});

export const nodeRuntimeHandler = obj(`${CORE}.NodeRuntimeHandler`, 'A runtime handler of a node.', {
  features: pb(2, ptr(described('Features of the handler.', nodeRuntimeHandlerFeatures))),
  name: pb(1, keepZero(str('Name of the handler; empty for the default one.'))),
});

export const nodeFeatures = obj(`${CORE}.NodeFeatures`, 'Features the container runtime of a node supports.', {
  supplementalGroupsPolicy: pb(1, ptr(bool('Supports supplementalGroupsPolicy and container user reporting.'))),
});

export const nodeStatus = obj(`${CORE}.NodeStatus`, 'Current status of a node.', {
  addresses: pb(5, keyedList(nodeAddress, 'type', 'Addresses the node can be reached at.', { listType: 'map', listMapKeys: ['type'] })),
  allocatable: pb(2, mapOf(quantity(), 'Resources available for scheduling; the capacity by default.')),
  capacity: pb(1, mapOf(quantity(), 'Total resources of the node.')),
  conditions: pb(4, keyedList(nodeCondition, 'type', 'Current conditions of the node.', { listType: 'map', listMapKeys: ['type'] })),
  config: pb(11, ptr(described('Status of the dynamic kubelet configuration.', nodeConfigStatus))),
  daemonEndpoints: pb(6, keepZero(described('Endpoints of daemons running on the node.', nodeDaemonEndpoints))),
  features: pb(13, ptr(described('Features of the container runtime.', nodeFeatures))),
  images: pb(8, arr(containerImage, 'Container images on the node.', { listType: 'atomic' })),
  nodeInfo: pb(7, keepZero(described('Identifiers and versions of the node.', nodeSystemInfo))),
  phase: pb(3, str('Deprecated lifecycle phase; never set.')),
  runtimeHandlers: pb(12, arr(nodeRuntimeHandler, 'Runtime handlers available on the node.', { listType: 'atomic' })),
  volumesAttached: pb(10, arr(attachedVolume, 'Volumes attached to the node.', { listType: 'atomic' })),
  volumesInUse: pb(9, arr(str(), 'Attachable volumes mounted on the node.', { listType: 'atomic' })),
});

export const node = kind('', 'v1', 'Node', CORE, 'A worker machine of the cluster.', {
  spec: pb(2, described('Behavior of the node.', nodeSpec)),
  status: pb(3, described('Most recently observed status of the node.', nodeStatus)),
});

// ---- PersistentVolumeClaim ----

export const persistentVolumeClaimCondition = obj(`${CORE}.PersistentVolumeClaimCondition`, 'A condition of a persistent volume claim.', {
  lastProbeTime: pb(3, time('When the condition was last probed.')),
  lastTransitionTime: pb(4, time('When the condition last changed status.')),
  message: pb(6, str('Human readable detail of the last transition.')),
  reason: pb(5, str('Brief reason of the last transition, such as Resizing.')),
  status: pb(2, str('True, False or Unknown.')),
  type: pb(1, str('Type of the condition.')),
}, { required: ['type', 'status'] });

export const modifyVolumeStatus = obj(`${CORE}.ModifyVolumeStatus`, 'Status of a volume attributes change.', {
  status: pb(2, str('Pending, InProgress or Infeasible.')),
  targetVolumeAttributesClassName: pb(1, str('VolumeAttributesClass being applied.')),
}, { required: ['status'] });

export const persistentVolumeClaimStatus = obj(`${CORE}.PersistentVolumeClaimStatus`, 'Current status of a persistent volume claim.', {
  accessModes: pb(2, arr(str(), 'Access modes of the bound volume.', { listType: 'atomic' })),
  allocatedResourceStatuses: pb(7, stringMap('State of an ongoing resize, by resource name.')),
  allocatedResources: pb(5, mapOf(quantity(), 'Resources allocated to the claim, capacity included.')),
  capacity: pb(3, mapOf(quantity(), 'Actual resources of the bound volume.')),
  conditions: pb(4, keyedList(persistentVolumeClaimCondition, 'type', 'Current conditions of the claim.', { listType: 'map', listMapKeys: ['type'] })),
  currentVolumeAttributesClassName: pb(8, ptr(str('VolumeAttributesClass the volume currently uses.'))),
  modifyVolumeStatus: pb(9, ptr(described('Status of an ongoing volume attributes change.', modifyVolumeStatus))),
  phase: pb(1, str('Pending, Bound or Lost.')),
});

export const persistentVolumeClaim = kind('', 'v1', 'PersistentVolumeClaim', CORE, 'A request for, and claim to, a persistent volume.', {
  spec: pb(2, described('Storage the claim asks for.', persistentVolumeClaimSpec)),
  status: pb(3, described('Current status of the claim.', persistentVolumeClaimStatus)),
});

// ---- ResourceQuota ----

export const scopedResourceSelectorRequirement = obj(`${CORE}.ScopedResourceSelectorRequirement`, 'A selector requirement on a quota scope.', {
  operator: pb(2, str('In, NotIn, Exists or DoesNotExist.')),
  scopeName: pb(1, str('Name of the scope the selector applies to.')),
  values: pb(3, arr(str(), 'Values for In and NotIn; none for Exists and DoesNotExist.', { listType: 'atomic' })),
}, { required: ['scopeName', 'operator'] });

export const scopeSelector = obj(`${CORE}.ScopeSelector`, 'Requirements on quota scopes, ANDed.', {
  matchExpressions: pb(1, arr(scopedResourceSelectorRequirement, 'Requirements by scope of the resources.', { listType: 'atomic' })),
}, { mapType: 'atomic' });

export const resourceQuotaSpec = obj(`${CORE}.ResourceQuotaSpec`, 'Hard limits of a quota and what it applies to.', {
  hard: pb(1, mapOf(quantity(), 'Hard limit for each named resource.')),
  scopeSelector: pb(3, ptr(described('Scopes the quota tracks, as a selector; matched with spec.scopes.', scopeSelector))),
  scopes: pb(2, arr(str(), 'Filters every tracked object must match; all objects when empty.', { listType: 'atomic' })),
});

export const resourceQuotaStatus = obj(`${CORE}.ResourceQuotaStatus`, 'Enforced hard limits and observed use.', {
  hard: pb(1, mapOf(quantity(), 'Enforced hard limit for each named resource.')),
  used: pb(2, mapOf(quantity(), 'Observed total use of each resource in the namespace.')),
});

export const resourceQuota = kind('', 'v1', 'ResourceQuota', CORE, 'Aggregate quota restrictions enforced per namespace.', {
  spec: pb(2, described('Desired quota.', resourceQuotaSpec)),
  status: pb(3, described('Actual enforced quota and its current usage.', resourceQuotaStatus)),
});

// ---- LimitRange ----

export const limitRangeItem = obj(`${CORE}.LimitRangeItem`, 'Min/max usage limits for a kind of resource.', {
  default: pb(4, mapOf(quantity(), 'Default limit by resource name, when a limit is omitted.')),
  defaultRequest: pb(5, mapOf(quantity(), 'Default request by resource name, when a request is omitted.')),
  max: pb(2, mapOf(quantity(), 'Largest usage by resource name.')),
  maxLimitRequestRatio: pb(6, mapOf(quantity(), 'Largest limit/request ratio by resource name.')),
  min: pb(3, mapOf(quantity(), 'Smallest usage by resource name.')),
  type: pb(1, str('Type of resource the limits apply to: Pod, Container or PersistentVolumeClaim.')),
}, { required: ['type'] });

export const limitRangeSpec = obj(`${CORE}.LimitRangeSpec`, 'Limits enforced on kinds of resources.', {
  limits: pb(1, arr(limitRangeItem, 'The enforced limits.', { listType: 'atomic' })),
}, { required: ['limits'] });

export const limitRange = kind('', 'v1', 'LimitRange', CORE, 'Resource consumption limits per kind of resource in a namespace.', {
  spec: pb(2, described('Limits enforced.', limitRangeSpec)),
});

// ---- ReplicationController ----

export const replicationControllerCondition = obj(`${CORE}.ReplicationControllerCondition`, 'The state of a replication controller at one point in time.', {
  lastTransitionTime: pb(3, time('When the condition last went from one status to another.')),
  message: pb(5, str('Human readable detail about the last transition.')),
  reason: pb(4, str('Machine readable reason for the last transition.')),
  status: pb(2, str('True, False or Unknown.')),
  type: pb(1, str('Kind of condition, e.g. ReplicaFailure.')),
}, { required: ['type', 'status'] });

export const replicationControllerSpec = obj(`${CORE}.ReplicationControllerSpec`, 'The desired behaviour of a replication controller.', {
  minReadySeconds: pb(4, int32('Seconds a new pod must stay ready, with no container crashing, before it counts as available (default 0).')),
  replicas: pb(1, ptr(int32('Desired number of pods (default 1).'))),
  selector: pb(2, stringMap('Labels of the pods counted against replicas; defaults to the labels of the pod template.')),
  template: pb(3, ptr(described('The pods to create when too few replicas are running.', podTemplateSpec))),
});

export const replicationControllerStatus = obj(`${CORE}.ReplicationControllerStatus`, 'The most recently observed state of a replication controller.', {
  availableReplicas: pb(5, int32('Pods of this replication controller that have been ready for at least minReadySeconds.')),
  conditions: pb(6, keyedList(replicationControllerCondition, 'type', 'Latest observations of the state of the replication controller.', { listType: 'map', listMapKeys: ['type'] })),
  fullyLabeledReplicas: pb(2, int32('Pods whose labels match those of the pod template.')),
  observedGeneration: pb(3, int64('The generation last seen by the replication controller.')),
  readyReplicas: pb(4, int32('Pods of this replication controller with a Ready condition.')),
  replicas: pb(1, int32('Most recently observed number of pods.')),
}, { required: ['replicas'] });

export const replicationController = kind('', 'v1', 'ReplicationController', CORE, 'Keeps a given number of pod replicas running (the older form of a ReplicaSet).', {
  spec: pb(2, described('Desired behaviour of the replication controller.', replicationControllerSpec)),
  status: pb(3, described('Most recently observed status of the replication controller.', replicationControllerStatus)),
});
