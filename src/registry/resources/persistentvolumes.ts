// core/v1 PersistentVolume: a piece of storage, made by an administrator or provisioned for a
// claim. Cluster-scoped; the status subresource carries its phase, whose changes are stamped with
// lastPhaseTransitionTime. Facts from pkg/apis/core/validation (ValidatePersistentVolumeSpec,
// ValidatePersistentVolumeUpdate), pkg/volume/validation, pkg/apis/core/v1/defaults.go,
// pkg/registry/core/persistentvolume/strategy.go and printPersistentVolume.
import { forbidden, invalid, notSupported, required, tooLong, type FieldError } from '../../api/field-errors.js';
import { deepEqual, formatTime, type KubeObject } from '../../api/meta.js';
import { age } from '../../api/duration.js';
import { isDNS1123Label, validateImmutableField, validateName } from '../../api/validation.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import { obj, specOf, specToFill, statusOf, str, type Obj } from '../narrow.js';
import type { ResourceDef } from '../resource.js';
import { persistentVolume } from '../schemas/core-persistent-volume.js';
import { goPtr, goValue, type GoStringer } from './go-values.js';
import { goQuote } from '../../api/go-quote.js';
import { BETA_STORAGE_CLASS_ANNOTATION } from '../../api/storage-classes.js';
import { noBacksteps } from './pod/field-checks.js';
import { validateNodeSelector } from './pod/scheduling-validation.js';
import { validateSource } from './pod/volumes-validation.js';
import {
  ACCESS_MODES,
  accessModesString,
  canonicalizeResourceList,
  formatQuantity,
  parseQuantity,
  VOLUME_MODES,
} from './persistentvolumeclaims.js';

interface Spec extends Obj {
  capacity?: Record<string, unknown>;
  accessModes?: string[];
  claimRef?: { namespace?: string; name?: string };
  persistentVolumeReclaimPolicy?: string;
  storageClassName?: string;
  volumeMode?: string;
  nodeAffinity?: { required?: Obj };
  volumeAttributesClassName?: string;
  hostPath?: { path?: string; type?: string };
}

interface Status {
  phase?: string;
  reason?: string;
  lastPhaseTransitionTime?: string;
}

const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const MOUNT_OPTIONS_ANNOTATION = 'volume.beta.kubernetes.io/mount-options';

/** The sources in the order ValidatePersistentVolumeSpec checks them: [key, path of its "more than 1" error]. */
const SOURCES: [string, string][] = [
  ['hostPath', 'hostPath'], ['gcePersistentDisk', 'gcePersistentDisk'], ['awsElasticBlockStore', 'awsElasticBlockStore'], ['glusterfs', 'glusterfs'],
  ['flocker', 'flocker'], ['nfs', 'nfs'], ['rbd', 'rbd'], ['quobyte', 'quobyte'], ['cephfs', 'cephFS'], ['iscsi', 'iscsi'], ['cinder', 'cinder'],
  ['fc', 'fc'], ['flexVolume', 'flexVolume'], ['azureFile', 'azureFile'], ['vsphereVolume', 'vsphereVolume'], ['photonPersistentDisk', 'photonPersistentDisk'],
  ['portworxVolume', 'portworxVolume'], ['azureDisk', 'azureDisk'], ['scaleIO', 'scaleIO'], ['local', 'local'], ['storageos', 'storageos'], ['csi', 'csi'],
];
/** Sources whose mount options the mount-options annotation may give (pkg/volume/validation). */
const MOUNT_OPTION_SOURCES = ['gcePersistentDisk', 'awsElasticBlockStore', 'glusterfs', 'nfs', 'rbd', 'quobyte', 'iscsi', 'cinder', 'cephfs', 'azureFile', 'vsphereVolume', 'azureDisk', 'photonPersistentDisk'];

/** validatePVSecretReference */
function validateSecretReference(ref: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(ref.name);
  const namespace = str(ref.namespace);
  if (!name) errs.push(required(`${path}.name`));
  else errs.push(...validateName(name, 'subdomain', false).map((m) => invalid(`${path}.name`, name, m)));
  if (!namespace) errs.push(required(`${path}.namespace`));
  else errs.push(...isDNS1123Label(namespace).map((m) => invalid(`${path}.namespace`, namespace, m)));
  return errs;
}

