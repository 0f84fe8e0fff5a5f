// core/v1 defaulting of the PodSpec that Pods and every workload template share
// (pkg/apis/core/v1/defaults.go and its generated walker). Pod-only defaults are in ../pods.ts.
import { isObject } from '../../../api/meta.js';
import { formatQuantity, parseQuantity, roundUpTo } from '../../../api/quantity.js';
import { list, obj, type Obj, str } from '../../narrow.js';

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
const VOLUME_SOURCES = [
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
