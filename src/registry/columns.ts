// Table columns most resources share.
import type { TableColumn } from './resource.js';

export function column(name: string, description: string, opts: Partial<Omit<TableColumn, 'name' | 'description'>> = {}): TableColumn {
  return { name, type: opts.type ?? 'string', format: opts.format ?? '', description, priority: opts.priority ?? 0 };
}

export const nameColumn = column('Name', 'Name must be unique within a namespace. Cannot be updated.', { format: 'name' });

export const ageColumn = column('Age', 'CreationTimestamp is a timestamp representing the server time when this object was created.');