/** The checks of the sources a PersistentVolume has and a pod volume has not, or has with other rules. */
function validatePersistentSource(key: string, src: Obj, path: string): FieldError[] {
  const p = `${path}.${key}`;
  const errs: FieldError[] = [];
  switch (key) {
    case 'local':
      if (!str(src.path)) return [required(`${p}.path`)];
      return noBacksteps(str(src.path), `${p}.path`);
    case 'csi': {
      const driver = str(src.driver);
      if (!driver) errs.push(required(`${p}.driver`));
      if (driver.length > 63) errs.push(tooLong(`${p}.driver`, 63));
      errs.push(...validateName(driver.toLowerCase(), 'subdomain', false).map((m) => invalid(`${p}.driver`, driver, m)));
      if (!str(src.volumeHandle)) errs.push(required(`${p}.volumeHandle`));
      for (const ref of ['controllerPublishSecretRef', 'controllerExpandSecretRef', 'nodePublishSecretRef', 'nodeExpandSecretRef']) {
        const r = obj(src[ref]);
        if (r) errs.push(...validateSecretReference(r, `${p}.${ref}`));
      }
      return errs;
    }
    case 'cinder': {
      if (!str(src.volumeID)) errs.push(required(`${p}.volumeID`));
      const ref = obj(src.secretRef);
      if (ref && !str(ref.name)) errs.push(required(`${p}.secretRef.name`));
      if (ref && !str(ref.namespace)) errs.push(required(`${p}.secretRef.namespace`));
      return errs;
    }
    case 'flexVolume': {
      if (!str(src.driver)) errs.push(required(`${p}.driver`));
      for (const k of Object.keys(obj(src.options) ?? {})) {
        const namespace = `.${(k.includes('/') ? k.slice(0, k.indexOf('/')) : k).toLowerCase()}`;
        if (namespace.endsWith('.kubernetes.io') || namespace.endsWith('.k8s.io')) errs.push(invalid(`${p}.options[${k}]`, k, 'kubernetes.io and k8s.io namespaces are reserved'));
      }
      return errs;
    }
    case 'azureFile':
      if (!str(src.secretName)) errs.push(required(`${p}.secretName`));
      if (!str(src.shareName)) errs.push(required(`${p}.shareName`));
      if (src.secretNamespace !== undefined && !str(src.secretNamespace)) errs.push(required(`${p}.secretNamespace`));
      return errs;
    case 'storageos': {
      const name = str(src.volumeName);
      if (!name) errs.push(required(`${p}.volumeName`));
      else errs.push(...isDNS1123Label(name).map((m) => invalid(`${p}.volumeName`, name, m)));
      const namespace = str(src.volumeNamespace);
      if (namespace) errs.push(...isDNS1123Label(namespace).map((m) => invalid(`${p}.volumeNamespace`, namespace, m)));
      const ref = obj(src.secretRef);
      if (ref && !str(ref.name)) errs.push(required(`${p}.secretRef.name`));
      if (ref && !str(ref.namespace)) errs.push(required(`${p}.secretRef.namespace`));
      return errs;
    }
    default:
      return validateSource(key, src, path);
  }
}

