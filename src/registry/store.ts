// The generic store: create, read, update, delete and watch for any resource, with optimistic
// concurrency, finalizers, graceful deletion and admission. What is special about a resource
// comes from its ResourceDef; this file knows nothing about particular kinds.
import { yieldToEventLoop } from '../api/event-loop.js';
import { canonicalize } from '../api/canonical.js';
import { NAME_SUFFIX_ALPHABET } from '../api/clock.js';
import { alreadyExists, ApiError, badRequest, conflict, forbidden, invalid, isNotFound, notFound, OBJECT_MODIFIED } from '../api/errors.js';
import { invalid as invalidField, notSupported, type FieldError } from '../api/field-errors.js';
import { apiVersionOf, deepEqual, deepFreeze, formatTime, type KubeObject } from '../api/meta.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../api/validation.js';
import { FutureRevisionError, type GetOptions as StorageGetOptions, type KeyValue, type Storage } from '../storage/storage.js';
import type { AdmissionAttributes, AdmissionChain } from '../admission/chain.js';
import { listObjects, parseResourceVersion, tooLargeResourceVersion } from './store-list.js';
import { watchObjects } from './store-watch.js';
import { groupResource, type ResourceDef } from './resource.js';
import { FieldManager } from './fieldmanager/field-manager.js';
import { resetFieldsOf } from './fieldmanager/reset-fields.js';
import type { GetOptions, ListOptions, ListResult, OpContext, WatchOptions, WatchSink, WatchStop } from '../api/operations.js';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER, type DeleteOptions, type DeleteResult, type Mutation, type WriteOptions } from '../api/operations.js';

const PROPAGATION_POLICIES = ['Foreground', 'Background', 'Orphan'];
/** etcd's default --max-request-bytes. */
const MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;
const REQUEST_TOO_LARGE = 'etcdserver: request is too large';
/** Compare-and-swap attempts before a write gives up with a Conflict (Kubernetes retries until the request times out). */
const MAX_ATTEMPTS = 100;
/**
 * pods/binding writes the pod through its own storage path (BindingREST), which no field manager
 * watches; every other write records its manager.
 */
const UNTRACKED_SUBRESOURCES = new Set(['binding']);

export class Store {
  /** Where its objects are stored: `/registry/<resource>/`, or `/registry/<storagePrefix>/` (of the resource they are stored as). */
  readonly prefix: string;
  private readonly gr;
  private readonly views = new WeakMap<KeyValue, KubeObject>();
  /** Records who set which fields (metadata.managedFields), and merges server-side applies. */
  readonly fields: FieldManager;

  constructor(
    readonly def: ResourceDef,
    private readonly storage: Storage,
    private readonly admission: AdmissionChain,
  ) {
    const stored = def.storedAs?.def() ?? def;
    this.prefix = `/registry/${stored.storagePrefix ?? stored.resource}/`;
    this.gr = groupResource(def);
    this.fields = new FieldManager({ schema: def.schema, apiVersion: apiVersionOf(def.group, def.version), resetFields: (sub) => resetFieldsOf(def, sub) });
  }

  /** How many objects are stored under its prefix (those of every version sharing it). */
  async count(): Promise<number> {
    return (await this.storage.list(this.prefix, { limit: 1 })).count;
  }

  key(namespace: string, name: string): string {
    return this.def.namespaced ? `${this.prefix}${namespace}/${name}` : `${this.prefix}${name}`;
  }

  listPrefix(namespace: string): string {
    return this.def.namespaced && namespace ? `${this.prefix}${namespace}/` : this.prefix;
  }

  decode(kv: KeyValue, revision = kv.modRevision): KubeObject {
    const obj = JSON.parse(kv.value) as KubeObject;
    obj.metadata.resourceVersion = String(revision);
    const out = this.def.storedAs ? this.def.storedAs.fromStored(obj) : obj;
    this.def.read?.(out);
    return out;
  }

  private encode(obj: KubeObject): string {
    const { resourceVersion: _rv, selfLink: _sl, ...metadata } = obj.metadata;
    const clean = { ...obj, metadata };
    const text = JSON.stringify(this.def.storedAs ? this.def.storedAs.toStored(clean) : clean);
    // etcd refuses requests over its --max-request-bytes (1.5 MiB), and kube-apiserver passes
    // its error on as it is: no stored object is larger, whichever the backend.
    if (text.length * 3 > MAX_REQUEST_BYTES && Buffer.byteLength(text) > MAX_REQUEST_BYTES) throw new ApiError(500, '', REQUEST_TOO_LARGE);
    return text;
  }

