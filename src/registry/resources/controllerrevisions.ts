// apps/v1 ControllerRevision: an immutable snapshot of a controller's state (a DaemonSet's pod
// template), numbered by `revision`. Facts from pkg/apis/apps/validation
// (ValidateControllerRevision, ValidateControllerRevisionUpdate), pkg/registry/apps/controllerrevision
// and printControllerRevision.
import { invalid, required, type FieldError } from '../../api/field-errors.js';
import { deepEqual, type KubeObject } from '../../api/meta.js';
import { age } from '../../api/duration.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { controllerRevision } from '../schemas/apps.js';
import { goValue } from './go-values.js';
import { int, nonNegative } from './workloads.js';

/** ValidateControllerRevision: data is mandatory, revision not negative. */
function validate(o: KubeObject): FieldError[] {
  const errs = o.data === undefined || o.data === null ? [required('data', 'data is mandatory')] : [];
  return [...errs, ...nonNegative(int(o, 'revision') ?? 0, 'revision')];
}

/**
 * %#v of the runtime.Unknown the internal type holds for data: its raw JSON as bytes (Go keeps the
 * bytes sent; here the compact JSON, which is what kubectl sends).
 */
function goUnknown(data: unknown): unknown {
  if (data === undefined || data === null) return 'null';
  const raw = [...Buffer.from(JSON.stringify(data))].map((b) => `0x${b.toString(16)}`).join(', ');
  return goValue(data, `runtime.Unknown{TypeMeta:runtime.TypeMeta{APIVersion:"", Kind:""}, Raw:[]uint8{${raw}}, ContentEncoding:"", ContentType:"application/json"}`);
}

/** printControllerRevision's Controller cell: `<kind>.<group>/<name>` in lower case, or <none>. */
function controllerCell(o: KubeObject): string {
  const ref = o.metadata.ownerReferences?.find((r) => r.controller === true);
  if (!ref) return '<none>';
  const slash = ref.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
  return `${(group ? `${ref.kind}.${group}` : ref.kind).toLowerCase()}/${ref.name}`;
}

export const controllerrevisions: ResourceDef = {
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  resource: 'controllerrevisions',
  singular: 'controllerrevision',
  namespaced: true,
  schema: controllerRevision,
  validate,
  validateUpdate: (o, old) => [...validate(o), ...(deepEqual(o.data ?? null, old.data ?? null) ? [] : [invalid('data', goUnknown(o.data), 'field is immutable')])],
  table: {
    columns: [
      nameColumn,
      column('Controller', 'Controller of the object'),
      column('Revision', 'Revision indicates the revision of the state represented by Data.'),
      ageColumn,
    ],
    cells: (o, now) => [o.metadata.name, controllerCell(o), int(o, 'revision') ?? 0, age(o.metadata.creationTimestamp, now)],
  },
};