/** ValidatePersistentVolumeSpec (not inline) and pkg/volume/validation's mount option check. */
function validatePersistentVolume(o: KubeObject): FieldError[] {
  const s = specToFill<Spec>(o);
  const errs: FieldError[] = [];
  const modes = s.accessModes ?? [];
  if (!modes.length) errs.push(required('spec.accessModes'));
  let oncePod = false;
  let others = false;
  for (const mode of modes) {
    if (!ACCESS_MODES.includes(mode)) errs.push(notSupported('spec.accessModes', mode, ACCESS_MODES));
    if (mode === 'ReadWriteOncePod') oncePod = true;
    else if (ACCESS_MODES.includes(mode)) others = true;
  }
  if (oncePod && others) errs.push(forbidden('spec.accessModes', 'may not use ReadWriteOncePod with other access modes'));
  const capacity = s.capacity ?? {};
  const keys = Object.keys(capacity);
  if (!keys.length) errs.push(required('spec.capacity'));
  if (!keys.includes('storage') || keys.length > 1) errs.push(notSupported('spec.capacity', capacityValue(s.capacity), ['storage']));
  for (const k of keys) {
    const q = parseQuantity(capacity[k]);
    if (q && q.nano < 0n) errs.push(invalid(`spec.capacity[${k}]`, formatQuantity(q), 'must be a valid resource quantity'));
    if (q && q.nano <= 0n) errs.push(invalid(`spec.capacity[${k}]`, formatQuantity(q), 'must be greater than zero'));
  }
  const policy = s.persistentVolumeReclaimPolicy ?? '';
  if (policy && !RECLAIM_POLICIES.includes(policy)) errs.push(notSupported('spec.persistentVolumeReclaimPolicy', policy, RECLAIM_POLICIES));
  const affinity = obj(s.nodeAffinity);
  if (affinity) {
    const req = obj(affinity.required);
    if (req) errs.push(...validateNodeSelector(req, 'spec.nodeAffinity.required'));
    else errs.push(required('spec.nodeAffinity.required', 'must specify required node constraints'));
  }
  let sources = 0;
  for (const [key, label] of SOURCES) {
    if (s[key] === undefined) continue;
    // Upstream counts flexVolume without checking for another source first.
    if (sources > 0 && key !== 'flexVolume') {
      errs.push(forbidden(`spec.${label}`, 'may not specify more than 1 volume type'));
      continue;
    }
    sources++;
    errs.push(...validatePersistentSource(key, obj(s[key]) ?? {}, 'spec'));
    if (key === 'local' && !affinity) errs.push(required('spec.nodeAffinity', 'Local volume requires node affinity'));
  }
  if (sources === 0) errs.push(required('spec', 'must specify a volume type'));
  if (s.hostPath && normalize(str(s.hostPath.path)) === '/' && policy === 'Recycle') {
    errs.push(forbidden('spec.persistentVolumeReclaimPolicy', "may not be 'recycle' for a hostPath mount of '/'"));
  }
  if (s.storageClassName) errs.push(...validateName(s.storageClassName, 'subdomain', false).map((m) => invalid('spec.storageClassName', s.storageClassName, m)));
  if (s.volumeMode !== undefined && !VOLUME_MODES.includes(s.volumeMode)) errs.push(notSupported('spec.volumeMode', s.volumeMode, VOLUME_MODES));
  if (o.metadata.annotations?.[MOUNT_OPTIONS_ANNOTATION] !== undefined && !MOUNT_OPTION_SOURCES.some((k) => s[k] !== undefined)) {
    errs.push(forbidden(`metadata.annotations.${MOUNT_OPTIONS_ANNOTATION}`, 'may not specify mount options for this volume type'));
  }
  return errs;
}

/** A ResourceList as Go's %#v prints it in a NotSupported error (the quantities' inner fields approximated). */
function capacityValue(capacity: Record<string, unknown> | undefined): GoStringer {
  if (capacity === undefined) return goValue(null, 'core.ResourceList(nil)');
  const entries = Object.keys(capacity)
    .sort()
    .map((k) => `${goQuote(k)}:resource.Quantity{s:${goQuote(String(capacity[k]))}}`);
  return goValue(capacity, `core.ResourceList{${entries.join(', ')}}`);
}

