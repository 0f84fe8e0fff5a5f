// core/v1 Pod: a group of containers scheduled together. Defaulting as the v1 defaulters and the
// default admission chain (DefaultTolerationSeconds, Priority) leave a pod, the pod strategy
// (pkg/registry/core/pod/strategy.go), ValidatePodCreate/ValidatePodUpdate, printPod, and the
// binding subresource the scheduler uses.
import { ApiError, badRequest, conflict, forbidden as forbiddenError } from '../../api/errors.js';
import { aggregate, forbidden, invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import { deepEqual, formatTime, isObject, type KubeObject } from '../../api/meta.js';
import type { ObjectSchema, Schema } from '../../api/schema.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { binding, pod, podSpec as podSpecSchema } from '../schemas/core.js';
import { defaultPodSpec, dropDisabledPodSpecFields, syncServiceAccount, validatePodSpec, validatePodSpecificAnnotations, validateTolerations } from './pod-spec.js';
import { addQuantities, compareQuantities, formatQuantity, parseQuantity, type Quantity } from '../../api/quantity.js';
import { MIRROR_POD_ANNOTATION } from '../../api/well-known.js';
import { age, humanDuration } from '../../api/duration.js';

type Obj = Record<string, unknown>;

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Obj | undefined => (isObject(v) ? v : undefined);
const specOf = (o: KubeObject): Obj => {
  if (!isObject(o.spec)) o.spec = {};
  return o.spec as Obj;
};
const statusOf = (o: KubeObject): Obj => obj(o.status) ?? {};
const PODS = { group: '', resource: 'pods' };

// ==== defaulting ====

const NOT_READY = 'node.kubernetes.io/not-ready';
const UNREACHABLE = 'node.kubernetes.io/unreachable';
const DEFAULT_TOLERATION_SECONDS = 300;

/** SetDefaults_Pod: what v1 defaulting adds to a Pod but not to a pod template. */
function defaultPodOnly(spec: Obj): void {
  for (const key of ['containers', 'initContainers']) {
    for (const c of list(spec[key])) {
      const res = obj(obj(c)?.resources);
      const limits = obj(res?.limits);
      if (!res || !limits) continue;
      const requests = obj(res.requests) ?? {};
      for (const [k, v] of Object.entries(limits)) if (!Object.hasOwn(requests, k)) requests[k] = v;
      res.requests = requests;
    }
  }
  if (spec.enableServiceLinks === undefined) spec.enableServiceLinks = true;
  if (spec.hostNetwork === true) {
    for (const key of ['containers', 'initContainers']) {
      for (const c of list(spec[key])) {
        for (const p of list(obj(c)?.ports)) {
          const port = obj(p);
          if (port && !port.hostPort) port.hostPort = port.containerPort;
        }
      }
    }
  }
}

/** The DefaultTolerationSeconds admission plugin (create and update). */
function defaultTolerations(spec: Obj): void {
  const tolerations = list(spec.tolerations).map((t) => obj(t) ?? {});
  const tolerates = (key: string) =>
    tolerations.some((t) => (str(t.key) === key || !str(t.key)) && (str(t.effect) === 'NoExecute' || !str(t.effect)));
  const added: Obj[] = [];
  for (const key of [NOT_READY, UNREACHABLE]) {
    if (!tolerates(key)) added.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
  }
  if (added.length) spec.tolerations = [...list(spec.tolerations), ...added];
}

/** What Go's encoding always writes for a status written without it (metav1.Time zero values are null). */
function normalizeStatus(status: Obj): void {
  const podIPs = list(status.podIPs);
  if (str(status.podIP) && (!podIPs.length || str(obj(podIPs[0])?.ip) !== status.podIP)) {
    status.podIPs = [{ ip: status.podIP }, ...podIPs.slice(1)];
  } else if (podIPs.length) status.podIP = str(obj(podIPs[0])?.ip);
  const hostIPs = list(status.hostIPs);
  if (str(status.hostIP) && !hostIPs.length) status.hostIPs = [{ ip: status.hostIP }];
  for (const c of list(status.conditions)) {
    const cond = obj(c);
    if (!cond) continue;
    if (cond.lastProbeTime === undefined) cond.lastProbeTime = null;
    if (cond.lastTransitionTime === undefined) cond.lastTransitionTime = null;
  }
  for (const key of ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses']) {
    for (const raw of list(status[key])) {
      const cs = obj(raw);
      if (!cs) continue;
      if (!isObject(cs.state)) cs.state = {};
      if (!isObject(cs.lastState)) cs.lastState = {};
      for (const st of [cs.state as Obj, cs.lastState as Obj]) {
        const running = obj(st.running);
        if (running && running.startedAt === undefined) running.startedAt = null;
        const terminated = obj(st.terminated);
        if (terminated) {
          if (terminated.exitCode === undefined) terminated.exitCode = 0;
          if (terminated.startedAt === undefined) terminated.startedAt = null;
          if (terminated.finishedAt === undefined) terminated.finishedAt = null;
        }
      }
      if (cs.ready === undefined) cs.ready = false;
      if (cs.restartCount === undefined) cs.restartCount = 0;
      if (cs.image === undefined) cs.image = '';
      if (cs.imageID === undefined) cs.imageID = '';
    }
  }
}

/** Everything a written pod gets: v1 defaults, SetDefaults_Pod, DefaultTolerationSeconds. */
function defaultPod(o: KubeObject): void {
  const spec = specOf(o);
  defaultPodSpec(spec);
  defaultPodOnly(spec);
  defaultTolerations(spec);
  if (isObject(o.status)) normalizeStatus(o.status);
}

const SYSTEM_PRIORITY_CLASSES: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };

