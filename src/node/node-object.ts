// The Node the agent registers and keeps current (kubelet_node_status.go initialNode,
// pkg/kubelet/nodestatus/setters.go): labels, addresses, capacity and allocatable, nodeInfo, and
// the pressure and Ready conditions, plus its heartbeat Lease in kube-node-lease.
import { existsSync, readFileSync, statfsSync } from 'node:fs';
import { arch, cpus, hostname, platform, release, totalmem } from 'node:os';
import type { NodeCondition, NodeStatus } from 'kubernetes-types/core/v1.js';
import type { Lease, Node } from '../api/kinds.js';
import { formatMicroTime, formatTime } from '../api/meta.js';

export const KUBELET_VERSION = 'v1.32.2+badge';
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
export const NODE_LEASE_DURATION_SECONDS = 40;
export const MAX_PODS = 110;
export const KUBELET_PORT = 10250;
/** Hard eviction thresholds the kubelet subtracts for allocatable: memory.available<100Mi, nodefs.available<10%. */
const EVICTION_MEMORY_BYTES = 100 * 1024 * 1024;
const EVICTION_NODEFS_PERCENT = 10;

/** nodeutil.GetHostname: the host name, trimmed and lower case. */
export function defaultNodeName(): string {
  return hostname().trim().toLowerCase();
}

/** GOARCH for Node's arch. */
export function goArch(a = arch()): string {
  const map: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64', mips: 'mips', mipsel: 'mipsle' };
  return map[a] ?? a;
}

export const goOS = (p = platform()): string => (p === 'win32' ? 'windows' : p);

const readTrim = (path: string): string => {
  try {
    return existsSync(path) ? readFileSync(path, 'utf8').trim() : '';
  } catch {
    return '';
  }
};

/** PRETTY_NAME of /etc/os-release, as cadvisor reports the OS image. */
function osImage(): string {
  const text = readTrim('/etc/os-release');
  const m = /^PRETTY_NAME=(.*)$/m.exec(text);
  if (!m) return 'Linux';
  return m[1]!.replace(/^"(.*)"$/, '$1');
}