/** path.Clean for the one question asked of it: is this the root? */
const normalize = (p: string) => (/^\/+(\.\/*|\/)*$/.test(p) ? '/' : p);

/** The source fields of a spec (PersistentVolumeSource), which are immutable. */
const sourceOf = (s: Spec) => Object.fromEntries(SOURCES.map(([k]) => [k, s[k]]).filter(([, v]) => v !== undefined));

/** A cmp.Diff-like rendering of two volume sources (upstream's text is not stable either). */
function sourceDiff(old: Record<string, Obj>, next: Record<string, Obj>): string {
  const lines = ['  core.PersistentVolumeSource{'];
  for (const [key] of SOURCES) {
    if (deepEqual(old[key], next[key])) continue;
    const goName = key === 'csi' ? 'CSI' : key[0]!.toUpperCase() + key.slice(1);
    if (old[key] !== undefined) lines.push(`- \t${goName}: ${JSON.stringify(old[key])},`);
    if (next[key] !== undefined) lines.push(`+ \t${goName}: ${JSON.stringify(next[key])},`);
  }
  lines.push('  }');
  return `${lines.join('\n')}\n`;
}

/** ValidatePersistentVolumeUpdate (without ObjectMeta, which the store checks). */
function validateUpdate(o: KubeObject, old: KubeObject, _ctx: unknown, subresource: string): FieldError[] {
  if (subresource === 'status') return [];
  const errs = validatePersistentVolume(o);
  const s = specOf<Spec>(o);
  const prev = specOf<Spec>(old);
  const next = structuredClone(sourceOf(s)) as Record<string, Obj>;
  const before = sourceOf(prev) as Record<string, Obj>;
  // A controllerExpandSecretRef may be added to a CSI volume that had none.
  if (before.csi && !before.csi.controllerExpandSecretRef && next.csi) delete next.csi.controllerExpandSecretRef;
  if (!deepEqual(next, before)) errs.push(forbidden('spec.persistentvolumesource', `spec.persistentvolumesource is immutable after creation\n${sourceDiff(before, next)}`));
  errs.push(...validateImmutableField(goPtr(s.volumeMode), goPtr(prev.volumeMode), 'volumeMode'));
  if (prev.nodeAffinity) errs.push(...validateImmutableField(s.nodeAffinity, prev.nodeAffinity, 'nodeAffinity'));
  return errs;
}

/** helper.GetPersistentVolumeClass: the beta annotation, else spec.storageClassName. */
export function volumeClass(o: KubeObject): string {
  return o.metadata.annotations?.[BETA_STORAGE_CLASS_ANNOTATION] ?? specOf<Spec>(o).storageClassName ?? '';
}

function cells(o: KubeObject, now: Date): unknown[] {
  const s = specOf<Spec>(o);
  const status = statusOf<Status>(o);
  const claim = s.claimRef ? `${s.claimRef.namespace ?? ''}/${s.claimRef.name ?? ''}` : '';
  const q = parseQuantity(s.capacity?.storage);
  return [
    o.metadata.name,
    q ? formatQuantity(q) : '0',
    accessModesString(s.accessModes),
    s.persistentVolumeReclaimPolicy ?? '',
    o.metadata.deletionTimestamp ? 'Terminating' : (status.phase ?? ''),
    claim,
    volumeClass(o),
    s.volumeAttributesClassName ?? '<unset>',
    status.reason ?? '',
    age(o.metadata.creationTimestamp, now),
    s.volumeMode ?? '<unset>',
  ];
}

export const persistentvolumes: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  resource: 'persistentvolumes',
  singular: 'persistentvolume',
  shortNames: ['pv'],
  namespaced: false,
  schema: persistentVolume,
  hasStatus: true,
  defaults(o) {
    // SetDefaults_PersistentVolume, and the hostPath type's default.
    const s = specToFill<Spec>(o);
    if (!s.persistentVolumeReclaimPolicy) s.persistentVolumeReclaimPolicy = 'Retain';
    if (s.volumeMode === undefined) s.volumeMode = 'Filesystem';
    if (s.hostPath && s.hostPath.type === undefined) s.hostPath.type = '';
    canonicalizeResourceList(s.capacity);
    if (o.status !== undefined) {
      const status = { ...statusOf<Status>(o) };
      if (!status.phase) status.phase = 'Pending';
      o.status = status;
    }
  },
  prepareForCreate(o, ctx) {
    // VolumeAttributesClass is off: its field is dropped.
    delete specToFill<Spec>(o).volumeAttributesClassName;
    o.status = { phase: 'Pending', lastPhaseTransitionTime: formatTime(ctx.clock.now()) };
  },
  prepareForUpdate(o, old) {
    if (specOf<Spec>(old).volumeAttributesClassName === undefined) delete specToFill<Spec>(o).volumeAttributesClassName;
  },
  prepareForStatusUpdate(o, old, ctx) {
    // A new phase gets a new transition time unless the client set one.
    const status = statusOf<Status>(o);
    const prev = statusOf<Status>(old);
    if (status.phase === prev.phase && status.lastPhaseTransitionTime === undefined) {
      if (prev.lastPhaseTransitionTime !== undefined) o.status = { ...status, lastPhaseTransitionTime: prev.lastPhaseTransitionTime };
    } else if (status.phase !== prev.phase && (status.lastPhaseTransitionTime === undefined || status.lastPhaseTransitionTime === prev.lastPhaseTransitionTime)) {
      o.status = { ...status, lastPhaseTransitionTime: formatTime(ctx.clock.now()) };
    }
  },
  validate: validatePersistentVolume,
  validateUpdate,
  fields: { name: (o) => o.metadata.name ?? '' },
  table: {
    columns: [
      nameColumn,
      column('Capacity', "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity"),
      column('Access Modes', 'accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes'),
      column('Reclaim Policy', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming'),
      column('Status', 'phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase'),
      column('Claim', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding'),
      column('StorageClass', 'StorageClass of the pv'),
      column('VolumeAttributesClass', 'VolumeAttributesClass of the pv'),
      column('Reason', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
      ageColumn,
      column('VolumeMode', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.', { priority: 1 }),
    ],
    cells,
  },
};
