// The field manager of one resource (managedfields/internal/fieldmanager.go and the managers it
// wraps): every create, update and patch records what its manager changed, and server-side apply
// merges a configuration under its manager's ownership. In Kubernetes' order of wrappers:
// last-applied upgrade and sync (kubectl only), skip tracking objects that have none
// (`before-first-apply` on their first apply), the cap of ten Update entries, the manager
// identifier, timestamps, and the metadata paths nobody owns.
import { ApiError, badRequest } from '../../api/errors.js';
import { goJson } from '../../api/go-json.js';
import { deepEqual, isObject, type KubeObject } from '../../api/meta.js';
import type { ObjectSchema } from '../../api/schema.js';
import { compare } from './compare.js';
import { conflictError } from './conflicts.js';
import { difference, EMPTY, has, isEmpty, single, union, type Fields } from './field-set.js';
import { capUpdateManagers, decodeManaged, encodeManaged, identifier, ManagedFieldsError, type Managed, type ManagerEntry } from './managers.js';
import { fieldElement } from './path-element.js';
import { ShapeError } from './shape.js';
import { toFieldSet } from './to-field-set.js';
import { ApplyConflicts, applyConfig, changedBy } from './updater.js';
import { large, mark, run, runNow, type Steps } from './steps.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** Annotations together may hold at most 256 KiB (TotalAnnotationSizeLimitB). */
const ANNOTATIONS_LIMIT = 256 * 1024;

/** Paths no manager owns (stripmeta.go). */
const STRIPPED: Fields = [
  ['apiVersion'],
  ['kind'],
  ['metadata'],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map((f) => ['metadata', f]),
].reduce<Fields>((s, path) => runNow(union(s, single(path.map(fieldElement)))), EMPTY);

export interface FieldManagerOptions {
  schema: ObjectSchema;
  /** The resource's group/version, which entries record. */
  apiVersion: string;
  /** Paths a write through this subresource does not own (the strategy's GetResetFields). */
  resetFields(subresource: string): Fields;
}

export class FieldManager {
  constructor(private readonly opts: FieldManagerOptions) {}

  /**
   * A create (no `live`), update or patch: sets `obj`'s managedFields, with what `manager`
   * changed. Never fails the write: what cannot be worked out keeps the live managedFields.
   */
  async update(live: KubeObject | undefined, obj: KubeObject, manager: string, subresource: string, now: string): Promise<void> {
    try {
      const managed = await run(this.liveOrNew(live, obj, subresource !== ''));
      delete obj.metadata.managedFields;
      // Objects that have no managedFields are tracked from their creation or first apply only.
      if (!managed.size && live?.metadata.uid) return;
      await run(this.recordUpdate(live ? bare(live) : {}, obj, managed, manager, subresource, now));
      capUpdateManagers(managed);
      setManaged(obj, managed);
    } catch (err) {
      if (!(err instanceof ManagedFieldsError || err instanceof ShapeError)) throw err;
      if (live?.metadata.managedFields) obj.metadata.managedFields = live.metadata.managedFields;
      else delete obj.metadata.managedFields;
    }
  }

  /** Server-side apply of `config` over `live` (an empty object of the name when creating). */
  async apply(live: KubeObject, config: KubeObject, manager: string, force: boolean, subresource: string, now: string): Promise<KubeObject> {
    if (config.metadata?.managedFields !== undefined && config.metadata.managedFields !== null) throw badRequest('metadata.managedFields must be nil');
    const meta: unknown = config.metadata;
    // The typed conversion of the configuration refuses metadata that is not a map.
    if (meta !== undefined && meta !== null && !isObject(meta)) throw this.typedError(new ShapeError(`.metadata: expected map, got &{${goValue(meta)}}`), config);
    let managed: Managed;
    try {
      managed = runNow(decodeManaged(live.metadata.managedFields, true));
    } catch (err) {
      throw new ApiError(500, '', `failed to decode managed fields: ${(err as Error).message}`);
    }
    const liveBare = bare(live);
    let result: { object: KubeObject; managed: Managed };
    try {
      result = await run(this.applyOnce(liveBare, config, new Map(managed), manager, force, subresource, now));
    } catch (err) {
      if (!(err instanceof ApplyConflicts)) throw this.typedError(err, config);
      // kubectl's first server-side apply takes over what its client-side applies set, where the
      // live value is still the one last applied (lastappliedmanager.go).
      const allowed = manager === 'kubectl' ? await run(this.lastAppliedFields(liveBare)) : undefined;
      if (!allowed) throw conflictError(err.conflicts);
      const rest = err.conflicts.filter((c) => !has(allowed, c.path));
      if (rest.length) throw conflictError(rest);
      try {
        result = await run(this.applyOnce(liveBare, config, new Map(managed), manager, true, subresource, now));
      } catch (again) {
        throw this.typedError(again, config);
      }
    }
    const { object } = result;
    if (manager === 'kubectl') syncLastApplied(object, config);
    setManaged(object, result.managed);
    return object;
  }

