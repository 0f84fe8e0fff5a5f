// The PodSpec that Pods and every workload template share: core/v1 defaulting
// (pkg/apis/core/v1/defaults.go and its generated walker) and ValidatePodSpec /
// ValidatePodTemplateSpec (pkg/apis/core/validation) with Kubernetes 1.32's messages and error order.
// Pod-only rules (admission defaults, QoS, update immutability) live in pods.ts.
import { isIP } from 'node:net';
import { duplicate, forbidden, invalid, notFound, notSupported, required, tooLong, type FieldError } from '../../api/field-errors.js';
import { validateLabelSelectorObject, type LabelSelectorObject } from '../../api/labels.js';
import { isObject, type ObjectMeta } from '../../api/meta.js';
import { compareQuantities, formatQuantity, isZeroQuantity, parseQuantity, roundUpTo, type Quantity } from '../../api/quantity.js';
import {
  inclusiveRangeError,
  isConfigMapKey,
  isDNS1123Label,
  isDNS1123Subdomain,
  isHTTPHeaderName,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  validateAnnotations,
  validateLabels,
  validateName,
} from '../../api/validation.js';
import { MIRROR_POD_ANNOTATION, POD_DELETION_COST_ANNOTATION } from '../../api/well-known.js';

type Obj = Record<string, unknown>;

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const obj = (v: unknown): Obj | undefined => (isObject(v) ? v : undefined);
/** Go's len() of a string: UTF-8 bytes. */
const byteLen = (s: string): number => Buffer.byteLength(s, 'utf8');
/** Go's sort.Strings order. */
const goSorted = (values: readonly string[]): string[] => [...values].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

const MAX_INT32 = 2147483647;

/** SetDefaults_ResourceList: every quantity rounded up to milli units, in canonical form. */
function defaultResourceList(v: unknown): void {
  const rl = obj(v);
  if (!rl) return;
  for (const [k, raw] of Object.entries(rl)) {
    const q = parseQuantity(raw);
    if (q) rl[k] = formatQuantity(roundUpTo(q, 3));
  }
}

/** A single quantity field in canonical form (emptyDir.sizeLimit, divisor, …). */
function canonicalQuantityField(o: Obj, key: string): void {
  if (o[key] === undefined || o[key] === null) return;
  const q = parseQuantity(o[key]);
  if (q) o[key] = formatQuantity(q);
}

// ==== image references (parsers.ParseImageName) ====

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const IMAGE_REFERENCE = new RegExp(
  `^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::([\\w][\\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}))?$`,
);

/** The tag ParseImageName reports: "latest" without tag and digest, "" for an unparseable name. */
export function imageTag(image: string): string {
  const m = IMAGE_REFERENCE.exec(image);
  if (!m || m[1]!.length > 255) return '';
  if (m[2]) return m[2];
  return m[3] ? '' : 'latest';
}

// ==== defaulting ====

/** Drops keys whose value is null, as decoding into Go structs and encoding with omitempty does. */
function dropNulls(v: unknown): void {
  if (Array.isArray(v)) v.forEach(dropNulls);
  else if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === null) delete v[k];
      else dropNulls(x);
    }
  }
}

function defaultFieldRef(ref: unknown): void {
  const r = obj(ref);
  if (r && !r.apiVersion) r.apiVersion = 'v1';
}

function defaultHTTPGet(h: unknown): void {
  const g = obj(h);
  if (!g) return;
  if (!g.path) g.path = '/';
  if (!g.scheme) g.scheme = 'HTTP';
}

function defaultProbe(p: unknown): void {
  const probe = obj(p);
  if (!probe) return;
  if (!probe.timeoutSeconds) probe.timeoutSeconds = 1;
  if (!probe.periodSeconds) probe.periodSeconds = 10;
  if (!probe.successThreshold) probe.successThreshold = 1;
  if (!probe.failureThreshold) probe.failureThreshold = 3;
  defaultHTTPGet(probe.httpGet);
  const grpc = obj(probe.grpc);
  if (grpc && grpc.service === undefined) grpc.service = '';
}

function defaultContainer(c: Obj): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = imageTag(str(c.image)) === 'latest' ? 'Always' : 'IfNotPresent';
  if (!c.terminationMessagePath) c.terminationMessagePath = '/dev/termination-log';
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = 'File';
  for (const port of list(c.ports)) {
    const p = obj(port);
    if (p && !p.protocol) p.protocol = 'TCP';
  }
  for (const e of list(c.env)) defaultFieldRef(obj(obj(e)?.valueFrom)?.fieldRef);
  for (const e of list(c.env)) {
    const rf = obj(obj(obj(e)?.valueFrom)?.resourceFieldRef);
    if (rf) canonicalQuantityField(rf, 'divisor');
  }
  // ResourceRequirements is a struct, not a pointer: it is always written, as {} when empty.
  if (!isObject(c.resources)) c.resources = {};
  const res = c.resources as Obj;
  defaultResourceList(res.limits);
  defaultResourceList(res.requests);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  const lc = obj(c.lifecycle);
  if (lc) {
    defaultHTTPGet(obj(lc.postStart)?.httpGet);
    defaultHTTPGet(obj(lc.preStop)?.httpGet);
  }
}

/** The volume source keys of core/v1 Volume (everything but name). */
export const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi',
  'ephemeral', 'image',
] as const;

function defaultVolume(v: Obj): void {
  if (!VOLUME_SOURCES.some((k) => v[k] !== undefined)) v.emptyDir = {};
  const hostPath = obj(v.hostPath);
  if (hostPath && hostPath.type === undefined) hostPath.type = '';
  const emptyDir = obj(v.emptyDir);
  if (emptyDir) canonicalQuantityField(emptyDir, 'sizeLimit');
  for (const key of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const src = obj(v[key]);
    if (src && src.defaultMode === undefined) src.defaultMode = 420;
  }
  for (const item of list(obj(v.downwardAPI)?.items)) defaultFieldRef(obj(item)?.fieldRef);
  for (const source of list(obj(v.projected)?.sources)) {
    const s = obj(source);
    for (const item of list(obj(s?.downwardAPI)?.items)) defaultFieldRef(obj(item)?.fieldRef);
    const token = obj(s?.serviceAccountToken);
    if (token && token.expirationSeconds === undefined) token.expirationSeconds = 3600;
  }
  const iscsi = obj(v.iscsi);
  if (iscsi && !iscsi.iscsiInterface) iscsi.iscsiInterface = 'default';
  const rbd = obj(v.rbd);
  if (rbd) {
    if (!rbd.pool) rbd.pool = 'rbd';
    if (!rbd.user) rbd.user = 'admin';
    if (!rbd.keyring) rbd.keyring = '/etc/ceph/keyring';
  }
  const azureDisk = obj(v.azureDisk);
  if (azureDisk) {
    if (azureDisk.cachingMode === undefined) azureDisk.cachingMode = 'ReadWrite';
    if (azureDisk.fsType === undefined) azureDisk.fsType = 'ext4';
    if (azureDisk.readOnly === undefined) azureDisk.readOnly = false;
    if (azureDisk.kind === undefined) azureDisk.kind = 'Shared';
  }
  const scaleIO = obj(v.scaleIO);
  if (scaleIO) {
    if (!scaleIO.storageMode) scaleIO.storageMode = 'ThinProvisioned';
    if (!scaleIO.fsType) scaleIO.fsType = 'xfs';
  }
  const claimSpec = obj(obj(obj(v.ephemeral)?.volumeClaimTemplate)?.spec);
  if (claimSpec) {
    if (claimSpec.volumeMode === undefined) claimSpec.volumeMode = 'Filesystem';
    defaultResourceList(obj(claimSpec.resources)?.limits);
    defaultResourceList(obj(claimSpec.resources)?.requests);
  }
}

/**
 * core/v1 defaulting of a PodSpec and everything in it (SetDefaults_PodSpec, _Container, _Volume,
 * _Probe, _ResourceList, …), plus the deprecated serviceAccount field kept equal to
 * serviceAccountName as the v1 conversion does. Pod-only defaults (SetDefaults_Pod) are not here.
 */
export function defaultPodSpec(spec: Record<string, unknown>): void {
  dropNulls(spec);
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  if (!isObject(spec.securityContext)) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined) spec.terminationGracePeriodSeconds = 30;
  if (!spec.schedulerName) spec.schedulerName = 'default-scheduler';
  syncServiceAccount(spec);
  for (const v of list(spec.volumes)) if (isObject(v)) defaultVolume(v);
  for (const key of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of list(spec[key])) if (isObject(c)) defaultContainer(c);
  }
  defaultResourceList(spec.overhead);
}

/** serviceAccount is the deprecated alias of serviceAccountName; the name wins, and the alias mirrors it. */
export function syncServiceAccount(spec: Record<string, unknown>): void {
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  else delete spec.serviceAccount;
}

/**
 * Defaults of a PodTemplateSpec: its spec's, and the `metadata: {creationTimestamp: null}` that Go
 * always writes for the embedded ObjectMeta (a zero metav1.Time encodes as null).
 */
export function defaultPodTemplateSpec(template: Record<string, unknown>): void {
  if (!isObject(template.metadata)) template.metadata = {};
  const meta = template.metadata as Obj;
  if (meta.creationTimestamp === undefined) meta.creationTimestamp = null;
  if (!isObject(template.spec)) template.spec = {};
  defaultPodSpec(template.spec as Obj);
}

/**
 * DropDisabledPodFields for the feature gates that are off by default in 1.32 (pod-level resources,
 * in-place resize, user namespaces, supplemental groups policy, SELinux change policy, procMount,
 * dynamic resource allocation). A field the old object already used is kept.
 */
