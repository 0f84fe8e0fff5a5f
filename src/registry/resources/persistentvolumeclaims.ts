// core/v1 PersistentVolumeClaim: a request for storage. Pending until a volume is bound; the spec
// is fixed at creation except a bound claim's storage request (and the volume name, set once).
// Also home of resource.Quantity parsing and its canonical form, which nodes use too.
import { forbidden, invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import { deepEqual, type KubeObject } from '../../api/meta.js';
import { validateLabelSelectorObject, type LabelSelectorObject } from '../../api/labels.js';
import { isDNS1123Subdomain, validateImmutableField, validateName } from '../../api/validation.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { persistentVolumeClaim } from '../schemas/core.js';
import { goPtr, goValue } from './go-values.js';
import { age } from '../../api/duration.js';
import type { OpContext } from '../../api/operations.js';
import { specToFill, statusOf } from '../narrow.js';
import { BETA_STORAGE_CLASS_ANNOTATION } from '../../api/storage-classes.js';

// ---- resource.Quantity ----

type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value in units of 10^-9, rounded up as Kubernetes rounds to nano precision. */
  nano: bigint;
  format: QuantityFormat;
}

const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Ti: 4, Gi: 3, Pi: 5, Ei: 6 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const QUANTITY = /^([+-]?)([0-9]*\.?[0-9]*)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

/** Integer division rounding towards +infinity. */
const ceilDiv = (a: bigint, b: bigint): bigint => (a % b === 0n ? a / b : a > 0n ? a / b + 1n : a / b);

export function parseQuantity(value: unknown): Quantity | undefined {
  const s = typeof value === 'number' ? String(value) : value;
  if (typeof s !== 'string') return undefined;
  const m = QUANTITY.exec(s);
  if (!m || !/[0-9]/.test(m[2]!)) return undefined;
  const [, sign, number, suffix = ''] = m;
  const [whole = '', fraction = ''] = number!.split('.');
  let num = BigInt(`${whole || '0'}${fraction}`) * (sign === '-' ? -1n : 1n);
  let den = 10n ** BigInt(fraction.length);
  let format: QuantityFormat = 'DecimalSI';
  if (suffix in BINARY) {
    num *= 1024n ** BigInt(BINARY[suffix]!);
    format = 'BinarySI';
  } else if (suffix in DECIMAL) {
    const exp = DECIMAL[suffix]!;
    if (exp >= 0) num *= 10n ** BigInt(exp);
    else den *= 10n ** BigInt(-exp);
  } else {
    const exp = Number(suffix.slice(1));
    if (exp >= 0) num *= 10n ** BigInt(exp);
    else den *= 10n ** BigInt(-exp);
    format = 'DecimalExponent';
  }
  return { nano: ceilDiv(num * 1_000_000_000n, den), format };
}

const DECIMAL_SUFFIX: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** Quantity.String(): the canonical form Kubernetes stores and prints ("1Gi", "1500m", "0"). */
export function formatQuantity(q: Quantity): string {
  if (q.nano === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI' && ((q.nano > -1024n * 1_000_000_000n && q.nano < 1024n * 1_000_000_000n) || q.nano % 1_000_000_000n !== 0n)) {
    format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let amount = q.nano / 1_000_000_000n;
    let exp = 0;
    while (amount % 1024n === 0n && exp < BINARY_SUFFIX.length - 1) {
      amount /= 1024n;
      exp++;
    }
    return `${amount}${BINARY_SUFFIX[exp]}`;
  }
  let amount = q.nano;
  let exp = -9;
  while (amount % 10n === 0n) {
    amount /= 10n;
    exp++;
  }
  const rem = ((exp % 3) + 3) % 3;
  amount *= 10n ** BigInt(rem);
  exp -= rem;
  const suffix = format === 'DecimalSI' && exp in DECIMAL_SUFFIX ? DECIMAL_SUFFIX[exp]! : exp === 0 ? '' : `e${exp}`;
  return `${amount}${suffix}`;
}

/** The canonical text of a quantity value, or the value unchanged when it does not parse. */
export function canonicalQuantity(value: unknown): unknown {
  const q = parseQuantity(value);
  return q ? formatQuantity(q) : value;
}

/** Canonicalizes every quantity of a ResourceList in place. */
export function canonicalizeResourceList(list: unknown): void {
  if (typeof list !== 'object' || list === null) return;
  const l = list as Record<string, unknown>;
  for (const k of Object.keys(l)) l[k] = canonicalQuantity(l[k]);
}

// ---- PersistentVolumeClaim ----

