// The internal core.PodSpec as Go values: Go field names and order, pointers and zero values, as
// ValidatePodUpdate compares two specs and go-cmp prints them (cmp-diff.ts).
import { formatQuantity, parseQuantity } from '../../../api/quantity.js';
import type { ObjectSchema, Schema } from '../../../api/schema.js';
import { podSpec as podSpecSchema } from '../../schemas/core.js';
import { obj, type Obj, str } from '../../narrow.js';

/** A value of the internal Go types, with every field of a struct present (zero or not). */
export type GoValue =
  | { k: 'struct'; type: string; fields: [string, GoValue][] }
  | { k: 'ptr'; elem: GoValue | null }
  | { k: 'slice'; type: string; elems: GoValue[] | null }
  | { k: 'map'; type: string; entries: [string, GoValue][] | null }
  | { k: 'scalar'; text: string; zero: boolean };

interface GoTypeInfo {
  /** JSON fields in Go field order; embedded structs by Go name. */
  order?: (string | { embed: string; type: string; fields: string[] })[];
  /** Scalars that are pointers in the internal type. */
  ptr?: string[];
  /** Struct fields that are values, not pointers. */
  values?: string[];
}

const LOCAL_REF = { embed: 'LocalObjectReference', type: 'core.LocalObjectReference', fields: ['name'] };
const CONTAINER_ORDER = [
  'name', 'image', 'command', 'args', 'workingDir', 'ports', 'envFrom', 'env', 'resources', 'resizePolicy', 'restartPolicy',
  'volumeMounts', 'volumeDevices', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'terminationMessagePath',
  'terminationMessagePolicy', 'imagePullPolicy', 'securityContext', 'stdin', 'stdinOnce', 'tty',
];
const VOLUME_SOURCE_ORDER = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'quobyte', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
];