/** The Priority admission plugin on create: priority from the class (0 without one), preemption policy. */
function admitPriority(o: KubeObject): void {
  const spec = specOf(o);
  const name = o.metadata.name ?? '';
  const className = str(spec.priorityClassName);
  let priority = 0;
  if (className) {
    if (!Object.hasOwn(SYSTEM_PRIORITY_CLASSES, className)) throw forbiddenError(PODS, name, `no PriorityClass with name ${className} was found`);
    priority = SYSTEM_PRIORITY_CLASSES[className]!;
  }
  if (spec.priority !== undefined && spec.priority !== priority) {
    throw forbiddenError(
      PODS,
      name,
      `the integer value of priority (${String(spec.priority)}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
    );
  }
  spec.priority = priority;
  const policy = 'PreemptLowerPriority';
  if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== policy) {
    throw forbiddenError(
      PODS,
      name,
      `the string value of PreemptionPolicy (${str(spec.preemptionPolicy)}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`,
    );
  }
  spec.preemptionPolicy = policy;
}

// ==== QoS (qos.GetPodQOS) ====

/** BestEffort, Burstable or Guaranteed, from the cpu and memory requests and limits of all containers. */
export function podQOSClass(o: KubeObject): string {
  const spec = obj(o.spec) ?? {};
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const add = (m: Map<string, Quantity>, k: string, q: Quantity) => m.set(k, m.has(k) ? addQuantities(m.get(k)!, q) : q);
  for (const c of [...list(spec.containers), ...list(spec.initContainers)]) {
    const res = obj(obj(c)?.resources) ?? {};
    for (const [k, v] of Object.entries(obj(res.requests) ?? {})) {
      const q = parseQuantity(v);
      if ((k === 'cpu' || k === 'memory') && q && q.num > 0n) add(requests, k, q);
    }
    const found = new Set<string>();
    for (const [k, v] of Object.entries(obj(res.limits) ?? {})) {
      const q = parseQuantity(v);
      if ((k === 'cpu' || k === 'memory') && q && q.num > 0n) {
        found.add(k);
        add(limits, k, q);
      }
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [k, req] of requests) {
      const lim = limits.get(k);
      if (!lim || compareQuantities(lim, req) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

// ==== validation ====

function validatePodOnly(o: KubeObject): FieldError[] {
  const spec = obj(o.spec) ?? {};
  const errs: FieldError[] = [];
  errs.push(...validatePodSpecificAnnotations(o.metadata.annotations, spec, 'metadata.annotations'));
  errs.push(...validatePodSpec(spec, 'spec', { resourceIsPod: true, podMeta: o.metadata }));
  if (!str(spec.serviceAccountName)) {
    list(spec.volumes).forEach((v, vi) => {
      list(obj(obj(v)?.projected)?.sources).forEach((s, si) => {
        if (obj(s)?.serviceAccountToken !== undefined) {
          errs.push(forbidden(`spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`, 'must not be specified when serviceAccountName is not set'));
        }
      });
    });
  }
  for (const key of ['containers', 'initContainers']) {
    list(spec[key]).forEach((c, i) => {
      const image = str(obj(c)?.image);
      if (image.trim() !== image) errs.push(invalid(`spec.${key}[${i}].image`, image, 'must not have leading or trailing whitespace'));
    });
  }
  return errs;
}

/** ValidatePodCreate. */
function validatePodCreate(o: KubeObject): FieldError[] {
  const spec = obj(o.spec) ?? {};
  const errs = validatePodOnly(o);
  if (list(spec.ephemeralContainers).length) errs.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (str(spec.nodeName) && list(spec.schedulingGates).length) {
    errs.push(forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  }
  return errs;
}

const UPDATABLE_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

function validateContainerUpdates(next: unknown, prev: unknown, path: string): { errs: FieldError[]; stop: boolean } {
  const a = list(next);
  if (a.length !== list(prev).length) return { errs: [forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  a.forEach((c, i) => {
    const image = str(obj(c)?.image);
    if (!image) errs.push(required(`${path}[${i}].image`));
    if (image.trim() !== image) errs.push(invalid(`${path}[${i}].image`, image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

function validateOnlyAddedTolerations(next: unknown, prev: unknown, path: string): FieldError[] {
  const news = list(next);
  for (const old of list(prev)) {
    const found = news.some((n) => deepEqual({ ...(obj(old) ?? {}), tolerationSeconds: obj(n)?.tolerationSeconds }, n));
    if (!found) return [forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(next, path);
}

function validateOnlyDeletedSchedulingGates(next: unknown, prev: unknown, path: string): FieldError[] {
  const olds = new Set(list(prev).map((g) => str(obj(g)?.name)));
  const errs: FieldError[] = [];
  const added = new Map<string, number>();
  list(next).forEach((g, i) => added.set(str(obj(g)?.name), i));
  for (const [gate, i] of added) {
    if (!olds.has(gate)) errs.push(forbidden(`${path}[${i}].name`, `only deletion is allowed, but found new scheduling gate '${gate}'`));
  }
  return errs;
}

/** ValidatePodUpdate (the metadata part runs in the store). */
function validatePodUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  const errs = validatePodOnly(o);
  const annotations = o.metadata.annotations ?? {};
  const oldAnnotations = old.metadata.annotations ?? {};
  if (Object.hasOwn(oldAnnotations, MIRROR_POD_ANNOTATION) && annotations[MIRROR_POD_ANNOTATION] !== oldAnnotations[MIRROR_POD_ANNOTATION]) {
    errs.push(forbidden(`metadata.annotations[${MIRROR_POD_ANNOTATION}]`, 'may not remove or update mirror pod annotation'));
  }
  if (!Object.hasOwn(oldAnnotations, MIRROR_POD_ANNOTATION) && Object.hasOwn(annotations, MIRROR_POD_ANNOTATION)) {
    errs.push(forbidden(`metadata.annotations[${MIRROR_POD_ANNOTATION}]`, 'may not add mirror pod annotation'));
  }

  const spec = obj(o.spec) ?? {};
  const oldSpec = obj(old.spec) ?? {};
  for (const key of ['containers', 'initContainers']) {
    const r = validateContainerUpdates(spec[key], oldSpec[key], `spec.${key}`);
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const deadline = spec.activeDeadlineSeconds;
  if (typeof deadline === 'number') {
    if (deadline < 0 || deadline > 2147483647) return [...errs, invalid('spec.activeDeadlineSeconds', deadline, 'must be between 0 and 2147483647, inclusive')];
    const before = oldSpec.activeDeadlineSeconds;
    if (typeof before === 'number' && before < deadline) return [...errs, invalid('spec.activeDeadlineSeconds', deadline, 'must be less than or equal to previous value')];
  } else if (oldSpec.activeDeadlineSeconds !== undefined) {
    // A nil pointer prints as the string "null" (field.Error.ErrorBody).
    errs.push(invalid('spec.activeDeadlineSeconds', 'null', 'must not update from a positive integer to nil value'));
  }
  errs.push(...validateOnlyAddedTolerations(spec.tolerations, oldSpec.tolerations, 'spec.tolerations'));
  errs.push(...validateOnlyDeletedSchedulingGates(spec.schedulingGates, oldSpec.schedulingGates, 'spec.schedulingGates'));

  const oldGo = goValue(internalSpec(oldSpec), podSpecSchema);
  if (goEqual(goValue(internalSpec(spec), podSpecSchema), oldGo)) return errs;
  const munged = structuredClone(spec);
  for (const key of ['containers', 'initContainers']) {
    list(munged[key]).forEach((c, i) => {
      const mc = obj(c);
      if (!mc) return;
      const before = obj(list(oldSpec[key])[i])?.image;
      if (before === undefined) delete mc.image;
      else mc.image = before;
    });
  }
  for (const key of ['activeDeadlineSeconds', 'schedulingGates', 'tolerations']) {
    if (oldSpec[key] === undefined) delete munged[key];
    else munged[key] = structuredClone(oldSpec[key]);
  }
  const oldGrace = oldSpec.terminationGracePeriodSeconds;
  if (typeof oldGrace === 'number' && oldGrace < 0 && munged.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = oldGrace;
  if (list(oldSpec.schedulingGates).length && !deepEqual(munged.nodeSelector ?? {}, oldSpec.nodeSelector ?? {})) {
    const before = obj(oldSpec.nodeSelector) ?? {};
    const after = obj(munged.nodeSelector) ?? {};
    if (Object.entries(before).some(([k, v]) => after[k] !== v)) {
      errs.push(invalid('spec.nodeSelector', after, 'only additions to spec.nodeSelector are allowed (no mutations or deletions)'));
    }
    if (oldSpec.nodeSelector === undefined) delete munged.nodeSelector;
    else munged.nodeSelector = structuredClone(oldSpec.nodeSelector);
  }
  const mungedGo = goValue(internalSpec(munged), podSpecSchema);
  if (!goEqual(mungedGo, oldGo)) {
    errs.push(forbidden('spec', `pod updates may not change fields other than ${UPDATABLE_FIELDS.join(',')}\n${cmpDiff(oldGo, mungedGo)}`));
  }
  return errs;
}

// ==== cmp.Diff of the internal core.PodSpec ====
// The update error shows github.com/google/go-cmp's diff of the internal Go structs. This renders
// the same layout from the v1 JSON: Go field names and order, `... // N identical fields`
// elision with two records of context, and aligned values.

/** A value of the internal Go types, with every field of a struct present (zero or not). */
type GoValue =
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

function goZero(v: GoValue): boolean {
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

function goEqual(a: GoValue, b: GoValue): boolean {
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

type Mode = 'same' | 'removed' | 'inserted';
type TypeMode = 'auto' | 'elide' | 'emit';

/** One formatted value on a line; `line` marks the plain values cmp aligns (not &x, {…}). */
interface Text {
  text: string;
  line: boolean;
}

function withType(type: string, body: string, mode: Mode, typeMode: TypeMode): string {
  const show = typeMode === 'emit' || (typeMode === 'auto' && mode !== 'same');
  return show ? `${type}${body}` : body;
}

/** cmp's FormatValue: a whole value on one line, zero struct fields left out. */
function formatValue(v: GoValue, mode: Mode, typeMode: TypeMode): Text {
  switch (v.k) {
    case 'scalar':
      return { text: v.text, line: true };
    case 'ptr':
      return v.elem === null ? { text: 'nil', line: true } : { text: `&${formatValue(v.elem, mode, typeMode).text}`, line: false };
    case 'slice':
      if (v.elems === null) return { text: 'nil', line: true };
      return { text: withType(v.type, `{${v.elems.map((e) => formatValue(e, mode, 'elide').text).join(', ')}}`, mode, typeMode), line: false };
    case 'map':
      if (v.entries === null) return { text: 'nil', line: true };
      return {
        text: withType(v.type, `{${v.entries.map(([k, e]) => `${mapKey(v.type, k)}: ${formatValue(e, mode, 'elide').text}`).join(', ')}}`, mode, typeMode),
        line: false,
      };
    case 'struct': {
      const parts = v.fields.filter(([, f]) => !goZero(f)).map(([k, f]) => `${k}: ${formatValue(f, mode, 'auto').text}`);
      return { text: withType(v.type, `{${parts.join(', ')}}`, mode, typeMode), line: false };
    }
  }
}

const mapKey = (type: string, k: string): string => (type === 'core.ResourceList' ? `s${JSON.stringify(k)}` : JSON.stringify(k));

interface Rec {
  mark: ' ' | '-' | '+';
  key: string;
  /** A value on one line, or an expanded node. */
  value: Text | { open: string; recs: Rec[]; close: string };
  comment?: string;
}

const ELLIPSIS: Text = { text: '...', line: false };

interface Pair {
  key: string;
  x?: GoValue;
  y?: GoValue;
}

function composite(v: GoValue | undefined): boolean {
  if (!v) return false;
  if (v.k === 'struct') return true;
  if (v.k === 'ptr') return v.elem !== null && composite(v.elem);
  if (v.k === 'slice') return v.elems !== null;
  if (v.k === 'map') return v.entries !== null;
  return false;
}

/** The records of one unequal pair. */
function diffPair(p: Pair, typeMode: TypeMode): Rec[] {
  const { x, y } = p;
  if (x && y && x.k === y.k && composite(x) && composite(y)) {
    if (x.k === 'ptr' && y.k === 'ptr') {
      const inner = diffPair({ key: p.key, x: x.elem!, y: y.elem! }, typeMode);
      const first = inner[0]!;
      if (inner.length === 1 && 'open' in first.value) return [{ ...first, value: { ...first.value, open: `&${first.value.open}` } }];
    } else return [{ mark: ' ', key: p.key, value: expand(x, y, typeMode) }];
  }
  const recs: Rec[] = [];
  if (x) recs.push({ mark: '-', key: p.key, value: formatValue(x, 'removed', typeMode) });
  if (y) recs.push({ mark: '+', key: p.key, value: formatValue(y, 'inserted', typeMode) });
  return recs;
}

function expand(x: GoValue, y: GoValue, typeMode: TypeMode): { open: string; recs: Rec[]; close: string } {
  const type = x.k === 'scalar' || x.k === 'ptr' ? '' : x.type;
  const open = `${typeMode === 'elide' ? '' : type}{`;
  if (x.k === 'struct' && y.k === 'struct') {
    return { open, recs: diffList(x.fields.map(([k, f], i) => ({ key: k, x: f, y: y.fields[i]![1] })), 'field', 'auto'), close: '}' };
  }
  if (x.k === 'slice' && y.k === 'slice') return { open, recs: diffList(slicePairs(x.elems!, y.elems!), 'element', 'elide'), close: '}' };
  if (x.k === 'map' && y.k === 'map') {
    const xm = new Map(x.entries!);
    const ym = new Map(y.entries!);
    const keys = [...new Set([...xm.keys(), ...ym.keys()])].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return { open, recs: diffList(keys.map((k) => ({ key: mapKey(x.type, k), x: xm.get(k), y: ym.get(k) })), 'entry', 'elide'), close: '}' };
  }
  return { open, recs: [], close: '}' };
}

/** Elements paired by position over the common prefix and suffix; the rest removed, then inserted. */
function slicePairs(xs: GoValue[], ys: GoValue[]): Pair[] {
  let pre = 0;
  while (pre < xs.length && pre < ys.length && goEqual(xs[pre]!, ys[pre]!)) pre++;
  let suf = 0;
  while (suf < xs.length - pre && suf < ys.length - pre && goEqual(xs[xs.length - 1 - suf]!, ys[ys.length - 1 - suf]!)) suf++;
  const pairs: Pair[] = [];
  for (let i = 0; i < pre; i++) pairs.push({ key: '', x: xs[i], y: ys[i] });
  const xm = xs.slice(pre, xs.length - suf);
  const ym = ys.slice(pre, ys.length - suf);
  const both = Math.min(xm.length, ym.length);
  for (let i = 0; i < both; i++) pairs.push({ key: '', x: xm[i], y: ym[i] });
  for (let i = both; i < xm.length; i++) pairs.push({ key: '', x: xm[i] });
  for (let i = both; i < ym.length; i++) pairs.push({ key: '', y: ym[i] });
  for (let i = xs.length - suf; i < xs.length; i++) pairs.push({ key: '', x: xs[i], y: ys[i - xs.length + ys.length] });
  return pairs;
}

const plural = (n: number, name: string): string => `${n} identical ${n > 1 ? (name === 'entry' ? 'entries' : `${name}s`) : name}`;

/** formatDiffList: equal runs shown with two records of context, the rest elided. */
function diffList(pairs: Pair[], name: string, typeMode: TypeMode): Rec[] {
  const equal = (p: Pair) => !!p.x && !!p.y && goEqual(p.x, p.y);
  const groups: { equal: boolean; pairs: Pair[] }[] = [];
  for (const p of pairs) {
    const eq = equal(p);
    const last = groups[groups.length - 1];
    if (last && last.equal === eq) last.pairs.push(p);
    else groups.push({ equal: eq, pairs: [p] });
  }
  const recs: Rec[] = [];
  groups.forEach((g, i) => {
    if (!g.equal) {
      for (const p of g.pairs) recs.push(...diffPair(p, typeMode));
      return;
    }
    const n = g.pairs.length;
    let lo = 0;
    let hi = 0;
    while (lo < 2 && lo + hi < n && i !== 0) lo++;
    while (hi < 2 && lo + hi < n && i !== groups.length - 1) hi++;
    if (n - (lo + hi) === 1) hi++;
    const same = (p: Pair): Rec => ({ mark: ' ', key: p.key, value: formatValue(p.x!, 'same', typeMode) });
    recs.push(...g.pairs.slice(0, lo).map(same));
    if (n > lo + hi) recs.push({ mark: ' ', key: '', value: ELLIPSIS, comment: plural(n - lo - hi, name) });
    recs.push(...g.pairs.slice(n - hi).map(same));
  });
  return recs;
}

function renderRecs(recs: Rec[], depth: number, out: string[]): void {
  // Runs of plain one-line values with keys share one key width.
  const width = new Array<number>(recs.length).fill(0);
  let start = 0;
  const flush = (end: number) => {
    const max = Math.max(0, ...recs.slice(start, end).map((r) => r.key.length));
    for (let j = start; j < end; j++) width[j] = max;
  };
  recs.forEach((r, j) => {
    const plain = 'text' in r.value && r.value.line && r.key !== '';
    if (!plain) {
      flush(j);
      start = j + 1;
    }
  });
  flush(recs.length);
  const tabs = '\t'.repeat(depth);
  recs.forEach((r, j) => {
    const key = r.key ? `${r.key}:${' '.repeat(Math.max(1, width[j]! - r.key.length + 1))}` : '';
    if ('text' in r.value) {
      const comment = r.comment ? ` // ${r.comment}` : '';
      out.push(`${r.mark} ${tabs}${key}${r.value.text}${r.value === ELLIPSIS ? '' : ','}${comment}`);
    } else {
      out.push(`${r.mark} ${tabs}${key}${r.value.open}`);
      renderRecs(r.value.recs, depth + 1, out);
      out.push(`${r.mark} ${tabs}${r.value.close},`);
    }
  });
}

/** cmp.Diff(old, new) of two internal PodSpecs, as ValidatePodUpdate prints it. */
function cmpDiff(x: GoValue, y: GoValue): string {
  const root = expand(x, y, 'emit');
  const out = [`  ${root.open}`];
  renderRecs(root.recs, 1, out);
  out.push(`  ${root.close}`);
  return `${out.join('\n')}\n`;
}

// ==== printing (printPod) ====

interface ContainerStatus {
  name?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; running?: object; terminated?: { reason?: string; exitCode?: number; signal?: number; finishedAt?: string } };
  lastState?: { terminated?: { finishedAt?: string | null } };
}

const timeOf = (t: string | null | undefined): number => (t ? Date.parse(t) : 0);

/** The Ready, Status and Restarts cells of `kubectl get pods`. */
export function podStatusCells(o: KubeObject, now: Date): { ready: string; reason: string; restarts: string } {
  const spec = obj(o.spec) ?? {};
  const status = statusOf(o);
  const conditions = list(status.conditions).map((c) => obj(c) ?? {});
  const initSpecs = new Map(list(spec.initContainers).map((c) => [str(obj(c)?.name), obj(c) ?? {}] as [string, Obj]));
  const restartable = (name: string | undefined) => initSpecs.get(name ?? '')?.restartPolicy === 'Always';
  let restarts = 0;
  let restartableRestarts = 0;
  const total = list(spec.containers).length + [...initSpecs.values()].filter((c) => c.restartPolicy === 'Always').length;
  let ready = 0;
  let lastRestart = 0;
  let lastRestartableRestart = 0;
  const phase = str(status.phase);
  let reason = str(status.reason) || phase;
  for (const c of conditions) if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';

  let initializing = false;
  const initStatuses = list(status.initContainerStatuses).map((c) => (obj(c) ?? {}) as ContainerStatus);
  const initCount = list(spec.initContainers).length;
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!;
    restarts += cs.restartCount ?? 0;
    const finished = timeOf(cs.lastState?.terminated?.finishedAt);
    if (cs.lastState?.terminated && finished > lastRestart) lastRestart = finished;
    if (restartable(cs.name)) {
      restartableRestarts += cs.restartCount ?? 0;
      if (cs.lastState?.terminated && finished > lastRestartableRestart) lastRestartableRestart = finished;
    }
    const term = cs.state?.terminated;
    const waiting = cs.state?.waiting;
    if (term && (term.exitCode ?? 0) === 0) continue;
    if (restartable(cs.name) && cs.started === true) {
      if (cs.ready) ready++;
      continue;
    }
    if (term) {
      if (!term.reason) reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode ?? 0}`;
      else reason = `Init:${term.reason}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${initCount}`;
    initializing = true;
    break;
  }

  const initialized = conditions.some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = restartableRestarts;
    lastRestart = lastRestartableRestart;
    let hasRunning = false;
    const statuses = list(status.containerStatuses).map((c) => (obj(c) ?? {}) as ContainerStatus);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!;
      restarts += cs.restartCount ?? 0;
      const finished = timeOf(cs.lastState?.terminated?.finishedAt);
      if (cs.lastState?.terminated && finished > lastRestart) lastRestart = finished;
      const term = cs.state?.terminated;
      if (cs.state?.waiting?.reason) reason = cs.state.waiting.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode ?? 0}`;
      else if (cs.ready && cs.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = conditions.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  if (o.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (o.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  let restartsText = String(restarts);
  if (restarts !== 0 && lastRestart) restartsText = `${restarts} (${humanDuration(now.getTime() - lastRestart)} ago)`;
  return { ready: `${ready}/${total}`, reason, restarts: restartsText };
}

function podCells(o: KubeObject, now: Date): unknown[] {
  const spec = obj(o.spec) ?? {};
  const status = statusOf(o);
  const { ready, reason, restarts } = podStatusCells(o, now);
  const ip = str(obj(list(status.podIPs)[0])?.ip) || '<none>';
  const gates = list(spec.readinessGates);
  let readinessGates = '<none>';
  if (gates.length) {
    const conditions = list(status.conditions).map((c) => obj(c) ?? {});
    const trueCount = gates.filter((g) => conditions.find((c) => c.type === obj(g)?.conditionType)?.status === 'True').length;
    readinessGates = `${trueCount}/${gates.length}`;
  }
  return [
    o.metadata.name,
    ready,
    reason,
    restarts,
    age(o.metadata.creationTimestamp, now),
    ip,
    str(spec.nodeName) || '<none>',
    str(status.nominatedNodeName) || '<none>',
    readinessGates,
  ];
}

const podIP = (o: KubeObject): string => str(obj(list(statusOf(o).podIPs)[0])?.ip);

// ==== the binding subresource ====

function scheduledCondition(status: Obj, now: Date): void {
  const conditions = list(status.conditions).map((c) => obj(c) ?? {});
  const i = conditions.findIndex((c) => c.type === 'PodScheduled');
  const keepTime = i >= 0 && conditions[i]!.status === 'True';
  const condition: Obj = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: keepTime ? (conditions[i]!.lastTransitionTime ?? null) : formatTime(now) };
  if (i >= 0) conditions[i] = condition;
  else conditions.push(condition);
  status.conditions = conditions;
}

function validateBinding(body: KubeObject): FieldError[] {
  const target = obj(body.target) ?? {};
  const errs: FieldError[] = [];
  const kind = str(target.kind);
  if (kind && kind !== 'Node') errs.push(notSupported('target.kind', kind, ['Node', '<empty>']));
  if (!str(target.name)) errs.push(required('target.name'));
  return errs;
}

// ==== the resource ====

const podColumns = [
  nameColumn,
  column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'The aggregate status of the containers in this pod.'),
  column('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  ageColumn,
  column('IP', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', { priority: 1 }),
  column('Node', 'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename', { priority: 1 }),
  column('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.', { priority: 1 }),
  column('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates', { priority: 1 }),
];

export const pods: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  resource: 'pods',
  singular: 'pod',
  shortNames: ['po'],
  categories: ['all'],
  namespaced: true,
  schema: pod,
  hasStatus: true,
  returnDeletedObject: true,
  defaults: defaultPod,
  prepareForCreate(o) {
    const spec = specOf(o);
    dropDisabledPodSpecFields(spec);
    syncServiceAccount(spec);
    admitPriority(o);
    const status: Obj = { phase: 'Pending', qosClass: podQOSClass(o) };
    if (list(spec.schedulingGates).length) {
      status.conditions = [
        { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: null, reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' },
      ];
    }
    o.status = status;
  },
  prepareForUpdate(o, old) {
    const spec = specOf(o);
    const oldSpec = obj(old.spec) ?? {};
    dropDisabledPodSpecFields(spec, oldSpec);
    syncServiceAccount(spec);
    // The Priority plugin keeps what it set on create.
    if (spec.priority === undefined && oldSpec.priority !== undefined) spec.priority = oldSpec.priority;
    if (spec.preemptionPolicy === undefined && oldSpec.preemptionPolicy !== undefined) spec.preemptionPolicy = oldSpec.preemptionPolicy;
  },
  validate: (o) => validatePodCreate(o),
  // A binding sets spec.nodeName, which no other update may change.
  validateUpdate: (o, old, _ctx, subresource) => (subresource === 'binding' ? [] : validatePodUpdate(o, old)),
  gracePeriod(o, requested) {
    const spec = obj(o.spec) ?? {};
    let period = requested ?? (typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 0);
    if (!str(spec.nodeName)) period = 0;
    const phase = statusOf(o).phase;
    if (phase === 'Succeeded' || phase === 'Failed') period = 0;
    return period < 0 ? 1 : period;
  },
  fields: {
    'spec.nodeName': (o) => str(obj(o.spec)?.nodeName),
    'spec.restartPolicy': (o) => str(obj(o.spec)?.restartPolicy),
    'spec.schedulerName': (o) => str(obj(o.spec)?.schedulerName),
    'spec.serviceAccountName': (o) => str(obj(o.spec)?.serviceAccountName),
    'spec.hostNetwork': (o) => String(obj(o.spec)?.hostNetwork === true),
    'status.phase': (o) => str(statusOf(o).phase),
    'status.podIP': podIP,
    'status.podIPs': podIP,
    'status.nominatedNodeName': (o) => str(statusOf(o).nominatedNodeName),
  },
  table: { columns: podColumns, cells: podCells },
  subresources: {
    binding: {
      schema: binding,
      verbs: ['create'],
      async create(s, body) {
        if ((body.metadata?.name ?? '') !== s.name) throw badRequest('name in URL does not match name in Binding object');
        const errs = validateBinding(body);
        if (errs.length) throw new ApiError(500, '', aggregate(errs));
        const nodeName = str(obj(body.target)?.name);
        const bindingGR = { group: '', resource: 'pods/binding' };
        await s.store.guaranteedUpdate(
          s.ctx,
          s.namespace,
          s.name,
          (cur) => {
            const name = cur.metadata.name ?? s.name;
            if (cur.metadata.deletionTimestamp) throw conflict(bindingGR, s.name, `pod ${name} is being deleted, cannot be assigned to a host`);
            if (body.metadata.uid && body.metadata.uid !== cur.metadata.uid) {
              throw conflict(PODS, s.name, `the UID in the bind request (${body.metadata.uid}) does not match the UID of the pod (${cur.metadata.uid})`);
            }
            if (body.metadata.resourceVersion && body.metadata.resourceVersion !== cur.metadata.resourceVersion) {
              throw conflict(PODS, s.name, `the resource version in the bind request (${body.metadata.resourceVersion}) does not match the resource version of the pod (${cur.metadata.resourceVersion})`);
            }
            const spec = specOf(cur);
            if (str(spec.nodeName)) throw conflict(bindingGR, s.name, `pod ${name} is already assigned to node ${JSON.stringify(spec.nodeName)}`);
            if (list(spec.schedulingGates).length) throw conflict(bindingGR, s.name, `pod ${name} has non-empty .spec.schedulingGates`);
            spec.nodeName = nodeName;
            if (body.metadata.annotations) cur.metadata.annotations = { ...cur.metadata.annotations, ...body.metadata.annotations };
            const status = obj(cur.status) ?? {};
            scheduledCondition(status, s.ctx.clock.now());
            cur.status = status;
            delete cur.metadata.resourceVersion;
            return cur;
          },
          { dryRun: s.dryRun, subresource: 'binding' },
        );
        return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } as unknown as KubeObject;
      },
    },
  },
};

/** For tests: the internal-layout diff ValidatePodUpdate prints for two v1 specs. */
export function podSpecDiff(oldSpec: Record<string, unknown>, newSpec: Record<string, unknown>): string {
  return cmpDiff(goValue(internalSpec(oldSpec), podSpecSchema), goValue(internalSpec(newSpec), podSpecSchema));
}