interface TypedReference {
  apiGroup?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

interface ClaimSpec {
  accessModes?: string[];
  selector?: LabelSelectorObject;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  volumeName?: string;
  storageClassName?: string;
  volumeMode?: string;
  dataSource?: TypedReference;
  dataSourceRef?: TypedReference;
  volumeAttributesClassName?: string;
}

interface ClaimStatus {
  phase?: string;
  accessModes?: string[];
  capacity?: Record<string, unknown>;
  allocatedResources?: Record<string, unknown>;
}

export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
export const VOLUME_MODES = ['Block', 'Filesystem'];


/** EnforceDataSourceBackwardsCompatibility + NormalizeDataSources (AnyVolumeDataSource is on). */
function normalizeDataSources(s: ClaimSpec, old?: ClaimSpec): void {
  const inUse = old?.dataSource !== undefined;
  if (!inUse && s.dataSource) {
    const group = s.dataSource.apiGroup ?? '';
    const allowed = (s.dataSource.kind === 'PersistentVolumeClaim' && group === '') || (s.dataSource.kind === 'VolumeSnapshot' && group === 'snapshot.storage.k8s.io');
    if (!allowed) delete s.dataSource;
  }
  if (s.dataSource && !s.dataSourceRef) {
    s.dataSourceRef = { ...(s.dataSource.apiGroup !== undefined ? { apiGroup: s.dataSource.apiGroup } : {}), kind: s.dataSource.kind, name: s.dataSource.name };
  } else if (s.dataSourceRef && !s.dataSource && !s.dataSourceRef.namespace) {
    s.dataSource = { ...(s.dataSourceRef.apiGroup !== undefined ? { apiGroup: s.dataSourceRef.apiGroup } : {}), kind: s.dataSourceRef.kind, name: s.dataSourceRef.name };
  }
}

/** DropDisabledFields: VolumeAttributesClass (beta, off) and CrossNamespaceVolumeDataSource (alpha, off). */
function dropDisabledFields(s: ClaimSpec, old?: ClaimSpec): void {
  if (old?.volumeAttributesClassName === undefined) delete s.volumeAttributesClassName;
  if (old?.dataSourceRef?.namespace === undefined && s.dataSourceRef) delete s.dataSourceRef.namespace;
}

function validateDataSource(ref: TypedReference, path: string, isRef: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!ref.name) errs.push(required(`${path}.name`));
  if (!ref.kind) errs.push(required(`${path}.kind`));
  const group = ref.apiGroup ?? '';
  if (!group && ref.kind !== 'PersistentVolumeClaim') errs.push(invalid(path, ref.kind ?? '', "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
  if (group) for (const msg of isDNS1123Subdomain(group)) errs.push(invalid(`${path}.apiGroup`, group, msg));
  if (isRef && ref.namespace) for (const msg of validateName(ref.namespace, 'label', false)) errs.push(invalid(`${path}.namespace`, ref.namespace, msg));
  return errs;
}

/** ValidatePersistentVolumeClaimSpec */
function validateClaimSpec(s: ClaimSpec, volumeAttributesClasses: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const modes = s.accessModes ?? [];
  if (!modes.length) errs.push(required('spec.accessModes', 'at least 1 access mode is required'));
  if (s.selector) errs.push(...validateLabelSelectorObject(s.selector, 'spec.selector'));
  let oncePod = false;
  let others = false;
  for (const mode of modes) {
    if (!ACCESS_MODES.includes(mode)) errs.push(notSupported('spec.accessModes', mode, ACCESS_MODES));
    if (mode === 'ReadWriteOncePod') oncePod = true;
    else if (ACCESS_MODES.includes(mode)) others = true;
  }
  if (oncePod && others) errs.push(forbidden('spec.accessModes', 'may not use ReadWriteOncePod with other access modes'));
  const requests = s.resources?.requests ?? {};
  const path = 'spec.resources[storage]';
  if (!Object.hasOwn(requests, 'storage')) errs.push(required(path));
  else {
    const q = parseQuantity(requests.storage);
    if (q && q.nano <= 0n) errs.push(invalid(path, formatQuantity(q), 'must be greater than zero'));
  }
  if (s.storageClassName) for (const msg of validateName(s.storageClassName, 'subdomain', false)) errs.push(invalid('spec.storageClassName', s.storageClassName, msg));
  if (s.volumeMode !== undefined && !VOLUME_MODES.includes(s.volumeMode)) errs.push(notSupported('spec.volumeMode', s.volumeMode, VOLUME_MODES));
  if (s.dataSource) errs.push(...validateDataSource(s.dataSource, 'spec.dataSource', false));
  if (s.dataSourceRef) errs.push(...validateDataSource(s.dataSourceRef, 'spec.dataSourceRef', true));
  // The bad value is a field path, which Go prints through its String().
  if (s.dataSourceRef?.namespace) {
    if (s.dataSource) errs.push(invalid('spec', goValue('spec.dataSource', 'spec.dataSource'), 'may not be specified when dataSourceRef.namespace is specified'));
  } else if (s.dataSource && s.dataSourceRef) {
    const same = (s.dataSource.apiGroup ?? null) === (s.dataSourceRef.apiGroup ?? null) && s.dataSource.kind === s.dataSourceRef.kind && s.dataSource.name === s.dataSourceRef.name;
    if (!same) errs.push(invalid('spec', goValue('spec.dataSource', 'spec.dataSource'), 'must match dataSourceRef'));
  }
  if (s.volumeAttributesClassName && volumeAttributesClasses) {
    for (const msg of validateName(s.volumeAttributesClassName, 'subdomain', false)) errs.push(invalid('spec.volumeAttributesClassName', s.volumeAttributesClassName, msg));
  }
  return errs;
}

const SPEC_FIELDS: [keyof ClaimSpec, string][] = [
  ['accessModes', 'AccessModes'],
  ['selector', 'Selector'],
  ['resources', 'Resources'],
  ['volumeName', 'VolumeName'],
  ['storageClassName', 'StorageClassName'],
  ['volumeMode', 'VolumeMode'],
  ['dataSource', 'DataSource'],
  ['dataSourceRef', 'DataSourceRef'],
  ['volumeAttributesClassName', 'VolumeAttributesClassName'],
];

/** A cmp.Diff-like rendering of two claim specs (upstream's text is not stable either). */
function specDiff(old: ClaimSpec, s: ClaimSpec): string {
  const lines = ['  core.PersistentVolumeClaimSpec{'];
  let same = 0;
  const flush = () => {
    if (same) lines.push(`  \t... // ${same} identical field${same === 1 ? '' : 's'}`);
    same = 0;
  };
  for (const [key, goName] of SPEC_FIELDS) {
    if (deepEqual(old[key], s[key])) {
      same++;
      continue;
    }
    flush();
    if (old[key] !== undefined) lines.push(`- \t${goName}: ${JSON.stringify(old[key])},`);
    if (s[key] !== undefined) lines.push(`+ \t${goName}: ${JSON.stringify(s[key])},`);
  }
  flush();
  lines.push('  }');
  return `${lines.join('\n')}\n`;
}

/** ValidatePersistentVolumeClaimUpdate (without ObjectMeta, which the store checks). */
function validateClaimUpdate(o: KubeObject, old: KubeObject, _ctx: OpContext, subresource: string): FieldError[] {
  if (subresource === 'status') return validateClaimStatusUpdate(o);
  const s = specToFill<ClaimSpec>(o);
  const prev = specToFill<ClaimSpec>(old);
  const vacInUse = prev.volumeAttributesClassName !== undefined;
  const errs = validateClaimSpec(s, vacInUse);
  const next = structuredClone(s);
  const before = structuredClone(prev);
  if (!before.volumeName) before.volumeName = next.volumeName;
  const oldAnnotation = old.metadata.annotations?.[BETA_STORAGE_CLASS_ANNOTATION];
  const newAnnotation = o.metadata.annotations?.[BETA_STORAGE_CLASS_ANNOTATION];
  const upgradeFromAnnotation =
    oldAnnotation !== undefined && before.storageClassName === undefined && next.storageClassName === oldAnnotation && (newAnnotation === undefined || newAnnotation === oldAnnotation);
  if (upgradeFromAnnotation) delete next.storageClassName;
  else {
    if ((newAnnotation ?? '') !== (oldAnnotation ?? '')) errs.push(invalid(`metadata.annotations.${BETA_STORAGE_CLASS_ANNOTATION}`, newAnnotation ?? '', 'field is immutable'));
    if (next.storageClassName !== undefined && prev.storageClassName === undefined && (oldAnnotation === undefined || next.storageClassName === oldAnnotation)) {
      next.storageClassName = before.storageClassName;
    }
  }
  const bound = statusOf<ClaimStatus>(o).phase === 'Bound';
  if (bound && next.resources?.requests) next.resources.requests.storage = prev.resources?.requests?.storage;
  if (bound && next.volumeAttributesClassName !== undefined) next.volumeAttributesClassName = before.volumeAttributesClassName;
  for (const x of [next, before]) {
    if (x.resources?.requests && x.resources.requests.storage === undefined) delete x.resources.requests.storage;
  }
  if (!deepEqual(next, before)) {
    errs.push(forbidden('spec', `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${specDiff(before, next)}`));
  }
  const newSize = parseQuantity(s.resources?.requests?.storage)?.nano ?? 0n;
  const oldSize = parseQuantity(prev.resources?.requests?.storage)?.nano ?? 0n;
  const capacity = parseQuantity(statusOf<ClaimStatus>(old).capacity?.storage)?.nano ?? 0n;
  // RecoverVolumeExpansionFailure (beta, on): shrinking is allowed down to just above status.capacity.
  if (newSize < oldSize && newSize <= capacity) errs.push(forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
  // Upstream names this path without spec.
  errs.push(...validateImmutableField(goPtr(s.volumeMode), goPtr(prev.volumeMode), 'volumeMode'));
  if (vacInUse && !deepEqual(prev.volumeAttributesClassName, s.volumeAttributesClassName)) {
    errs.push(forbidden('spec.volumeAttributesClassName', 'update is forbidden when the VolumeAttributesClass feature gate is disabled'));
    if (s.volumeAttributesClassName === undefined) errs.push(forbidden('spec.volumeAttributesClassName', 'update from non-nil value to nil is forbidden'));
    else if (s.volumeAttributesClassName === '') errs.push(forbidden('spec.volumeAttributesClassName', 'update from non-nil value to an empty string is forbidden'));
  }
  return errs;
}

/** ValidatePersistentVolumeClaimStatusUpdate (without ObjectMeta). */
function validateClaimStatusUpdate(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  // Upstream spells this path with a capital S.
  if (!specToFill<ClaimSpec>(o).accessModes?.length) errs.push(required('Spec.accessModes'));
  for (const [k, v] of Object.entries(statusOf<ClaimStatus>(o).capacity ?? {})) {
    const q = parseQuantity(v);
    if (q && q.nano < 0n) errs.push(invalid(`status.capacity[${k}]`, Number(q.nano / 1_000_000_000n), 'must be a valid resource quantity'));
  }
  return errs;
}

/** helper.GetAccessModesAsString */
export function accessModesString(modes: string[] | undefined): string {
  const set = new Set(modes ?? []);
  const short: [string, string][] = [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ];
  return short.filter(([m]) => set.has(m)).map(([, s]) => s).join(',');
}

function claimCells(o: KubeObject, now: Date): unknown[] {
  const s = specToFill<ClaimSpec>(o);
  const status = statusOf<ClaimStatus>(o);
  const phase = o.metadata.deletionTimestamp ? 'Terminating' : (status.phase ?? '');
  let capacity = '';
  let modes = '';
  if (s.volumeName) {
    modes = accessModesString(status.accessModes);
    const q = parseQuantity(status.capacity?.storage);
    capacity = q ? formatQuantity(q) : '0';
  }
  const storageClass = o.metadata.annotations?.[BETA_STORAGE_CLASS_ANNOTATION] ?? s.storageClassName ?? '';
  return [
    o.metadata.name,
    phase,
    s.volumeName ?? '',
    capacity,
    modes,
    storageClass,
    s.volumeAttributesClassName ?? '<unset>',
    age(o.metadata.creationTimestamp, now),
    s.volumeMode ?? '<unset>',
  ];
}

export const persistentvolumeclaims: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  resource: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  shortNames: ['pvc'],
  namespaced: true,
  schema: persistentVolumeClaim,
  hasStatus: true,
  defaults(o) {
    const s = specToFill<ClaimSpec>(o);
    if (s.volumeMode === undefined) s.volumeMode = 'Filesystem';
    canonicalizeResourceList(s.resources?.requests);
    canonicalizeResourceList(s.resources?.limits);
    if (o.status !== undefined) {
      const status = { ...statusOf<ClaimStatus>(o) };
      if (!status.phase) status.phase = 'Pending';
      canonicalizeResourceList(status.capacity);
      canonicalizeResourceList(status.allocatedResources);
      o.status = status;
    }
  },
  prepareForCreate(o) {
    o.status = { phase: 'Pending' };
    const s = specToFill<ClaimSpec>(o);
    dropDisabledFields(s);
    normalizeDataSources(s);
  },
  prepareForUpdate(o, old) {
    const s = specToFill<ClaimSpec>(o);
    dropDisabledFields(s, specToFill<ClaimSpec>(old));
    normalizeDataSources(s, specToFill<ClaimSpec>(old));
  },
  validate: (o) => validateClaimSpec(specToFill<ClaimSpec>(o), false),
  fields: { name: (o) => o.metadata.name ?? '' },
  validateUpdate: validateClaimUpdate,
  table: {
    columns: [
      nameColumn,
      column('Status', 'phase represents the current phase of PersistentVolumeClaim.'),
      column('Volume', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
      column('Capacity', 'capacity represents the actual resources of the underlying volume.'),
      column('Access Modes', 'accessModes contains the actual access modes the volume backing the PVC has.'),
      column('StorageClass', 'StorageClass of the pvc'),
      column('VolumeAttributesClass', 'VolumeAttributesClass of the pvc'),
      ageColumn,
      column('VolumeMode', 'volumeMode defines what type of volume is required by the claim.', { priority: 1 }),
    ],
    cells: claimCells,
  },
};