export function dropDisabledPodSpecFields(spec: Record<string, unknown>, old?: Record<string, unknown>): void {
  const containersOf = (s: Obj | undefined): Obj[] =>
    ['initContainers', 'containers', 'ephemeralContainers'].flatMap((k) => list(s?.[k]).filter(isObject));
  const uses = (pred: (s: Obj) => boolean): boolean => !!old && pred(old);
  if (!uses((s) => s.resources !== undefined)) delete spec.resources;
  if (!uses((s) => s.hostUsers !== undefined)) delete spec.hostUsers;
  if (!uses((s) => containersOf(s).some((c) => c.resizePolicy !== undefined))) for (const c of containersOf(spec)) delete c.resizePolicy;
  const sc = obj(spec.securityContext);
  if (sc && !uses((s) => obj(s.securityContext)?.supplementalGroupsPolicy !== undefined)) delete sc.supplementalGroupsPolicy;
  if (sc && !uses((s) => obj(s.securityContext)?.seLinuxChangePolicy !== undefined)) delete sc.seLinuxChangePolicy;
  if (!uses((s) => containersOf(s).some((c) => obj(c.securityContext)?.procMount !== undefined))) {
    for (const c of containersOf(spec)) delete obj(c.securityContext)?.procMount;
  }
  if (!uses((s) => s.resourceClaims !== undefined || containersOf(s).some((c) => obj(c.resources)?.claims !== undefined))) {
    delete spec.resourceClaims;
    for (const c of containersOf(spec)) delete obj(c.resources)?.claims;
  }
}

// ==== validation ====

export interface PodSpecValidationOptions {
  /** The spec is a Pod's, not a template's (hostPort must then equal containerPort with hostNetwork). */
  resourceIsPod?: boolean;
  /** The pod's metadata, to check the names of the claims ephemeral volumes create. */
  podMeta?: ObjectMeta;
}

const FILE_MODE_MSG = 'must be a number between 0 and 0777 (octal), both inclusive';
const NEGATIVE_MSG = 'must be greater than or equal to 0';
const NOT_POSITIVE_MSG = 'must be greater than zero';

function nonnegative(value: unknown, path: string): FieldError[] {
  const n = num(value) ?? 0;
  return n < 0 ? [invalid(path, n, NEGATIVE_MSG)] : [];
}

function dns1123Label(value: string, path: string): FieldError[] {
  return isDNS1123Label(value).map((m) => invalid(path, value, m));
}

function dns1123Subdomain(value: string, path: string): FieldError[] {
  return isDNS1123Subdomain(value).map((m) => invalid(path, value, m));
}

function qualifiedName(value: string, path: string): FieldError[] {
  return isQualifiedName(value).map((m) => invalid(path, value, m));
}

function validIP(value: string, path: string): FieldError[] {
  return isIP(value) ? [] : [invalid(path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
}

function fileMode(value: unknown, path: string): FieldError[] {
  const n = num(value);
  return n !== undefined && (n > 0o777 || n < 0) ? [invalid(path, n, FILE_MODE_MSG)] : [];
}

/** path.IsAbs and the ".." element check (validateLocalDescendingPath). */
function localDescendingPath(target: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) errs.push(invalid(path, target, 'must be a relative path'));
  errs.push(...noBacksteps(target, path));
  return errs;
}

function noBacksteps(target: string, path: string): FieldError[] {
  return target.split('/').includes('..') ? [invalid(path, target, "must not contain '..'")] : [];
}

function localNonReservedPath(target: string, path: string): FieldError[] {
  const errs = localDescendingPath(target, path);
  if (target.startsWith('..') && !target.startsWith('../')) errs.push(invalid(path, target, "must not start with '..'"));
  return errs;
}

// ---- volumes ----

function validateKeyToPath(kp: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(kp.key)) errs.push(required(`${path}.key`));
  if (!str(kp.path)) errs.push(required(`${path}.path`));
  errs.push(...localNonReservedPath(str(kp.path), `${path}.path`));
  errs.push(...fileMode(kp.mode, `${path}.mode`));
  return errs;
}

const VOLUME_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
const ENV_FIELD_PATHS = goSorted(['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs']);
const DOWNWARD_LABELS = [
  'metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.restartPolicy',
  'spec.serviceAccountName', 'spec.schedulerName', 'status.phase', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
];
const RESOURCE_FIELD_PATHS = goSorted(['limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage']);

/** fieldpath.SplitMaybeSubscriptedPath: "metadata.labels['x']" → ["metadata.labels", "x"]. */
function splitSubscript(fieldPath: string): [string, string] | null {
  if (!fieldPath.endsWith("']")) return null;
  const s = fieldPath.slice(0, -2);
  const i = s.indexOf("['");
  if (i <= 0) return null;
  return [s.slice(0, i), s.slice(i + 2)];
}

/** podshelper.ConvertDownwardAPIFieldLabel: the internal label, or the error text. */
function convertDownwardLabel(version: string, label: string): { label: string } | { error: string } {
  if (version !== 'v1') return { error: `unsupported pod version: ${version}` };
  const sub = splitSubscript(label);
  if (sub) {
    if (sub[0] === 'metadata.annotations' || sub[0] === 'metadata.labels') return { label };
    return { error: `field label does not support subscript: ${label}` };
  }
  if (DOWNWARD_LABELS.includes(label)) return { label };
  if (label === 'spec.host') return { label: 'spec.nodeName' };
  return { error: `field label not supported: ${label}` };
}

function validateObjectFieldSelector(fs: Obj, expressions: string[], path: string): FieldError[] {
  if (!str(fs.apiVersion)) return [required(`${path}.apiVersion`)];
  if (!str(fs.fieldPath)) return [required(`${path}.fieldPath`)];
  const converted = convertDownwardLabel(str(fs.apiVersion), str(fs.fieldPath));
  if ('error' in converted) return [invalid(`${path}.fieldPath`, fs.fieldPath, `error converting fieldPath: ${converted.error}`)];
  const sub = splitSubscript(converted.label);
  if (sub) {
    if (sub[0] === 'metadata.annotations') return qualifiedName(sub[1].toLowerCase(), path);
    if (sub[0] === 'metadata.labels') return qualifiedName(sub[1], path);
    return [invalid(path, sub[0], 'does not support subscript')];
  }
  if (!expressions.includes(converted.label)) return [notSupported(`${path}.fieldPath`, converted.label, expressions)];
  return [];
}