/** A resource.Quantity in the form the kubelet gives (NewQuantity(bytes, BinarySI)). */
function binaryBytes(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024}Ki` : String(bytes);
}

export interface MachineInfo {
  cpu: number;
  memoryBytes: number;
  storageBytes: number;
  machineID: string;
  systemUUID: string;
  bootID: string;
  kernelVersion: string;
  osImage: string;
  operatingSystem: string;
  architecture: string;
}

export function machineInfo(dataDir: string): MachineInfo {
  let storageBytes = 0;
  try {
    const s = statfsSync(dataDir);
    storageBytes = Number(s.blocks) * Number(s.bsize);
  } catch {
    storageBytes = 0;
  }
  const machineID = readTrim('/etc/machine-id') || readTrim('/var/lib/dbus/machine-id');
  return {
    cpu: Math.max(1, cpus().length),
    memoryBytes: totalmem(),
    storageBytes,
    machineID,
    systemUUID: readTrim('/sys/class/dmi/id/product_uuid') || machineID.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
    bootID: readTrim('/proc/sys/kernel/random/boot_id'),
    kernelVersion: release(),
    osImage: osImage(),
    operatingSystem: goOS(),
    architecture: goArch(),
  };
}

export interface NodeIdentity {
  name: string;
  hostname: string;
  internalIP: string;
  runtimeName: 'simulated' | 'process';
}

export function nodeLabels(id: NodeIdentity, m: MachineInfo): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': m.architecture,
    'beta.kubernetes.io/os': m.operatingSystem,
    'kubernetes.io/arch': m.architecture,
    'kubernetes.io/hostname': id.hostname,
    'kubernetes.io/os': m.operatingSystem,
  };
}

/** The annotations a 1.32 node carries: controller-managed attach/detach (kubelet) and the TTL controller's. */
export const NODE_ANNOTATIONS: Record<string, string> = {
  'node.alpha.kubernetes.io/ttl': '0',
  'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
};

export function capacityOf(m: MachineInfo): { capacity: Record<string, string>; allocatable: Record<string, string> } {
  const storage = m.storageBytes;
  return {
    capacity: {
      cpu: String(m.cpu),
      'ephemeral-storage': binaryBytes(storage),
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: binaryBytes(m.memoryBytes),
      pods: String(MAX_PODS),
    },
    allocatable: {
      cpu: String(m.cpu),
      'ephemeral-storage': String(storage - Math.floor((storage * EVICTION_NODEFS_PERCENT) / 100)),
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: binaryBytes(Math.max(0, m.memoryBytes - EVICTION_MEMORY_BYTES)),
      pods: String(MAX_PODS),
    },
  };
}

/** The conditions the kubelet sets, in its setter order; `record` gets the event of each transition. */
const WANTED: { type: string; status: string; reason: string; message: string; event?: string }[] = [
  { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', event: 'NodeHasSufficientMemory' },
  { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure', event: 'NodeHasNoDiskPressure' },
  { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available', event: 'NodeHasSufficientPID' },
  { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
];

/**
 * The node's status after the kubelet's setters ran on `current`: heartbeat times now, transition
 * times kept while a condition's status stays, other conditions left as they are.
 */
export function nodeStatus(current: NodeStatus | undefined, id: NodeIdentity, m: MachineInfo, now: Date, record: (event: string) => void): NodeStatus {
  const old = current ?? {};
  const oldConditions = old.conditions ?? [];
  const t = formatTime(now);
  const conditions = oldConditions.filter((c) => !WANTED.some((w) => w.type === c.type));
  const updated: NodeCondition[] = [];
  for (const w of WANTED) {
    const prev = oldConditions.find((c) => c.type === w.type);
    const changed = !prev || prev.status !== w.status;
    updated.push({ type: w.type, status: w.status, reason: w.reason, message: w.message, lastHeartbeatTime: t, lastTransitionTime: changed ? t : prev.lastTransitionTime });
    if (changed && w.event) record(w.event);
    if (w.type === 'Ready' && prev && prev.status !== 'True') record('NodeReady');
  }
  // Ready goes last (kubernetes#16961); the pressure conditions keep the setters' order.
  const { capacity, allocatable } = capacityOf(m);
  return {
    ...old,
    capacity,
    allocatable,
    conditions: [...conditions, ...updated],
    addresses: [
      { type: 'InternalIP', address: id.internalIP },
      { type: 'Hostname', address: id.hostname },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: KUBELET_PORT } },
    nodeInfo: {
      machineID: m.machineID,
      systemUUID: m.systemUUID,
      bootID: m.bootID,
      kernelVersion: m.kernelVersion,
      osImage: m.osImage,
      containerRuntimeVersion: `badge://${id.runtimeName}`,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: KUBELET_VERSION,
      operatingSystem: m.operatingSystem,
      architecture: m.architecture,
    },
  };
}

/** initialNode: the Node the kubelet creates when it registers. */
export function initialNode(id: NodeIdentity, m: MachineInfo, now: Date, record: (event: string) => void): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: id.name, labels: nodeLabels(id, m), annotations: { ...NODE_ANNOTATIONS } },
    spec: {},
    status: nodeStatus(undefined, id, m, now, record),
  };
}

/** The status without heartbeat times, to tell a real change from a heartbeat (nodeStatusHasChanged). */
export function statusSansHeartbeat(status: NodeStatus | undefined): NodeStatus | undefined {
  if (!status) return status;
  const conditions = (status.conditions ?? []).map((c) => ({ ...c, lastHeartbeatTime: undefined }));
  return { ...status, conditions };
}

/** The heartbeat Lease (pkg/kubelet/nodelease): held by the node, 40 s, owned by the Node. */
export function nodeLease(nodeName: string, nodeUID: string | undefined, now: Date, current?: Lease): Lease {
  const lease: Lease = current ? structuredClone(current) : { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: nodeName, namespace: NODE_LEASE_NAMESPACE } };
  lease.spec = { ...lease.spec, holderIdentity: nodeName, leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS, renewTime: formatMicroTime(now) };
  if (nodeUID && !lease.metadata.ownerReferences?.some((r) => r.kind === 'Node' && r.uid === nodeUID)) {
    lease.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUID }];
  }
  return lease;
}
