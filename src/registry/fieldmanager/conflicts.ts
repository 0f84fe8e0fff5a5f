// Apply conflicts as Kubernetes reports them (managedfields/internal/conflict.go,
// errors.NewApplyConflict): a 409 Conflict whose causes name each field and its owner.
import { ApiError } from '../../api/errors.js';
import { goQuote } from '../../api/go-quote.js';
import { paths, type Fields } from './field-set.js';
import type { ManagerEntry } from './managers.js';
import { pathString } from './path-element.js';

export interface Conflict {
  /** The owner's identifier (managers.ts). */
  id: string;
  owner: ManagerEntry;
  path: string[];
}

/** The conflicts with each owner, owners in identifier order, paths in set order. */
export function conflictsOf(sets: Map<string, { owner: ManagerEntry; fields: Fields }>): Conflict[] {
  const out: Conflict[] = [];
  for (const id of [...sets.keys()].sort()) {
    const { owner, fields } = sets.get(id)!;
    for (const path of paths(fields)) out.push({ id, owner, path });
  }
  return out;
}

export function conflictError(conflicts: Conflict[]): ApiError {
  const causes = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${ownerText(c.owner)}`, field: pathString(c.path) }));
  return new ApiError(409, 'Conflict', conflictMessage(conflicts), { causes });
}

function conflictMessage(conflicts: Conflict[]): string {
  if (conflicts.length === 1) return `Apply failed with 1 conflict: conflict with ${ownerText(conflicts[0]!.owner)}: ${pathString(conflicts[0]!.path)}`;
  const lines: string[] = [];
  let last: string | undefined;
  for (const c of conflicts) {
    if (c.id !== last) lines.push(`conflicts with ${ownerText(c.owner)}:`);
    last = c.id;
    lines.push(`- ${pathString(c.path)}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** printManager: `"name"`, its subresource, and the apiVersion of an Update. */
function ownerText(e: ManagerEntry): string {
  let s = goQuote(e.manager);
  if (e.subresource) s += ` with subresource ${goQuote(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}
