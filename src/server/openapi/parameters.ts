// The query and path parameters of the operations, as kube-apiserver describes them (in our words).
import type { JsonObject } from './json.js';

export interface Param {
  description: string;
  in: 'path' | 'query';
  name: string;
  required?: boolean;
  schema: { type: 'string' | 'integer' | 'boolean'; uniqueItems: true };
}

const q = (name: string, type: Param['schema']['type'], description: string): Param => ({
  description,
  in: 'query',
  name,
  schema: { type, uniqueItems: true },
});

export const P = {
  allowWatchBookmarks: q('allowWatchBookmarks', 'boolean', 'Ask for BOOKMARK watch events; servers may send them at their discretion. Ignored unless watching.'),
  continue: q('continue', 'string', 'The continue token of a previous, limited list, to fetch the next page.'),
  dryRun: q('dryRun', 'string', 'When set to All, the request is fully processed but nothing is persisted.'),
  fieldManager: q('fieldManager', 'string', 'The name of the actor making the change, for managed fields. At most 128 printable characters.'),
  fieldManagerPatch: q(
    'fieldManager',
    'string',
    'The name of the actor making the change, for managed fields. At most 128 printable characters. Required for apply patches.',
  ),
  fieldSelector: q('fieldSelector', 'string', 'Restrict the objects returned to those whose fields match. Defaults to everything.'),
  fieldValidation: q(
    'fieldValidation',
    'string',
    'What to do with unknown or duplicate fields in the request body: Ignore drops them, Warn drops them with a Warning header, Strict rejects the request.',
  ),
  force: q('force', 'boolean', 'Force an apply patch: take ownership of fields other managers own. Must be unset for other patch types.'),
  gracePeriodSeconds: q('gracePeriodSeconds', 'integer', 'Seconds before the object is deleted; 0 deletes at once; unset uses the default of the kind.'),
  ignoreStoreReadError: q(
    'ignoreStoreReadErrorWithClusterBreakingPotential',
    'boolean',
    'Delete an object that can no longer be read from storage, bypassing the normal deletion flow. Unsafe.',
  ),
  labelSelector: q('labelSelector', 'string', 'Restrict the objects returned to those whose labels match. Defaults to everything.'),
  limit: q('limit', 'integer', 'The maximum number of objects to return; the list metadata then carries a continue token when more remain.'),
  orphanDependents: q('orphanDependents', 'boolean', 'Deprecated, use propagationPolicy: whether dependents are orphaned.'),
  pretty: q('pretty', 'string', "If 'true', the output is indented."),
  propagationPolicy: q('propagationPolicy', 'string', 'Orphan, Background or Foreground garbage collection of dependents.'),
  resourceVersion: q('resourceVersion', 'string', 'Which resource versions the request may be served from; see the resourceVersion semantics of the API.'),
  resourceVersionMatch: q('resourceVersionMatch', 'string', 'How resourceVersion applies to a list: Exact or NotOlderThan.'),
  sendInitialEvents: q(
    'sendInitialEvents',
    'boolean',
    'With watch=true, start the stream with synthetic ADDED events for the current objects, then a bookmark. Requires resourceVersionMatch=NotOlderThan.',
  ),
  timeoutSeconds: q('timeoutSeconds', 'integer', 'Time limit of the list or watch call, whatever the activity.'),
  watch: q('watch', 'boolean', 'Watch for changes and return them as a stream of events instead of a list.'),
  namespace: { description: 'object name and auth scope, such as for teams and projects', in: 'path', name: 'namespace', required: true, schema: { type: 'string', uniqueItems: true } } as Param,
};

export const nameParam = (kind: string): Param => ({ description: `name of the ${kind}`, in: 'path', name: 'name', required: true, schema: { type: 'string', uniqueItems: true } });

export const LIST_PARAMS = [
  P.allowWatchBookmarks,
  P.continue,
  P.fieldSelector,
  P.labelSelector,
  P.limit,
  P.resourceVersion,
  P.resourceVersionMatch,
  P.sendInitialEvents,
  P.timeoutSeconds,
  P.watch,
];
export const WRITE_PARAMS = [P.dryRun, P.fieldManager, P.fieldValidation];
export const PATCH_PARAMS = [P.dryRun, P.fieldManagerPatch, P.fieldValidation, P.force];
export const DELETE_PARAMS = [P.dryRun, P.gracePeriodSeconds, P.ignoreStoreReadError, P.orphanDependents, P.propagationPolicy];
export const DELETE_COLLECTION_PARAMS = [
  P.continue,
  P.dryRun,
  P.fieldSelector,
  P.gracePeriodSeconds,
  P.ignoreStoreReadError,
  P.labelSelector,
  P.limit,
  P.orphanDependents,
  P.propagationPolicy,
  P.resourceVersion,
  P.resourceVersionMatch,
  P.sendInitialEvents,
  P.timeoutSeconds,
];

export const paramKey = (p: Param) => `${p.in}:${p.name}`;
export const paramJson = (p: Param): JsonObject => ({ ...p, schema: { ...p.schema } });

export function dedupe(params: Param[]): Param[] {
  const seen = new Set<string>();
  return params.filter((p) => !seen.has(paramKey(p)) && (seen.add(paramKey(p)), true));
}

/** Path parameters first, then by name. */
export function sortParams(params: Param[]): Param[] {
  return [...params].sort((a, b) => (a.in === b.in ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.in === 'path' ? -1 : 1));
}
