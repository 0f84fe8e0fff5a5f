// Server-side Tables (meta.k8s.io/v1 Table), as `kubectl get` asks for them.
import { apiVersionOf, type KubeObject } from '../api/meta.js';
import { column, nameColumn } from '../registry/columns.js';
import type { ResourceDef, TableColumn } from '../registry/resource.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** Resources without a printer get Name and Created At, as the default table convertor gives. */
const DEFAULT_COLUMNS: TableColumn[] = [
  nameColumn,
  column('Created At', 'CreationTimestamp is a timestamp representing the server time when this object was created.', { type: 'date' }),
];

export function columnsOf(def: ResourceDef): TableColumn[] {
  return def.table?.columns ?? DEFAULT_COLUMNS;
}

export function cellsOf(def: ResourceDef, obj: KubeObject, now: Date): unknown[] {
  return def.table ? def.table.cells(obj, now) : [obj.metadata.name, obj.metadata.creationTimestamp];
}

function rowObject(obj: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function toTable(
  def: ResourceDef,
  objects: KubeObject[],
  listMeta: { resourceVersion?: string; continue?: string; remainingItemCount?: number },
  include: IncludeObject,
  now: Date,
  withColumns = true,
) {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: withColumns ? columnsOf(def) : null,
    rows: objects.map((obj) => ({ cells: cellsOf(def, obj, now), object: rowObject(obj, include) })),
  };
}

/** metav1.PartialObjectMetadata(List), for clients that ask for metadata only. */
export function toPartial(obj: KubeObject) {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function listOf(def: ResourceDef, items: KubeObject[], listMeta: object) {
  return { kind: `${def.kind}List`, apiVersion: apiVersionOf(def.group, def.version), metadata: listMeta, items };
}

