// Server-side Tables of custom resources (AE pkg/registry/customresource/tableconvertor): Name,
// then the version's additionalPrinterColumns, each a JSONPath read as client-go's jsonpath reads a
// simple path (.a.b, .a[0].b, .a['b.c']); none declared gives Age (.metadata.creationTimestamp).
import type { CustomResourceColumnDefinition } from 'kubernetes-types/apiextensions/v1.js';
import { age } from '../../api/duration.js';
import { isObject, type KubeObject } from '../../api/meta.js';
import { column, nameColumn } from '../columns.js';
import type { TableColumn, TableDef } from '../resource.js';

const AGE: CustomResourceColumnDefinition = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

/** The steps of a simple JSONPath; undefined when it is not one (such a column stays empty). */
export function parsePath(path: string): (string | number)[] | undefined {
  const steps: (string | number)[] = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;
  let text = path.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1);
  re.lastIndex = 0;
  while (re.lastIndex < text.length) {
    const start = re.lastIndex;
    const m = re.exec(text);
    if (!m || m.index !== start) return undefined;
    steps.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3] ?? m[4])!);
  }
  return steps;
}

/** The value at a path, or undefined when any step is missing. */
export function valueAt(obj: unknown, steps: (string | number)[]): unknown {
  let cur = obj;
  for (const step of steps) {
    if (typeof step === 'number') cur = Array.isArray(cur) ? cur[step] : undefined;
    else cur = isObject(cur) ? cur[step] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** jsonpath's printing of one value (PrintResults): strings as they are, other values as JSON. */
function printed(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** cellForJSONValue: the column's type, or no value; a date becomes its age. */
function typedCell(type: string, v: unknown, now: Date): unknown {
  switch (type) {
    case 'integer':
      return typeof v === 'number' ? Math.trunc(v) : null;
    case 'number':
      return typeof v === 'number' ? v : null;
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    case 'date':
      return typeof v === 'string' ? (Number.isNaN(Date.parse(v)) ? '<invalid>' : age(v, now)) : null;
    default:
      return null;
  }
}

export function customTable(columns: CustomResourceColumnDefinition[] | undefined): TableDef {
  const cols = columns?.length ? columns : [AGE];
  const paths = cols.map((c) => parsePath(c.jsonPath));
  const defs: TableColumn[] = [
    nameColumn,
    ...cols.map((c) =>
      column(c.name, c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`, {
        type: c.type as TableColumn['type'],
        format: c.format ?? '',
        priority: c.priority ? 1 : 0,
      }),
    ),
  ];
  return {
    columns: defs,
    cells: (obj: KubeObject, now: Date) => [
      obj.metadata.name,
      ...cols.map((c, i) => {
        const v = paths[i] ? valueAt(obj, paths[i]!) : undefined;
        if (v === undefined || v === null) return null;
        return c.type === 'string' ? printed(v) : typedCell(c.type, v, now);
      }),
    ],
  };
}
