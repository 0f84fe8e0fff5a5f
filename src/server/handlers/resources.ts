// The REST handlers for resources: GET, LIST, WATCH, POST, PUT, PATCH, DELETE and
// DELETECOLLECTION on /api and /apis paths, dispatched on the parsed request info.
import { ApiError, badRequest, methodNotSupported, pathNotFound } from '../../api/errors.js';
import { matchesFields, parseFieldSelector } from '../../api/fields.js';
import type { KubeObject } from '../../api/meta.js';
import { groupResource, verbsOf, type LiveResource, type ResourceDef, type Verb } from '../../registry/resource.js';
import type { Registry } from '../../registry/registry.js';
import { readBody } from '../body.js';
import { readRequestObject } from '../decode-thread.js';
import type { RequestContext } from '../context.js';
import { partialObjectMetadata, status } from '../../registry/schemas/meta.js';
import { negotiate, TABLE_CONTENT_TYPE, type ReplyFormat } from '../negotiate.js';
import { listItem, writeItems, writeJson, writeList, writeObject } from '../respond.js';
import { listOf, toPartial, toTable, type IncludeObject } from '../table.js';
import { deleteOptionsOf, dryRunOf, listOptionsOf, writeContext } from './options.js';
import { applyPatch } from './patch.js';
import { handleSubresource } from './subresources.js';
import { serveWatch } from './watch.js';

/** What go-restful answers a method no route of the path takes (NewGenericServerResponse 405). */
const methodNotAllowed = () => new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});

export async function handleResource(rc: RequestContext, registry: Registry): Promise<void> {
  const { info } = rc;
  const store = registry.store(info.apiGroup, info.apiVersion, info.resource);
  if (!store) throw pathNotFound();
  const def = store.def;
  const namespace = def.namespaced ? info.namespace : '';
  if (!def.namespaced && info.namespace && def.resource !== 'namespaces') throw pathNotFound();
  if (def.namespaced && !info.namespace && !['list', 'watch'].includes(info.verb)) {
    if (info.name) throw pathNotFound();
    throw methodNotAllowed();
  }
  if (def.warning) rc.warnings.push(def.warning);
  if (info.subresource) return handleSubresource(rc, registry, store, namespace);
  // Objects are created on their collection, updated and patched at their name: a POST to a name
  // (which authorization decided on) must not create whatever the body names.
  if (info.name ? info.verb === 'create' : info.verb === 'update' || info.verb === 'patch') throw methodNotAllowed();
  if (def.live) return serveLive(rc, registry, def, def.live, namespace);
  if (!verbsOf(def).includes(info.verb as Verb)) throw methodNotSupported(groupResource(def), info.verb);

  const q = rc.url.searchParams;
  const ctx = rc.op();
  // The reply's format is settled before anything is done, as kube-apiserver's handlers settle it.
  const format = negotiate(rc.req.headers.accept, def.unstructured);
  switch (info.verb) {
    case 'get':
      return replyObject(rc, 200, def, await store.view(ctx, namespace, info.name, { resourceVersion: q.get('resourceVersion') ?? undefined }), format);
    case 'list': {
      const list = await store.listView(ctx, namespace, listOptionsOf(q));
      const meta = { resourceVersion: list.resourceVersion, ...(list.continue ? { continue: list.continue } : {}), ...(list.remainingItemCount !== undefined ? { remainingItemCount: list.remainingItemCount } : {}) };
      if (format.as === 'table') return writeList(rc.res, 200, toTable(def, list.items, meta, includeObjectOf(q), ctx.clock.now()), 'rows', tableContentType(format), rc.warnings);
      if (format.as === 'partial') {
        const partial = { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: meta, items: list.items.map(toPartial) };
        return writeItems(rc.res, 200, partial, format.mediaType, partialObjectMetadata, rc.warnings);
      }
      const items = list.items.map(listItem);
      return writeItems(rc.res, 200, listOf(def, items, meta), format.mediaType, def.schema, rc.warnings);
    }
    case 'watch':
      return serveWatch(rc, store, namespace);
    case 'create': {
      if (def.createOnly) {
        const obj = await readObject(rc, registry, def);
        return writeObject(rc.res, 201, await def.createOnly(obj, { ...ctx, warnings: rc.warnings }, namespace), format.mediaType, def.schema, rc.warnings);
      }
      const writer = writeContext(rc, 'CreateOptions');
      const obj = await readObject(rc, registry, def);
      const created = await store.create(writer, namespace, obj, { dryRun: dryRunOf(q, 'CreateOptions') });
      return replyObject(rc, 201, def, created, format);
    }
    case 'update': {
      const writer = writeContext(rc, 'UpdateOptions');
      const obj = await readObject(rc, registry, def);
      const { object, created } = await store.update(writer, namespace, info.name, obj, { dryRun: dryRunOf(q, 'UpdateOptions') });
      return replyObject(rc, created ? 201 : 200, def, object, format);
    }
    case 'patch': {
      const { object, created } = await applyPatch(rc, registry, store, namespace, '');
      return replyObject(rc, created ? 201 : 200, def, object, format);
    }
    case 'delete': {
      const opts = deleteOptionsOf(q, await readBody(rc.req), rc.req.headers['content-type']);
      const { object, deleted } = await store.delete(ctx, namespace, info.name, opts);
      const code = !deleted && opts.orphanDependents === false ? 202 : 200;
      if (deleted && !def.returnDeletedObject) {
        const details = { name: info.name, ...(def.group ? { group: def.group } : {}), kind: def.resource, uid: object.metadata.uid };
        return writeObject(rc.res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details }, format.mediaType, status, rc.warnings);
      }
      return replyObject(rc, code, def, object, format);
    }
    case 'deletecollection': {
      const opts = deleteOptionsOf(q, await readBody(rc.req), rc.req.headers['content-type']);
      const items = await store.deleteCollection(ctx, namespace, listOptionsOf(q), opts);
      return writeItems(rc.res, 200, listOf(def, items, {}), format.mediaType, def.schema, rc.warnings);
    }
    default:
      throw methodNotSupported(groupResource(def), info.verb);
  }
}

