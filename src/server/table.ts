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

/** duration.HumanDuration: how kubectl and the server print ages. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** The Age cell: time since a timestamp, `<unknown>` without one. */
export function age(timestamp: string | null | undefined, now: Date): string {
  if (!timestamp) return '<unknown>';
  return humanDuration(now.getTime() - Date.parse(timestamp));
}
