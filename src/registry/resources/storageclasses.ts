// storage.k8s.io/v1 StorageClass: a class of storage a provisioner makes volumes of. The
// annotation storageclass.kubernetes.io/is-default-class makes a class the default
// (admission/default-storage-class.ts). Facts from pkg/apis/storage/validation,
// pkg/apis/storage/v1/defaults.go and printStorageClass.
import { duplicate, forbidden, invalid, notSupported, required, tooLong, type FieldError } from '../../api/field-errors.js';
import { deepEqual, type KubeObject } from '../../api/meta.js';
import { age } from '../../api/duration.js';
import { isQualifiedName, validateImmutableField } from '../../api/validation.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import { list, obj, str, type Obj } from '../narrow.js';
import type { ResourceDef } from '../resource.js';
import { storageClass } from '../schemas/storage.js';
import { isDefaultClass } from '../../api/storage-classes.js';
import { goPtr } from './go-values.js';
import { qualifiedName } from './pod/field-checks.js';

const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];
const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_SIZE = 256 * 1024;

/** validateParameters (empty allowed). */
function validateParameters(params: Record<string, string>, path: string): FieldError[] {
  const keys = Object.keys(params);
  if (keys.length > MAX_PARAMETERS) return [tooLong(path, MAX_PARAMETERS)];
  const errs: FieldError[] = [];
  let size = 0;
  for (const k of keys) {
    if (k.length < 1) errs.push(invalid(path, k, 'field can not be empty.'));
    size += Buffer.byteLength(k) + Buffer.byteLength(params[k] ?? '');
  }
  if (size > MAX_PARAMETERS_SIZE) errs.push(tooLong(path, MAX_PARAMETERS_SIZE));
  return errs;
}

/** validateAllowedTopologies and ValidateTopologySelectorTerm. */
function validateTopologies(terms: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen: string[] = [];
  terms.forEach((raw, i) => {
    const exprs: Record<string, string[]> = {};
    list(obj(raw)?.matchLabelExpressions).forEach((r, j) => {
      const req = obj(r) ?? {};
      const p = `${path}[${i}].matchLabelExpressions[${j}]`;
      const values = list(req.values).map(str);
      if (!values.length) errs.push(required(`${p}.values`, 'must specify as least one value'));
      const set = new Set<string>();
      for (const v of values) {
        if (set.has(v)) errs.push(duplicate(`${p}.values`, v));
        set.add(v);
      }
      errs.push(...qualifiedName(str(req.key), `${p}.key`));
      if (Object.hasOwn(exprs, str(req.key))) errs.push(duplicate(`${p}.key`, str(req.key)));
      exprs[str(req.key)] = [...set].sort();
    });
    const key = JSON.stringify(Object.entries(exprs).sort(([a], [b]) => a.localeCompare(b)));
    if (seen.includes(key)) errs.push(duplicate(`${path}[${i}].matchLabelExpressions`, ''));
    seen.push(key);
  });
  return errs;
}

/** ValidateStorageClass (without ObjectMeta, which the store checks). */
function validate(o: KubeObject): FieldError[] {
  const c = o as KubeObject & Obj;
  const errs: FieldError[] = [];
  const provisioner = str(c.provisioner);
  if (!provisioner) errs.push(required('provisioner'));
  else errs.push(...isQualifiedName(provisioner.toLowerCase()).map((m) => invalid('provisioner', provisioner, m)));
  errs.push(...validateParameters((obj(c.parameters) ?? {}) as Record<string, string>, 'parameters'));
  const policy = str(c.reclaimPolicy);
  if (policy && !RECLAIM_POLICIES.includes(policy)) errs.push(notSupported('reclaimPolicy', policy, RECLAIM_POLICIES));
  if (c.volumeBindingMode === undefined) errs.push(required('volumeBindingMode'));
  else if (!BINDING_MODES.includes(str(c.volumeBindingMode))) errs.push(notSupported('volumeBindingMode', c.volumeBindingMode, BINDING_MODES));
  errs.push(...validateTopologies(list(c.allowedTopologies), 'allowedTopologies'));
  return errs;
}

/** ValidateStorageClassUpdate: parameters, provisioner, reclaim policy and binding mode are fixed. */
function validateUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  const c = o as KubeObject & Obj;
  const prev = old as KubeObject & Obj;
  const errs = validate(o);
  if (!deepEqual(c.parameters ?? {}, prev.parameters ?? {})) errs.push(forbidden('parameters', 'updates to parameters are forbidden.'));
  if (c.provisioner !== prev.provisioner) errs.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (c.reclaimPolicy !== prev.reclaimPolicy) errs.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  errs.push(...validateImmutableField(goPtr(c.volumeBindingMode), goPtr(prev.volumeBindingMode), 'volumeBindingMode'));
  return errs;
}

function cells(o: KubeObject, now: Date): unknown[] {
  const c = o as KubeObject & Obj;
  return [
    isDefaultClass(o) ? `${o.metadata.name} (default)` : o.metadata.name,
    str(c.provisioner),
    str(c.reclaimPolicy) || 'Delete',
    str(c.volumeBindingMode) || 'Immediate',
    c.allowVolumeExpansion === true,
    age(o.metadata.creationTimestamp, now),
  ];
}

export const storageclasses: ResourceDef = {
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  resource: 'storageclasses',
  singular: 'storageclass',
  shortNames: ['sc'],
  namespaced: false,
  schema: storageClass,
  defaults(o) {
    // SetDefaults_StorageClass.
    const c = o as KubeObject & Obj;
    c.reclaimPolicy ??= 'Delete';
    c.volumeBindingMode ??= 'Immediate';
  },
  validate,
  validateUpdate,
  table: {
    columns: [
      nameColumn,
      column('Provisioner', 'provisioner indicates the type of the provisioner.'),
      column('ReclaimPolicy', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.'),
      column('VolumeBindingMode', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.'),
      column('AllowVolumeExpansion', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
      ageColumn,
    ],
    cells,
  },
};