const GO_TYPES: Record<string, GoTypeInfo> = {
  PodSpec: {
    order: [
      'volumes', 'initContainers', 'containers', 'ephemeralContainers', 'restartPolicy', 'terminationGracePeriodSeconds',
      'activeDeadlineSeconds', 'dnsPolicy', 'nodeSelector', 'serviceAccountName', 'automountServiceAccountToken', 'nodeName',
      'securityContext', 'imagePullSecrets', 'hostname', 'subdomain', 'setHostnameAsFQDN', 'affinity', 'schedulerName', 'tolerations',
      'hostAliases', 'priorityClassName', 'priority', 'preemptionPolicy', 'dnsConfig', 'readinessGates', 'runtimeClassName', 'overhead',
      'enableServiceLinks', 'topologySpreadConstraints', 'os', 'schedulingGates', 'resourceClaims', 'resources',
    ],
    ptr: ['terminationGracePeriodSeconds', 'activeDeadlineSeconds', 'automountServiceAccountToken', 'setHostnameAsFQDN', 'priority', 'preemptionPolicy', 'runtimeClassName', 'enableServiceLinks'],
  },
  PodSecurityContext: {
    order: [
      'hostNetwork', 'hostPID', 'hostIPC', 'shareProcessNamespace', 'hostUsers', 'seLinuxOptions', 'windowsOptions', 'runAsUser', 'runAsGroup',
      'runAsNonRoot', 'supplementalGroups', 'supplementalGroupsPolicy', 'fsGroup', 'fsGroupChangePolicy', 'sysctls', 'seccompProfile',
      'appArmorProfile', 'seLinuxChangePolicy',
    ],
    ptr: ['shareProcessNamespace', 'hostUsers', 'runAsUser', 'runAsGroup', 'runAsNonRoot', 'supplementalGroupsPolicy', 'fsGroup', 'fsGroupChangePolicy', 'seLinuxChangePolicy'],
  },
  Container: { order: CONTAINER_ORDER, ptr: ['restartPolicy'], values: ['resources'] },
  EphemeralContainer: { order: [{ embed: 'EphemeralContainerCommon', type: 'core.EphemeralContainerCommon', fields: CONTAINER_ORDER }, 'targetContainerName'], ptr: ['restartPolicy'], values: ['resources'] },
  Volume: { order: ['name', { embed: 'VolumeSource', type: 'core.VolumeSource', fields: VOLUME_SOURCE_ORDER }] },
  Probe: {
    order: [{ embed: 'ProbeHandler', type: 'core.ProbeHandler', fields: ['exec', 'httpGet', 'tcpSocket', 'grpc'] }, 'initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold', 'terminationGracePeriodSeconds'],
    ptr: ['terminationGracePeriodSeconds'],
  },
  ContainerPort: { order: ['name', 'hostPort', 'containerPort', 'protocol', 'hostIP'] },
  VolumeMount: { order: ['name', 'readOnly', 'recursiveReadOnly', 'mountPath', 'subPath', 'mountPropagation', 'subPathExpr'], ptr: ['recursiveReadOnly', 'mountPropagation'] },
  EnvVar: { order: ['name', 'value', 'valueFrom'] },
  EnvVarSource: { order: ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'] },
  ConfigMapKeySelector: { order: [LOCAL_REF, 'key', 'optional'], ptr: ['optional'] },
  SecretKeySelector: { order: [LOCAL_REF, 'key', 'optional'], ptr: ['optional'] },
  EnvFromSource: { order: ['prefix', 'configMapRef', 'secretRef'] },
  ConfigMapEnvSource: { order: [LOCAL_REF, 'optional'], ptr: ['optional'] },
  SecretEnvSource: { order: [LOCAL_REF, 'optional'], ptr: ['optional'] },
  ResourceRequirements: { order: ['limits', 'requests', 'claims'] },
  Toleration: { order: ['key', 'operator', 'value', 'effect', 'tolerationSeconds'], ptr: ['tolerationSeconds'] },
  SecurityContext: {
    order: ['capabilities', 'privileged', 'seLinuxOptions', 'windowsOptions', 'runAsUser', 'runAsGroup', 'runAsNonRoot', 'readOnlyRootFilesystem', 'allowPrivilegeEscalation', 'procMount', 'seccompProfile', 'appArmorProfile'],
    ptr: ['privileged', 'runAsUser', 'runAsGroup', 'runAsNonRoot', 'readOnlyRootFilesystem', 'allowPrivilegeEscalation', 'procMount'],
  },
  Lifecycle: { order: ['postStart', 'preStop'] },
  LifecycleHandler: { order: ['exec', 'httpGet', 'tcpSocket', 'sleep'] },
  HTTPGetAction: { order: ['path', 'port', 'host', 'scheme', 'httpHeaders'] },
  GRPCAction: { order: ['port', 'service'], ptr: ['service'] },
  ProjectedVolumeSource: { order: ['sources', 'defaultMode'], ptr: ['defaultMode'] },
  VolumeProjection: { order: ['secret', 'downwardAPI', 'configMap', 'serviceAccountToken', 'clusterTrustBundle'] },
  SecretProjection: { order: [LOCAL_REF, 'items', 'optional'], ptr: ['optional'] },
  ConfigMapProjection: { order: [LOCAL_REF, 'items', 'optional'], ptr: ['optional'] },
  ServiceAccountTokenProjection: { order: ['audience', 'expirationSeconds', 'path'] },
  KeyToPath: { order: ['key', 'path', 'mode'], ptr: ['mode'] },
  DownwardAPIVolumeFile: { order: ['path', 'fieldRef', 'resourceFieldRef', 'mode'], ptr: ['mode'] },
  DownwardAPIVolumeSource: { order: ['items', 'defaultMode'], ptr: ['defaultMode'] },
  ObjectFieldSelector: { order: ['apiVersion', 'fieldPath'] },
  SecretVolumeSource: { order: ['secretName', 'items', 'defaultMode', 'optional'], ptr: ['defaultMode', 'optional'] },
  ConfigMapVolumeSource: { order: [LOCAL_REF, 'items', 'defaultMode', 'optional'], ptr: ['defaultMode', 'optional'] },
  EmptyDirVolumeSource: { order: ['medium', 'sizeLimit'], ptr: ['sizeLimit'] },
  HostPathVolumeSource: { order: ['path', 'type'], ptr: ['type'] },
  PersistentVolumeClaimVolumeSource: { order: ['claimName', 'readOnly'] },
  SeccompProfile: { order: ['type', 'localhostProfile'], ptr: ['localhostProfile'] },
  AppArmorProfile: { order: ['type', 'localhostProfile'], ptr: ['localhostProfile'] },
  WeightedPodAffinityTerm: { order: ['weight', 'podAffinityTerm'], values: ['podAffinityTerm'] },
  PreferredSchedulingTerm: { order: ['weight', 'preference'], values: ['preference'] },
  TopologySpreadConstraint: { ptr: ['minDomains', 'nodeAffinityPolicy', 'nodeTaintsPolicy'] },
};

/** Field names that are Go initialisms or renamed fields. */
const GO_NAMES: Record<string, string> = {
  tty: 'TTY', dnsPolicy: 'DNSPolicy', dnsConfig: 'DNSConfig', os: 'OS', hostIPC: 'HostIPC', hostPID: 'HostPID', setHostnameAsFQDN: 'SetHostnameAsFQDN',
  httpGet: 'HTTPGet', tcpSocket: 'TCPSocket', grpc: 'GRPC', httpHeaders: 'HTTPHeaders', hostIP: 'HostIP', ip: 'IP', seLinuxOptions: 'SELinuxOptions',
  seLinuxChangePolicy: 'SELinuxChangePolicy', fsGroup: 'FSGroup', fsGroupChangePolicy: 'FSGroupChangePolicy', apiVersion: 'APIVersion', uid: 'UID',
  nfs: 'NFS', iscsi: 'ISCSI', rbd: 'RBD', fc: 'FC', csi: 'CSI', cephfs: 'CephFS', awsElasticBlockStore: 'AWSElasticBlockStore',
  gcePersistentDisk: 'GCEPersistentDisk', scaleIO: 'ScaleIO', storageos: 'StorageOS', downwardAPI: 'DownwardAPI', volumeID: 'VolumeID',
  pdID: 'PdID', diskURI: 'DataDiskURI', iqn: 'IQN', targetWWNs: 'TargetWWNs', wwids: 'WWIDs', datasetUUID: 'DatasetUUID', lastState: 'LastTerminationState',
};

const goName = (json: string): string => GO_NAMES[json] ?? json.charAt(0).toUpperCase() + json.slice(1);
const shortName = (s: ObjectSchema): string => (s.name ?? '').split('.').pop() ?? '';
const goTypeName = (s: Schema): string => {
  switch (s.type) {
    case 'object':
      return `core.${shortName(s)}`;
    case 'array':
      return `[]${goTypeName(s.items)}`;
    case 'map':
      return s.values.type === 'quantity' ? 'core.ResourceList' : `map[string]${goTypeName(s.values)}`;
    case 'integer':
      return s.format === 'int32' ? 'int32' : 'int64';
    case 'boolean':
      return 'bool';
    case 'quantity':
      return 'resource.Quantity';
    case 'int-or-string':
      return 'intstr.IntOrString';
    default:
      return 'string';
  }
};

/** The v1 spec in the internal layout: host namespaces inside securityContext, no serviceAccount alias. */
function internalSpec(spec: Obj): Obj {
  const out = structuredClone(spec);
  const sc = { ...(obj(out.securityContext) ?? {}) };
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC', 'shareProcessNamespace', 'hostUsers']) {
    if (out[key] !== undefined) sc[key] = out[key];
    delete out[key];
  }
  if (out.securityContext !== undefined || Object.keys(sc).length) out.securityContext = sc;
  delete out.serviceAccount;
  return out;
}