  /**
   * A create, update or patch too large to store is written once more without its managedFields,
   * which can be large, as kube-apiserver retries it (an apply keeps them, and fails).
   */
  private encodeFitting(obj: KubeObject, opts: WriteOptions): string {
    try {
      return this.encode(obj);
    } catch (err) {
      if (opts.applied || !obj.metadata.managedFields || !(err instanceof ApiError && err.message === REQUEST_TOO_LARGE)) throw err;
      delete obj.metadata.managedFields;
      return this.encode(obj);
    }
  }

  async get(_ctx: OpContext, namespace: string, name: string): Promise<KubeObject> {
    const kv = await this.storage.get(this.key(namespace, name));
    if (!kv) throw notFound(this.gr, name);
    return this.decode(kv);
  }

  /**
   * GET for a reply: the object frozen and shared by every reader of the same stored value (a
   * storage hands out one KeyValue until the key changes), so it is decoded, and serialized
   * (writeJson), once rather than per request. A resourceVersion lets the watch cache answer.
   */
  async view(_ctx: OpContext, namespace: string, name: string, opts: GetOptions = {}): Promise<Readonly<KubeObject>> {
    const key = this.key(namespace, name);
    const kv = opts.resourceVersion ? await this.storage.get(key, await readOptions(this.storage, opts.resourceVersion)).catch(tooLarge) : await this.storage.get(key);
    if (!kv) throw notFound(this.gr, name);
    return this.frozen(kv);
  }

  /** The stored value decoded once and frozen, shared by every reader (GETs, watchers). */
  frozen(kv: KeyValue): Readonly<KubeObject> {
    let obj = this.views.get(kv);
    if (!obj) this.views.set(kv, (obj = deepFreeze(this.decode(kv))));
    return obj;
  }

  list(_ctx: OpContext, namespace: string, opts: ListOptions): Promise<ListResult> {
    return listObjects(this, this.storage, namespace, opts);
  }

  /** LIST for a reply: each item the frozen view a GET shares (see view), decoded and serialized once while its stored value lasts. */
  listView(_ctx: OpContext, namespace: string, opts: ListOptions): Promise<ListResult> {
    return listObjects(this, this.storage, namespace, opts, (kv) => this.frozen(kv));
  }

  watch(_ctx: OpContext, namespace: string, opts: WatchOptions, sink: WatchSink): Promise<WatchStop> {
    return watchObjects(this, this.storage, namespace, opts, sink);
  }