  private *applyOnce(live: KubeObject, config: KubeObject, managed: Managed, manager: string, force: boolean, subresource: string, now: string): Steps<{ object: KubeObject; managed: Managed }> {
    const { schema, apiVersion } = this.opts;
    if (!managed.size) yield* this.recordUpdate({}, live, managed, 'before-first-apply', subresource, now);
    const self: ManagerEntry & { id: string } = { id: identifier({ manager, operation: 'Apply', apiVersion, subresource }), manager, operation: 'Apply', apiVersion, subresource, fields: EMPTY };
    const { object, changed } = yield* applyConfig(live, config, schema, managed, self, force, this.opts.resetFields(subresource));
    const entry = managed.get(self.id)!;
    const fields = yield* difference(entry.fields, STRIPPED);
    if (isEmpty(fields)) managed.delete(self.id);
    else managed.set(self.id, { ...entry, fields, ...(changed ? { time: now } : {}) });
    return { object: (changed ? object : structuredClone(live)) as KubeObject, managed };
  }

  /** What an update changed becomes its manager's (managedfieldsupdater.go), with a new time. */
  private *recordUpdate(live: unknown, obj: KubeObject, managed: Managed, manager: string, subresource: string, now: string): Steps<void> {
    const { schema, apiVersion } = this.opts;
    const entry = { manager: manager || 'unknown', operation: 'Update' as const, apiVersion, subresource };
    const id = identifier(entry);
    const start = mark();
    const taken = yield* difference(yield* changedBy(live, bare(obj), schema, managed, '', this.opts.resetFields(subresource)), STRIPPED);
    if (isEmpty(taken)) return;
    if (large(start)) yield;
    const previous = managed.get(id);
    managed.set(id, { manager: entry.manager, operation: 'Update', apiVersion, subresource, time: now, fields: previous ? yield* union(taken, previous.fields) : taken });
  }

  /**
   * decodeLiveOrNew: the managedFields the write sent, unless it is a subresource's, sent none or
   * undecodable ones (then the live object's); `[]` or `[{}]` resets them.
   */
  private *liveOrNew(live: KubeObject | undefined, obj: KubeObject, subresource: boolean): Steps<Managed> {
    const fromLive = () => {
      try {
        return runNow(decodeManaged(live?.metadata.managedFields, true));
      } catch {
        return new Map() as Managed;
      }
    };
    const sent = obj.metadata.managedFields;
    if (subresource) return fromLive();
    if (Array.isArray(sent) && (sent.length === 0 || (sent.length === 1 && isObject(sent[0]) && Object.keys(sent[0]).length === 0))) return new Map();
    if (sent === undefined || sent === null) return fromLive();
    const trusted = live !== undefined && deepEqual(sent, live.metadata.managedFields);
    try {
      const managed = yield* decodeManaged(sent, trusted);
      return managed.size ? managed : fromLive();
    } catch (err) {
      if (err instanceof ManagedFieldsError) return fromLive();
      throw err;
    }
  }

  /** The fields of the last-applied annotation whose values the live object still has. */
  private *lastAppliedFields(live: KubeObject): Steps<Fields | undefined> {
    const text = live.metadata.annotations?.[LAST_APPLIED];
    if (!text) return undefined;
    try {
      const last = JSON.parse(text) as unknown;
      if (!isObject(last) || last.apiVersion !== this.opts.apiVersion) return undefined;
      const c = yield* compare(last, live, this.opts.schema);
      return yield* difference(yield* difference(yield* difference(yield* toFieldSet(last, this.opts.schema), c.modified), c.added), c.removed);
    } catch {
      return undefined;
    }
  }

  /** A configuration the schema cannot type: 500, as upstream (kubernetes/kubernetes#122480). */
  private typedError(err: unknown, config: KubeObject): unknown {
    if (!(err instanceof ShapeError)) return err;
    const m = config.metadata ?? {};
    const gv = this.opts.apiVersion.includes('/') ? this.opts.apiVersion : `/${this.opts.apiVersion}`;
    return new ApiError(500, '', `failed to create typed patch object (${m.namespace ?? ''}/${m.name ?? ''}; ${gv}, Kind=${String(config.kind ?? '')}): ${err.message}`);
  }
}

/** The object without its managedFields, which ownership never looks at. */
function bare(obj: KubeObject): KubeObject {
  if (obj.metadata?.managedFields === undefined) return obj;
  const { managedFields: _m, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

function setManaged(obj: KubeObject, managed: Managed): void {
  const entries = encodeManaged(managed);
  if (entries.length) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
}

/** lastappliedupdater.go: kubectl's applies keep an existing annotation equal to what they applied. */
function syncLastApplied(object: KubeObject, config: KubeObject): void {
  const annotations = object.metadata.annotations;
  if (!annotations?.[LAST_APPLIED]) return;
  const applied = structuredClone(config);
  if (applied.metadata?.annotations) delete applied.metadata.annotations[LAST_APPLIED];
  // json.Encoder writes the value with a newline after it.
  annotations[LAST_APPLIED] = `${goJson(sortKeys(applied))}\n`;
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) size += k.length + v.length;
  if (size > ANNOTATIONS_LIMIT) delete annotations[LAST_APPLIED];
}

/** Go marshals a map with its keys sorted. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObject(v)) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
}

/** A decoded JSON value as Go's %v prints it. */
function goValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}