/** The field selectors of a live resource: what apimachinery's default field label conversion knows. */
function liveFieldFilter(selector: string | null): (obj: KubeObject) => boolean {
  let fields;
  try {
    fields = parseFieldSelector(selector ?? '');
  } catch (err) {
    throw badRequest((err as Error).message);
  }
  for (const f of fields) {
    if (f.field !== 'metadata.name' && f.field !== 'metadata.namespace') throw badRequest(`"${f.field}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
  }
  return (obj) => matchesFields(fields, (f) => (f === 'metadata.name' ? obj.metadata.name : obj.metadata.namespace) ?? '');
}

/**
 * GET and LIST of a resource computed from live figures, as metrics-server serves its own: only
 * those routes exist (any other method is 405, a watch is not supported), lists have no
 * resourceVersion and no paging, and a Table of no rows has no columns.
 */
async function serveLive(rc: RequestContext, registry: Registry, def: ResourceDef, live: LiveResource, namespace: string): Promise<void> {
  const { info } = rc;
  if (info.verb === 'watch') throw methodNotSupported(groupResource(def), 'watch');
  if (info.verb !== 'get' && info.verb !== 'list') throw methodNotAllowed();
  const q = rc.url.searchParams;
  const ctx = rc.op();
  const format = negotiate(rc.req.headers.accept, def.unstructured);
  if (info.verb === 'get') return replyObject(rc, 200, def, await live.get({ ctx, registry }, namespace, info.name), format);
  const matches = liveFieldFilter(q.get('fieldSelector'));
  const items = (await live.list({ ctx, registry }, namespace, q.get('labelSelector') || undefined)).filter(matches);
  if (format.as === 'table') return writeJson(rc.res, 200, toTable(def, items, {}, includeObjectOf(q), ctx.clock.now(), items.length > 0), tableContentType(format), rc.warnings);
  if (format.as === 'partial') {
    return writeItems(rc.res, 200, { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: {}, items: items.map(toPartial) }, format.mediaType, partialObjectMetadata, rc.warnings);
  }
  const bare = items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest as KubeObject);
  return writeItems(rc.res, 200, listOf(def, bare, {}), format.mediaType, def.schema, rc.warnings);
}

/** A Table is JSON (with its kind in the content type) or YAML; protobuf never is negotiated for it. */
function tableContentType(format: ReplyFormat): string {
  return format.mediaType === 'yaml' ? 'application/yaml' : TABLE_CONTENT_TYPE;
}

function includeObjectOf(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

export function replyObject(rc: RequestContext, code: number, def: ResourceDef, obj: KubeObject, format: ReplyFormat): void {
  rc.audit?.responseObject(obj);
  if (format.as === 'table') {
    const table = toTable(def, [obj], { resourceVersion: obj.metadata.resourceVersion }, includeObjectOf(rc.url.searchParams), rc.op().clock.now());
    return writeJson(rc.res, code, table, tableContentType(format), rc.warnings);
  }
  if (format.as === 'partial') return writeObject(rc.res, code, toPartial(obj), format.mediaType, partialObjectMetadata, rc.warnings);
  writeObject(rc.res, code, obj, format.mediaType, def.schema, rc.warnings);
}

/**
 * Reads and decodes a request body as an object of `def`'s kind: checks apiVersion and kind,
 * applies fieldValidation (warnings go to the reply).
 */
export async function readObject(rc: RequestContext, registry: Registry, def: ResourceDef, expected = { group: def.group, version: def.version, kind: def.kind }): Promise<KubeObject> {
  const body = await readBody(rc.req);
  const { object, warnings } = await readRequestObject(registry, { body, contentType: rc.req.headers['content-type'], expected, fieldValidation: rc.url.searchParams.get('fieldValidation') });
  rc.warnings.push(...warnings);
  rc.audit?.requestObject(object);
  return object;
}