const EXTRA_FIELDS: Record<string, Schema> = {
  hostNetwork: { type: 'boolean' },
  hostPID: { type: 'boolean' },
  hostIPC: { type: 'boolean' },
  shareProcessNamespace: { type: 'boolean' },
  hostUsers: { type: 'boolean' },
};

function scalar(v: unknown, s: Schema): GoValue {
  switch (s.type) {
    case 'integer':
    case 'number':
      return { k: 'scalar', text: String(typeof v === 'number' ? v : 0), zero: !v };
    case 'boolean':
      return { k: 'scalar', text: String(v === true), zero: v !== true };
    case 'quantity': {
      const q = parseQuantity(v);
      if (!q) return { k: 'scalar', text: '{}', zero: true };
      const canonical = formatQuantity(q);
      const m = /^(-?[0-9]+)(.*)$/.exec(canonical)!;
      const suffixExp: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
      let value = BigInt(m[1]!);
      let scale = 0;
      if (Object.hasOwn(suffixExp, m[2]!)) scale = suffixExp[m[2]!]!;
      else if (/^[KMGTPE]i$/.test(m[2]!)) value *= 1024n ** BigInt('KMGTPE'.indexOf(m[2]![0]!) + 1);
      const i = value === 0n ? '' : `i: {value: ${value}${scale ? `, scale: ${scale}` : ''}}, `;
      return { k: 'scalar', text: `{${i}s: ${JSON.stringify(canonical)}, Format: ${JSON.stringify(q.format)}}`, zero: false };
    }
    case 'int-or-string':
      if (typeof v === 'number') return { k: 'scalar', text: v ? `{IntVal: ${v}}` : '{}', zero: !v };
      return { k: 'scalar', text: `{Type: 1, StrVal: ${JSON.stringify(str(v))}}`, zero: false };
    case 'any':
      return { k: 'scalar', text: JSON.stringify(v ?? null), zero: v === undefined };
    default:
      return { k: 'scalar', text: JSON.stringify(str(v)), zero: !str(v) };
  }
}