  async create(ctx: OpContext, namespace: string, input: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    const obj = this.normalize(input);
    // Between the steps of a write the event loop takes a turn: a large object costs each step
    // tens of milliseconds, which other requests need not wait for all at once.
    await yieldToEventLoop();
    const meta = obj.metadata;
    if (this.def.namespaced) {
      if (!meta.namespace) meta.namespace = namespace;
      else if (namespace && meta.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
    } else delete meta.namespace;
    if (meta.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
    this.def.defaults?.(obj);
    if (!opts.applied) await this.fields.update(undefined, obj, ctx.fieldManager ?? '', '', formatTime(ctx.clock.now()));
    const attrs = this.attrs('CREATE', ctx, obj, undefined, opts);
    await this.admission.admit(attrs);
    await this.def.begin?.({ operation: 'CREATE', object: obj, namespace: attrs.namespace, subresource: '', ctx, dryRun: attrs.dryRun, store: this });

    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    if (this.def.hasStatus && !this.def.keepStatusOnCreate) delete obj.status;
    if (!meta.name && meta.generateName) meta.name = meta.generateName + ctx.random.string(5, NAME_SUFFIX_ALPHABET);
    meta.uid = ctx.random.uuid();
    meta.creationTimestamp = formatTime(ctx.clock.now());
    this.def.prepareForCreate?.(obj, ctx);
    if (this.def.hasGeneration) meta.generation = 1;
    this.check([...validateObjectMeta(meta, { namespaced: this.def.namespaced, nameRule: this.def.nameRule ?? 'subdomain', customResource: this.def.genericObjectMeta }), ...(this.def.validate?.(obj, ctx) ?? [])], obj);
    ctx.warnings?.push(...(this.def.warningsOnCreate?.(obj) ?? []));
    attrs.name = meta.name ?? '';
    await this.admission.validate(attrs);
    await yieldToEventLoop();

    if (opts.dryRun) return obj;
    const kv = await this.storage.create(this.key(meta.namespace ?? '', meta.name!), this.encodeFitting(obj, opts), { ttlSeconds: this.def.ttlSeconds });
    if (!kv) throw alreadyExists(this.gr, meta.name!);
    await yieldToEventLoop();
    return this.decode(kv);
  }

  /** PUT: replace the object (or create it where the resource allows). */
  async update(ctx: OpContext, namespace: string, name: string, input: KubeObject, opts: WriteOptions & { subresource?: string } = {}) {
    const body = this.normalize(input);
    if (body.metadata.name && body.metadata.name !== name) {
      throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (this.def.namespaced && body.metadata.namespace && body.metadata.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    if (this.def.namespaced) body.metadata.namespace = namespace;
    try {
      const object = await this.guaranteedUpdate(ctx, namespace, name, () => structuredClone(body), opts);
      return { object, created: false };
    } catch (err) {
      if (!this.def.allowCreateOnUpdate || !isNotFound(err) || opts.subresource) throw err;
      const object = await this.create(ctx, namespace, { ...body, metadata: { ...body.metadata, name, resourceVersion: undefined } }, opts);
      return { object, created: true };
    }
  }

  /**
   * Reads the object, applies `mutate`, validates and writes with compare-and-swap; when another
   * write comes first, it starts again on the fresh object (GuaranteedUpdate). The mutated object's
   * resourceVersion is a precondition, checked on every attempt: a PATCH that sets none carries the
   * version it was applied to, so only a resourceVersion given by the client ends in a Conflict.
   * None (or "0") is an unconditional update where the resource allows it (store.go Update).
   */
  async guaranteedUpdate(ctx: OpContext, namespace: string, name: string, mutate: Mutation, opts: WriteOptions & { subresource?: string } = {}): Promise<KubeObject> {
    const key = this.key(namespace, name);
    for (let attempt = 0; ; attempt++) {
      const cur = await this.storage.get(key);
      if (!cur) throw notFound(this.gr, name);
      const old = this.decode(cur);
      await yieldToEventLoop();
      // The mutation gets an object of its own: decoding again costs less than a deep copy.
      const own = this.decode(cur);
      await yieldToEventLoop();
      const changed = this.normalize(await mutate(own));
      await yieldToEventLoop();
      const rv = changed.metadata.resourceVersion;
      if (!rv || rv === '0') {
        if (this.def.allowUnconditionalUpdate === false) {
          // Kubernetes names the resource where the kind belongs, and prints the uint64 with %#v.
          const zero = { goString: () => '0x0' };
          throw invalid(this.def.group, this.gr.resource, name, [invalidField('metadata.resourceVersion', zero, 'must be specified for an update')]);
        }
      } else if (rv !== old.metadata.resourceVersion) throw conflict(this.gr, name, OBJECT_MODIFIED);
      const obj = await this.prepareUpdate(ctx, changed, old, opts);
      await yieldToEventLoop();
      if (deepEqual(obj, old)) return old;
      if (opts.dryRun) return obj;
      await yieldToEventLoop();
      const remove = obj.metadata.deletionTimestamp && obj.metadata.deletionGracePeriodSeconds === 0 && !obj.metadata.finalizers?.length && !this.def.deletionBlocked?.(obj);
      const res = remove ? await this.storage.delete(key, cur.modRevision) : await this.storage.update(key, this.encodeFitting(obj, opts), cur.modRevision, { ttlSeconds: this.def.ttlSeconds });
      if (res.succeeded) {
        if (remove) return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(res.kv.modRevision) } };
        await yieldToEventLoop();
        return this.decode(res.kv);
      }
      if (attempt >= MAX_ATTEMPTS) throw conflict(this.gr, name, OBJECT_MODIFIED);
    }
  }

  private async prepareUpdate(ctx: OpContext, obj: KubeObject, old: KubeObject, opts: WriteOptions & { subresource?: string }): Promise<KubeObject> {
    // The main resource ignores status; /status changes status and nothing else; other
    // subresources (finalize, scale, …) build the object they write themselves.
    const sub = opts.subresource ?? '';
    if (sub === 'status') {
      const { annotations, managedFields } = obj.metadata;
      obj = { ...structuredClone(old), status: obj.status };
      if (this.def.statusUpdatesAnnotations) obj.metadata = { ...obj.metadata, annotations };
      // An apply to /status has recorded its ownership in the object it returned.
      if (opts.applied) obj.metadata = { ...obj.metadata, managedFields };
    } else if (sub === '' && this.def.hasStatus) {
      if (old.status === undefined) delete obj.status;
      else obj.status = structuredClone(old.status);
    }
    this.def.defaults?.(obj);
    if (!opts.applied && !UNTRACKED_SUBRESOURCES.has(sub)) await this.fields.update(old, obj, ctx.fieldManager ?? '', sub, formatTime(ctx.clock.now()));
    const attrs = this.attrs('UPDATE', ctx, obj, old, opts);
    attrs.subresource = sub;
    await this.admission.admit(attrs);
    await this.def.begin?.({ operation: 'UPDATE', object: obj, oldObject: old, namespace: attrs.namespace, subresource: sub, ctx, dryRun: attrs.dryRun, store: this });

    const meta = obj.metadata;
    const oldMeta = old.metadata;
    meta.resourceVersion = oldMeta.resourceVersion;
    if (oldMeta.generation !== undefined) meta.generation = oldMeta.generation;
    else delete meta.generation;
    if (sub === '') this.def.prepareForUpdate?.(obj, old, ctx);
    else if (sub === 'status') this.def.prepareForStatusUpdate?.(obj, old, ctx);
    const specChanged = () => (this.def.specChanged ? this.def.specChanged(obj, old) : !deepEqual(obj.spec, old.spec));
    if (sub !== 'status' && this.def.hasGeneration && specChanged()) meta.generation = (oldMeta.generation ?? 0) + 1;
    if (!meta.uid) meta.uid = oldMeta.uid;
    if (oldMeta.creationTimestamp) meta.creationTimestamp = oldMeta.creationTimestamp;
    if (oldMeta.deletionTimestamp) meta.deletionTimestamp = oldMeta.deletionTimestamp;
    if (oldMeta.deletionGracePeriodSeconds !== undefined && meta.deletionGracePeriodSeconds === undefined) {
      meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
    }
    this.check([...validateObjectMetaUpdate(meta, oldMeta, 'metadata', { customResource: this.def.genericObjectMeta }), ...(this.def.validateUpdate?.(obj, old, ctx, sub) ?? [])], obj);
    await this.admission.validate(attrs);
    return obj;
  }

  /** DELETE of one object; what the resource forbids by name is refused first (not by deleteCollection, as upstream). */
  async delete(ctx: OpContext, namespace: string, name: string, opts: DeleteOptions = {}): Promise<DeleteResult> {
    const why = this.def.deleteForbidden?.(name);
    if (why) throw forbidden(this.gr, name, why);
    return this.deleteObject(ctx, namespace, name, opts);
  }

  private async deleteObject(ctx: OpContext, namespace: string, name: string, opts: DeleteOptions): Promise<DeleteResult> {
    this.validateDeleteOptions(opts, name);
    const key = this.key(namespace, name);
    for (let attempt = 0; ; attempt++) {
      const cur = await this.storage.get(key);
      if (!cur) throw notFound(this.gr, name);
      const old = this.decode(cur);
      this.checkPreconditions(old, opts);
      await this.admission.validate({ ...this.attrs('DELETE', ctx, undefined, old, opts), name });

      const obj = structuredClone(old);
      const meta = obj.metadata;
      meta.finalizers = finalizersFor(meta.finalizers ?? [], opts);
      if (!meta.finalizers.length) delete meta.finalizers;
      const grace = this.def.gracePeriod?.(old, opts.gracePeriodSeconds) ?? 0;
      const now = ctx.clock.now();
      if (!meta.deletionTimestamp) {
        meta.deletionTimestamp = formatTime(new Date(now.getTime() + grace * 1000));
        meta.deletionGracePeriodSeconds = grace;
        if (meta.generation) meta.generation += 1;
        this.def.markDeleting?.(obj);
      } else if (grace < (meta.deletionGracePeriodSeconds ?? 0)) {
        meta.deletionTimestamp = formatTime(new Date(now.getTime() + grace * 1000));
        meta.deletionGracePeriodSeconds = grace;
      }
      const pending = grace > 0 || (meta.deletionGracePeriodSeconds ?? 0) > 0 || !!meta.finalizers?.length || !!this.def.deletionBlocked?.(obj);
      if (pending) {
        if (deepEqual(obj, old) || opts.dryRun) return { object: obj, deleted: false };
        const res = await this.storage.update(key, this.encode(obj), cur.modRevision, { ttlSeconds: this.def.ttlSeconds });
        if (res.succeeded) return { object: this.decode(res.kv), deleted: false };
      } else {
        if (opts.dryRun) return { object: old, deleted: true };
        const res = await this.storage.delete(key, cur.modRevision);
        if (res.succeeded) return { object: this.decode(res.kv), deleted: true };
      }
      if (attempt >= MAX_ATTEMPTS) throw conflict(this.gr, name, OBJECT_MODIFIED);
    }
  }

  /** Deletes everything a list with these options returns; answers with the deleted objects. */
  async deleteCollection(ctx: OpContext, namespace: string, listOpts: ListOptions, opts: DeleteOptions = {}): Promise<KubeObject[]> {
    const { items } = await this.list(ctx, namespace, listOpts);
    const deleted: KubeObject[] = [];
    for (const item of items) {
      try {
        deleted.push((await this.deleteObject(ctx, item.metadata.namespace ?? '', item.metadata.name!, opts)).object);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    return deleted;
  }

  /**
   * The canonical form (see canonicalize), apiVersion and kind first, as the API server writes
   * them. Made from `input` itself: create and update own what they are given (LocalClient hands
   * them copies), which spares a clone of every large body.
   */
  private normalize(input: KubeObject): KubeObject {
    const { apiVersion: _a, kind: _k, metadata, ...rest } = input;
    const obj = { apiVersion: apiVersionOf(this.def.group, this.def.version), kind: this.def.kind, metadata: { ...(metadata ?? {}) }, ...rest };
    canonicalize(obj, this.def.schema);
    return obj;
  }

  private attrs(operation: AdmissionAttributes['operation'], ctx: OpContext, object: KubeObject | undefined, oldObject: KubeObject | undefined, opts: WriteOptions): AdmissionAttributes {
    const meta = (object ?? oldObject)!.metadata;
    return { operation, resource: { group: this.def.group, resource: this.def.resource, namespaced: this.def.namespaced, version: this.def.version, kind: this.def.kind }, subresource: '', namespace: meta.namespace ?? '', name: meta.name ?? '', object, oldObject, ctx, dryRun: !!opts.dryRun, defaults: this.def.defaults };
  }

  private check(errors: FieldError[], obj: KubeObject): void {
    if (errors.length) throw invalid(this.def.group, this.def.kind, obj.metadata.name ?? obj.metadata.generateName ?? '', errors);
  }

  private checkPreconditions(obj: KubeObject, opts: DeleteOptions): void {
    const p = opts.preconditions;
    if (p?.uid && p.uid !== obj.metadata.uid) {
      throw conflict(this.gr, obj.metadata.name!, `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${obj.metadata.uid}`);
    }
    if (p?.resourceVersion && p.resourceVersion !== obj.metadata.resourceVersion) {
      throw conflict(this.gr, obj.metadata.name!, `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`);
    }
  }

  private validateDeleteOptions(opts: DeleteOptions, name: string): void {
    const errs: FieldError[] = [];
    if (opts.orphanDependents !== undefined && opts.propagationPolicy !== undefined) {
      errs.push(invalidField('propagationPolicy', opts.propagationPolicy, 'orphanDependents and deletionPropagation cannot be both set'));
    }
    if (opts.propagationPolicy !== undefined && !PROPAGATION_POLICIES.includes(opts.propagationPolicy)) {
      errs.push(notSupported('propagationPolicy', opts.propagationPolicy, [...PROPAGATION_POLICIES, 'nil']));
    }
    if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0) opts.gracePeriodSeconds = 1;
    if (errs.length) throw invalid('meta.k8s.io', 'DeleteOptions', name, errs);
  }
}

/** The finalizers an object gets on deletion, from the propagation policy (garbage collection). */
function finalizersFor(current: string[], opts: DeleteOptions): string[] {
  const policy = opts.propagationPolicy ?? (opts.orphanDependents === true ? 'Orphan' : opts.orphanDependents === false ? 'Background' : undefined);
  if (!policy) return current;
  const rest = current.filter((f) => f !== ORPHAN_FINALIZER && f !== FOREGROUND_FINALIZER);
  if (policy === 'Orphan') return [...rest, ORPHAN_FINALIZER];
  if (policy === 'Foreground') return [...rest, FOREGROUND_FINALIZER];
  return rest;
}

/** A GET's resourceVersion as a storage read: "0" any revision, N one not older than N (504 beyond the current one, as a LIST). */
async function readOptions(storage: Storage, resourceVersion: string): Promise<StorageGetOptions> {
  if (resourceVersion === '0') return { minRevision: 0 };
  const rv = parseResourceVersion(resourceVersion);
  const current = await storage.currentRevision();
  if (rv > current) throw tooLargeResourceVersion(rv, current);
  return { minRevision: rv };
}

/** The watch cache did not reach the revision in time. */
function tooLarge(err: unknown): never {
  throw err instanceof FutureRevisionError ? tooLargeResourceVersion(err.requested, err.current) : err;
}
