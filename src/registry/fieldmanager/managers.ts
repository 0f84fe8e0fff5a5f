// metadata.managedFields as the field manager works on them (managedfields/internal/
// managedfields.go): one entry per manager identifier, which is the JSON of the entry's manager,
// operation, apiVersion (for updates only, so an applier keeps one entry across versions) and
// subresource; decoded from and encoded to the API's ManagedFieldsEntry list in Kubernetes' order.
import { goJson } from '../../api/go-json.js';
import { isObject } from '../../api/meta.js';
import { isEmpty, readFields, union, type Fields } from './field-set.js';
import { runNow, type Steps } from './steps.js';

export type Operation = 'Apply' | 'Update';

export interface ManagerEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource: string;
  /** RFC 3339, seconds; absent when the entry has none. */
  time?: string;
  fields: Fields;
}

/** Entries by manager identifier. */
export type Managed = Map<string, ManagerEntry>;

export class ManagedFieldsError extends Error {}

/** BuildManagerIdentifier: the entry's JSON without fieldsType, fieldsV1, time, and apiVersion for an applier. */
export function identifier(e: { manager: string; operation: Operation; apiVersion: string; subresource: string }): string {
  const parts = [];
  if (e.manager) parts.push(`"manager":${goJson(e.manager)}`);
  parts.push(`"operation":${goJson(e.operation)}`);
  if (e.operation === 'Update' && e.apiVersion) parts.push(`"apiVersion":${goJson(e.apiVersion)}`);
  if (e.subresource) parts.push(`"subresource":${goJson(e.subresource)}`);
  return `{${parts.join(',')}}`;
}

/**
 * DecodeManagedFields. `trusted` entries are the store's own (already in canonical form); a
 * client's are read element by element. Throws ManagedFieldsError on an entry Kubernetes refuses.
 */
export function* decodeManaged(entries: unknown, trusted: boolean): Steps<Managed> {
  const managed: Managed = new Map();
  if (entries === undefined || entries === null) return managed;
  if (!Array.isArray(entries)) throw new ManagedFieldsError('managedFields must be a list');
  for (let i = 0; i < entries.length; i++) {
    const raw: unknown = entries[i];
    if (!isObject(raw)) throw new ManagedFieldsError(`managed fields entry ${i} is not an object`);
    const operation = raw.operation;
    if (operation !== 'Apply' && operation !== 'Update') throw new ManagedFieldsError('operation must be `Apply` or `Update`');
    const apiVersion = typeof raw.apiVersion === 'string' ? raw.apiVersion : '';
    if (!apiVersion) throw new ManagedFieldsError('apiVersion must not be empty');
    if (raw.fieldsType !== 'FieldsV1') {
      throw new ManagedFieldsError(raw.fieldsType ? `invalid fieldsType ${JSON.stringify(raw.fieldsType)} in managed fields entry ${i}` : `missing fieldsType in managed fields entry ${i}`);
    }
    let fields: Fields;
    try {
      fields = trusted ? ((raw.fieldsV1 as Fields | undefined) ?? {}) : yield* readFields(raw.fieldsV1);
    } catch (err) {
      throw new ManagedFieldsError(`error decoding set: ${(err as Error).message}`);
    }
    const entry: ManagerEntry = {
      manager: typeof raw.manager === 'string' ? raw.manager : '',
      operation,
      apiVersion,
      subresource: typeof raw.subresource === 'string' ? raw.subresource : '',
      fields,
    };
    if (typeof raw.time === 'string') entry.time = raw.time;
    managed.set(identifier(entry), entry);
  }
  return managed;
}

/** The API's list, sorted as Kubernetes sorts it: operation, time (seconds), manager, apiVersion, subresource. */
export function encodeManaged(managed: Managed): Record<string, unknown>[] {
  const entries = [...managed.values()].filter((e) => !isEmpty(e.fields));
  entries.sort(
    (p, q) =>
      cmp(p.operation, q.operation) ||
      seconds(p.time) - seconds(q.time) ||
      cmp(p.manager, q.manager) ||
      cmp(p.apiVersion, q.apiVersion) ||
      cmp(p.subresource, q.subresource),
  );
  return entries.map((e) => {
    // Written field by field, in ManagedFieldsEntry's order.
    const out: Record<string, unknown> = {};
    if (e.manager) out.manager = e.manager;
    out.operation = e.operation;
    out.apiVersion = e.apiVersion;
    if (e.time) out.time = e.time;
    out.fieldsType = 'FieldsV1';
    out.fieldsV1 = e.fields;
    if (e.subresource) out.subresource = e.subresource;
    return out;
  });
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function seconds(time: string | undefined): number {
  const ms = time ? Date.parse(time) : NaN;
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

/** Kubernetes keeps at most this many Update entries (DefaultMaxUpdateManagers). */
const MAX_UPDATE_MANAGERS = 10;

/**
 * capUpdateManagers: past the cap, the oldest Update entries (by time in seconds, then identifier)
 * merge into one `ancient-changes` entry per apiVersion, which takes the time of the newest merged.
 */
export function capUpdateManagers(managed: Managed): void {
  const updaters = [...managed.entries()].filter(([, e]) => e.operation === 'Update').map(([id]) => id);
  if (updaters.length <= MAX_UPDATE_MANAGERS) return;
  updaters.sort((a, b) => seconds(managed.get(a)!.time) - seconds(managed.get(b)!.time) || cmp(a, b));
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > MAX_UPDATE_MANAGERS; i++) {
    const id = updaters[i]!;
    const entry = managed.get(id)!;
    const bucket = identifier({ manager: 'ancient-changes', operation: 'Update', apiVersion: entry.apiVersion, subresource: '' });
    const first = firstOfVersion.get(entry.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(entry.apiVersion, id);
      continue;
    }
    if (!managed.has(bucket)) {
      const firstEntry = managed.get(first)!;
      managed.delete(first);
      managed.set(bucket, { ...firstEntry, manager: 'ancient-changes', subresource: '' });
    }
    const b = managed.get(bucket)!;
    managed.set(bucket, { ...b, fields: runNow(union(entry.fields, b.fields)), ...(entry.time ? { time: entry.time } : {}) });
    if (!entry.time) delete managed.get(bucket)!.time;
    managed.delete(id);
    length--;
  }
}