function goStruct(v: Obj | undefined, s: ObjectSchema, typeName: string, order?: GoTypeInfo['order']): GoValue {
  const info = GO_TYPES[shortName(s)] ?? {};
  const keys = order ?? info.order ?? Object.keys(s.properties);
  const props: Record<string, Schema> = { ...EXTRA_FIELDS, ...s.properties };
  const fields: [string, GoValue][] = [];
  for (const key of keys) {
    if (typeof key !== 'string') {
      const embedded = goStruct(v, s, key.type, key.fields);
      fields.push([key.embed, embedded]);
      continue;
    }
    const fs = props[key];
    if (!fs) continue;
    const raw = v?.[key];
    if (fs.type === 'object') {
      const isValue = info.values?.includes(key);
      const inner = goStruct(obj(raw), fs, goTypeName(fs));
      fields.push([goName(key), isValue ? inner : { k: 'ptr', elem: raw === undefined || raw === null ? null : inner }]);
    } else if (info.ptr?.includes(key)) {
      fields.push([goName(key), { k: 'ptr', elem: raw === undefined || raw === null ? null : goValue(raw, fs) }]);
    } else fields.push([goName(key), goValue(raw, fs)]);
  }
  return { k: 'struct', type: typeName, fields };
}

function goValue(v: unknown, s: Schema): GoValue {
  switch (s.type) {
    case 'object':
      return goStruct(obj(v), s, goTypeName(s));
    case 'array':
      return { k: 'slice', type: goTypeName(s), elems: Array.isArray(v) ? v.map((e) => goValue(e, s.items)) : null };
    case 'map': {
      const m = obj(v);
      const keys = m ? Object.keys(m).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))) : [];
      return { k: 'map', type: goTypeName(s), entries: m ? keys.map((k) => [k, goValue(m[k], s.values)] as [string, GoValue]) : null };
    }
    default:
      return scalar(v, s);
  }
}

export function goZero(v: GoValue): boolean {
  switch (v.k) {
    case 'scalar':
      return v.zero;
    case 'ptr':
      return v.elem === null;
    case 'slice':
      return v.elems === null;
    case 'map':
      return v.entries === null;
    case 'struct':
      return v.fields.every(([, f]) => goZero(f));
  }
}

export function goEqual(a: GoValue, b: GoValue): boolean {
  if (a.k !== b.k) return false;
  switch (a.k) {
    case 'scalar':
      return a.text === (b as typeof a).text;
    case 'ptr': {
      const be = (b as typeof a).elem;
      return a.elem === null || be === null ? a.elem === be : goEqual(a.elem, be);
    }
    case 'slice': {
      const be = (b as typeof a).elems;
      if (a.elems === null || be === null) return a.elems === be;
      return a.elems.length === be.length && a.elems.every((e, i) => goEqual(e, be[i]!));
    }
    case 'map': {
      const be = (b as typeof a).entries;
      if (a.entries === null || be === null) return a.entries === be;
      return a.entries.length === be.length && a.entries.every(([k, v], i) => be[i]![0] === k && goEqual(v, be[i]![1]));
    }
    case 'struct':
      return a.fields.every(([, f], i) => goEqual(f, (b as typeof a).fields[i]![1]));
  }
}

/** A v1 PodSpec as the internal core.PodSpec Go value ValidatePodUpdate compares and prints. */
export function goPodSpec(spec: Obj): GoValue {
  return goValue(internalSpec(spec), podSpecSchema);
}