const DIVISORS_CPU = ['1m', '1'];
const DIVISORS_BYTES = ['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];

function validateResourceFieldSelector(fs: Obj, path: string, volume: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const resource = str(fs.resource);
  if (volume && !str(fs.containerName)) errs.push(required(`${path}.containerName`));
  else if (!resource) errs.push(required(`${path}.resource`));
  else if (!RESOURCE_FIELD_PATHS.includes(resource) && !resource.startsWith('requests.hugepages-') && !resource.startsWith('limits.hugepages-')) {
    errs.push(notSupported(`${path}.resource`, resource, RESOURCE_FIELD_PATHS));
  }
  const divisor = parseQuantity(fs.divisor);
  if (divisor && !isZeroQuantity(divisor)) {
    const d = formatQuantity(divisor);
    const bytesMsg = (what: string) =>
      `only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the ${what} resource`;
    if ((resource === 'limits.cpu' || resource === 'requests.cpu') && !DIVISORS_CPU.includes(d)) {
      errs.push(invalid(`${path}.divisor`, resource, "only divisor's values 1m and 1 are supported with the cpu resource"));
    }
    if ((resource === 'limits.memory' || resource === 'requests.memory') && !DIVISORS_BYTES.includes(d)) errs.push(invalid(`${path}.divisor`, resource, bytesMsg('memory')));
    if ((resource === 'limits.ephemeral-storage' || resource === 'requests.ephemeral-storage') && !DIVISORS_BYTES.includes(d)) {
      errs.push(invalid(`${path}.divisor`, resource, bytesMsg('local ephemeral storage')));
    }
    if ((resource.startsWith('requests.hugepages-') || resource.startsWith('limits.hugepages-')) && !DIVISORS_BYTES.includes(d)) {
      errs.push(invalid(`${path}.divisor`, resource, bytesMsg('hugepages')));
    }
  }
  return errs;
}

function validateDownwardAPIFile(file: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(file.path)) errs.push(required(`${path}.path`));
  errs.push(...localNonReservedPath(str(file.path), `${path}.path`));
  const fieldRef = obj(file.fieldRef);
  const resourceRef = obj(file.resourceFieldRef);
  if (fieldRef) {
    errs.push(...validateObjectFieldSelector(fieldRef, VOLUME_FIELD_PATHS, `${path}.fieldRef`));
    if (resourceRef) errs.push(invalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (resourceRef) errs.push(...validateResourceFieldSelector(resourceRef, `${path}.resourceFieldRef`, true));
  else errs.push(required(path, 'one of fieldRef and resourceFieldRef is required'));
  errs.push(...fileMode(file.mode, `${path}.mode`));
  return errs;
}

function validateProjected(p: Obj, path: string): FieldError[] {
  const errs = fileMode(p.defaultMode, `${path}.defaultMode`);
  const allPaths = new Set<string>();
  list(p.sources).forEach((raw, i) => {
    const source = obj(raw) ?? {};
    const srcPath = `${path}.sources[${i}]`;
    let sources = 0;
    for (const kind of ['secret', 'configMap'] as const) {
      const s = obj(source[kind]);
      if (!s) continue;
      sources++;
      const projPath = `${srcPath}.${kind}`;
      if (!str(s.name)) errs.push(required(`${projPath}.name`));
      list(s.items).forEach((item, j) => {
        const kp = obj(item) ?? {};
        errs.push(...validateKeyToPath(kp, `${projPath}.items[${j}]`));
        const target = str(kp.path);
        if (target) {
          if (allPaths.has(target)) errs.push(invalid(path, str(s.name), 'conflicting duplicate paths'));
          else allPaths.add(target);
        }
      });
    }
    const downward = obj(source.downwardAPI);
    if (downward) {
      sources++;
      for (const item of list(downward.items)) {
        const file = obj(item) ?? {};
        errs.push(...validateDownwardAPIFile(file, `${srcPath}.downwardAPI`));
        const target = str(file.path);
        if (target) {
          if (allPaths.has(target)) errs.push(invalid(path, target, 'conflicting duplicate paths'));
          else allPaths.add(target);
        }
      }
    }
    const token = obj(source.serviceAccountToken);
    if (token) {
      sources++;
      const exp = num(token.expirationSeconds) ?? 0;
      if (exp < 600) errs.push(invalid(`${srcPath}.serviceAccountToken.expirationSeconds`, exp, 'may not specify a duration less than 10 minutes'));
      if (exp > 2 ** 32) errs.push(invalid(`${srcPath}.serviceAccountToken.expirationSeconds`, exp, 'may not specify a duration larger than 2^32 seconds'));
      if (!str(token.path)) errs.push(required(`${path}.path`));
      else errs.push(...localNonReservedPath(str(token.path), `${path}.path`));
    }
    if (source.clusterTrustBundle !== undefined) sources++;
    if (sources > 1) errs.push(forbidden(srcPath, 'may not specify more than 1 volume type per source'));
  });
  return errs;
}

const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

/** Sources with nothing but required fields to check, by key: [path segment, required fields]. */
const SIMPLE_SOURCES: Record<string, [string, string[]]> = {
  gcePersistentDisk: ['persistentDisk', ['pdName']],
  awsElasticBlockStore: ['awsElasticBlockStore', ['volumeID']],
  glusterfs: ['glusterfs', ['endpoints', 'path']],
  rbd: ['rbd', ['monitors', 'image']],
  cinder: ['cinder', ['volumeID']],
  cephfs: ['cephfs', ['monitors']],
  flexVolume: ['flexVolume', ['driver']],
  azureFile: ['azureFile', ['secretName', 'shareName']],
  vsphereVolume: ['vsphereVolume', ['volumePath']],
  photonPersistentDisk: ['photonPersistentDisk', ['pdID']],
  portworxVolume: ['portworxVolume', ['volumeID']],
  scaleIO: ['scaleIO', ['gateway', 'system', 'volumeName']],
  storageos: ['storageos', ['volumeName']],
  quobyte: ['quobyte', ['registry', 'volume']],
  iscsi: ['iscsi', ['targetPortal', 'iqn']],
};

/** The order validateVolumeSource checks sources in, and the path its "more than 1" error names. */
const SOURCE_ORDER: [string, string][] = [
  ['emptyDir', 'emptyDir'], ['hostPath', 'hostPath'], ['gitRepo', 'gitRepo'], ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'], ['secret', 'secret'], ['nfs', 'nfs'], ['iscsi', 'iscsi'], ['glusterfs', 'glusterfs'],
  ['flocker', 'flocker'], ['persistentVolumeClaim', 'persistentVolumeClaim'], ['rbd', 'rbd'], ['cinder', 'cinder'], ['cephfs', 'cephFS'],
  ['quobyte', 'quobyte'], ['downwardAPI', 'downwarAPI'], ['fc', 'fc'], ['flexVolume', 'flexVolume'], ['configMap', 'configMap'],
  ['azureFile', 'azureFile'], ['vsphereVolume', 'vsphereVolume'], ['photonPersistentDisk', 'photonPersistentDisk'],
  ['portworxVolume', 'portworxVolume'], ['azureDisk', 'azureDisk'], ['storageos', 'storageos'], ['projected', 'projected'],
  ['scaleIO', 'scaleIO'], ['csi', 'csi'], ['ephemeral', 'ephemeral'], ['image', 'image'],
];

function validateSource(key: string, src: Obj, path: string, volName: string, podMeta: ObjectMeta | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const p = `${path}.${key}`;
  switch (key) {
    case 'emptyDir': {
      const limit = parseQuantity(src.sizeLimit);
      if (limit && limit.num < 0n) errs.push(forbidden(`${p}.sizeLimit`, 'SizeLimit field must be a valid resource quantity'));
      break;
    }
    case 'hostPath':
      if (!str(src.path)) return [required(`${p}.path`)];
      errs.push(...noBacksteps(str(src.path), `${p}.path`));
      if (src.type !== undefined && !HOST_PATH_TYPES.includes(str(src.type))) errs.push(notSupported(`${p}.type`, src.type, HOST_PATH_TYPES));
      break;
    case 'gitRepo':
      if (!str(src.repository)) errs.push(required(`${p}.repository`));
      errs.push(...localDescendingPath(str(src.directory), `${p}.directory`));
      break;
    case 'secret':
      if (!str(src.secretName)) errs.push(required(`${p}.secretName`));
      errs.push(...fileMode(src.defaultMode, `${p}.defaultMode`));
      list(src.items).forEach((kp, i) => errs.push(...validateKeyToPath(obj(kp) ?? {}, `${p}.items[${i}]`)));
      break;
    case 'configMap':
      if (!str(src.name)) errs.push(required(`${p}.name`));
      errs.push(...fileMode(src.defaultMode, `${p}.defaultMode`));
      list(src.items).forEach((kp, i) => errs.push(...validateKeyToPath(obj(kp) ?? {}, `${p}.items[${i}]`)));
      break;
    case 'nfs':
      if (!str(src.server)) errs.push(required(`${p}.server`));
      if (!str(src.path)) errs.push(required(`${p}.path`));
      if (!str(src.path).startsWith('/')) errs.push(invalid(`${p}.path`, str(src.path), 'must be an absolute path'));
      break;
    case 'persistentVolumeClaim':
      if (!str(src.claimName)) errs.push(required(`${p}.claimName`));
      break;
    case 'downwardAPI':
      errs.push(...fileMode(src.defaultMode, `${p}.defaultMode`));
      for (const item of list(src.items)) errs.push(...validateDownwardAPIFile(obj(item) ?? {}, p));
      break;
    case 'projected':
      errs.push(...validateProjected(src, p));
      break;
    case 'flocker': {
      const name = str(src.datasetName);
      const uuid = str(src.datasetUUID);
      if (!name && !uuid) errs.push(required(p, 'one of datasetName and datasetUUID is required'));
      if (name && uuid) errs.push(invalid(p, 'resource', 'datasetName and datasetUUID can not be specified simultaneously'));
      if (name.includes('/')) errs.push(invalid(`${p}.datasetName`, name, "must not contain '/'"));
      break;
    }
    case 'fc':
      if (!list(src.targetWWNs).length && !list(src.wwids).length) {
        errs.push(required(`${p}.targetWWNs`, 'must specify either targetWWNs or wwids, but not both'));
      }
      break;
    case 'azureDisk':
      if (!str(src.diskName)) errs.push(required(`${p}.diskName`));
      if (!str(src.diskURI)) errs.push(required(`${p}.diskURI`));
      break;
    case 'csi': {
      const driver = str(src.driver);
      if (!driver) errs.push(required(`${p}.driver`));
      if (driver.length > 63) errs.push(tooLong(`${p}.driver`, 63));
      for (const m of isDNS1123Subdomain(driver.toLowerCase())) errs.push(invalid(`${p}.driver`, driver, m));
      const secretRef = obj(src.nodePublishSecretRef);
      if (secretRef) {
        if (!str(secretRef.name)) errs.push(required(`${p}.nodePublishSecretRef.name`));
        else for (const m of validateName(str(secretRef.name), 'subdomain', false)) errs.push(invalid(`${p}.name`, secretRef.name, m));
      }
      break;
    }
    case 'ephemeral':
      if (!isObject(src.volumeClaimTemplate)) errs.push(required(`${p}.volumeClaimTemplate`));
      if (podMeta?.name && volName) {
        const pvcName = `${podMeta.name}-${volName}`;
        for (const m of isDNS1123Subdomain(pvcName)) errs.push(invalid(`${path}.name`, volName, `PVC name ${JSON.stringify(pvcName)}: ${m}`));
      }
      break;
    default: {
      const simple = SIMPLE_SOURCES[key];
      if (simple) {
        for (const field of simple[1]) {
          const v = src[field];
          if (Array.isArray(v) ? v.length === 0 : !v) errs.push(required(`${path}.${simple[0]}.${field}`));
        }
      }
    }
  }
  return errs;
}

function validateVolumes(volumes: unknown, podMeta: ObjectMeta | undefined, path: string): { vols: Map<string, Obj>; errs: FieldError[] } {
  const errs: FieldError[] = [];
  const vols = new Map<string, Obj>();
  const created = new Set<string>();
  if (podMeta?.name) for (const v of list(volumes)) if (obj(v)?.ephemeral !== undefined) created.add(`${podMeta.name}-${str(obj(v)?.name)}`);
  list(volumes).forEach((raw, i) => {
    const vol = obj(raw) ?? {};
    const idx = `${path}[${i}]`;
    const name = str(vol.name);
    const el: FieldError[] = [];
    let sources = 0;
    for (const [key, label] of SOURCE_ORDER) {
      const src = vol[key];
      if (src === undefined) continue;
      if (sources > 0) el.push(forbidden(`${idx}.${label}`, 'may not specify more than 1 volume type'));
      else {
        sources++;
        el.push(...validateSource(key, obj(src) ?? {}, idx, name, podMeta));
      }
    }
    if (sources === 0) el.push(required(idx, 'must specify a volume type'));
    if (!name) el.push(required(`${idx}.name`));
    else el.push(...dns1123Label(name, `${idx}.name`));
    if (vols.has(name)) el.push(duplicate(`${idx}.name`, name));
    if (el.length === 0) vols.set(name, vol);
    else errs.push(...el);
    const claim = str(obj(vol.persistentVolumeClaim)?.claimName);
    if (obj(vol.persistentVolumeClaim) && created.has(claim)) {
      errs.push(invalid(`${idx}.persistentVolumeClaim.claimName`, claim, 'must not reference a PVC that gets created for an ephemeral volume'));
    }
  });
  return { vols, errs };
}

// ---- containers ----

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validatePorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list(ports).forEach((raw, i) => {
    const port = obj(raw) ?? {};
    const idx = `${path}[${i}]`;
    const name = str(port.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) for (const m of msgs) errs.push(invalid(`${idx}.name`, name, m));
      else if (names.has(name)) errs.push(duplicate(`${idx}.name`, name));
      else names.add(name);
    }
    const containerPort = num(port.containerPort) ?? 0;
    if (containerPort === 0) errs.push(required(`${idx}.containerPort`));
    else for (const m of isValidPortNum(containerPort)) errs.push(invalid(`${idx}.containerPort`, containerPort, m));
    const hostPort = num(port.hostPort) ?? 0;
    if (hostPort !== 0) for (const m of isValidPortNum(hostPort)) errs.push(invalid(`${idx}.hostPort`, hostPort, m));
    const protocol = str(port.protocol);
    if (!protocol) errs.push(required(`${idx}.protocol`));
    else if (!PROTOCOLS.includes(protocol)) errs.push(notSupported(`${idx}.protocol`, protocol, PROTOCOLS));
  });
  return errs;
}

/** IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation is on in 1.32). */
function relaxedEnvVarName(name: string): string[] {
  const errs: string[] = [];
  if (name.length === 0) errs.push('environment variable name must be non-empty');
  for (const ch of name) {
    const code = ch.codePointAt(0)!;
    if (code > 0x7e || code < 0x20 || ch === '=') {
      errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
      break;
    }
  }
  return errs;
}

function validateKeySelector(sel: Obj, path: string): FieldError[] {
  const errs = validateName(str(sel.name), 'subdomain', false).map((m) => invalid(`${path}.name`, str(sel.name), m));
  const key = str(sel.key);
  if (!key) errs.push(required(`${path}.key`));
  else for (const m of isConfigMapKey(key)) errs.push(invalid(`${path}.key`, key, m));
  return errs;
}

function validateEnv(env: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(env).forEach((raw, i) => {
    const ev = obj(raw) ?? {};
    const idx = `${path}[${i}]`;
    const name = str(ev.name);
    if (!name) errs.push(required(`${idx}.name`));
    else for (const m of relaxedEnvVarName(name)) errs.push(invalid(`${idx}.name`, name, m));
    const from = obj(ev.valueFrom);
    if (!from) return;
    const fp = `${idx}.valueFrom`;
    let sources = 0;
    if (obj(from.fieldRef)) {
      sources++;
      errs.push(...validateObjectFieldSelector(obj(from.fieldRef)!, ENV_FIELD_PATHS, `${fp}.fieldRef`));
    }
    if (obj(from.resourceFieldRef)) {
      sources++;
      errs.push(...validateResourceFieldSelector(obj(from.resourceFieldRef)!, `${fp}.resourceFieldRef`, false));
    }
    if (obj(from.configMapKeyRef)) {
      sources++;
      errs.push(...validateKeySelector(obj(from.configMapKeyRef)!, `${fp}.configMapKeyRef`));
    }
    if (obj(from.secretKeyRef)) {
      sources++;
      errs.push(...validateKeySelector(obj(from.secretKeyRef)!, `${fp}.secretKeyRef`));
    }
    if (sources === 0) errs.push(invalid(fp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (str(ev.value)) errs.push(invalid(fp, '', 'may not be specified when `value` is not empty'));
    else if (sources > 1) errs.push(invalid(fp, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateEnvFrom(envFrom: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(envFrom).forEach((raw, i) => {
    const ev = obj(raw) ?? {};
    const idx = `${path}[${i}]`;
    const prefix = str(ev.prefix);
    if (prefix) for (const m of relaxedEnvVarName(prefix)) errs.push(invalid(`${idx}.prefix`, prefix, m));
    let sources = 0;
    for (const key of ['configMapRef', 'secretRef']) {
      const ref = obj(ev[key]);
      if (!ref) continue;
      sources++;
      const name = str(ref.name);
      if (!name) errs.push(required(`${idx}.${key}.name`));
      else for (const m of validateName(name, 'subdomain', true)) errs.push(invalid(`${idx}.${key}.name`, name, m));
    }
    if (sources === 0) errs.push(invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (sources > 1) errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

const MOUNT_PROPAGATIONS = ['Bidirectional', 'HostToContainer', 'None'];
const RECURSIVE_READ_ONLY = ['Disabled', 'Enabled', 'IfPossible'];

function validateVolumeMounts(mounts: unknown, devices: Map<string, string>, vols: Map<string, Obj>, container: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  const devicePaths = new Set(devices.values());
  list(mounts).forEach((raw, i) => {
    const mnt = obj(raw) ?? {};
    const idx = `${path}[${i}]`;
    const name = str(mnt.name);
    const mountPath = str(mnt.mountPath);
    if (!name) errs.push(required(`${idx}.name`));
    if (!vols.has(name)) errs.push(notFound(`${idx}.name`, name));
    if (!mountPath) errs.push(required(`${idx}.mountPath`));
    if (mountPoints.has(mountPath)) errs.push(invalid(`${idx}.mountPath`, mountPath, 'must be unique'));
    mountPoints.add(mountPath);
    if (devices.has(name)) errs.push(invalid(`${idx}.name`, name, 'must not already exist in volumeDevices'));
    if (devicePaths.has(mountPath)) errs.push(invalid(`${idx}.mountPath`, mountPath, 'must not already exist as a path in volumeDevices'));
    if (vols.get(name)?.image !== undefined) {
      if (str(mnt.subPath)) errs.push(invalid(`${idx}.subPath`, mnt.subPath, 'not allowed in image volume sources'));
      if (str(mnt.subPathExpr)) errs.push(invalid(`${idx}.subPathExpr`, mnt.subPathExpr, 'not allowed in image volume sources'));
    }
    if (str(mnt.subPath)) errs.push(...localDescendingPath(str(mnt.subPath), `${path}.subPath`));
    if (str(mnt.subPathExpr)) {
      if (str(mnt.subPath)) errs.push(invalid(`${idx}.subPathExpr`, mnt.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...localDescendingPath(str(mnt.subPathExpr), `${path}.subPathExpr`));
    }
    if (mnt.mountPropagation !== undefined) {
      const mp = str(mnt.mountPropagation);
      const pp = `${path}.mountPropagation`;
      if (!MOUNT_PROPAGATIONS.includes(mp)) errs.push(notSupported(pp, mp, MOUNT_PROPAGATIONS));
      const privileged = obj(container.securityContext)?.privileged === true;
      if (mp === 'Bidirectional' && !privileged) errs.push(forbidden(pp, 'Bidirectional mount propagation is available only to privileged containers'));
    }
    if (mnt.recursiveReadOnly !== undefined) {
      const rro = str(mnt.recursiveReadOnly);
      const rp = `${path}.recursiveReadOnly`;
      if (rro === 'Enabled' || rro === 'IfPossible') {
        if (mnt.readOnly !== true) errs.push(forbidden(rp, 'may only be specified when readOnly is true'));
        if (mnt.mountPropagation !== undefined && mnt.mountPropagation !== 'None') {
          errs.push(forbidden(rp, 'may only be specified when mountPropagation is None or not specified'));
        }
      } else if (rro !== 'Disabled') errs.push(notSupported(rp, rro, RECURSIVE_READ_ONLY));
    }
  });
  return errs;
}

function validateVolumeDevices(devices: unknown, mounts: Map<string, string>, vols: Map<string, Obj>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  const names = new Set<string>();
  const mountPaths = new Set(mounts.values());
  list(devices).forEach((raw, i) => {
    const dev = obj(raw) ?? {};
    const idx = `${path}[${i}]`;
    const name = str(dev.name);
    const devicePath = str(dev.devicePath);
    const vol = vols.get(name);
    const isPVC = vol !== undefined && (vol.persistentVolumeClaim !== undefined || vol.ephemeral !== undefined);
    if (!name) errs.push(required(`${idx}.name`));
    if (names.has(name)) errs.push(invalid(`${idx}.name`, name, 'must be unique'));
    if (vol && !isPVC) errs.push(invalid(`${idx}.name`, name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    if (!vol) errs.push(notFound(`${idx}.name`, name));
    if (!devicePath) errs.push(required(`${idx}.devicePath`));
    if (paths.has(devicePath)) errs.push(invalid(`${idx}.devicePath`, devicePath, 'must be unique'));
    if (devicePath && noBacksteps(devicePath, '').length) errs.push(invalid(`${idx}.devicePath`, devicePath, "can not contain backsteps ('..')"));
    else paths.add(devicePath);
    if (mounts.has(name)) errs.push(invalid(`${idx}.name`, name, 'must not already exist in volumeMounts'));
    if (mountPaths.has(devicePath)) errs.push(invalid(`${idx}.devicePath`, devicePath, 'must not already exist as a path in volumeMounts'));
    if (name) names.add(name);
  });
  return errs;
}

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const STANDARD_CONTAINER_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];
const STANDARD_RESOURCES = [
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory',
  'limits.ephemeral-storage', 'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps',
  'persistentvolumeclaims', 'storage', 'requests.storage', 'services.nodeports', 'services.loadbalancers',
];
const INTEGER_RESOURCES = ['pods', 'quotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers'];

const isHugePages = (name: string): boolean => name.startsWith('hugepages-');
const isNativeResource = (name: string): boolean => !name.includes('/') || name.includes('kubernetes.io/');
const isExtendedResource = (name: string): boolean =>
  !isNativeResource(name) && !name.startsWith('requests.') && isQualifiedName(`requests.${name}`).length === 0;
const isOvercommitAllowed = (name: string): boolean => isNativeResource(name) && !isHugePages(name);

function validateContainerResourceName(name: string, path: string): FieldError[] {
  const errs = qualifiedName(name, path);
  if (!errs.length && !name.includes('/') && !STANDARD_RESOURCES.includes(name) && !isHugePages(name) && !name.startsWith('requests.hugepages-')) {
    errs.push(invalid(path, name, 'must be a standard resource type or fully qualified'));
  }
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.includes(name) && !isHugePages(name)) errs.push(invalid(path, name, 'must be a standard resource for containers'));
  } else if (!isNativeResource(name) && !isExtendedResource(name)) {
    errs.push(invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

function validateQuantityValue(name: string, q: Quantity, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (q.num < 0n) errs.push(invalid(path, formatQuantity(q), NEGATIVE_MSG));
  if ((INTEGER_RESOURCES.includes(name) || isExtendedResource(name)) && (q.num * 1000n) / q.den % 1000n !== 0n) {
    errs.push(invalid(path, formatQuantity(q), 'must be an integer'));
  }
  return errs;
}

/** ValidateContainerResourceRequirements (also used for the pod overhead). */
function validateResources(res: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const limPath = `${path}.limits`;
  const reqPath = `${path}.requests`;
  const limits = obj(res.limits) ?? {};
  const requests = obj(res.requests) ?? {};
  let cpuOrMemory = false;
  let hugePages = false;
  for (const [name, raw] of Object.entries(limits)) {
    const fp = `${limPath}[${name}]`;
    errs.push(...validateContainerResourceName(name, fp));
    const q = parseQuantity(raw);
    if (q) errs.push(...validateQuantityValue(name, q, fp));
    if (isHugePages(name)) hugePages = true;
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
  }
  for (const [name, raw] of Object.entries(requests)) {
    const fp = `${reqPath}[${name}]`;
    errs.push(...validateContainerResourceName(name, fp));
    const q = parseQuantity(raw);
    if (q) errs.push(...validateQuantityValue(name, q, fp));
    const limit = Object.hasOwn(limits, name) ? parseQuantity(limits[name]) : null;
    if (q && limit) {
      const cmp = compareQuantities(q, limit);
      if (cmp !== 0 && !isOvercommitAllowed(name)) {
        errs.push(invalid(reqPath, formatQuantity(q), `must be equal to ${name} limit of ${formatQuantity(limit)}`));
      } else if (cmp > 0) {
        errs.push(invalid(reqPath, formatQuantity(q), `must be less than or equal to ${name} limit of ${formatQuantity(limit)}`));
      }
    } else if (!Object.hasOwn(limits, name) && !isOvercommitAllowed(name)) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
    if (isHugePages(name)) hugePages = true;
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
  }
  if (!cpuOrMemory && hugePages) errs.push(forbidden(path, 'HugePages require cpu or memory'));
  return errs;
}

function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => invalid(path, port, m));
  return isValidPortName(str(port)).map((m) => invalid(path, str(port), m));
}

const HTTP_SCHEMES = ['HTTP', 'HTTPS'];

/** validateHandler: exactly one action of a probe or lifecycle hook. */
function validateHandler(h: Obj, grace: number | undefined, path: string, sleepAllowed: boolean): FieldError[] {
  const errs: FieldError[] = [];
  let handlers = 0;
  const kinds = sleepAllowed ? ['exec', 'httpGet', 'tcpSocket', 'sleep'] : ['exec', 'httpGet', 'tcpSocket', 'grpc'];
  for (const kind of kinds) {
    const action = obj(h[kind]);
    if (!action) continue;
    const p = `${path}.${kind}`;
    if (handlers > 0) {
      errs.push(forbidden(p, 'may not specify more than 1 handler type'));
      continue;
    }
    handlers++;
    switch (kind) {
      case 'exec':
        if (!list(action.command).length) errs.push(required(`${p}.command`));
        break;
      case 'httpGet':
        if (!str(action.path)) errs.push(required(`${p}.path`));
        errs.push(...validatePortNumOrName(action.port, `${p}.port`));
        if (!HTTP_SCHEMES.includes(str(action.scheme))) errs.push(notSupported(`${p}.scheme`, str(action.scheme), HTTP_SCHEMES));
        for (const header of list(action.httpHeaders)) {
          const name = str(obj(header)?.name);
          for (const m of isHTTPHeaderName(name)) errs.push(invalid(`${p}.httpHeaders`, name, m));
        }
        break;
      case 'tcpSocket':
        errs.push(...validatePortNumOrName(action.port, `${p}.port`));
        break;
      case 'grpc':
        errs.push(...validatePortNumOrName(num(action.port) ?? 0, `${p}.port`));
        break;
      case 'sleep': {
        const seconds = num(action.seconds) ?? 0;
        if (grace !== undefined && (seconds <= 0 || seconds > grace)) {
          errs.push(
            invalid(p, seconds, `must be greater than 0 and less than terminationGracePeriodSeconds (${grace}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`),
          );
        }
        break;
      }
    }
  }
  if (handlers === 0) errs.push(required(path, 'must specify a handler type'));
  return errs;
}

function validateProbe(probe: unknown, grace: number | undefined, path: string, kind: 'liveness' | 'readiness' | 'startup'): FieldError[] {
  const p = obj(probe);
  if (!p) return [];
  const errs = validateHandler(p, grace, path, false);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...nonnegative(p[f], `${path}.${f}`));
  }
  const tgps = num(p.terminationGracePeriodSeconds);
  if (tgps !== undefined && tgps <= 0) errs.push(invalid(`${path}.terminationGracePeriodSeconds`, tgps, 'must be greater than 0'));
  if (kind !== 'readiness' && (num(p.successThreshold) ?? 0) !== 1) errs.push(invalid(`${path}.successThreshold`, num(p.successThreshold) ?? 0, 'must be 1'));
  if (kind === 'readiness' && p.terminationGracePeriodSeconds !== undefined) {
    errs.push(invalid(`${path}.terminationGracePeriodSeconds`, p.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
  }
  return errs;
}

function validateLifecycle(lc: Obj, grace: number | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const hook of ['postStart', 'preStop']) {
    const h = obj(lc[hook]);
    if (h) errs.push(...validateHandler(h, grace, `${path}.${hook}`, true));
  }
  return errs;
}

const SECCOMP_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'];
const PROC_MOUNT_TYPES = ['Default', 'Unmasked'];

function validateSeccompProfile(sp: unknown, path: string): FieldError[] {
  const p = obj(sp);
  if (!p) return [];
  const errs: FieldError[] = [];
  const type = str(p.type);
  if (!type) errs.push(required(`${path}.type`, 'type is required when seccompProfile is set'));
  else if (!SECCOMP_TYPES.includes(type)) errs.push(notSupported(`${path}.type`, type, SECCOMP_TYPES));
  if (type === 'Localhost') {
    if (p.localhostProfile === undefined) errs.push(required(`${path}.localhostProfile`, 'must be set when seccomp type is Localhost'));
    else errs.push(...localDescendingPath(str(p.localhostProfile), `${path}.localhostProfile`));
  } else if (p.localhostProfile !== undefined) {
    errs.push(invalid(`${path}.localhostProfile`, p, 'can only be set when seccomp type is Localhost'));
  }
  return errs;
}

function validateAppArmorProfile(ap: unknown, path: string): FieldError[] {
  const p = obj(ap);
  if (!p) return [];
  const type = str(p.type);
  switch (type) {
    case 'Localhost': {
      if (p.localhostProfile === undefined) return [required(`${path}.localhostProfile`, 'must be set when AppArmor type is Localhost')];
      const profile = str(p.localhostProfile);
      const errs: FieldError[] = [];
      if (profile.trim() !== profile) errs.push(invalid(`${path}.localhostProfile`, profile, 'must not be padded with whitespace'));
      else if (profile === '') errs.push(required(`${path}.localhostProfile`, 'must be set when AppArmor type is Localhost'));
      if (byteLen(profile) > 4095) errs.push(tooLong(`${path}.localhostProfile`, 4095));
      return errs;
    }
    case 'RuntimeDefault':
    case 'Unconfined':
      return p.localhostProfile !== undefined ? [invalid(`${path}.localhostProfile`, p.localhostProfile, 'can only be set when AppArmor type is Localhost')] : [];
    case '':
      return [required(`${path}.type`, 'type is required when appArmorProfile is set')];
    default:
      return [notSupported(`${path}.type`, type, SECCOMP_TYPES)];
  }
}

function idRange(value: unknown, path: string): FieldError[] {
  const n = num(value);
  return n !== undefined && (n < 0 || n > MAX_INT32) ? [invalid(path, n, inclusiveRangeError(0, MAX_INT32))] : [];
}

function validateContainerSecurityContext(sc: unknown, path: string, hostUsers: boolean): FieldError[] {
  const s = obj(sc);
  if (!s) return [];
  const errs: FieldError[] = [...idRange(s.runAsUser, `${path}.runAsUser`), ...idRange(s.runAsGroup, `${path}.runAsGroup`)];
  if (s.procMount !== undefined) {
    const pm = str(s.procMount);
    if (!PROC_MOUNT_TYPES.includes(pm)) errs.push(notSupported(`${path}.procMount`, pm, PROC_MOUNT_TYPES));
    if (hostUsers && pm === 'Unmasked') errs.push(invalid(`${path}.procMount`, pm, '`hostUsers` must be false to use `Unmasked`'));
  }
  errs.push(...validateSeccompProfile(s.seccompProfile, `${path}.seccompProfile`));
  if (s.allowPrivilegeEscalation === false) {
    if (s.privileged === true) errs.push(invalid(path, s, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    for (const cap of list(obj(s.capabilities)?.add)) {
      if (cap === 'CAP_SYS_ADMIN') errs.push(invalid(path, s, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
    }
  }
  errs.push(...validateAppArmorProfile(s.appArmorProfile, `${path}.appArmorProfile`));
  return errs;
}

const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];

function validateContainerCommon(c: Obj, vols: Map<string, Obj>, path: string, hostUsers: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(c.name);
  if (!name) errs.push(required(`${path}.name`));
  else errs.push(...dns1123Label(name, `${path}.name`));
  if (!str(c.image)) errs.push(required(`${path}.image`));
  const tmp = str(c.terminationMessagePolicy);
  if (!tmp) errs.push(required(`${path}.terminationMessagePolicy`));
  else if (!TERMINATION_MESSAGE_POLICIES.includes(tmp)) errs.push(notSupported(`${path}.terminationMessagePolicy`, tmp, TERMINATION_MESSAGE_POLICIES));
  const mounts = new Map(list(c.volumeMounts).map((m) => [str(obj(m)?.name), str(obj(m)?.mountPath)] as [string, string]));
  const devices = new Map(list(c.volumeDevices).map((d) => [str(obj(d)?.name), str(obj(d)?.devicePath)] as [string, string]));
  errs.push(...validatePorts(c.ports, `${path}.ports`));
  errs.push(...validateEnv(c.env, `${path}.env`));
  errs.push(...validateEnvFrom(c.envFrom, `${path}.envFrom`));
  errs.push(...validateVolumeMounts(c.volumeMounts, devices, vols, c, `${path}.volumeMounts`));
  errs.push(...validateVolumeDevices(c.volumeDevices, mounts, vols, `${path}.volumeDevices`));
  const pull = str(c.imagePullPolicy);
  if (!pull) errs.push(required(`${path}.imagePullPolicy`));
  else if (!PULL_POLICIES.includes(pull)) errs.push(notSupported(`${path}.imagePullPolicy`, pull, PULL_POLICIES));
  errs.push(...validateResources(obj(c.resources) ?? {}, `${path}.resources`));
  errs.push(...validateContainerSecurityContext(c.securityContext, `${path}.securityContext`, hostUsers));
  return errs;
}

/** Host ports must not collide (protocol/hostIP/port). */
function hostPortConflicts(containers: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) => {
    list(c.ports).forEach((raw, pi) => {
      const p = obj(raw) ?? {};
      const hostPort = num(p.hostPort) ?? 0;
      if (!hostPort) return;
      const key = `${str(p.protocol)}/${str(p.hostIP)}/${hostPort}`;
      if (seen.has(key)) errs.push(duplicate(`${path}[${ci}].ports[${pi}].hostPort`, key));
      else seen.add(key);
    });
  });
  return errs;
}

function validateContainers(containers: unknown, vols: Map<string, Obj>, grace: number | undefined, path: string, hostUsers: boolean): FieldError[] {
  const cs = list(containers);
  if (cs.length === 0) return [required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  cs.forEach((raw, i) => {
    const c = obj(raw) ?? {};
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, vols, p, hostUsers));
    const name = str(c.name);
    if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
    else names.add(name);
    if (obj(c.lifecycle)) errs.push(...validateLifecycle(obj(c.lifecycle)!, grace, `${p}.lifecycle`));
    errs.push(...validateProbe(c.livenessProbe, grace, `${p}.livenessProbe`, 'liveness'));
    errs.push(...validateProbe(c.readinessProbe, grace, `${p}.readinessProbe`, 'readiness'));
    errs.push(...validateProbe(c.startupProbe, grace, `${p}.startupProbe`, 'startup'));
    if (c.restartPolicy !== undefined) errs.push(forbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'));
  });
  errs.push(...hostPortConflicts(cs.map((c) => obj(c) ?? {}), path));
  return errs;
}

function validateInitContainers(inits: unknown, regular: unknown, vols: Map<string, Obj>, grace: number | undefined, path: string, hostUsers: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(list(regular).map((c) => str(obj(c)?.name)));
  list(inits).forEach((raw, i) => {
    const c = obj(raw) ?? {};
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, vols, p, hostUsers));
    let restartAlways = false;
    if (c.restartPolicy !== undefined) {
      if (c.restartPolicy !== 'Always') errs.push(notSupported(`${p}.restartPolicy`, c.restartPolicy, ['Always']));
      restartAlways = c.restartPolicy === 'Always';
    }
    const name = str(c.name);
    if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
    else if (name) names.add(name);
    // Init containers run one at a time: each is checked alone (and named as the first).
    errs.push(...hostPortConflicts([c], path));
    if (restartAlways) {
      if (obj(c.lifecycle)) errs.push(...validateLifecycle(obj(c.lifecycle)!, grace, `${p}.lifecycle`));
      errs.push(...validateProbe(c.livenessProbe, grace, `${p}.livenessProbe`, 'liveness'));
      errs.push(...validateProbe(c.readinessProbe, grace, `${p}.readinessProbe`, 'readiness'));
      errs.push(...validateProbe(c.startupProbe, grace, `${p}.startupProbe`, 'startup'));
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (c[f] !== undefined) errs.push(forbidden(`${p}.${f}`, 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });
  return errs;
}

/** Fields of an ephemeral container that must keep their zero value, in Go field order. */
const EPHEMERAL_FORBIDDEN = ['ports', 'resources', 'resizePolicy', 'restartPolicy', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle'];

function isZeroValue(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return false;
  return isObject(v) && Object.values(v).every(isZeroValue);
}

function validateEphemeralContainers(ephemeral: unknown, spec: Obj, vols: Map<string, Obj>, path: string, hostUsers: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const others = new Set([...list(spec.containers), ...list(spec.initContainers)].map((c) => str(obj(c)?.name)));
  const all = new Set(others);
  list(ephemeral).forEach((raw, i) => {
    const c = obj(raw) ?? {};
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, vols, p, hostUsers));
    if (str(c.image).trim() !== str(c.image)) errs.push(invalid(`${p}.image`, c.image, 'must not have leading or trailing whitespace'));
    const name = str(c.name);
    if (all.has(name)) errs.push(duplicate(`${p}.name`, name));
    else all.add(name);
    const target = str(c.targetContainerName);
    if (target && !others.has(target)) errs.push(notFound(`${p}.targetContainerName`, target));
    for (const f of EPHEMERAL_FORBIDDEN) if (!isZeroValue(c[f])) errs.push(forbidden(`${p}.${f}`, 'cannot be set for an Ephemeral Container'));
    list(c.volumeMounts).forEach((m, j) => {
      if (str(obj(m)?.subPath)) errs.push(forbidden(`${p}.volumeMounts[${j}].subPath`, 'cannot be set for an Ephemeral Container'));
      if (str(obj(m)?.subPathExpr)) errs.push(forbidden(`${p}.volumeMounts[${j}].subPathExpr`, 'cannot be set for an Ephemeral Container'));
    });
  });
  return errs;
}

// ---- pod-level fields ----

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const TOLERATION_OPERATORS = ['Equal', 'Exists'];
const FS_GROUP_CHANGE_POLICIES = ['Always', 'OnRootMismatch'];
const WHEN_UNSATISFIABLE = ['DoNotSchedule', 'ScheduleAnyway'];
const NODE_INCLUSION_POLICIES = ['Honor', 'Ignore'];
const OS_NAMES = ['linux', 'windows'];
const SYSCTL_SEGMENT = '[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const SYSCTL_RE = new RegExp(`^(${SYSCTL_SEGMENT}[\\./])*${SYSCTL_SEGMENT}$`);

/** ValidateTolerations. */
export function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(tolerations).forEach((raw, i) => {
    const t = obj(raw) ?? {};
    const idx = `${path}[${i}]`;
    const key = str(t.key);
    const operator = str(t.operator);
    const effect = str(t.effect);
    const value = str(t.value);
    if (key) errs.push(...qualifiedName(key, `${idx}.key`));
    if (!key && operator !== 'Exists') {
      errs.push(invalid(`${idx}.operator`, operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && effect !== 'NoExecute') {
      errs.push(invalid(`${idx}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (operator === 'Equal' || operator === '') {
      const msgs = isValidLabelValue(value);
      if (msgs.length) errs.push(invalid(`${idx}.operator`, value, msgs.join(';')));
    } else if (operator === 'Exists') {
      if (value) errs.push(invalid(`${idx}.operator`, value, "value must be empty when `operator` is 'Exists'"));
    } else errs.push(notSupported(`${idx}.operator`, operator, TOLERATION_OPERATORS));
    if (effect && !TAINT_EFFECTS.includes(effect)) errs.push(notSupported(`${idx}.effect`, effect, TAINT_EFFECTS));
  });
  return errs;
}

function validatePodSecurityContext(spec: Obj, path: string): FieldError[] {
  const sc = obj(spec.securityContext);
  if (!sc) return [];
  const errs: FieldError[] = [...idRange(sc.fsGroup, `${path}.fsGroup`), ...idRange(sc.runAsUser, `${path}.runAsUser`), ...idRange(sc.runAsGroup, `${path}.runAsGroup`)];
  list(sc.supplementalGroups).forEach((g, i) => errs.push(...idRange(g, `${path}.supplementalGroups[${i}]`)));
  if (spec.shareProcessNamespace === true && spec.hostPID === true) {
    errs.push(invalid(`${path}.shareProcessNamespace`, true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  const names = new Set<string>();
  list(sc.sysctls).forEach((raw, i) => {
    const name = str(obj(raw)?.name);
    const p = `${path}.sysctls[${i}].name`;
    if (!name) errs.push(required(p));
    else if (byteLen(name) > 253 || !SYSCTL_RE.test(name)) {
      errs.push(invalid(p, name, `must have at most 253 characters and match regex ^(${SYSCTL_SEGMENT}[\\./])*${SYSCTL_SEGMENT}$`));
    } else if (names.has(name)) errs.push(duplicate(p, name));
    const ns = name.startsWith('net.') ? 'net' : name.startsWith('kernel.shm') || name.startsWith('kernel.msg') || name.startsWith('kernel.sem') || name.startsWith('fs.mqueue.') ? 'ipc' : '';
    if (spec.hostNetwork === true && ns === 'net') errs.push(invalid(p, name, "may not be specified when 'hostNetwork' is true"));
    else if (spec.hostIPC === true && ns === 'ipc') errs.push(invalid(p, name, "may not be specified when 'hostIPC' is true"));
    names.add(name);
  });
  if (sc.fsGroupChangePolicy !== undefined && !FS_GROUP_CHANGE_POLICIES.includes(str(sc.fsGroupChangePolicy))) {
    errs.push(notSupported(`${path}.fsGroupChangePolicy`, sc.fsGroupChangePolicy, FS_GROUP_CHANGE_POLICIES));
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, `${path}.seccompProfile`));
  errs.push(...validateAppArmorProfile(sc.appArmorProfile, `${path}.appArmorProfile`));
  return errs;
}

function validateNodeSelectorTerm(term: Obj, path: string, allowInvalidValues: boolean): FieldError[] {
  const errs: FieldError[] = [];
  list(term.matchExpressions).forEach((raw, j) => {
    const rq = obj(raw) ?? {};
    const p = `${path}.matchExpressions[${j}]`;
    const values = list(rq.values).map(str);
    switch (rq.operator) {
      case 'In':
      case 'NotIn':
        if (!values.length) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length) errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      case 'Gt':
      case 'Lt':
        if (values.length !== 1) errs.push(required(`${p}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
        break;
      default:
        errs.push(invalid(`${p}.operator`, str(rq.operator), 'not a valid selector operator'));
    }
    errs.push(...qualifiedName(str(rq.key), `${p}.key`));
    if (!allowInvalidValues) values.forEach((v, k) => errs.push(...isValidLabelValue(v).map((m) => invalid(`${p}.values[${k}]`, v, m))));
  });
  list(term.matchFields).forEach((raw, j) => {
    const rq = obj(raw) ?? {};
    const p = `${path}.matchFields[${j}]`;
    if (rq.operator === 'In' || rq.operator === 'NotIn') {
      if (list(rq.values).length !== 1) errs.push(required(`${p}.values`, "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
    } else errs.push(invalid(`${p}.operator`, str(rq.operator), 'not a valid selector operator'));
    if (rq.key !== 'metadata.name') errs.push(invalid(`${p}.key`, str(rq.key), 'not a valid field selector key'));
    else list(rq.values).forEach((v, k) => errs.push(...dns1123Subdomain(str(v), `${p}.values[${k}]`)));
  });
  return errs;
}

function validatePodAffinityTerm(term: Obj, path: string): FieldError[] {
  const errs = [
    ...validateLabelSelectorObject(obj(term.labelSelector) as LabelSelectorObject | undefined, `${path}.labelSelector`),
    ...validateLabelSelectorObject(obj(term.namespaceSelector) as LabelSelectorObject | undefined, `${path}.namespaceSelector`),
  ];
  for (const ns of list(term.namespaces)) errs.push(...isDNS1123Label(str(ns)).map((m) => invalid(`${path}.namespace`, str(ns), m)));
  if (!str(term.topologyKey)) errs.push(required(`${path}.topologyKey`, 'can not be empty'));
  errs.push(...qualifiedName(str(term.topologyKey), `${path}.topologyKey`));
  return errs;
}

function validatePodAffinity(a: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(a.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) =>
    errs.push(...validatePodAffinityTerm(obj(t) ?? {}, `${path}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`)),
  );
  list(a.preferredDuringSchedulingIgnoredDuringExecution).forEach((raw, i) => {
    const w = obj(raw) ?? {};
    const p = `${path}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
    const weight = num(w.weight) ?? 0;
    if (weight <= 0 || weight > 100) errs.push(invalid(`${p}.weight`, weight, 'must be in the range 1-100'));
    errs.push(...validatePodAffinityTerm(obj(w.podAffinityTerm) ?? {}, `${p}.podAffinityTerm`));
  });
  return errs;
}

function validateAffinity(affinity: unknown, path: string): FieldError[] {
  const a = obj(affinity);
  if (!a) return [];
  const errs: FieldError[] = [];
  const na = obj(a.nodeAffinity);
  if (na) {
    const p = `${path}.nodeAffinity`;
    const req = obj(na.requiredDuringSchedulingIgnoredDuringExecution);
    if (req) {
      const termsPath = `${p}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
      const terms = list(req.nodeSelectorTerms);
      if (!terms.length) errs.push(required(termsPath, 'must have at least one node selector term'));
      terms.forEach((t, i) => errs.push(...validateNodeSelectorTerm(obj(t) ?? {}, `${termsPath}[${i}]`, false)));
    }
    list(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((raw, i) => {
      const t = obj(raw) ?? {};
      const tp = `${p}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      const weight = num(t.weight) ?? 0;
      if (weight <= 0 || weight > 100) errs.push(invalid(`${tp}.weight`, weight, 'must be in the range 1-100'));
      errs.push(...validateNodeSelectorTerm(obj(t.preference) ?? {}, `${tp}.preference`, true));
    });
  }
  if (obj(a.podAffinity)) errs.push(...validatePodAffinity(obj(a.podAffinity)!, `${path}.podAffinity`));
  if (obj(a.podAntiAffinity)) errs.push(...validatePodAffinity(obj(a.podAntiAffinity)!, `${path}.podAntiAffinity`));
  return errs;
}

function validateDNSConfig(spec: Obj, path: string): FieldError[] {
  const cfg = obj(spec.dnsConfig);
  if (spec.dnsPolicy === 'None') {
    if (!cfg) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (!list(cfg.nameservers).length) return [required(`${path}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (!cfg) return [];
  const errs: FieldError[] = [];
  const nameservers = list(cfg.nameservers).map(str);
  if (nameservers.length > 3) errs.push(invalid(`${path}.nameservers`, nameservers, 'must not have more than 3 nameservers'));
  nameservers.forEach((ns, i) => errs.push(...validIP(ns, `${path}.nameservers[${i}]`)));
  const searches = list(cfg.searches).map(str);
  if (searches.length > 32) errs.push(invalid(`${path}.searches`, searches, 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048) errs.push(invalid(`${path}.searches`, searches, 'must not have more than 2048 characters (including spaces) in the search list'));
  searches.forEach((s, i) => errs.push(...dns1123Subdomain(s.endsWith('.') ? s.slice(0, -1) : s, `${path}.searches[${i}]`)));
  list(cfg.options).forEach((o, i) => {
    if (!str(obj(o)?.name)) errs.push(required(`${path}.options[${i}]`, 'must not be empty'));
  });
  return errs;
}

function validateTopologySpread(constraints: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const cs = list(constraints).map((c) => obj(c) ?? {});
  cs.forEach((c, i) => {
    const p = `${path}[${i}]`;
    const maxSkew = num(c.maxSkew) ?? 0;
    if (maxSkew <= 0) errs.push(invalid(`${p}.maxSkew`, maxSkew, NOT_POSITIVE_MSG));
    if (!str(c.topologyKey)) errs.push(required(`${p}.topologyKey`, 'can not be empty'));
    const when = str(c.whenUnsatisfiable);
    if (!WHEN_UNSATISFIABLE.includes(when)) errs.push(notSupported(`${p}.whenUnsatisfiable`, when, WHEN_UNSATISFIABLE));
    if (cs.slice(i + 1).some((o) => str(o.topologyKey) === str(c.topologyKey) && str(o.whenUnsatisfiable) === when)) {
      errs.push(duplicate(`${p}.{topologyKey, whenUnsatisfiable}`, `{${str(c.topologyKey)}, ${when}}`));
    }
    if (c.minDomains !== undefined) {
      const min = num(c.minDomains) ?? 0;
      if (min <= 0) errs.push(invalid(`${p}.minDomains`, min, NOT_POSITIVE_MSG));
      if (when !== 'DoNotSchedule') errs.push(invalid(`${p}.minDomains`, min, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${when}`));
    }
    for (const f of ['nodeAffinityPolicy', 'nodeTaintsPolicy']) {
      if (c[f] !== undefined && !NODE_INCLUSION_POLICIES.includes(str(c[f]))) errs.push(notSupported(`${p}.${f}`, c[f], NODE_INCLUSION_POLICIES));
    }
    errs.push(...validateLabelSelectorObject(obj(c.labelSelector) as LabelSelectorObject | undefined, `${p}.labelSelector`));
  });
  return errs;
}

/** ValidatePodSpec, with the v1 field layout (hostNetwork and friends on the spec). */
export function validatePodSpec(spec: unknown, path: string, opts: PodSpecValidationOptions = {}): FieldError[] {
  const s = obj(spec) ?? {};
  const errs: FieldError[] = [];
  if (s.terminationGracePeriodSeconds === undefined) errs.push(required(`${path}.terminationGracePeriodSeconds`));
  const grace = num(s.terminationGracePeriodSeconds);
  const hostUsers = s.hostUsers !== false;

  const { vols, errs: volErrs } = validateVolumes(s.volumes, opts.podMeta, `${path}.volumes`);
  errs.push(...volErrs);
  errs.push(...validateContainers(s.containers, vols, grace, `${path}.containers`, hostUsers));
  errs.push(...validateInitContainers(s.initContainers, s.containers, vols, grace, `${path}.initContainers`, hostUsers));
  errs.push(...validateEphemeralContainers(s.ephemeralContainers, s, vols, `${path}.ephemeralContainers`, hostUsers));

  if (s.hostNetwork === true) {
    list(s.containers).forEach((raw, i) => {
      list(obj(raw)?.ports).forEach((pr, j) => {
        const port = obj(pr) ?? {};
        const hp = num(port.hostPort) ?? 0;
        const cp = num(port.containerPort) ?? 0;
        if ((opts.resourceIsPod || hp !== 0) && hp !== cp) {
          errs.push(invalid(`${path}.containers[${i}].ports[${j}].hostPort`, hp, 'must match `containerPort` when `hostNetwork` is true'));
        }
      });
    });
  }

  const restartPolicy = str(s.restartPolicy);
  if (!restartPolicy) errs.push(required(`${path}.restartPolicy`));
  else if (!RESTART_POLICIES.includes(restartPolicy)) errs.push(notSupported(`${path}.restartPolicy`, restartPolicy, RESTART_POLICIES));
  const dnsPolicy = str(s.dnsPolicy);
  if (!dnsPolicy) errs.push(required(`${path}.dnsPolicy`));
  else if (!DNS_POLICIES.includes(dnsPolicy)) errs.push(notSupported(`${path}.dnsPolicy`, dnsPolicy, DNS_POLICIES));
  errs.push(...validateLabels(obj(s.nodeSelector) as Record<string, string> | undefined, `${path}.nodeSelector`));
  errs.push(...validatePodSecurityContext(s, `${path}.securityContext`));
  list(s.imagePullSecrets).forEach((raw, i) => {
    const ref = obj(raw) ?? {};
    if (Object.keys(ref).some((k) => k !== 'name')) errs.push(invalid(`${path}.imagePullSecrets[${i}]`, ref, 'only name may be set'));
  });
  errs.push(...validateAffinity(s.affinity, `${path}.affinity`));
  errs.push(...validateDNSConfig(s, `${path}.dnsConfig`));
  list(s.readinessGates).forEach((g, i) => errs.push(...qualifiedName(str(obj(g)?.conditionType), `${path}.readinessGates[${i}].conditionType`)));
  const gates = new Set<string>();
  list(s.schedulingGates).forEach((g, i) => {
    const name = str(obj(g)?.name);
    errs.push(...qualifiedName(name, `${path}.schedulingGates[${i}]`));
    if (gates.has(name)) errs.push(duplicate(`${path}.schedulingGates[${i}]`, name));
    gates.add(name);
  });
  errs.push(...validateTopologySpread(s.topologySpreadConstraints, `${path}.topologySpreadConstraints`));

  const sa = str(s.serviceAccountName);
  if (sa) for (const m of validateName(sa, 'subdomain', false)) errs.push(invalid(`${path}.serviceAccountName`, sa, m));
  const nodeName = str(s.nodeName);
  if (nodeName) for (const m of validateName(nodeName, 'subdomain', false)) errs.push(invalid(`${path}.nodeName`, nodeName, m));
  if (s.activeDeadlineSeconds !== undefined) {
    const v = num(s.activeDeadlineSeconds) ?? 0;
    if (v < 1 || v > MAX_INT32) errs.push(invalid(`${path}.activeDeadlineSeconds`, v, inclusiveRangeError(1, MAX_INT32)));
  }
  if (str(s.hostname)) errs.push(...dns1123Label(str(s.hostname), `${path}.hostname`));
  if (str(s.subdomain)) errs.push(...dns1123Label(str(s.subdomain), `${path}.subdomain`));
  if (list(s.tolerations).length) errs.push(...validateTolerations(s.tolerations, `${path}.tolerations`));
  list(s.hostAliases).forEach((raw, i) => {
    const alias = obj(raw) ?? {};
    errs.push(...validIP(str(alias.ip), `${path}.hostAliases[${i}].ip`));
    list(alias.hostnames).forEach((h, j) => errs.push(...dns1123Subdomain(str(h), `${path}.hostAliases[${i}].hostnames[${j}]`)));
  });
  const pcn = str(s.priorityClassName);
  if (pcn) for (const m of validateName(pcn, 'subdomain', false)) errs.push(invalid(`${path}.priorityClassName`, pcn, m));
  if (s.runtimeClassName !== undefined) {
    for (const m of validateName(str(s.runtimeClassName), 'subdomain', false)) errs.push(invalid(`${path}.runtimeClassName`, str(s.runtimeClassName), m));
  }
  if (s.preemptionPolicy !== undefined) {
    const pp = str(s.preemptionPolicy);
    if (!pp) errs.push(required(`${path}.preemptionPolicy`));
    else if (!PREEMPTION_POLICIES.includes(pp)) errs.push(notSupported(`${path}.preemptionPolicy`, pp, PREEMPTION_POLICIES));
  }
  if (obj(s.overhead)) errs.push(...validateResources({ limits: s.overhead }, `${path}.overhead`));
  const os = obj(s.os);
  if (os) {
    const name = str(os.name);
    if (!name) errs.push(required(`${path}.os.name`));
    else if (!OS_NAMES.includes(name)) errs.push(notSupported(`${path}.os.name`, name, OS_NAMES));
    else if (name === 'linux') {
      if (obj(s.securityContext)?.windowsOptions !== undefined) errs.push(forbidden(`${path}.securityContext.windowsOptions`, 'windows options cannot be set for a linux pod'));
      for (const key of ['containers', 'initContainers', 'ephemeralContainers']) {
        list(s[key]).forEach((c, i) => {
          if (obj(obj(c)?.securityContext)?.windowsOptions !== undefined) {
            errs.push(forbidden(`${path}.${key}[${i}].securityContext.windowsOptions`, 'windows options cannot be set for a linux pod'));
          }
        });
      }
    }
  }
  return errs;
}

/**
 * ValidatePodTemplateSpec. `restartPolicies` narrows the restart policies a workload accepts
 * (ReplicaSets and Deployments: ["Always"]; Jobs: ["OnFailure", "Never"]).
 */
export function validatePodTemplateSpec(template: unknown, path: string, opts: { restartPolicies?: string[] } = {}): FieldError[] {
  const t = obj(template) ?? {};
  const meta = (obj(t.metadata) ?? {}) as ObjectMeta;
  const spec = obj(t.spec) ?? {};
  const errs: FieldError[] = [];
  errs.push(...validateLabels(meta.labels, `${path}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${path}.annotations`));
  errs.push(...validatePodSpecificAnnotations(meta.annotations, spec, `${path}.annotations`));
  errs.push(...validatePodSpec(spec, `${path}.spec`));
  if (list(spec.ephemeralContainers).length) errs.push(forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  if (opts.restartPolicies && !opts.restartPolicies.includes(str(spec.restartPolicy))) {
    errs.push(notSupported(`${path}.spec.restartPolicy`, str(spec.restartPolicy), opts.restartPolicies));
  }
  return errs;
}


/** ValidatePodSpecificAnnotations: the mirror-pod and pod-deletion-cost annotations. */
export function validatePodSpecificAnnotations(annotations: Record<string, string> | undefined, spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const a = annotations ?? {};
  if (Object.hasOwn(a, MIRROR_POD_ANNOTATION) && !str(spec.nodeName)) {
    errs.push(invalid(`${path}[${MIRROR_POD_ANNOTATION}]`, a[MIRROR_POD_ANNOTATION], 'must set spec.nodeName if mirror pod annotation is set'));
  }
  if (Object.hasOwn(a, POD_DELETION_COST_ANNOTATION)) {
    const v = String(a[POD_DELETION_COST_ANNOTATION]);
    const n = /^[+-]?[0-9]+$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < -2147483648 || n > MAX_INT32) {
      errs.push(invalid(`${path}[${POD_DELETION_COST_ANNOTATION}]`, v, 'must be a 32bit integer'));
    }
  }
  return errs;
}
