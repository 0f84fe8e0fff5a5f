// LIST for the generic store: selectors, paging with continue tokens pinned to one revision,
// and the resourceVersion / resourceVersionMatch rules of kube-apiserver.
import { ApiError, badRequest, expired, invalid } from '../api/errors.js';
import { forbidden, notSupported, type FieldError } from '../api/field-errors.js';
import { turns } from '../api/event-loop.js';
import { goQuote } from '../api/go-quote.js';
import { matchesFields, parseFieldSelector, requiredValue } from '../api/fields.js';
import { matchesLabels, parseLabelSelector } from '../api/labels.js';
import type { KubeObject } from '../api/meta.js';
import { CompactedError, FutureRevisionError, type KeyValue, type Storage } from '../storage/storage.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import type { ResourceDef } from './resource.js';
import type { Store } from './store.js';
import type { ListOptions, ListResult } from '../api/operations.js';


const MAX_FETCH = 10000;
/** How many stored objects are decoded between turns of the event loop. */
const DECODE_STEP = 500;

export type ObjectFilter = (obj: KubeObject) => boolean;

/** The label and field selectors of a request as one predicate (undefined: everything matches). */
export function compileFilter(def: ResourceDef, labelSelector?: string, fieldSelector?: string): ObjectFilter | undefined {
  let labels, fields;
  try {
    labels = labelSelector ? parseLabelSelector(labelSelector) : [];
    fields = fieldSelector ? parseFieldSelector(fieldSelector) : [];
  } catch (err) {
    throw badRequest((err as Error).message);
  }
  const getters: Record<string, (o: KubeObject) => string> = {
    'metadata.name': (o) => o.metadata.name ?? '',
    'metadata.namespace': (o) => o.metadata.namespace ?? '',
    ...def.fields,
  };
  for (const f of fields) if (!getters[f.field]) throw badRequest(`field label not supported: ${f.field}`);
  if (!labels.length && !fields.length) return undefined;
  return (obj) => matchesLabels(labels, obj.metadata.labels) && matchesFields(fields, (f) => getters[f]?.(obj));
}

/** A resourceVersion newer than the store has (504, as the apiserver answers). */
export function tooLargeResourceVersion(requested: number, current: number): ApiError {
  return new ApiError(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

/** A resourceVersion: a revision, which etcd keeps as an int64. */
export function parseResourceVersion(rv: string): number {
  if (!/^\d+$/.test(rv)) throw badRequest(`invalid resource version: strconv.ParseUint: parsing ${goQuote(rv)}: invalid syntax`);
  if (BigInt(rv) >= 2n ** 63n) throw badRequest(`invalid resource version: strconv.ParseInt: parsing ${goQuote(rv)}: value out of range`);
  return Number(rv);
}

function validate(opts: ListOptions): void {
  const errs: FieldError[] = [];
  const match = opts.resourceVersionMatch;
  if (match) {
    if (!opts.resourceVersion) errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (opts.continue) errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    if (match !== 'Exact' && match !== 'NotOlderThan') errs.push(notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
    if (match === 'Exact' && opts.resourceVersion === '0') {
      errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
    }
  }
  if (errs.length) throw invalid('meta.k8s.io', 'ListOptions', '', errs);
  if (opts.continue && opts.resourceVersion && opts.resourceVersion !== '0') {
    throw badRequest('specifying resource version is not allowed when using continue');
  }
}

/** `decode` makes an item of a stored value: a copy of its own (the default), or a shared frozen view. */
export async function listObjects(store: Store, storage: Storage, namespace: string, opts: ListOptions, decode = (kv: KeyValue) => store.decode(kv)): Promise<ListResult> {
  validate(opts);
  const filter = compileFilter(store.def, opts.labelSelector, opts.fieldSelector);
  const prefix = store.listPrefix(namespace);
  const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
  let revision: number | undefined;
  /** Any revision at or after this one will do (served from the watch cache when there is one). */
  let minRevision = opts.resourceVersion === '0' && !opts.continue ? 0 : undefined;
  let startKey = prefix;
  if (opts.continue) {
    const point = decodeContinue(opts.continue);
    startKey = prefix + point.start;
    if (point.rv > 0) revision = point.rv;
  } else if (opts.resourceVersion && opts.resourceVersion !== '0') {
    const rv = parseResourceVersion(opts.resourceVersion);
    if (opts.resourceVersionMatch === 'Exact' || (!opts.resourceVersionMatch && limit)) revision = rv;
    else {
      const current = await storage.currentRevision();
      if (rv > current) throw tooLargeResourceVersion(rv, current);
      minRevision = rv;
    }
  }

  // A selector that names one object (kubectl delete --wait, describe) reads one key.
  const name = opts.fieldSelector ? requiredValue(parseFieldSelector(opts.fieldSelector), 'metadata.name') : undefined;
  if (name !== undefined && revision === undefined && !opts.continue && (namespace || !store.def.namespaced)) {
    const current = await storage.currentRevision();
    const kv = await storage.get(store.key(namespace, name));
    const obj = kv && decode(kv);
    return { items: obj && (!filter || filter(obj)) ? [obj] : [], resourceVersion: String(current) };
  }

  const items: KubeObject[] = [];
  let fetch = limit;
  for (;;) {
    const res = await read(storage, prefix, startKey, fetch, revision ?? minRevision, revision === undefined && minRevision !== undefined, !!opts.continue);
    minRevision = undefined;
    revision = res.revision;
    let stopped: KeyValue | undefined;
    let index = 0;
    const turn = turns();
    for (const kv of res.kvs) {
      // Thousands of objects are decoded in steps, letting other requests in between; a selector
      // of thousands of terms makes each step dearer: then the steps are cut by time.
      if (index > 0 && (index % DECODE_STEP === 0 || turn.due())) await turn.next();
      const obj = decode(kv);
      if (!filter || filter(obj)) items.push(obj);
      index++;
      if (limit && items.length === limit) {
        stopped = kv;
        break;
      }
    }
    if (stopped) {
      const more = index < res.kvs.length || res.more;
      if (!more) break;
      const result: ListResult = { items, resourceVersion: String(revision), continue: encodeContinue(revision, stopped.key.slice(prefix.length) + '\x00') };
      if (!filter) result.remainingItemCount = res.count - res.kvs.length;
      return result;
    }
    if (!res.more || !res.kvs.length) break;
    startKey = res.kvs[res.kvs.length - 1]!.key + '\x00';
    fetch = Math.min(fetch * 2, MAX_FETCH);
  }
  return { items, resourceVersion: String(revision) };
}

async function read(storage: Storage, prefix: string, startKey: string, limit: number, revision: number | undefined, atLeast: boolean, continuing: boolean) {
  try {
    return await storage.list(prefix, atLeast ? { startKey, limit, minRevision: revision } : { startKey, limit, revision });
  } catch (err) {
    if (err instanceof CompactedError) {
      if (!continuing) throw expired('The resourceVersion for the provided list is too old.');
      const e = expired(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      );
      e.listMeta.continue = encodeContinue(-1, startKey.slice(prefix.length));
      throw e;
    }
    if (err instanceof FutureRevisionError) throw tooLargeResourceVersion(err.requested, err.current);
    throw err;
  }
}
